"""Frozen migrations: new and upgraded files end with the committed schema, and live ids fit it."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path
from typing import get_args

import pytest
from sqlite_utils import Database

from flows.events import Channel
from flows.texts import FEEDBACK_REASONS
from knowledge import contract
from knowledge.models import VERDICTS
from stats import migrations as history
from stats.record import ANSWER_COLUMNS, FEEDBACKS, OUTCOMES, StepRecord, choices
from stats.schema import SNAPSHOT, columns, migrated, schema_of
from stats.store import TABLE, migrations, open_store, write
from tests.stats.conftest import abandoned, changed, record, row_then
from tests.test_layering import imported_roots

HISTORY = [migration.name for migration in migrations._migrations]
REGENERATE = (
    "if a new migration changed it on purpose, run `.venv/bin/python -m stats.schema` and commit "
    "stats/schema.sql; a released migration never changes (deployed files ran it): add one"
)
NO_COLUMN = (
    "question {0} has no column: add a migration `add_{0}_column` at the end of "
    "stats/migrations.py (docs/stats.md, « Adding a question »)"
)
REFUSED = (
    "{column}: the table refuses {values}: its CHECK lists the ids of the migration that made it; "
    "add a migration rebuilding `consultations` to accept them (docs/stats.md, « {section} »), "
    "then run `.venv/bin/python -m stats.schema`"
)
LIVE_LISTS = {
    "jurisdiction": contract.JURISDICTIONS,
    "channel": get_args(Channel),
    "outcome": OUTCOMES,
    "verdict": VERDICTS,
    "stopped_at": ANSWER_COLUMNS,
    "feedback": FEEDBACKS,
    "feedback_reason": tuple(FEEDBACK_REASONS),
    **{
        question: tuple(
            dict.fromkeys(
                choice
                for jurisdiction in contract.JURISDICTIONS
                for choice in choices(jurisdiction, question)
            )
        )
        for question in ANSWER_COLUMNS
    },
}
"""Every closed list a row holds, read where it is declared (flows, knowledge, stats)."""


def snapshot() -> str:
    """The committed schema."""
    return SNAPSHOT.read_text(encoding="utf-8")


def test_a_new_file_has_the_committed_schema(db_path: Path) -> None:
    """A file made today by every migration has exactly the schema of stats/schema.sql."""
    db = open_store(db_path)
    found = schema_of(db)
    db.close()
    assert found == snapshot(), f"stats/schema.sql is not the schema of a new file: {REGENERATE}"


def test_migrations_hold_literal_sql_and_read_no_live_list() -> None:
    """stats/migrations.py imports only sqlite-utils and formats no string: its SQL is history."""
    path = Path(history.__file__)
    bad = imported_roots(path) - {"__future__", "sqlite_utils"}
    assert not bad, f"stats/migrations.py imports {bad}: a migration holds the SQL it ran"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    formatted = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        or (isinstance(node, ast.Attribute) and node.attr in {"format", "join"})
        or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add))
    ]
    assert not formatted, f"stats/migrations.py builds SQL on lines {formatted}: write it literally"


@pytest.mark.parametrize("stop_before", HISTORY[1:], ids=[f"after_{name}" for name in HISTORY[:-1]])
def test_a_file_made_at_every_earlier_migration_is_upgraded(
    tmp_path: Path, stop_before: str
) -> None:
    """A file stopped after any earlier migration, with rows of its time, opens with the committed
    schema, keeps its rows, and then takes rows with every current answer."""
    path = tmp_path / "old.sqlite"
    old = Database(path)
    migrations.apply(old, stop_before=stop_before)
    for then in (record(feedback="up"), abandoned(back_steps=2)):  # outcomes every schema had
        old[TABLE].insert(row_then(old, then))
    before = [dict(row) for row in old.query(f"SELECT * FROM {TABLE} ORDER BY id")]  # noqa: S608
    old.close()

    db = open_store(path)
    try:
        assert schema_of(db) == snapshot(), (
            f"a file stopped before {stop_before} does not upgrade to stats/schema.sql: "
            "a migration since then no longer does what it did (write a new one instead)"
        )
        assert migrations.pending(db) == []
        kept = [dict(row) for row in db.query(f"SELECT * FROM {TABLE} ORDER BY id")]  # noqa: S608
        assert [{key: row[key] for key in before[0]} for row in kept] == before
        answered = {question: choices("fr", question)[0] for question in ANSWER_COLUMNS}
        full = record(**answered, feedback="down", feedback_reason="wrong")
        under_way = changed(full, outcome="open", rule=None, verdict=None, feedback=None,
                            feedback_reason=None, stopped_at=ANSWER_COLUMNS[-1])  # fmt: skip
        assert write(db, [full, StepRecord(under_way)]) == 0
        last = before[-1]["id"]
        new = [dict(row) for row in db.query(f"SELECT * FROM {TABLE} WHERE id > ?", [last])]  # noqa: S608
    finally:
        db.close()
    assert [{key: row[key] for key in full.row()} for row in new] == [
        full.row(),
        under_way.row(),
    ]


@pytest.mark.parametrize("question", ANSWER_COLUMNS)
def test_every_question_has_a_column(question: str) -> None:
    """Each answer the records hold has its column once every migration ran."""
    assert question in columns(), NO_COLUMN.format(question)


@pytest.mark.parametrize(("column", "values"), LIVE_LISTS.items(), ids=list(LIVE_LISTS))
def test_the_table_accepts_every_id_of_every_live_list(
    column: str, values: tuple[str, ...]
) -> None:
    """A channel, verdict, reason, question or choice added to the code fits the table's CHECKs."""
    assert column in columns(), NO_COLUMN.format(column)
    base = {key: value for key, value in record().row().items() if key in columns()}
    db = migrated()
    refused = []
    for value in values:
        try:
            db[TABLE].insert(base | {column: value})
        except sqlite3.IntegrityError:
            refused.append(value)
    db.close()
    section = "Adding a question" if column == "stopped_at" else "When a closed list grows"
    assert not refused, REFUSED.format(column=column, values=refused, section=section)
