"""Counts by period, aggregated in SQL, with small cells suppressed: what every reader shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from sqlite_utils import Database

from stats import tally
from stats.record import ANSWER_COLUMNS
from stats.store import TABLE

Period = Literal["day", "week", "month", "all"]
PERIODS: tuple[str, ...] = ("day", "week", "month")
DEFAULT_MIN_COUNT = 5
BACK_STEPS = "CASE WHEN back_steps >= 3 THEN '3+' ELSE CAST(back_steps AS TEXT) END"
OUTCOME = "CASE outcome WHEN 'open' THEN 'abandoned' ELSE outcome END"
COLUMN_SQL = {"back_steps": BACK_STEPS, "outcome": OUTCOME}
"""Columns computed rather than read (back steps are counted in buckets: 0, 1, 2, 3+; a row
still open from an earlier day is an abandon the writer has not swept yet)."""
FINISHED = "(outcome <> 'open' OR day < ?)"
"""Rows every reader counts: consultations under way today are left out until they end."""
ABANDONED = "outcome IN ('abandoned', 'open')"
"""Abandoned rows (with the open ones of earlier days, which FINISHED lets through)."""


@dataclass(frozen=True)
class Breakdown:
    """One way of counting: the columns a cell is keyed by and which rows it looks at."""

    name: str
    columns: tuple[str, ...]
    where: str = ""


def answered(column: str) -> str:
    """Rows where the question was asked and answered."""
    return f"{column} IS NOT NULL"


BREAKDOWNS: tuple[Breakdown, ...] = (
    Breakdown("consultations", ()),
    Breakdown("outcome", ("outcome",)),
    Breakdown("channel", ("channel",)),
    Breakdown("jurisdiction", ("jurisdiction",)),
    Breakdown("profession", ("jurisdiction", "profession"), answered("profession")),
    Breakdown("setting", ("jurisdiction", "setting"), answered("setting")),
    *(
        Breakdown(c, (c,), answered(c))
        for c in ANSWER_COLUMNS
        if c not in ("profession", "setting")
    ),
    Breakdown("verdict", ("verdict",), answered("verdict")),
    Breakdown("situation", ("requester", "risk", "verdict"), answered("verdict")),
    Breakdown("rule", ("rule", "kb_version"), answered("rule")),
    Breakdown("feedback", ("rule", "kb_version", "feedback"), answered("feedback")),
    Breakdown(
        "feedback_reason", ("rule", "kb_version", "feedback_reason"), answered("feedback_reason")
    ),
    Breakdown("stopped_at", ("stopped_at",), ABANDONED),
    Breakdown("back_steps", ("back_steps",)),
)
"""The cells of an export, in order (see docs/stats.md)."""
DIMENSIONS: tuple[str, ...] = tuple(dict.fromkeys(c for b in BREAKDOWNS for c in b.columns))
"""Every column a cell can be keyed by, in a stable order (the CSV's columns)."""


@dataclass(frozen=True)
class Cell:
    """One count: a period, a breakdown, its values; `count` is None when suppressed."""

    period: str
    breakdown: str
    values: tuple[tuple[str, str | None], ...]
    count: int | None
    suppressed: bool

    def value(self, column: str) -> str | None:
        """The value of one of the breakdown's columns."""
        return dict(self.values).get(column)


def period_of(day: str, period: Period) -> str:
    """'2025-03-14' → the day itself, its ISO week '2025-W11', its month '2025-03', or 'total'."""
    if period == "day":
        return day
    if period == "month":
        return day[:7]
    if period == "all":
        return "total"
    year, week, _ = dt.date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def suppress(count: int, min_count: int) -> tuple[int | None, bool]:
    """A count below the minimum (and above zero) is hidden and marked as such."""
    if 0 < count < min_count:
        return None, True
    return count, False


def day_range(start: dt.date | None, end: dt.date | None) -> tuple[str, str]:
    """Inclusive ISO bounds; open ends cover everything."""
    return (start.isoformat() if start else "0000-00-00", end.isoformat() if end else "9999-99-99")


def tallies(
    db: Database,
    breakdowns: tuple[Breakdown, ...],
    period: Period,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> list[dict[tuple[str, tuple[str | None, ...]], int]]:
    """Raw counts by (period, values) of every breakdown, in one pass over the table
    (`stats/tally.py`). Only finished consultations count (see FINISHED)."""
    reader = tally.Reader(tally.not_null_columns(db), COLUMN_SQL, answered)
    specs = [tally.Spec(b.columns, b.where) for b in breakdowns]
    labels: dict[str, str] = {}

    def label_of(day: str) -> str:
        """The period label of a day (computed once per day)."""
        return labels.get(day) or labels.setdefault(day, period_of(day, period))

    first, last = day_range(start, end)
    bounds = (first, last, (today or dt.date.today()).isoformat())
    return tally.tallies(db, specs, label_of, bounds, FINISHED, reader)


def counts(
    db: Database,
    breakdown: Breakdown,
    period: Period,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> dict[tuple[str, tuple[str | None, ...]], int]:
    """Raw counts of one breakdown by (period, values) (see `tallies`)."""
    return tallies(db, (breakdown,), period, start, end, today)[0]


def cells(
    db: Database,
    period: Period,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    breakdowns: tuple[Breakdown, ...] = BREAKDOWNS,
    today: dt.date | None = None,
) -> Iterator[Cell]:
    """Every cell of every breakdown, sorted by period then values, small ones suppressed."""
    every = tallies(db, breakdowns, period, start, end, today)
    for breakdown, found in zip(breakdowns, every, strict=True):
        for (label, values), count in sorted(found.items(), key=sort_key):
            shown, suppressed = suppress(count, min_count)
            yield Cell(
                label,
                breakdown.name,
                tuple(zip(breakdown.columns, values, strict=True)),
                shown,
                suppressed,
            )


def sort_key(item: tuple[tuple[str, tuple[str | None, ...]], int]) -> tuple[str, tuple[str, ...]]:
    """Period first, then the values (None sorts first)."""
    (label, values), _ = item
    return label, tuple(value or "" for value in values)


def totals(
    db: Database,
    breakdown: Breakdown,
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    today: dt.date | None = None,
) -> list[Cell]:
    """One breakdown over the whole range, largest first (suppressed cells last)."""
    found = list(cells(db, "all", start, end, min_count, (breakdown,), today))
    return sorted(found, key=lambda cell: (cell.suppressed, -(cell.count or 0)))


def first_and_last_day(
    db: Database, today: dt.date | None = None
) -> tuple[dt.date, dt.date] | None:
    """The days of the oldest and newest finished rows, or None when there is none."""
    first, last = db.execute(
        f"SELECT MIN(day), MAX(day) FROM {TABLE} WHERE {FINISHED}",  # noqa: S608
        [(today or dt.date.today()).isoformat()],
    ).fetchone()
    if first is None:
        return None
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
