"""One self-contained HTML report with charts: opens offline, prints, masks small counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from sqlite_utils import Database

from knowledge.models import VERDICTS
from stats.charts import DEFS, PALETTE, Bar, Series, bar_table, number, time_svg
from stats.labels import Labels, default_labels
from stats.query import (
    ABANDONED,
    DEFAULT_MIN_COUNT,
    Breakdown,
    Period,
    counts,
    first_and_last_day,
    period_of,
    suppress,
)
from stats.record import ANSWER_COLUMNS

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta,.legend,.empty,caption{color:#555;font-size:.9rem}caption{text-align:left;caption-side:bottom}
.figures{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.figures li{border:1px solid #ccc;border-radius:6px;padding:.4rem .8rem}
.figures b{display:block;font-size:1.3rem}
table.bars{border-collapse:collapse;width:100%}table.bars th,table.bars td{padding:2px 6px;
vertical-align:middle}table.bars th[scope=row]{text-align:left;font-weight:normal;width:40%}
table.bars thead th{font-size:.8rem;color:#555;font-weight:normal}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;width:4.5rem}
svg.bar{width:100%;height:14px;display:block}svg.time{width:100%;height:auto}
svg.time text{font-size:11px;fill:#555}.key{white-space:nowrap;margin-right:.8rem}
section{break-inside:avoid;page-break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}}
"""
OUTCOMES = (Series("Terminées", PALETTE[0]), Series("Abandonnées", PALETTE[1]))
VERDICT_COLOURS = dict(zip(VERDICTS, (PALETTE[0], PALETTE[2], PALETTE[1], PALETTE[3]), strict=True))
FEEDBACK = (Series("👍 Utile", PALETTE[2]), Series("👎 Pas utile", PALETTE[3]))
ONE = (Series("Consultations", PALETTE[0]),)


def grid(
    db: Database,
    columns: tuple[str, ...],
    where: str,
    start: dt.date | None,
    end: dt.date | None,
    min_count: int,
    today: dt.date,
    period: Period = "all",
) -> dict[tuple[str | None, ...], int | None]:
    """Counts keyed by (period label?, values…), masked below the minimum."""
    found = counts(db, Breakdown("report", columns, where), period, start, end, today)
    keyed = {
        ((label,) if period != "all" else ()) + values: c for (label, values), c in found.items()
    }
    return {key: suppress(count, min_count)[0] for key, count in keyed.items()}


def period_labels(first: dt.date, last: dt.date, period: Period) -> list[str]:
    """Every period label from the first day to the last, empty periods included."""
    labels: dict[str, None] = {}
    day = first
    while day <= last:
        labels[period_of(day.isoformat(), period)] = None
        day += dt.timedelta(days=1)
    return list(labels)


def stacked(
    cells: dict[tuple[str | None, ...], int | None],
    keys: tuple[str, ...],
    label: Callable[[str | None], str],
) -> list[Bar]:
    """Bars by first value, one count per key of the second value, largest first."""
    rows: dict[str | None, dict[str | None, int | None]] = {}
    for (row, part), count in cells.items():
        rows.setdefault(row, {})[part] = count
    bars = [
        Bar(label(row), tuple(parts.get(key, 0) for key in keys)) for row, parts in rows.items()
    ]
    return sorted(bars, key=lambda bar: (-bar.visible, bar.label))


def single(
    cells: dict[tuple[str | None, ...], int | None], label: Callable[[str | None], str]
) -> list[Bar]:
    """One bar per value, largest first."""
    bars = [Bar(label(key[0]), (count,)) for key, count in cells.items()]
    return sorted(bars, key=lambda bar: (bar.counts[0] is None, -(bar.counts[0] or 0), bar.label))


def section(title: str, body: str, note: str = "") -> str:
    """A titled block that is not split across printed pages."""
    extra = f'<p class="meta">{escape(note)}</p>' if note else ""
    return f"<section><h2>{escape(title)}</h2>{extra}{body}</section>"


def report_html(
    db: Database,
    *,
    period: Period = "week",
    start: dt.date | None = None,
    end: dt.date | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    labels: Labels | None = None,
    today: dt.date | None = None,
) -> str:
    """The whole report as one HTML document."""
    labels = labels or default_labels()
    today = today or dt.date.today()
    bounds = first_and_last_day(db, today)
    first = start or (bounds[0] if bounds else today)
    last = end or (bounds[1] if bounds else first)
    args = (start, end, min_count, today)
    empty = "Aucune consultation sur la période."
    rule_label = lambda rule: f"{labels.rule(rule)} ({rule})"  # noqa: E731
    over_time = grid(db, ("outcome",), "", *args, period=period)
    time_bars = [
        Bar(
            label,
            tuple(
                over_time.get((label, o)) if (label, o) in over_time else 0
                for o in ("completed", "abandoned")
            ),
        )
        for label in period_labels(first, last, period)
    ]
    verdict_series = tuple(Series(labels.value("verdict", v), VERDICT_COLOURS[v]) for v in VERDICTS)
    sections = [
        section(
            "Consultations dans le temps",
            time_svg(time_bars, OUTCOMES, min_count, "Consultations par période"),
            {"day": "Par jour.", "week": "Par semaine (ISO).", "month": "Par mois."}[period],
        ),
        section(
            "Verdicts selon le demandeur",
            bar_table(
                stacked(
                    grid(db, ("requester", "verdict"), "verdict IS NOT NULL", *args),
                    VERDICTS,
                    lambda v: labels.value("requester", v),
                ),
                verdict_series,
                min_count,
                "Consultations terminées, par demandeur.",
                empty,
            ),
        ),
        section(
            "Danger signalé",
            bar_table(
                single(
                    grid(db, ("risk",), "risk IS NOT NULL", *args),
                    lambda v: labels.value("risk", v),
                ),
                ONE,
                min_count,
                "Réponse à la question sur le danger.",
                empty,
            ),
        ),
        section(
            "Règles utilisées",
            bar_table(
                single(grid(db, ("rule",), "rule IS NOT NULL", *args), rule_label),
                ONE,
                min_count,
                "Toutes versions de la base de connaissances.",
                empty,
            ),
        ),
        section(
            "Avis par règle",
            bar_table(
                stacked(
                    grid(db, ("rule", "feedback"), "feedback IS NOT NULL", *args),
                    ("up", "down"),
                    rule_label,
                ),
                FEEDBACK,
                min_count,
                "👍 / 👎 donnés après le verdict (Telegram).",
                "Aucun avis sur la période.",
            )
            + bar_table(
                single(
                    grid(db, ("feedback_reason",), "feedback_reason IS NOT NULL", *args),
                    lambda v: labels.value("feedback_reason", v),
                ),
                ONE,
                min_count,
                "Raisons données après un 👎.",
                "",
            ),
            "Pour relier un avis à la formulation exacte, l'export donne aussi la version.",
        ),
        section(
            "Où les consultations sont abandonnées",
            bar_table(
                sorted(
                    single(
                        grid(db, ("stopped_at",), ABANDONED, *args),
                        lambda v: labels.value("stopped_at", v),
                    ),
                    key=lambda bar: question_rank(bar.label, labels),
                ),
                ONE,
                min_count,
                "Question posée au moment de l'abandon.",
                "Aucun abandon.",
            ),
        ),
    ]
    return page(db, first, last, min_count, today, sections, args)


def question_rank(label: str, labels: Labels) -> int:
    """Order abandonment bars as the questions are asked."""
    names = [labels.question(question) for question in ANSWER_COLUMNS]
    return names.index(label) if label in names else len(names)


def page(
    db: Database,
    first: dt.date,
    last: dt.date,
    min_count: int,
    today: dt.date,
    sections: list[str],
    args: tuple[dt.date | None, dt.date | None, int, dt.date],
) -> str:
    """The document around the sections: title, period, key figures, how to read it."""
    outcome = grid(db, ("outcome",), "", *args)
    total = grid(db, (), "", *args).get((), 0)
    went_back = grid(db, (), "back_steps > 0", *args).get((), 0)
    feedback = grid(db, ("feedback",), "feedback IS NOT NULL", *args)
    figures = [
        ("Consultations", total),
        ("terminées", outcome.get(("completed",), 0)),
        ("abandonnées", outcome.get(("abandoned",), 0)),
        ("avec un retour en arrière", went_back),
        ("👍", feedback.get(("up",), 0)),
        ("👎", feedback.get(("down",), 0)),
    ]
    items = "".join(f"<li><b>{number(v, min_count)}</b>{escape(k)}</li>" for k, v in figures)
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Statistiques Chaise vide — {first.isoformat()} au {last.isoformat()}</title>
<style>{STYLE}</style></head><body>{DEFS}
<h1>Statistiques de Chaise vide</h1>
<p class="meta">Du {first.isoformat()} au {last.isoformat()} · rapport du {today.isoformat()}.
Aucune donnée ne permet de reconnaître une personne : ni identifiant, ni nom, ni texte, ni heure.
Les nombres inférieurs à {min_count} sont masqués (« &lt;{min_count} », hachures).</p>
<ul class="figures">{items}</ul>
{"".join(sections)}
<p class="meta">Produit par « chaisevide stats report ». Détails : docs/stats.md.</p>
</body></html>
"""
