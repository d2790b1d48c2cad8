"""What `/stats` sends an admin: the summary, the CSV export and a weekly chart (no Telegram)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from stats.export import export
from stats.faults import MISSING, StoreError, french, kind_of
from stats.png import bar_chart_png
from stats.query import DEFAULT_MIN_COUNT, Breakdown, counts, period_of, suppress
from stats.store import open_reader
from stats.summary import PHONE_SPANS, summary_text

WEEKS = 12
log = logging.getLogger("stats")
NO_STATS = "Aucune statistique pour l'instant : le fichier est créé à la première consultation."
UNREADABLE = (
    "Le fichier de statistiques {reason} Les consultations continuent. Sur le serveur, "
    "« chaisevide stats summary » dit quoi faire."
)
"""What an admin reads instead of the summary (Telegram's `/stats`, Matrix's `!stats`)."""
SUMMARY_LIMIT = 3000
"""Characters of summary sent, so that once escaped it stays under Telegram's 4096."""
CAPTION = (
    "Consultations par semaine ({first} à {last}, numéros de semaine ISO) : en bleu terminées, "
    "en orange abandonnées ; hachures : moins de {min_count}, nombre masqué."
)


@dataclass(frozen=True)
class Bundle:
    """The three things an admin receives."""

    summary: str
    csv: bytes
    chart: bytes
    caption: str


def weekly_bars(
    db: object, today: dt.date, min_count: int, weeks: int = WEEKS
) -> list[tuple[str, tuple[int | None, int | None]]]:
    """The last weeks' completed and abandoned counts, masked below the minimum."""
    monday = today - dt.timedelta(days=today.weekday())
    start = monday - dt.timedelta(weeks=weeks - 1)
    chart = Breakdown("chart", ("outcome",))
    found = counts(db, chart, "week", start, today, today)  # type: ignore[arg-type]
    bars = []
    for index in range(weeks):
        label = period_of((start + dt.timedelta(weeks=index)).isoformat(), "week")
        pair = tuple(
            suppress(found.get((label, (outcome,)), 0), min_count)[0]
            for outcome in ("completed", "abandoned")
        )
        bars.append((label.split("-W")[1], pair))
    return bars  # type: ignore[return-value]


def admin_bundle(
    db_path: Path, today: dt.date | None = None, min_count: int = DEFAULT_MIN_COUNT
) -> Bundle:
    """Read the file once and build the summary, the CSV by week and the chart."""
    today = today or dt.date.today()
    db = open_reader(db_path)
    try:
        summary = summary_text(db, today, min_count, width=40, spans=PHONE_SPANS)
        out = io.StringIO()
        export(db, out, fmt="csv", period="week", min_count=min_count, today=today)
        bars = weekly_bars(db, today, min_count)
    finally:
        db.close()
    first = today - dt.timedelta(days=today.weekday(), weeks=WEEKS - 1)
    caption = CAPTION.format(first=first.isoformat(), last=today.isoformat(), min_count=min_count)
    return Bundle(summary, out.getvalue().encode("utf-8"), bar_chart_png(bars, min_count), caption)


def read_bundle(db_path: Path, today: dt.date) -> Bundle | str:
    """The admin's bundle, or the French line saying why there is none (the fault logged by its
    kind only): what `/stats` and `!stats` both answer."""
    try:
        return admin_bundle(db_path, today)
    except (StoreError, sqlite3.Error) as error:
        kind = kind_of(error, db_path)
        log.warning("step=stats error=%s kind=%s", type(error).__name__, kind)
        return NO_STATS if kind == MISSING else UNREADABLE.format(reason=french(kind))
