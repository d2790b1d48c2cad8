"""Recording never blocks nor fails a consultation: broken files are logged once, then resumed."""

from __future__ import annotations

import io
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from cli.chat import Recording, converse
from flows.consultation import Consultation
from stats import store
from stats.recorder import StatsRecorder
from stats.writer import StatsWriter
from tests.stats.conftest import record

FAMILY = ["1", "2", "6", "7", "2"]  # ass, shelter, family, no danger, refused → keep silent
LOGGER = "chaisevide.stats"
ONE_DAY = timedelta(days=1)


def consult(recorder: StatsRecorder, lines: list[str]) -> str:
    """Type lines into the terminal chat, as a person would; return what it printed."""
    consultation = Consultation(("fr",))
    recording = Recording(recorder)
    typed = iter(lines)

    def read(prompt: str) -> str:
        """The next typed line; the end of input after the last."""
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    with redirect_stdout(io.StringIO()) as out:
        try:
            converse(consultation, read, recording)
        except EOFError:
            recording.leave(consultation)
    return out.getvalue()


def count_rows(path: Path) -> int:
    """Rows in the file, read with a fresh connection."""
    db = store.open_reader(path)
    try:
        return db[store.TABLE].count
    finally:
        db.close()


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The statistics warnings logged so far."""
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno >= 30]


def wait_for(condition: object, seconds: float = 5.0) -> bool:
    """Poll a condition until true or the time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_records_are_written_in_the_background(writer: StatsWriter, db_path: Path) -> None:
    """Submitted records reach the file after a flush; submitting takes microseconds."""
    started = time.perf_counter()
    for _ in range(200):
        writer.submit(record())
    assert (time.perf_counter() - started) / 200 < 0.001
    assert writer.flush()
    assert count_rows(db_path) == 200


def test_terminal_consultations_are_recorded_completed_and_abandoned(
    writer: StatsWriter, db_path: Path
) -> None:
    """A verdict is one completed row; quitting mid-way one abandoned row; nothing else."""
    recorder = StatsRecorder(writer)
    output = consult(recorder, [*FAMILY, "n", "1", "r", "1", "2", "q"])
    assert "Vous devez garder le secret" in output
    consult(recorder, [])  # opened and closed without answering: nothing to record
    assert writer.flush()
    db = store.open_reader(db_path)
    rows = list(
        db.query("SELECT outcome, channel, rule, back_steps, stopped_at FROM consultations")
    )
    db.close()
    assert rows == [
        {"outcome": "completed", "channel": "terminal", "rule": "fr-famille-sans-accord",
         "back_steps": 0, "stopped_at": None},
        {"outcome": "abandoned", "channel": "terminal", "rule": None, "back_steps": 1,
         "stopped_at": "requester"},
    ]  # fmt: skip


@contextmanager
def read_only(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make the file read-only (root ignores file modes: SQLite's read-only mode stands in)."""
    if os.geteuid() == 0:
        real = store.connect
        monkeypatch.setattr(store, "connect", lambda p, mode, busy: real(p, "ro", busy))
        yield
        monkeypatch.setattr(store, "connect", real)
        return
    path.chmod(0o444)
    path.parent.chmod(0o555)
    yield
    path.parent.chmod(0o755)
    path.chmod(0o644)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another program holds an exclusive lock on the file."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    yield
    other.execute("ROLLBACK")
    other.close()


def break_file(path: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """A context in which the file is unusable in the way named."""
    if how == "read-only":
        return read_only(path, monkeypatch)
    if how == "locked":
        return locked(path)

    @contextmanager
    def damaged() -> Iterator[None]:
        """Garbage bytes (corrupt) or a file where the directory should be (missing)."""
        target = path if how == "corrupt" else path.parent
        target.write_bytes(b"\x00garbage, not a database\xff" * 200)
        yield
        target.unlink()
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)

    return damaged()


@pytest.mark.parametrize("how", ["read-only", "locked", "corrupt", "missing"])
def test_a_broken_file_never_breaks_a_consultation(
    how: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Broken file: verdicts still shown, caller not slowed, logged once, then recording resumes."""
    caplog.set_level(logging.WARNING, logger=LOGGER)
    path = tmp_path / "statistiques.sqlite"
    if how != "corrupt":
        store.open_store(path).close()  # a good file first
    if how == "missing":
        path.unlink()
        path = tmp_path / "not-a-dir" / "statistiques.sqlite"
    writer = StatsWriter(path, retry_seconds=0.05, busy_seconds=0.1)
    recorder = StatsRecorder(writer)
    try:
        with break_file(path, how, monkeypatch):  # type: ignore[attr-defined]
            for _ in range(3):
                started = time.perf_counter()
                output = consult(recorder, [*FAMILY, "q"])
                assert time.perf_counter() - started < 0.5
                assert "Vous devez garder le secret" in output
            assert not writer.flush(timeout=2)
            time.sleep(0.2)  # several retries happen meanwhile
            assert not writer.flush(timeout=2)
        assert wait_for(lambda: writer.flush(timeout=2))
        assert count_rows(path) == 3
    finally:
        writer.close()
    logged = warnings(caplog)
    assert len(logged) == 2, logged  # paused once, resumed once
    assert "paused" in logged[0]
    assert "resumed" in logged[1]
    assert str(tmp_path) not in caplog.text


def test_close_is_bounded_when_the_file_stays_locked(db_path: Path) -> None:
    """Shutting down with a locked file waits at most the timeout given."""
    store.open_store(db_path).close()
    writer = StatsWriter(db_path, retry_seconds=60, busy_seconds=0.2)
    with locked(db_path):
        writer.submit(record())
        started = time.perf_counter()
        assert not writer.close(timeout=1.0)
        assert time.perf_counter() - started < 1.5


def test_ctrl_c_mid_consultation_is_an_abandon_and_the_writer_is_closed(
    writer: StatsWriter, db_path: Path
) -> None:
    """Ctrl-C after two answers: status 130, one abandoned row, the writer stopped cleanly."""
    from cli.chat import EXIT_INTERRUPTED, run_chat

    typed = iter(["1", "2"])

    def read(prompt: str) -> str:
        """Two answers, then Ctrl-C."""
        try:
            return next(typed)
        except StopIteration:
            raise KeyboardInterrupt from None

    with redirect_stdout(io.StringIO()):
        status = run_chat(("fr",), read=read, recorder=StatsRecorder(writer))
    assert status == EXIT_INTERRUPTED
    assert not writer._thread.is_alive()
    db = store.open_reader(db_path)
    rows = list(db.query("SELECT outcome, stopped_at FROM consultations"))
    db.close()
    assert rows == [{"outcome": "abandoned", "stopped_at": "requester"}]


def test_the_writer_sweeps_yesterdays_open_rows_when_it_starts(db_path: Path) -> None:
    """Open rows of earlier days become abandoned at start-up; today's stay open; a missing
    file is not created just to be swept."""
    from stats.record import StepRecord
    from tests.stats.conftest import DAY

    never = StatsWriter(db_path, today=lambda: DAY)
    assert never.flush()
    assert never.close()
    assert not db_path.exists()
    opened = record(outcome="open", rule=None, verdict=None, consent=None, stopped_at="consent")
    store_db = store.open_store(db_path)
    store.write(store_db, [StepRecord(opened), StepRecord(replace(opened, day=DAY + ONE_DAY))])
    store_db.close()
    writer = StatsWriter(db_path, today=lambda: DAY + ONE_DAY)
    try:
        assert writer.flush()
        assert writer.swept == 1
    finally:
        writer.close()
    db = store.open_reader(db_path)
    outcomes = [row["outcome"] for row in db.query("SELECT outcome FROM consultations ORDER BY id")]
    db.close()
    assert outcomes == ["abandoned", "open"]


def test_a_sweep_that_fails_at_start_is_silent_and_done_with_the_next_write(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A locked file at start-up: no warning then; the first write sweeps once it is free."""
    from stats.record import StepRecord
    from tests.stats.conftest import DAY

    caplog.set_level(logging.WARNING, logger=LOGGER)
    opened = record(outcome="open", rule=None, verdict=None, consent=None, stopped_at="consent")
    store_db = store.open_store(db_path)
    store.write(store_db, [StepRecord(opened)])
    store_db.close()
    with locked(db_path):
        writer = StatsWriter(db_path, retry_seconds=0.05, busy_seconds=0.1,
                             today=lambda: DAY + ONE_DAY)  # fmt: skip
        time.sleep(0.3)  # the start-up sweep gives up on the lock
        assert writer.swept == 0
        assert warnings(caplog) == []
    try:
        writer.submit(record(day=DAY + ONE_DAY))
        assert writer.flush()
        assert writer.swept == 1
    finally:
        writer.close()
