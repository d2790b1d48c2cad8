"""A readable table for the terminal (and for `/stats`): counts over recent days and in total."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlite_utils import Database

from stats.labels import Labels, default_labels
from stats.query import BREAKDOWNS, DEFAULT_MIN_COUNT, Breakdown, Cell, first_and_last_day, totals
from stats.record import ANSWER_COLUMNS

BY_NAME = {breakdown.name: breakdown for breakdown in BREAKDOWNS}
EMPTY = "Aucune consultation enregistrée pour l'instant."


@dataclass(frozen=True)
class Section:
    """A block of the table: a heading, the breakdown it shows, how many lines at most."""

    heading: str
    breakdown: str
    column: str
    limit: int = 20
    order: tuple[str, ...] = ()
    """Values in this order (the natural one) rather than largest first."""
    ids: bool = False
    """Show ids rather than labels (rule titles are too long for a table)."""


SECTIONS = (
    Section("Issue", "outcome", "outcome"),
    Section("Canal", "channel", "channel"),
    Section("Verdicts", "verdict", "verdict"),
    Section("Demandeurs les plus fréquents", "requester", "requester", 5),
    Section("Danger", "risk", "risk"),
    Section("Règles les plus utilisées", "rule", "rule", 5, ids=True),
    Section("Avis sur les réponses", "feedback", "feedback"),
    Section("Abandons : question en cours", "stopped_at", "stopped_at", order=ANSWER_COLUMNS),
    Section("Retours en arrière", "back_steps", "back_steps", order=("0", "1", "2", "3+")),
)
RULE_TOTAL = Breakdown("rule", ("rule",), "rule IS NOT NULL")
FEEDBACK_TOTAL = Breakdown("feedback", ("feedback",), "feedback IS NOT NULL")
"""In the summary, rules and feedback are counted across knowledge versions."""


@dataclass(frozen=True)
class Span:
    """A column of the table: a heading and the days it covers (None: since the first day)."""

    heading: str
    days: int | None


TERMINAL_SPANS = (Span("7 jours", 7), Span("30 jours", 30), Span("Total", None))
PHONE_SPANS = (Span("30 j", 30), Span("Total", None))


def shown(cell: Cell | None, min_count: int) -> str:
    """A count as printed: the number, '<N' when suppressed, '0' when absent."""
    if cell is None:
        return "0"
    return f"<{min_count}" if cell.suppressed else str(cell.count)


def plain(text: str) -> str:
    """The label without emoji, which terminals draw two columns wide and break alignment."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("So", "Mn", "Cf"))
    return " ".join(kept.split())


def fit(text: str, width: int) -> str:
    """Cut a label to the width, with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_text(
    db: Database,
    today: dt.date | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    width: int = 78,
    spans: tuple[Span, ...] = TERMINAL_SPANS,
    labels: Labels | None = None,
) -> str:
    """The whole summary as lines of text, suppressed cells shown as '<N'."""
    today = today or dt.date.today()
    bounds = first_and_last_day(db, today)
    if bounds is None:
        return EMPTY
    labels = labels or default_labels()
    starts = [today - dt.timedelta(days=span.days - 1) if span.days else None for span in spans]
    number = 9
    label_width = width - number * len(spans)
    masking = (
        f"Moins de {min_count} : nombre masqué (« <{min_count} »)."
        if min_count > 1
        else "Aucun nombre masqué (--min-count 1)."
    )
    lines = [
        f"Statistiques de Chaise vide — du {bounds[0].isoformat()} au {bounds[1].isoformat()}",
        masking,
        "",
        "".ljust(label_width) + "".join(span.heading.rjust(number) for span in spans),
    ]
    total = [
        {
            cell.values: cell
            for cell in totals(db, BY_NAME["consultations"], start, None, min_count, today)
        }
        for start in starts
    ]
    lines.append(row("Consultations", [t.get(()) for t in total], label_width, number, min_count))
    for section in SECTIONS:
        breakdown = {"rule": RULE_TOTAL, "feedback": FEEDBACK_TOTAL}.get(
            section.breakdown, BY_NAME[section.breakdown]
        )
        columns = [
            {
                cell.value(section.column): cell
                for cell in totals(db, breakdown, start, None, min_count, today)
            }
            for start in starts
        ]
        if not columns[-1]:
            continue
        lines += ["", section.heading]
        values = list(columns[-1])
        if section.order:
            values.sort(key=lambda v: section.order.index(v) if v in section.order else 99)
        for value in values[: section.limit]:
            name = value or "" if section.ids else labels.value(section.column, value)
            label = "  " + plain(name)
            found = [column.get(value) for column in columns]
            lines.append(row(label, found, label_width, number, min_count))
    return "\n".join(lines)


def row(label: str, found: list[Cell | None], label_width: int, number: int, min_count: int) -> str:
    """One line: the label cut to its width, then one right-aligned count per column."""
    counts = "".join(shown(cell, min_count).rjust(number) for cell in found)
    return fit(label, label_width).ljust(label_width) + counts
