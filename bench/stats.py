"""Cost of statistics: recording per consultation (caller and writer), export and report on 1M rows.

Run: .venv/bin/python bench/stats.py [--rows 1000000] [--db FILE] [--runs 7]
(prints numbers; no asserts). Export and report run in a child process each, so that their peak
memory (max RSS) is their own. `chaisevide stats export` is also timed as a whole process beside
the sqlite3 shell's CSV export of the same table (`sqlite3 -csv -header FILE 'SELECT * FROM
consultations'`), in alternation; that needs the sqlite3 command (`apt-get install sqlite3`),
a bench-only need: without it that comparison is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0:1] = [str(ROOT)]  # not bench/: its bot.py would hide the bot package

from flows.consultation import Consultation  # noqa: E402
from flows.events import event_for, previous_of  # noqa: E402
from knowledge import contract, shape  # noqa: E402
from knowledge.loader import load_knowledge  # noqa: E402
from stats.record import ANSWER_COLUMNS, CHANNELS, REASONS, from_consultation  # noqa: E402
from stats.recorder import StatsRecorder, record_for  # noqa: E402
from stats.store import TABLE, open_store, write  # noqa: E402
from stats.writer import StatsWriter  # noqa: E402

FAMILY = {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none",
          "consent": "refused"}  # fmt: skip
COLUMNS = (
    *("day", "jurisdiction", "channel", "outcome", *ANSWER_COLUMNS, "rule", "verdict", "debated"),
    *("kb_version", "back_steps", "stopped_at", "feedback", "feedback_reason"),
)


def percentiles(samples: list[float]) -> str:
    """Median and p99 in microseconds."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered) * 1e6:7.1f} µs   p99 {p99 * 1e6:7.1f} µs"


def bench_recording(folder: Path, count: int = 3000) -> None:
    """What the handler pays (build the record, enqueue) and what the writer pays per row."""
    consultation = Consultation(("fr",), FAMILY)
    writer = StatsWriter(folder / "record.sqlite")
    recorder = StatsRecorder(writer)
    event = event_for("completed", consultation, "private")
    walking = Consultation(("fr",), {"profession": "ass"})
    previous = previous_of(walking)
    walking.answer("setting", "shelter")
    progress = event_for("progress", walking, "private", previous)
    terminal, seam, steps = [], [], []
    for _ in range(count):
        started = time.perf_counter()
        recorder.consultation(consultation, "terminal")
        terminal.append(time.perf_counter() - started)
        started = time.perf_counter()
        recorder(event)
        seam.append(time.perf_counter() - started)
        started = time.perf_counter()
        recorder(progress)
        steps.append(time.perf_counter() - started)
    writer.close(timeout=30)
    print(f"caller, a one-off row (consultation): {percentiles(terminal)}")
    print(f"caller, a verdict (event → enqueue) : {percentiles(seam)}")
    print(f"caller, a progress step (→ enqueue) : {percentiles(steps)}")
    bench_steps(folder)
    row = from_consultation(consultation, "terminal")
    db = open_store(folder / "writer.sqlite")
    single = []
    for _ in range(1000):
        started = time.perf_counter()
        write(db, [row])
        single.append(time.perf_counter() - started)
    print(f"writer, one row per transaction     : {percentiles(single)}")
    batches = []
    for _ in range(20):
        started = time.perf_counter()
        write(db, [row] * 500)
        batches.append((time.perf_counter() - started) / 500)
    print(f"writer, per row in batches of 500   : {percentiles(batches)}")
    db.close()


def bench_steps(folder: Path, count: int = 1000) -> None:
    """What the writer pays for a whole consultation recorded press by press: a first answer
    (insert), three more (update of the open row) and the verdict (open → completed), with a
    day's worth of other open and completed rows in the file."""
    day = dt.date(2025, 3, 12)
    path = ["profession", "setting", "requester", "risk", "consent"]
    records = []
    consultation = Consultation(("fr",))
    for question in path:
        previous = previous_of(consultation)
        consultation.answer(question, FAMILY[question])
        kind = "completed" if consultation.complete else "progress"
        records.append(record_for(event_for(kind, consultation, "private", previous), day))
    db = open_store(folder / "steps.sqlite")
    write(db, [record_for(event_for("completed", consultation, "private"), day)] * 5000)
    write(db, records[:2] * 500)  # many open rows of the same day
    whole = []
    for _ in range(count):
        started = time.perf_counter()
        write(db, records)
        whole.append(time.perf_counter() - started)
    print(f"writer, a consultation's 5 steps    : {percentiles(whole)}")
    db.close()


def random_path(law, rng: random.Random) -> dict[str, str]:
    """One complete path of the conversation, each answer drawn at random."""
    answers: dict[str, str] = {}
    while (next_id := shape.walk(law, answers)[1]) is not None:
        answers[next_id] = rng.choice(law.question(next_id).choice_ids)
    return answers


def synthetic(path: Path, rows: int) -> None:
    """Rows spread in day order over a year, random answers along real paths and real rules."""
    open_store(path).close()
    knowledge = load_knowledge()
    rng = random.Random(7)
    start = dt.date(2025, 1, 1)
    per_day = max(1, rows // 365)

    def generate():
        """One tuple per row, in COLUMNS order."""
        for index in range(rows):
            day = (start + dt.timedelta(days=min(index // per_day, 364))).isoformat()
            law = rng.choice(contract.JURISDICTIONS)
            answers = random_path(knowledge.get(law), rng)
            rule = rng.choice(knowledge.get(law).rules)
            left = rng.random() < 0.15
            feedback = None if left else rng.choice((None, None, None, "up", "down"))
            yield (
                day, law, rng.choice(CHANNELS),
                "abandoned" if left else "completed",
                *(None if left and q in ("risk", "consent") else answers.get(q)
                  for q in ANSWER_COLUMNS),
                None if left else rule.id, None if left else rule.verdict,
                int(rule.debated and not left), knowledge.version,
                rng.choice((0, 0, 0, 1, 2, 4)), "risk" if left else None, feedback,
                rng.choice(REASONS) if feedback == "down" else None,
            )  # fmt: skip

    connection = sqlite3.connect(path)
    marks = ", ".join("?" * len(COLUMNS))
    insert = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
    connection.executemany(insert, generate())
    connection.commit()
    connection.close()


CHILD = """
import io, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from stats.store import open_reader
db = open_reader(Path({path!r}))
started = time.perf_counter()
if {job!r} == "report":
    from stats.report import report_html
    size = len(report_html(db, period="week"))
else:
    from stats.export import export
    out = open("/dev/null", "w")
    size = export(db, out, fmt={job!r}, period="week")
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{elapsed:.2f}} {{peak:.0f}} {{size}}")
"""


def bench_reading(path: Path) -> None:
    """Export (CSV, JSON) and report, each timed in a child process with its peak memory."""
    for job in ("csv", "json", "report"):
        code = CHILD.format(root=str(ROOT), path=str(path), job=job)
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        elapsed, peak, size = result.stdout.split()
        what = "cells" if job != "report" else "bytes of HTML"
        print(f"{job:>6} over the file : {float(elapsed):6.2f} s   peak RSS {peak:>4} MB   "
              f"({size} {what})")  # fmt: skip


def bench_against_sqlite3(path: Path, runs: int) -> None:
    """Our CSV export and the sqlite3 shell's CSV export of the table, whole processes, each
    writing its file, in alternation; medians and their ratio."""
    shell = shutil.which("sqlite3")
    if shell is None:
        print("sqlite3 command not found (apt-get install sqlite3): comparison skipped")
        return
    ours = [str(Path(sys.executable).with_name("chaisevide")), "stats", "export", "--format", "csv"]
    env = {**os.environ, "CHAISEVIDE_DB": str(path)}
    times: dict[str, list[float]] = {"chaisevide stats export": [], "sqlite3 -csv": []}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.csv"
        commands = {
            "chaisevide stats export": [*ours, "--out", str(out)],
            "sqlite3 -csv": [shell, "-csv", "-header", "-cmd", f".output {out}", str(path),
                             f"SELECT * FROM {TABLE}"],  # noqa: S608 - our constant
        }  # fmt: skip
        for _ in range(runs):
            for name, command in commands.items():
                started = time.perf_counter()
                subprocess.run(command, env=env, capture_output=True, check=True)
                times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(found) for name, found in times.items()}
    for name, median in medians.items():
        print(f"{name:<24}: median {median:6.2f} s of {runs}")
    ratio = medians["chaisevide stats export"] / medians["sqlite3 -csv"]
    print(f"ratio (ours / sqlite3)  : {ratio:.2f}")


def main() -> None:
    """Run every measurement and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse (or keep) this synthetic file")
    parser.add_argument("--runs", type=int, default=7, help="runs of each export in alternation")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("Recording (one consultation)")
        bench_recording(Path(folder))
        path = args.db or Path(folder) / "synthetic.sqlite"
        if not path.exists():
            started = time.perf_counter()
            synthetic(path, args.rows)
            print(f"\nSynthetic file: {args.rows:,} rows in {time.perf_counter() - started:.1f} s, "
                  f"{path.stat().st_size / 2**20:.0f} MB")  # fmt: skip
        print(f"\nReading {args.rows:,} rows (period week)")
        bench_reading(path)
        print("\nExport against the sqlite3 shell's CSV export of the table")
        bench_against_sqlite3(path, args.runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nbench process peak RSS: {peak} MB")


if __name__ == "__main__":
    main()
