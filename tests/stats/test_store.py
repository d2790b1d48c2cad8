"""The schema comes only from named migrations, is strict and checked, and upgrades old files."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from stats.store import (
    TABLE,
    StoreError,
    attach_feedback,
    migrations,
    open_reader,
    open_store,
    purge,
    write,
)
from tests.stats.conftest import DAY, abandoned, files_bytes, record


def test_migrations_have_names_that_say_what_they_do() -> None:
    """Every migration is named verb_object, in the order they apply."""
    names = [migration.name for migration in migrations._migrations]
    assert names == [
        "create_consultations_table",
        "add_feedback_and_reason_columns",
        "index_consultations_by_day_and_by_rule",
    ]


def test_a_new_file_is_strict_in_wal_mode_with_not_null_columns(db_path: Path) -> None:
    """STRICT table, WAL journal, NOT NULL on what every consultation has."""
    db = open_store(db_path)
    table = db[TABLE]
    assert table.strict
    assert db.journal_mode == "wal"
    not_null = {column.name for column in table.columns if column.notnull}
    assert not_null == {"day", "jurisdiction", "channel", "outcome", "debated", "kb_version",
                        "back_steps"}  # fmt: skip
    db.close()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("requester", "Jean Dupont"),
        ("rule", "Une phrase"),
        ("channel", "sms"),
        ("day", "2025-03-12 10:31"),
        ("back_steps", -2),
        ("feedback", "great"),
    ],
)
def test_the_table_itself_refuses_free_text(db_path: Path, column: str, value: object) -> None:
    """CHECK constraints stop a value that bypassed the record's validation."""
    db = open_store(db_path)
    row = record().row() | {column: value}
    with pytest.raises(sqlite3.IntegrityError):
        db[TABLE].insert(row)
    db.close()


def test_migrations_record_the_day_only(db_path: Path) -> None:
    """The migrations table keeps no time of day: it would date the first consultation."""
    open_store(db_path).close()
    db = open_reader(db_path)
    applied = [row["applied_at"] for row in db["_sqlite_migrations"].rows]
    db.close()
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in applied)
    assert not re.search(rb"\d\d:\d\d:\d\d", files_bytes(db_path))


def test_an_old_file_is_upgraded_and_keeps_its_rows(db_path: Path) -> None:
    """A file made by the first migration only gets the later ones and keeps its data."""
    old = Database(db_path)
    migrations.apply(old, stop_before="add_feedback_and_reason_columns")
    old[TABLE].insert({k: v for k, v in record().row().items() if not k.startswith("feedback")})
    assert "feedback" not in old[TABLE].columns_dict
    old.close()
    db = open_reader(db_path)  # reading upgrades it first
    assert {"feedback", "feedback_reason"} <= set(db[TABLE].columns_dict)
    assert [m.name for m in migrations.pending(db)] == []
    assert db[TABLE].count == 1
    assert {index.name for index in db[TABLE].indexes} >= {"consultations_by_day"}
    db.close()
    writer_db = open_store(db_path)
    write(writer_db, [record(feedback="up")])
    assert writer_db[TABLE].count == 2
    writer_db.close()


def test_a_database_that_is_not_ours_is_refused(db_path: Path) -> None:
    """Someone else's SQLite file is never migrated into."""
    other = Database(db_path)
    other["patients"].insert({"name": "x"})
    other.close()
    with pytest.raises(StoreError) as raised:
        open_store(db_path)
    assert raised.value.kind == "foreign"
    with pytest.raises(StoreError):
        open_reader(db_path)


def test_reading_a_missing_file_does_not_create_it(db_path: Path) -> None:
    """Readers say 'missing' and leave nothing behind."""
    with pytest.raises(StoreError) as raised:
        open_reader(db_path)
    assert raised.value.kind == "missing"
    assert not db_path.exists()


def test_feedback_goes_to_the_latest_matching_row_without_one(db_path: Path) -> None:
    """👍 then 👎 + reason land on two identical rows, newest first; a third finds none."""
    from stats.record import FeedbackRecord

    db = open_store(db_path)
    write(db, [record(day=DAY - dt.timedelta(days=1)), record(), record(requester="police")])
    same = record(day=dt.date(2030, 1, 1))  # the day of the press does not matter
    assert attach_feedback(db, FeedbackRecord(same, feedback="up"))
    assert attach_feedback(db, FeedbackRecord(same, feedback="down"))
    assert attach_feedback(db, FeedbackRecord(same, reason="unclear"))
    assert not attach_feedback(db, FeedbackRecord(same, feedback="up"))
    rows = list(db.query(f"SELECT day, requester, feedback, feedback_reason FROM {TABLE}"))  # noqa: S608
    db.close()
    assert rows == [
        {
            "day": "2025-03-11",
            "requester": "family",
            "feedback": "down",
            "feedback_reason": "unclear",
        },
        {"day": "2025-03-12", "requester": "family", "feedback": "up", "feedback_reason": None},
        {"day": "2025-03-12", "requester": "police", "feedback": None, "feedback_reason": None},
    ]


def test_purge_deletes_days_before_the_date_and_overwrites_them(db_path: Path) -> None:
    """Rows before the date go (their bytes too); the others stay; a dry run deletes nothing."""
    db = open_store(db_path)
    old = [record(day=dt.date(2024, 12, 31), rule="fr-rule-to-purge") for _ in range(3)]
    write(db, [*old, record(), abandoned()])
    assert purge(db, dt.date(2025, 1, 1), dry_run=True) == 3
    assert db[TABLE].count == 5
    assert purge(db, dt.date(2025, 1, 1)) == 3
    assert db[TABLE].count == 2
    db.close()
    assert b"fr-rule-to-purge" not in files_bytes(db_path)
