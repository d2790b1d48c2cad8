"""Speed of the Matrix adapter beside the Telegram one: simulated workers, complete consultations.

Run: .venv/bin/python bench/matrix.py [--users 50] [--consultations 2]
(prints numbers only; nothing is asserted; needs the dev dependencies: matrix-synapse)

Matrix: a real Synapse on 127.0.0.1 (the tests' harness), `chaisevide matrix` as its own process,
and `--users` workers on real nio clients, each in its own end-to-end encrypted direct chat,
answering every question by typing its number; a latency is the time from sending an answer to
receiving the bot's next question (or verdict), decrypted — the whole round trip through the
homeserver. Telegram: bench/bot.py with the same number of workers on the fake Bot API (a
latency there is the handling of one press, its Bot API calls included).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(ROOT), *(entry for entry in sys.path if Path(entry or ".").resolve() != HERE)]

from tests.matrix.bot_process import BotProcess  # noqa: E402
from tests.matrix.conversation import body, from_bot, number_of, question_shown  # noqa: E402
from tests.matrix.people import Person  # noqa: E402
from tests.matrix.synapse import Synapse  # noqa: E402

PATHS = [
    {"jurisdiction": "fr", "profession": "ass", "setting": "shelter", "requester": "family",
     "risk": "none", "consent": "refused"},
    {"jurisdiction": "fr", "profession": "health", "setting": "hospital",
     "requester": "police", "risk": "none", "consent": "not_asked"},
    {"jurisdiction": "fr", "profession": "other", "setting": "private",
     "requester": "requisition", "risk": "none"},
]  # fmt: skip
WAIT = 120.0
MEMORY = Path("/dev/shm")  # noqa: S108 - mkdtemp makes a private folder in it
"""Synapse's SQLite file in memory when the system has it: the homeserver's fsyncs are not the
bot's cost (the homeserver is a test fixture here, not what is measured)."""


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    """A percentile, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def one_worker(
    homeserver: Synapse, bot: BotProcess, folder: Path, index: int, rounds: int, out: list[float]
) -> None:
    """One worker: a direct chat with the bot, then `rounds` consultations typed to the verdict."""
    person = Person(homeserver, f"bench{index}-{secrets.token_hex(2)}", folder / f"w{index}")
    await person.start()
    try:
        room = await person.create_dm(bot.user_id)
        shown = await person.wait_for(room, from_bot(bot.user_id), timeout=WAIT)
        for round_number in range(rounds):
            path = PATHS[(index + round_number) % len(PATHS)]
            while (question := question_shown(body(shown))) is not None:
                choice = question.choice(path[question.id])
                if choice is None:
                    raise ValueError(f"no choice {path[question.id]} for {question.id}")
                started = time.perf_counter()
                await person.send_text(room, str(number_of(body(shown), choice.label)))
                shown = await person.wait_for(room, from_bot(bot.user_id), timeout=WAIT)
                out.append(time.perf_counter() - started)
            await person.send_text(room, "n")  # a new consultation from the verdict
            shown = await person.wait_for(room, from_bot(bot.user_id), timeout=WAIT)
    finally:
        await person.stop()


async def bench_matrix(users: int, rounds: int) -> tuple[float, list[float], dict[str, float]]:
    """Consultations per second, answer-to-next-question latencies over Matrix, and the CPU
    seconds each side used (the bot, Synapse, the simulated workers) over the run."""
    folder = Path(
        tempfile.mkdtemp(prefix="chaisevide-bench-", dir=MEMORY if MEMORY.is_dir() else None)
    )
    with Synapse(folder / "synapse") as homeserver:
        (folder / "bot").mkdir()
        bot = BotProcess(homeserver, folder / "bot")
        bot.start()
        latencies: list[float] = []
        pids = {"bot": bot.process.pid, "synapse": homeserver.pid}  # type: ignore[union-attr]
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        before["workers"] = time.process_time()
        try:
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    one_worker(homeserver, bot, folder, index, rounds, latencies)
                    for index in range(users)
                )
            )
            elapsed = time.perf_counter() - started
            cpu = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
            cpu["workers"] = time.process_time() - before["workers"]
            cpu["wall"] = elapsed
        finally:
            bot.stop()
    return users * rounds / elapsed, latencies, cpu


def bench_telegram(users: int, rounds: int) -> str:
    """bench/bot.py's line for the bot with the same number of workers (one run)."""
    result = subprocess.run(
        [
            *(sys.executable, str(HERE / "bot.py"), "--users", str(users)),
            *("--consultations", str(rounds), "--repeats", "1"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return next(line for line in result.stdout.splitlines() if line.startswith("bot "))


def main() -> None:
    """Both adapters, one after the other; the numbers side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated workers at once")
    parser.add_argument("--consultations", type=int, default=2, help="per worker")
    arguments = parser.parse_args()
    rate, latencies, cpu = asyncio.run(bench_matrix(arguments.users, arguments.consultations))
    print(
        f"matrix answers={len(latencies):5d}  consultations/s={rate:6.2f}  "
        f"p50_ms={percentile(latencies, 0.5):7.1f}  p99_ms={percentile(latencies, 0.99):7.1f}  "
        f"mean_ms={1000 * statistics.fmean(latencies):7.1f}"
    )
    print(
        f"matrix cpu_s  wall={cpu['wall']:.1f}  bot={cpu['bot']:.1f}  "
        f"synapse={cpu['synapse']:.1f}  workers={cpu['workers']:.1f}"
    )
    print(f"telegram {bench_telegram(arguments.users, arguments.consultations)}")


if __name__ == "__main__":
    main()
