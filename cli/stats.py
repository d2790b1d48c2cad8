"""`chaisevide stats …`: summary, export, report, purge and Datasette metadata of the statistics.

Light at import (the parser is built for every command); the statistics modules load on use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from sqlite_utils import Database

EXIT_USAGE = 2
EXIT_NO_FILE = 1
EXIT_BROKEN = 3
FORMATS = ("csv", "json")
PERIODS = ("day", "week", "month")
REPORT_PATH = Path("rapport-statistiques.html")


class UsageError(Exception):
    """A bad option value; the message says what to write instead."""


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `stats` and its subcommands to the `chaisevide` parser."""
    stats = commands.add_parser("stats", help="statistiques anonymes : résumé, export, rapport")
    sub = stats.add_subparsers(dest="stats_command", metavar="COMMANDE")
    summary = sub.add_parser("summary", help="tableau lisible dans le terminal")
    add_min_count(summary)
    export = sub.add_parser("export", help="comptes agrégés en CSV ou JSON")
    export.add_argument("--format", default="csv", help="csv (défaut) ou json")
    add_range(export)
    export.add_argument("--out", type=Path, help="fichier à écrire (défaut : l'écran)")
    report = sub.add_parser("report", help="rapport HTML autonome, avec graphiques")
    add_range(report)
    report.add_argument("--out", type=Path, default=REPORT_PATH, help=f"défaut : {REPORT_PATH}")
    purge = sub.add_parser("purge", help="supprime les consultations d'avant une date")
    purge.add_argument("--before", required=True, metavar="AAAA-MM-JJ", help="date exclue")
    purge.add_argument("--dry-run", action="store_true", help="compte sans rien supprimer")
    metadata = sub.add_parser("metadata", help="métadonnées Datasette (metadata.yaml)")
    metadata.add_argument("--out", type=Path, help="fichier à écrire (défaut : l'écran)")


def add_min_count(parser: argparse.ArgumentParser) -> None:
    """--min-count N: cells below N are masked."""
    parser.add_argument(
        "--min-count", default="5", metavar="N", help="seuil de masquage (défaut 5)"
    )


def add_range(parser: argparse.ArgumentParser) -> None:
    """--period, --from, --to and --min-count."""
    parser.add_argument("--period", default="week", help="day, week (défaut) ou month")
    parser.add_argument("--from", dest="start", metavar="AAAA-MM-JJ", help="premier jour inclus")
    parser.add_argument("--to", dest="end", metavar="AAAA-MM-JJ", help="dernier jour inclus")
    add_min_count(parser)


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date, or a French message naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option} {value!r} : écrivez une date au format AAAA-MM-JJ, par exemple 2025-01-31."
        ) from None


def parse_choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    """One of the allowed words, or a French message listing them."""
    if value not in allowed:
        raise UsageError(f"{option} {value!r} : choisissez parmi {', '.join(allowed)}.")
    return value


def parse_min_count(value: str) -> int:
    """A whole number ≥ 1."""
    if not value.isdigit() or int(value) < 1:
        raise UsageError(
            f"--min-count {value!r} : indiquez un nombre entier supérieur ou égal à 1."
        )
    return int(value)


def parse_range(args: argparse.Namespace) -> tuple[dt.date | None, dt.date | None]:
    """--from and --to, checked to be in order."""
    start, end = parse_date(args.start, "--from"), parse_date(args.end, "--to")
    if start and end and start > end:
        raise UsageError("--from est après --to : inversez les deux dates.")
    return start, end


def broken_message(kind: str, path: Path) -> tuple[str, int]:
    """What to tell, and the exit status, when the statistics file cannot be read."""
    if kind == "missing":
        return (
            f"Aucune statistique : le fichier {path} n'existe pas encore. Il est créé à la "
            "première consultation (bot ou « chaisevide chat »). Vérifiez CHAISEVIDE_DB si "
            "vous attendiez un autre fichier.",
            EXIT_NO_FILE,
        )
    from stats.faults import french

    return f"Le fichier de statistiques {path} {french(kind)}", EXIT_BROKEN


def output(path: Path | None) -> AbstractContextManager[TextIO]:
    """The file to write, or stdout."""
    if path is None:
        return nullcontext(sys.stdout)
    return path.open("w", encoding="utf-8", newline="")


def run_stats(args: argparse.Namespace, db_path: Path) -> int:
    """Run one `stats` subcommand with French messages and exit statuses, never a traceback."""
    import sqlite3

    from stats.faults import StoreError, kind_of

    commands: dict[str, Callable[[argparse.Namespace, Path], int]] = {
        "summary": run_summary,
        "export": run_export,
        "report": run_report,
        "purge": run_purge,
        "metadata": run_metadata,
    }
    command = commands.get(args.stats_command or "")
    if command is None:
        print(
            "Précisez une commande : summary, export, report, purge ou metadata "
            "(chaisevide stats --help).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return command(args, db_path)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except (StoreError, sqlite3.Error) as error:
        message, status = broken_message(kind_of(error, db_path), db_path)
        print(message, file=sys.stderr)
        return status
    except BrokenPipeError:
        raise  # the reader stopped early (`| head`): main() handles it quietly
    except OSError as error:
        print(
            f"Impossible d'écrire le fichier demandé : {error.strerror or error}. "
            "Vérifiez le chemin de --out et ses droits.",
            file=sys.stderr,
        )
        return EXIT_BROKEN


def reading(db_path: Path) -> Database:
    """The statistics file, opened for reading."""
    from stats.store import open_reader

    return open_reader(db_path)


def run_summary(args: argparse.Namespace, db_path: Path) -> int:
    """Print the summary table."""
    from stats.summary import summary_text

    min_count = parse_min_count(args.min_count)
    db = reading(db_path)
    try:
        print(summary_text(db, min_count=min_count))
    finally:
        db.close()
    return 0


def run_export(args: argparse.Namespace, db_path: Path) -> int:
    """Write the aggregated counts as CSV or JSON."""
    from stats.export import export

    fmt = parse_choice(args.format, FORMATS, "--format")
    period = parse_choice(args.period, PERIODS, "--period")
    start, end = parse_range(args)
    min_count = parse_min_count(args.min_count)
    db = reading(db_path)
    try:
        with output(args.out) as out:
            export(db, out, fmt=fmt, period=period, start=start, end=end, min_count=min_count)  # type: ignore[arg-type]
    finally:
        db.close()
    if args.out:
        print(f"Export écrit dans {args.out}", file=sys.stderr)
    return 0


def run_report(args: argparse.Namespace, db_path: Path) -> int:
    """Write the self-contained HTML report."""
    from stats.report import report_html

    period = parse_choice(args.period, PERIODS, "--period")
    start, end = parse_range(args)
    min_count = parse_min_count(args.min_count)
    db = reading(db_path)
    try:
        html = report_html(db, period=period, start=start, end=end, min_count=min_count)  # type: ignore[arg-type]
    finally:
        db.close()
    args.out.write_text(html, encoding="utf-8")
    print(f"Rapport écrit dans {args.out} (il s'ouvre sans connexion et s'imprime).")
    return 0


def run_purge(args: argparse.Namespace, db_path: Path) -> int:
    """Delete the consultations of days before a date (or count them with --dry-run)."""
    from stats.store import open_store, purge

    before = parse_date(args.before, "--before") or dt.date.min  # argparse requires --before
    db = open_store(db_path, create=False)
    try:
        count = purge(db, before, dry_run=args.dry_run)
    finally:
        db.close()
    verb = "seraient supprimées" if args.dry_run else "supprimées"
    print(f"{count} consultation(s) d'avant le {before.isoformat()} {verb}.")
    return 0


def run_metadata(args: argparse.Namespace, db_path: Path) -> int:
    """Print (or write) the Datasette metadata, keyed by this file's database name."""
    from stats.metadata import metadata_yaml

    with output(args.out) as out:
        out.write(metadata_yaml(db_path.stem))
    return 0
