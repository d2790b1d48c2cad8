"""`chaisevide stats …` through the real console script: recorded chats, then read them back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from stats.store import open_store, write
from tests.stats.conftest import abandoned, record

FR_ONLY = {"CHAISEVIDE_JURISDICTIONS": "fr"}
FAMILY = "1\n2\n6\n7\n2\n"  # ass, shelter, family, no danger, refused


def database(tmp_path: Path) -> Path:
    """The file run_cli points CHAISEVIDE_DB at."""
    return tmp_path / "stats.sqlite"


def seed(tmp_path: Path) -> Path:
    """6 completed rows in January, 2 abandoned in February (known counts)."""
    db = open_store(database(tmp_path))
    write(db, [record(day=dt.date(2025, 1, 15)) for _ in range(6)])
    write(db, [abandoned(day=dt.date(2025, 2, 3)) for _ in range(2)])
    db.close()
    return database(tmp_path)


def test_chat_records_then_summary_shows_it(run_cli) -> None:
    """Two terminal consultations (one finished, one left) appear in the summary."""
    chat = run_cli("chat", stdin=FAMILY + "n\n1\nq\n", env=FR_ONLY)
    assert chat.returncode == 0, chat.stderr
    result = run_cli("stats", "summary", "--min-count", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert next(line for line in lines if line.startswith("Consultations")).split()[1:] == ["2"] * 3
    assert any("Terminal" in line for line in lines)
    assert any(line.strip().startswith("fr-famille-sans-accord") for line in lines)


def test_ask_is_never_recorded(run_cli, tmp_path: Path) -> None:
    """`ask` is a one-shot query for scripts: no statistics file is even created."""
    result = run_cli("ask", "risk=peril", "--json", env=FR_ONLY)
    assert result.returncode == 0, result.stderr
    assert not database(tmp_path).exists()


def test_export_csv_to_stdout_with_suppression(run_cli, tmp_path: Path) -> None:
    """Monthly CSV: January's 6 shown, February's 2 abandoned as <5."""
    seed(tmp_path)
    result = run_cli("stats", "export", "--period", "month")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    total = {row["period"]: row["count"] for row in rows if row["breakdown"] == "consultations"}
    assert total == {"2025-01": "6", "2025-02": "<5"}


def test_export_json_to_a_file_within_dates(run_cli, tmp_path: Path) -> None:
    """--format json --from --to --min-count --out writes the file and says where."""
    seed(tmp_path)
    out = tmp_path / "export.json"
    options = ["--format", "json", "--period", "day", "--from", "2025-02-01", "--to", "2025-02-28"]
    result = run_cli("stats", "export", *options, "--min-count", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    total = [c for c in data["cells"] if c["breakdown"] == "consultations"]
    assert total == [{"period": "2025-02-03", "breakdown": "consultations", "count": 2,
                      "suppressed": False}]  # fmt: skip


def test_report_writes_one_html_file(run_cli, tmp_path: Path) -> None:
    """The report is written where asked and mentions its period."""
    seed(tmp_path)
    out = tmp_path / "rapport.html"
    result = run_cli("stats", "report", "--out", str(out), "--period", "month")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Du 2025-01-15 au 2025-02-03" in html


def test_purge_deletes_before_the_date(run_cli, tmp_path: Path) -> None:
    """A dry run counts, the purge deletes, the summary shows what is left."""
    seed(tmp_path)
    dry = run_cli("stats", "purge", "--before", "2025-02-01", "--dry-run")
    assert dry.returncode == 0
    assert "6 consultation(s) d'avant le 2025-02-01 seraient supprimées" in dry.stdout
    done = run_cli("stats", "purge", "--before", "2025-02-01")
    assert "6 consultation(s)" in done.stdout
    summary = run_cli("stats", "summary", "--min-count", "1")
    assert "du 2025-02-03 au 2025-02-03" in summary.stdout


def test_bad_options_get_a_french_message_and_status_2(run_cli, tmp_path: Path) -> None:
    """Bad dates, formats, periods, counts: one French line naming the fix, no traceback."""
    seed(tmp_path)
    cases = [
        (("export", "--from", "31/01/2025"), "AAAA-MM-JJ"),
        (("export", "--format", "xml"), "csv, json"),
        (("export", "--period", "year"), "day, week, month"),
        (("export", "--min-count", "0"), "supérieur ou égal à 1"),
        (("report", "--from", "2025-03-01", "--to", "2025-01-01"), "inversez"),
        (("purge", "--before", "demain"), "AAAA-MM-JJ"),
    ]
    for args, hint in cases:
        result = run_cli("stats", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert hint in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""


def test_missing_and_corrupt_files_are_explained(run_cli, tmp_path: Path) -> None:
    """No file: status 1 and how it gets created; garbage: status 3 and what to do."""
    missing = run_cli("stats", "summary")
    assert missing.returncode == 1
    assert "n'existe pas encore" in missing.stderr
    assert not database(tmp_path).exists()
    database(tmp_path).write_bytes(b"not a database at all " * 100)
    for command in (("summary",), ("export",), ("report", "--out", str(tmp_path / "r.html")),
                    ("purge", "--before", "2025-01-01")):  # fmt: skip
        broken = run_cli("stats", *command)
        assert broken.returncode == 3, command
        assert "n'est pas une base SQLite lisible" in broken.stderr
        assert "Traceback" not in broken.stderr


def test_metadata_is_keyed_by_the_file_name(run_cli) -> None:
    """`stats metadata` prints Datasette metadata for stats.sqlite."""
    result = run_cli("stats", "metadata")
    assert result.returncode == 0
    assert "# datasette stats.sqlite -m metadata.yaml" in result.stdout
    assert "\n  stats:\n" in result.stdout


def test_a_file_whose_folder_is_missing_is_named_as_such(run_cli, tmp_path: Path) -> None:
    """CHAISEVIDE_DB in a folder that does not exist: said plainly, in French, status 3."""
    path = tmp_path / "no-such-folder" / "statistiques.sqlite"
    result = run_cli("stats", "summary", env={"CHAISEVIDE_DB": str(path)})
    assert result.returncode == 3, result.stderr  # a configuration to fix
    assert "est dans un dossier qui n'existe pas et ne peut pas être créé" in result.stderr
    assert "Traceback" not in result.stderr
