"""Records, files and writers for the statistics tests; everything lives under tmp_path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from stats.record import ANSWER_COLUMNS, ConsultationRecord
from stats.store import TABLE, open_store, write
from stats.writer import StatsWriter

DAY = dt.date(2025, 3, 12)  # a Wednesday of ISO week 11
KB = "95eb12cd"


def changed(base: ConsultationRecord, **changes: Any) -> ConsultationRecord:
    """The record with fields or answers changed, each by name (an answer None: not asked)."""
    answers = {name: changes.pop(name) for name in list(changes) if name in ANSWER_COLUMNS}
    return replace(base, answers={**base.answers, **answers}, **changes)


def record(**changes: Any) -> ConsultationRecord:
    """A completed French consultation (family asks, no danger, refused), with changes."""
    values: dict[str, Any] = {
        "day": DAY,
        "jurisdiction": "fr",
        "channel": "private",
        "outcome": "completed",
        "kb_version": KB,
        "profession": "ass",
        "setting": "shelter",
        "requester": "family",
        "risk": "none",
        "consent": "refused",
        "rule": "fr-famille-sans-accord",
        "verdict": "must_keep_silent",
    }
    values.update(changes)
    answers = {name: values.pop(name) for name in ANSWER_COLUMNS if name in values}
    return ConsultationRecord(**values, answers=answers)


def abandoned(**changes: Any) -> ConsultationRecord:
    """A consultation left at the requester question."""
    values: dict[str, Any] = {
        "outcome": "abandoned",
        "requester": None,
        "risk": None,
        "consent": None,
        "rule": None,
        "verdict": None,
        "stopped_at": "requester",
    }
    values.update(changes)
    return record(**values)


def row_then(db: Database, item: ConsultationRecord) -> dict[str, object]:
    """The record's row with only the columns the file has (an old file lacks the later ones)."""
    existing = db[TABLE].columns_dict
    return {column: value for column, value in item.row().items() if column in existing}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the statistics file of a test lives."""
    return tmp_path / "statistiques.sqlite"


@pytest.fixture
def fill(db_path: Path) -> Callable[[list[ConsultationRecord]], Path]:
    """Write records straight to the file (no writer thread) and return its path."""

    def fill_with(records: list[ConsultationRecord]) -> Path:
        """Write the records in one transaction."""
        db = open_store(db_path)
        try:
            write(db, list(records))
        finally:
            db.close()
        return db_path

    return fill_with


@pytest.fixture
def writer(db_path: Path) -> Iterator[StatsWriter]:
    """A writer that retries quickly and gives up a lock fast."""
    started = StatsWriter(db_path, retry_seconds=0.05, busy_seconds=0.1)
    yield started
    started.close(timeout=5)


def files_bytes(path: Path) -> bytes:
    """The database file and its -wal and -shm companions, as one byte string."""
    found = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            found += companion.read_bytes()
    return found
