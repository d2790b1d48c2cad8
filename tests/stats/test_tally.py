"""The one-pass count (stats/tally.py) gives exactly what one GROUP BY per breakdown gives."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest

from stats.query import (
    ABANDONED,
    BREAKDOWNS,
    COLUMN_SQL,
    FINISHED,
    Breakdown,
    answered,
    day_range,
    period_of,
    tallies,
)
from stats.store import TABLE, open_store

TODAY = dt.date(2025, 3, 20)
EXTRA = (
    Breakdown("total_back", (), "back_steps > 0"),
    Breakdown("requester_verdict", ("requester", "verdict"), "verdict IS NOT NULL"),
    Breakdown("rule_feedback", ("rule", "feedback"), "feedback IS NOT NULL"),
    Breakdown("stopped", ("stopped_at",), ABANDONED),
    Breakdown("outcome_all", ("outcome",)),
    Breakdown("risk_only", ("risk",), answered("risk")),
)
"""Breakdowns the report asks for besides the export's: conditions of every kind."""


def grouped(db, breakdown: Breakdown, period: str, start, end) -> dict:
    """The counts of one breakdown by one GROUP BY, as they were computed before tally."""
    selected = [COLUMN_SQL.get(column, column) for column in breakdown.columns]
    grouped_by = ", ".join(["day", *selected])
    where = f"day BETWEEN ? AND ? AND {FINISHED}"
    where += f" AND {breakdown.where}" if breakdown.where else ""
    sql = f"SELECT {grouped_by}, COUNT(*) FROM {TABLE} WHERE {where} GROUP BY {grouped_by}"  # noqa: S608
    found: dict = {}
    for day, *values, count in db.execute(sql, [*day_range(start, end), TODAY.isoformat()]):
        key = (period_of(day, period), tuple(str(v) if v is not None else None for v in values))
        found[key] = found.get(key, 0) + count
    return found


def random_rows(path: Path, rows: int, seed: int) -> None:
    """Rows over three weeks with every kind of value: NULLs, open rows (today's and older),
    feedback and reasons, back steps, and some days mixing two knowledge versions."""
    open_store(path).close()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    columns = ("day", "jurisdiction", "channel", "outcome", "profession", "setting", "requester",
               "risk", "consent", "rule", "verdict", "kb_version", "back_steps", "stopped_at",
               "feedback", "feedback_reason")  # fmt: skip
    data = []
    for _ in range(rows):
        day = TODAY - dt.timedelta(days=rng.randrange(21))
        outcome = rng.choice(("completed", "completed", "abandoned", "open"))
        done = outcome == "completed"
        feedback = rng.choice((None, "up", "down")) if done else None
        mixed = day.day % 4 == 0  # those days run two versions of the knowledge
        data.append(
            (
                day.isoformat(), rng.choice(("fr", "be")),
                rng.choice(("private", "group", "inline", "terminal")), outcome,
                rng.choice((None, "ass", "educ", "health")), rng.choice((None, "shelter", "home")),
                rng.choice((None, "family", "police", "nobody")),
                rng.choice((None, "none", "peril")),
                rng.choice((None, "given", "refused")),
                rng.choice(("r-one", "r-two", "r-three")) if done else None,
                rng.choice(("may_share", "must_keep_silent")) if done else None,
                rng.choice(("aaaa1111", "bbbb2222")) if mixed else "aaaa1111",
                rng.choice((0, 0, 1, 2, 3, 7)),
                None if done else rng.choice((None, "risk", "consent")),
                feedback, rng.choice(("wrong", "unclear")) if feedback == "down" else None,
            )
        )  # fmt: skip
    connection = sqlite3.connect(path)
    marks = ", ".join("?" * len(columns))
    connection.executemany(
        f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
        data,
    )
    connection.commit()
    connection.close()


@pytest.mark.parametrize("period", ["day", "week", "month", "all"])
@pytest.mark.parametrize("seed", [1, 2])
def test_one_pass_equals_one_group_by_per_breakdown(tmp_path: Path, period: str, seed: int) -> None:
    """Every breakdown, the export's and the report's, for every period and a date range."""
    path = tmp_path / "statistiques.sqlite"
    random_rows(path, 3000, seed)
    db = open_store(path)
    breakdowns = (*BREAKDOWNS, *EXTRA)
    for start, end in ((None, None), (TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=2))):
        found = tallies(db, breakdowns, period, start, end, TODAY)  # type: ignore[arg-type]
        for breakdown, counts in zip(breakdowns, found, strict=True):
            assert counts == grouped(db, breakdown, period, start, end), breakdown.name
        alone = [tallies(db, (b,), period, start, end, TODAY)[0] for b in breakdowns]  # type: ignore[arg-type]
        assert alone == found
    db.close()
