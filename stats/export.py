"""Aggregated counts as CSV or JSON, streamed cell by cell; small cells are suppressed and marked.

CSV: one line per cell, columns `period, breakdown, <every dimension>, count, suppressed`; a
suppressed cell has `count` = `<N` (N the minimum count) and `suppressed` = `true`; dimensions
that are not part of the breakdown are empty.
JSON: `{"period": …, "from": …, "to": …, "min_count": N, "cells": [...]}`, each cell with only its
breakdown's dimensions, `count` null and `suppressed` true when suppressed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from typing import TextIO

from sqlite_utils import Database

from stats.query import DEFAULT_MIN_COUNT, DIMENSIONS, Cell, Period, cells

FORMATS = ("csv", "json")
CSV_HEADER = ("period", "breakdown", *DIMENSIONS, "count", "suppressed")


def write_csv(found: Iterable[Cell], out: TextIO, min_count: int) -> int:
    """Write the cells as CSV lines; returns how many."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    blank = [""] * len(DIMENSIONS)
    place = {column: index for index, column in enumerate(DIMENSIONS)}
    hidden = f"<{min_count}"
    written = 0
    for cell in found:
        dimensions = blank.copy()
        for column, value in cell.values:
            dimensions[place[column]] = value or ""
        suppressed = cell.suppressed
        writer.writerow(
            (
                cell.period,
                cell.breakdown,
                *dimensions,
                hidden if suppressed else str(cell.count),
                "true" if suppressed else "false",
            )
        )
        written += 1
    return written


def cell_json(cell: Cell) -> dict[str, object]:
    """A cell as a JSON object with only its breakdown's dimensions."""
    return {
        "period": cell.period,
        "breakdown": cell.breakdown,
        **dict(cell.values),
        "count": cell.count,
        "suppressed": cell.suppressed,
    }


def write_json(
    found: Iterable[Cell],
    out: TextIO,
    *,
    period: str,
    start: dt.date | None,
    end: dt.date | None,
    min_count: int,
) -> int:
    """Write one JSON object whose `cells` list is streamed; returns how many cells."""
    head = {
        "period": period,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "min_count": min_count,
    }
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "cells": [')
    written = 0
    for cell in found:
        out.write(
            ("\n  " if written == 0 else ",\n  ") + json.dumps(cell_json(cell), ensure_ascii=False)
        )
        written += 1
    out.write("\n]}\n" if written else "]}\n")
    return written


def export(
    db: Database,
    out: TextIO,
    *,
    fmt: str = "csv",
    period: Period = "week",
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    today: dt.date | None = None,
) -> int:
    """Write every breakdown's cells for the range in the format asked; returns how many cells."""
    found = cells(db, period, start, end, min_count, today=today)
    if fmt == "json":
        return write_json(found, out, period=period, start=start, end=end, min_count=min_count)
    return write_csv(found, out, min_count)
