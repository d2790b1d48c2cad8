"""The HTML report, the terminal summary, the admin bundle: exact counts, masks, no outside link."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

from stats.bundle import admin_bundle
from stats.export import export
from stats.report import report_html
from stats.store import open_reader
from stats.summary import EMPTY, summary_text
from tests.stats.conftest import DAY, abandoned, record

Fill = Callable[[list], Path]


def sample(fill: Fill) -> Path:
    """6 family rows (2 👍, 1 👎 unclear), 2 police rows, 1 abandoned, all on DAY."""
    rows = [record() for _ in range(6)]
    rows[0:3] = [record(feedback="up"), record(feedback="up"),
                 record(feedback="down", feedback_reason="unclear")]  # fmt: skip
    rows += [record(requester="police", consent=None, rule="fr-police-sans-requisition")] * 2
    rows += [abandoned()]
    return fill(rows)


def test_the_report_is_one_self_contained_printable_file(fill: Fill) -> None:
    """No script, no outside resource; every chart is there; counts and masks as expected."""
    db = open_reader(sample(fill))
    html = report_html(db, period="day", min_count=2, today=DAY)
    db.close()
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@media print" in html
    for title in (
        "Consultations dans le temps",
        "Verdicts selon le demandeur",
        "Danger signalé",
        "Règles utilisées",
        "Avis par règle",
        "Où les consultations sont abandonnées",
    ):
        assert title in html  # fmt: skip
    assert "<li><b>9</b>Consultations</li>" in html
    assert "<li><b>&lt;2</b>abandonnées</li>" in html  # 1 abandoned, masked
    assert "<li><b>2</b>👍</li>" in html
    assert "fr-famille-sans-accord" in html
    assert "url(#masked)" in html


def test_the_report_of_an_empty_file_says_so(fill: Fill) -> None:
    """No consultation: the charts say there is nothing, no error."""
    db = open_reader(fill([]))
    html = report_html(db, today=DAY)
    db.close()
    assert "Aucune consultation sur la période." in html


def test_the_summary_table_counts_recent_days_and_total(fill: Fill) -> None:
    """Columns 7 days, 30 days, total; suppressed counts as <N; emoji stripped for alignment."""
    db = open_reader(sample(fill))
    text = summary_text(db, today=DAY + dt.timedelta(days=10), min_count=2)
    db.close()
    lines = text.splitlines()
    assert lines[0] == "Statistiques de Chaise vide — du 2025-03-12 au 2025-03-12"
    consultations = next(line for line in lines if line.startswith("Consultations"))
    assert consultations.split()[1:] == ["0", "9", "9"]
    abandoned_line = next(line for line in lines if "Abandonnées" in line)
    assert abandoned_line.split()[-2:] == ["<2", "<2"]
    assert any(line.strip().startswith("fr-famille-sans-accord") for line in lines)
    assert "👍" not in text
    assert all(len(line) <= 78 for line in lines[3:])


def test_the_summary_of_an_empty_file_says_so(fill: Fill) -> None:
    """No consultation yet: one sentence."""
    db = open_reader(fill([]))
    assert summary_text(db) == EMPTY
    db.close()


def test_the_admin_bundle_has_a_summary_a_csv_and_a_png(fill: Fill) -> None:
    """What /stats sends: a narrow summary, the weekly CSV, a PNG chart with a caption."""
    bundle = admin_bundle(sample(fill), today=DAY)
    assert "30 j" in bundle.summary
    assert bundle.csv.startswith(b"period,breakdown,")
    assert b"2025-W11,consultations," in bundle.csv
    assert bundle.chart.startswith(b"\x89PNG\r\n\x1a\n")
    assert "masqué" in bundle.caption


def under_way(fill: Fill) -> Path:
    """6 completed rows and 6 open ones (stopped at the danger question), all on DAY."""
    opened = abandoned(outcome="open", requester="family", stopped_at="risk")
    return fill([record() for _ in range(6)] + [opened] * 6)


def test_consultations_under_way_today_are_left_out_of_every_reader(fill: Fill) -> None:
    """On their day, open rows are nowhere: export, summary, report, /stats count finished
    consultations only; the next day, those still open are counted as abandoned."""
    path = under_way(fill)
    later = DAY + dt.timedelta(days=1)
    for today, total, left in ((DAY, 6, None), (later, 12, 6)):
        db = open_reader(path)
        out = io.StringIO()
        export(db, out, period="day", min_count=1, today=today)
        summary = summary_text(db, today=today, min_count=1)
        html = report_html(db, today=today, min_count=1)
        db.close()
        cells = {
            (row["breakdown"], row["outcome"] or row["stopped_at"]): row["count"]
            for row in csv.DictReader(io.StringIO(out.getvalue()))
        }
        assert cells[("consultations", "")] == str(total)
        assert ("outcome", "open") not in cells
        assert cells.get(("outcome", "abandoned")) == (str(left) if left else None)
        assert cells.get(("stopped_at", "risk")) == (str(left) if left else None)
        consultations = next(line for line in summary.splitlines() if "Consultations" in line)
        assert consultations.split()[-1] == str(total)
        assert f"<li><b>{total}</b>Consultations</li>" in html
        assert "open" not in html
        bundle = admin_bundle(path, today=today, min_count=1)
        assert f"{total}".encode() in bundle.csv
        assert b"open" not in bundle.csv


def test_a_file_with_only_consultations_under_way_reads_as_empty(fill: Fill) -> None:
    """Nothing finished yet: the summary says there is nothing to count."""
    opened = abandoned(outcome="open")
    db = open_reader(fill([opened]))
    assert summary_text(db, today=DAY) == EMPTY
    assert "Aucune consultation sur la période." in report_html(db, today=DAY)
    db.close()
