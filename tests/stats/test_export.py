"""Aggregated counts on known data: exact numbers, periods, ranges, and small cells suppressed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

from stats.export import CSV_HEADER, export
from stats.query import cells, period_of
from stats.store import open_reader
from tests.stats.conftest import DAY, abandoned, record

Fill = Callable[[list], Path]


def known(fill: Fill) -> Path:
    """7 family/keep-silent and 3 police rows on 2025-03-12, 2 abandoned on 03-20, 1 in April."""
    rows = [record() for _ in range(7)]
    rows += [record(requester="police", consent=None, rule="fr-police-sans-requisition",
                    back_steps=1) for _ in range(3)]  # fmt: skip
    rows += [abandoned(day=dt.date(2025, 3, 20)) for _ in range(2)]
    rows += [record(day=dt.date(2025, 4, 1), channel="terminal")]
    return fill(rows)


def read_csv(path: Path, **options: object) -> list[dict[str, str]]:
    """Export as CSV and parse it back."""
    db = open_reader(path)
    out = io.StringIO()
    export(db, out, fmt="csv", **options)  # type: ignore[arg-type]
    db.close()
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def find(rows: list[dict[str, str]], period: str, breakdown: str, **values: str) -> dict[str, str]:
    """The one row of a period and breakdown with these values."""
    found = [
        row for row in rows
        if row["period"] == period and row["breakdown"] == breakdown
        and all(row[key] == value for key, value in values.items())
    ]  # fmt: skip
    assert len(found) == 1, (period, breakdown, values, found)
    return found[0]


def test_period_labels() -> None:
    """Days stay days; weeks are ISO weeks; months are YYYY-MM."""
    assert period_of("2025-03-12", "day") == "2025-03-12"
    assert period_of("2025-03-12", "week") == "2025-W11"
    assert period_of("2024-12-30", "week") == "2025-W01"
    assert period_of("2025-03-12", "month") == "2025-03"


def test_monthly_counts_are_exact_and_small_cells_are_marked(fill: Fill) -> None:
    """March: 12 consultations, 10 completed, 2 abandoned shown as <5; April's 1 is <5."""
    rows = read_csv(known(fill), period="month")
    assert list(rows[0]) == list(CSV_HEADER)
    assert find(rows, "2025-03", "consultations")["count"] == "12"
    assert find(rows, "2025-03", "outcome", outcome="completed")["count"] == "10"
    small = find(rows, "2025-03", "outcome", outcome="abandoned")
    assert (small["count"], small["suppressed"]) == ("<5", "true")
    assert find(rows, "2025-03", "requester", requester="family")["count"] == "7"
    assert find(rows, "2025-03", "requester", requester="police")["count"] == "<5"
    assert find(rows, "2025-03", "rule", rule="fr-famille-sans-accord")["kb_version"] == "95eb12cd"
    assert find(rows, "2025-04", "consultations")["suppressed"] == "true"
    situation = find(rows, "2025-03", "situation", requester="family", risk="none")
    assert (situation["verdict"], situation["count"]) == ("must_keep_silent", "7")
    assert find(rows, "2025-03", "stopped_at", stopped_at="requester")["count"] == "<5"


def test_min_count_one_shows_everything(fill: Fill) -> None:
    """With --min-count 1 nothing is suppressed and the small counts appear."""
    rows = read_csv(known(fill), period="month", min_count=1)
    assert find(rows, "2025-03", "outcome", outcome="abandoned")["count"] == "2"
    assert find(rows, "2025-03", "back_steps", back_steps="1")["count"] == "3"
    assert all(row["suppressed"] == "false" for row in rows)


def test_from_and_to_bound_the_days_inclusively(fill: Fill) -> None:
    """--from/--to keep only the days between them, both included."""
    rows = read_csv(known(fill), period="day", start=DAY, end=dt.date(2025, 3, 20), min_count=1)
    assert {row["period"] for row in rows} == {"2025-03-12", "2025-03-20"}
    weekly = read_csv(known(fill), period="week", start=dt.date(2025, 3, 13), min_count=1)
    assert {row["period"] for row in weekly} == {"2025-W12", "2025-W14"}


def test_json_marks_suppressed_cells_with_a_null_count(fill: Fill) -> None:
    """JSON: the header, then cells with only their dimensions; count null when suppressed."""
    db = open_reader(known(fill))
    out = io.StringIO()
    export(db, out, fmt="json", period="month", start=DAY)
    db.close()
    data = json.loads(out.getvalue())
    assert (data["period"], data["from"], data["to"], data["min_count"]) == (
        "month", "2025-03-12", None, 5
    )  # fmt: skip
    abandoned_cell = next(
        c for c in data["cells"] if c["breakdown"] == "outcome" and c["outcome"] == "abandoned"
    )
    assert abandoned_cell == {
        "period": "2025-03", "breakdown": "outcome", "outcome": "abandoned",
        "count": None, "suppressed": True,
    }  # fmt: skip
    total = next(c for c in data["cells"] if c["breakdown"] == "consultations")
    assert total == {"period": "2025-03", "breakdown": "consultations", "count": 12,
                     "suppressed": False}  # fmt: skip


def test_an_empty_file_exports_a_header_and_no_cell(fill: Fill) -> None:
    """No row: a CSV header alone, and an empty JSON list."""
    path = fill([])
    assert read_csv(path) == []
    db = open_reader(path)
    out = io.StringIO()
    export(db, out, fmt="json")
    db.close()
    assert json.loads(out.getvalue())["cells"] == []


def test_no_cell_below_the_minimum_is_ever_shown(fill: Fill) -> None:
    """Whatever the breakdown, a shown count is 0 or at least the minimum."""
    db = open_reader(known(fill))
    for period in ("day", "week", "month"):
        for cell in cells(db, period, min_count=3):
            assert cell.suppressed == (cell.count is None)
            assert cell.count is None or cell.count >= 3
    db.close()
