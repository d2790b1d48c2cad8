"""The statistics file: opening (migrations applied), writing, sweeping, purging."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from stats.faults import MISSING, MISSING_FOLDER, StoreError
from stats.migrations import migrations
from stats.record import ANSWER_COLUMNS, ConsultationRecord, FeedbackRecord, Record, StepRecord
from stats.schema import columns

TABLE = "consultations"
COLUMNS = columns()
"""Every column of `consultations`, in order, as the migrations (`stats/migrations.py`) make it."""


def connect(path: Path, uri_mode: str, busy_seconds: float) -> sqlite3.Connection:
    """A connection to the file in SQLite's `rwc`, `rw` or `ro` mode."""
    uri = f"{path.resolve().as_uri()}?mode={uri_mode}"
    return sqlite3.connect(uri, uri=True, timeout=busy_seconds, check_same_thread=False)


def is_ours(db: Database) -> bool:
    """True for a new empty file or one our migrations made; False for someone else's database."""
    tables = set(db.table_names())
    if not tables:
        return True
    if migrations.migrations_table not in tables:
        return False
    return bool(migrations.applied(db))


def migrate(db: Database) -> None:
    """Apply pending migrations; their record keeps the day only, in the same transaction.

    sqlite-utils records the exact time each migration was applied; the first one runs when the
    file is created, at the first consultation, so that time would date a consultation.
    """
    if not migrations.pending(db):
        return
    with db.atomic():
        migrations.apply(db)
        db.execute(
            f"UPDATE {migrations.migrations_table} SET applied_at = substr(applied_at, 1, 10)"  # noqa: S608
        )


def open_store(path: Path, *, create: bool = True, busy_seconds: float = 2.0) -> Database:
    """Open (or create) the file, check it is ours, switch to WAL and apply pending migrations."""
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.is_file():
        raise StoreError("missing")
    conn = connect(path, "rwc" if create else "rw", busy_seconds)
    try:
        db = Database(conn, execute_plugins=False)
        if not is_ours(db):
            raise StoreError("foreign")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA secure_delete = ON")  # values replaced by updates are overwritten too
        migrate(db)
    except BaseException:
        conn.close()
        raise
    return db


def open_reader(path: Path, busy_seconds: float = 5.0) -> Database:
    """Open an existing file for reading; an old schema is upgraded first when it can be."""
    if not path.is_file():
        raise StoreError(MISSING if path.parent.is_dir() else MISSING_FOLDER)
    db = reader(path, busy_seconds)
    try:
        if not is_ours(db):
            raise StoreError("foreign")
        pending = bool(migrations.pending(db))
    except BaseException:
        db.close()
        raise
    if pending:
        db.close()
        open_store(path, create=False, busy_seconds=busy_seconds).close()
        db = reader(path, busy_seconds)
    return db


def reader(path: Path, busy_seconds: float) -> Database:
    """A connection that may not write (`rw` so that closing it tidies the WAL files)."""
    db = Database(connect(path, "rw", busy_seconds), execute_plugins=False)
    db.execute("PRAGMA query_only = ON")
    return db


FEEDBACK_MATCH = " AND ".join(
    f"{column} IS ?"
    for column in ("jurisdiction", "channel", "kb_version", "rule", *ANSWER_COLUMNS)
)


def attach_feedback(db: Database, item: FeedbackRecord) -> bool:
    """Put 👍/👎 (or the reason) on the latest completed row with the same values and none yet."""
    row = item.match
    values = [getattr(row, column) for column in ("jurisdiction", "channel", "kb_version", "rule")]
    values += [row.answers.get(column) for column in ANSWER_COLUMNS]
    if item.feedback is not None:
        column, value, waiting = "feedback", item.feedback, "feedback IS NULL"
    else:
        column, value = "feedback_reason", item.reason
        waiting = "feedback = 'down' AND feedback_reason IS NULL"
    cursor = db.execute(
        f"UPDATE {TABLE} SET {column} = ? WHERE id = (SELECT id FROM {TABLE} "  # noqa: S608 - fixed names
        f"WHERE outcome = 'completed' AND {waiting} AND {FEEDBACK_MATCH} "
        "ORDER BY day DESC, id DESC LIMIT 1)",
        [value, *values],
    )
    return cursor.rowcount == 1


STEP_MATCH = ("day", "channel", "jurisdiction", "kb_version", "back_steps")
"""Values a continued row must have (with its outcome, its rule and each answer)."""
STEP_SET = (
    "jurisdiction", "kb_version", "outcome", *ANSWER_COLUMNS, "rule", "verdict", "debated",
    "back_steps", "stopped_at",
)  # fmt: skip
"""What a step writes into the row it continues (its day and channel stay)."""


def step(db: Database, item: StepRecord) -> bool:
    """Continue the row the consultation left, or insert one; True when a row was continued.

    The row continued is one with exactly the values of `item.match`: rows with the same values
    are indistinguishable, so whichever is taken, every count comes out the same. An open row
    takes every new value (open, completed or abandoned). A completed row is the verdict already
    shown: while answers are being changed it only counts the back steps; at the next verdict it
    takes the new values, and keeps its 👍/👎 only if the rule is the same.
    """
    row, match = item.row, item.match
    if match is not None:
        found = match.row()
        outcome = "'completed'" if match.outcome == "completed" else "'open'"  # literal: indexed
        where = [f"{column} = ?" for column in STEP_MATCH]
        where += [f"{column} IS ?" for column in ANSWER_COLUMNS]
        where += [f"outcome = {outcome}", "rule IS ?"]
        values = [found[column] for column in (*STEP_MATCH, *ANSWER_COLUMNS, "rule")]
        if item.revising:
            assignments, new = ["back_steps = ?"], [row.back_steps]
        else:
            written = row.row()
            assignments = [f"{column} = ?" for column in STEP_SET]
            new = [written[column] for column in STEP_SET]
            if match.outcome == "completed":
                assignments += [
                    "feedback = CASE WHEN rule IS ? THEN feedback END",
                    "feedback_reason = CASE WHEN rule IS ? THEN feedback_reason END",
                ]
                new += [row.rule, row.rule]
        cursor = db.execute(
            f"UPDATE {TABLE} SET {', '.join(assignments)} WHERE id = (SELECT id FROM {TABLE} "  # noqa: S608 - fixed names
            f"WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT 1)",
            [*new, *values],
        )
        if cursor.rowcount == 1:
            return True
        if item.revising:
            return False  # the verdict's row is gone (purged, another day): nothing to count
    db[TABLE].insert(row.row())
    return False


def sweep(db: Database, today: dt.date) -> int:
    """Rows still open from an earlier day were left: mark them abandoned; returns how many."""
    with db.atomic():
        cursor = db.execute(
            f"UPDATE {TABLE} SET outcome = 'abandoned' WHERE outcome = 'open' AND day < ?",  # noqa: S608
            [today.isoformat()],
        )
    return cursor.rowcount


def write(db: Database, items: list[Record]) -> int:
    """Write a batch in one transaction, in order; returns how many feedbacks found no row."""
    unmatched = 0
    with db.atomic():
        rows: list[dict[str, object]] = []
        for item in items:
            if isinstance(item, ConsultationRecord):
                rows.append(item.row())
                continue
            if rows:
                db[TABLE].insert_all(rows)
                rows = []
            if isinstance(item, StepRecord):
                step(db, item)
            else:
                unmatched += not attach_feedback(db, item)
        if rows:
            db[TABLE].insert_all(rows)
    return unmatched


def purge(db: Database, before: dt.date, dry_run: bool = False) -> int:
    """Delete the rows of days before `before`, overwriting their bytes; returns how many."""
    (count,) = db.execute(
        f"SELECT COUNT(*) FROM {TABLE} WHERE day < ?",  # noqa: S608 - fixed names
        [before.isoformat()],
    ).fetchone()
    if dry_run or not count:
        return count
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        db.execute(f"DELETE FROM {TABLE} WHERE day < ?", [before.isoformat()])  # noqa: S608
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count
