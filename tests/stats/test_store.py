"""The schema comes only from named migrations, is strict and checked, and upgrades old files."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from stats.record import StepRecord
from stats.store import (
    COLUMNS,
    TABLE,
    StoreError,
    attach_feedback,
    migrations,
    open_reader,
    open_store,
    purge,
    step,
    sweep,
    write,
)
from tests.stats.conftest import DAY, abandoned, changed, files_bytes, record, row_then


def test_migrations_have_names_that_say_what_they_do() -> None:
    """Every migration is named verb_object, in the order they apply."""
    names = [migration.name for migration in migrations._migrations]
    assert names == [
        "create_consultations_table",
        "add_feedback_and_reason_columns",
        "index_consultations_by_day_and_by_rule",
        "allow_open_consultations",
        "index_open_consultations",
        "check_stopped_at_as_a_short_id",
        "add_follow_up_question_columns",
        "check_channel_as_a_short_id",
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
        ("channel", "Par SMS"),
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
    old[TABLE].insert(row_then(old, record()))
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


def test_an_old_file_with_the_previous_schema_is_rebuilt_to_allow_open_rows(db_path: Path) -> None:
    """The previous schema refuses 'open'; the upgrade rebuilds the table and keeps every row."""
    old = Database(db_path)
    migrations.apply(old, stop_before="allow_open_consultations")
    old.execute("PRAGMA journal_mode = wal")
    rows = [record(feedback="down", feedback_reason="wrong"), abandoned(back_steps=3), record()]
    for row in rows:
        old[TABLE].insert(row_then(old, row))
    with pytest.raises(sqlite3.IntegrityError):
        old[TABLE].insert(row_then(old, record(outcome="open", rule=None, verdict=None)))
    before = [dict(row) for row in old.query(f"SELECT * FROM {TABLE} ORDER BY id")]  # noqa: S608
    old[TABLE].delete(2)  # a gap: ids are kept as they are
    before = [row for row in before if row["id"] != 2]
    old.close()
    db = open_store(db_path)  # the writer upgrades it
    assert [m.name for m in migrations.pending(db)] == []
    after = [dict(row) for row in db.query(f"SELECT * FROM {TABLE} ORDER BY id")]  # noqa: S608
    assert [{column: row[column] for column in before[0]} for row in after] == before
    assert tuple(db[TABLE].columns_dict) == COLUMNS
    assert db[TABLE].strict
    assert {index.name for index in db[TABLE].indexes} == {
        "consultations_by_day",
        "consultations_by_rule",
        "consultations_open",
    }
    not_null = {column.name for column in db[TABLE].columns if column.notnull}
    assert not_null == {"day", "jurisdiction", "channel", "outcome", "debated", "kb_version",
                        "back_steps"}  # fmt: skip
    db[TABLE].insert(record(outcome="open", rule=None, verdict=None, stopped_at="consent").row())
    for junk in ({"outcome": "gone"}, {"requester": "Jean Dupont"}, {"feedback": "great"}):
        with pytest.raises(sqlite3.IntegrityError):
            db[TABLE].insert(record().row() | junk)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
    assert not any(name.endswith("_rebuilt") for name in names)
    db.close()


def opened(**changes: object) -> object:
    """An open row: profession, setting and requester answered, the danger question asked."""
    values = {"outcome": "open", "risk": None, "consent": None, "rule": None, "verdict": None,
              "stopped_at": "risk"}  # fmt: skip
    return record(**(values | changes))


def rows_of(db: Database) -> list[dict[str, object]]:
    """outcome, the answers that move in these tests, back steps, stopped_at, feedback."""
    sql = (
        f"SELECT outcome, requester, risk, consent, rule, back_steps, stopped_at, feedback "  # noqa: S608
        f"FROM {TABLE} ORDER BY id"
    )
    return [dict(row) for row in db.query(sql)]


def test_a_step_continues_the_row_with_exactly_the_previous_values(db_path: Path) -> None:
    """Same day, channel, country, version, answers and back steps: updated; otherwise inserted."""
    db = open_store(db_path)
    first = opened(requester=None, stopped_at="requester")
    assert not step(db, StepRecord(first, None))  # a new consultation: inserted
    at_risk = opened()
    assert step(db, StepRecord(at_risk, first))
    assert rows_of(db) == [
        {"outcome": "open", "requester": "family", "risk": None, "consent": None, "rule": None,
         "back_steps": 0, "stopped_at": "risk", "feedback": None},
    ]  # fmt: skip
    for other in (
        first,  # the row has moved on
        changed(at_risk, back_steps=1),
        changed(at_risk, channel="group"),
        changed(at_risk, kb_version="other"),
        changed(at_risk, requester="police"),
    ):
        later = changed(at_risk, risk="none", consent=None, stopped_at="consent")
        assert not step(db, StepRecord(changed(later, channel=other.channel), other))
    assert db[TABLE].count == 6
    db.close()


def test_steps_on_another_day_never_touch_yesterdays_rows(db_path: Path) -> None:
    """A row is continued on its own day only; yesterday's open row waits for the sweep."""
    db = open_store(db_path)
    yesterday = DAY - dt.timedelta(days=1)
    write(db, [StepRecord(opened(day=yesterday))])
    today = opened()
    assert not step(db, StepRecord(changed(today, risk="none", stopped_at="consent"), today))
    assert sweep(db, DAY) == 1
    assert sweep(db, DAY) == 0
    outcomes = [row["outcome"] for row in db.query(f"SELECT outcome FROM {TABLE} ORDER BY id")]  # noqa: S608
    assert outcomes == ["abandoned", "open"]  # today's open row is not swept
    db.close()


def test_a_verdict_completes_the_open_row_and_a_restart_abandons_it(db_path: Path) -> None:
    """open → completed, open → abandoned, each in place."""
    db = open_store(db_path)
    at_consent = opened(risk="none", stopped_at="consent")
    write(db, [StepRecord(at_consent), StepRecord(at_consent)])
    write(db, [StepRecord(record(), at_consent)])
    write(db, [StepRecord(changed(at_consent, outcome="abandoned"), at_consent)])
    assert [(row["outcome"], row["rule"], row["stopped_at"]) for row in rows_of(db)] == [
        ("abandoned", None, "consent"),
        ("completed", "fr-famille-sans-accord", None),
    ]  # the latest identical row is taken: either gives the same counts
    db.close()


def test_changing_an_answer_after_a_verdict_replaces_that_verdicts_row(db_path: Path) -> None:
    """While changing, the completed row keeps its verdict and counts back steps; the next verdict
    replaces its values, keeping 👍/👎 only when the rule is the same."""
    db = open_store(db_path)
    verdict = record(feedback="up")
    write(db, [verdict])
    changing = opened(requester=None, risk=None, stopped_at="requester")
    assert step(db, StepRecord(changing, verdict))  # ✏️ requester: the verdict stands
    went_back = changed(changing, back_steps=1)
    assert step(db, StepRecord(went_back, verdict))  # ↩️ while changing: one more back step
    assert rows_of(db) == [
        {"outcome": "completed", "requester": "family", "risk": "none", "consent": "refused",
         "rule": "fr-famille-sans-accord", "back_steps": 1, "stopped_at": None, "feedback": "up"},
    ]  # fmt: skip
    same_rule = record(consent="not_asked", back_steps=1)
    assert step(db, StepRecord(same_rule, changed(verdict, back_steps=1)))
    assert rows_of(db)[0]["consent"] == "not_asked"
    assert rows_of(db)[0]["feedback"] == "up"  # the same rule: the opinion stands
    police = record(requester="police", consent=None, rule="fr-police", back_steps=1)
    assert step(db, StepRecord(police, same_rule))
    assert rows_of(db) == [
        {"outcome": "completed", "requester": "police", "risk": "none", "consent": None,
         "rule": "fr-police", "back_steps": 1, "stopped_at": None, "feedback": None},
    ]  # fmt: skip
    # changing from a verdict whose row is gone (purged, another day) adds nothing…
    assert not step(db, StepRecord(changing, changed(verdict, requester="self")))
    assert db[TABLE].count == 1
    # …and the verdict that follows counts as a consultation of its own
    assert not step(db, StepRecord(record(), changed(verdict, requester="self")))
    assert db[TABLE].count == 2
    db.close()


def test_feedback_never_lands_on_an_open_row(db_path: Path) -> None:
    """👍/👎 go to completed rows only."""
    from stats.record import FeedbackRecord

    db = open_store(db_path)
    write(db, [StepRecord(opened())])
    assert not attach_feedback(db, FeedbackRecord(opened(), feedback="up"))
    db.close()


def test_the_steps_find_their_row_through_an_index(db_path: Path) -> None:
    """The open row, the verdict's row and the sweep's rows are found without a table scan."""
    db = open_store(db_path)
    write(db, [record() for _ in range(50)] + [StepRecord(opened()) for _ in range(50)])
    traced: list[tuple[str, object]] = []
    verdict = record()
    with db.tracer(lambda sql, parameters: traced.append((sql, parameters))):
        step(db, StepRecord(changed(opened(), risk="none", stopped_at="consent"), opened()))
        step(db, StepRecord(changed(verdict, back_steps=1), verdict))
        sweep(db, DAY)
    statements = [(sql, params) for sql, params in traced if sql.lstrip().startswith("UPDATE")]
    assert len(statements) == 3
    for sql, params in statements:
        plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), (sql, plan)
        assert "INDEX" in plan, plan
    db.close()
