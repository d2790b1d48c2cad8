"""Start-up cost, as whole processes: a cold `chaisevide ask`, `chaisevide chat` until it shows
its first question, and the bot until its first `getUpdates` to the fake Bot API of the tests.

Each is paired with `python -c 'import pydantic, yaml, transitions'` (the import of its own
dependencies), run in alternation with it, and the medians, their ratio and the peak memory
(max RSS) are printed. Targets (issue "Start fast"): `ask` within 1.3x that import, the bot ready
within 1 s, `ask` under 35 MiB. Nothing is asserted: the numbers go to docs/performance.md.

Run: .venv/bin/python bench/startup.py [--runs 20] [--tree PATH]
`--tree` measures the project found in another folder (e.g. an older commit extracted with
`git archive`), with this virtualenv. Bytecode is compiled first, as an installed package has
it; compiled knowledge goes to a temporary cache that the first `ask` fills.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(ROOT), *(entry for entry in sys.path if Path(entry or ".").resolve() != HERE)]

from tests.bot.fakeapi import TOKEN, FakeBotApi  # noqa: E402

BIN = Path(sys.executable).parent
BASELINE = [sys.executable, "-c", "import pydantic, yaml, transitions"]
ASK = [str(BIN / "chaisevide"), "ask", "jurisdiction=fr", "profession=ass", "setting=shelter",
       "requester=family", "risk=none", "consent=refused", "--json"]  # fmt: skip
FIRST_QUESTION = b"Tapez le num"
"""The keys line printed under the chat's first question."""
PACKAGES = ("bot", "cli", "flows", "knowledge", "stats")
Sample = tuple[float, float]
"""Seconds until the process was ready, and its peak memory in MiB."""


def environment(tree: Path, folder: Path) -> dict[str, str]:
    """The children's environment: this tree first on the path, a private cache and database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAISEVIDE_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(tree)
    env["XDG_CACHE_HOME"] = str(folder / "cache")
    env["CHAISEVIDE_DB"] = str(folder / "stats.sqlite")
    return env


def peak_mib(process: subprocess.Popen) -> float:
    """Wait for a child and return its peak memory (ru_maxrss is in KiB on Linux)."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024


def whole(command: list[str], env: dict[str, str]) -> Sample:
    """Run a command to its end."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_mib(process)
    elapsed = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"{command[:2]} failed: {process.stderr.read().decode()}")
    return elapsed, peak


def chat(env: dict[str, str]) -> Sample:
    """`chaisevide chat` until its first question is on the screen, then quit."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "chaisevide"), "chat"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    seen = b""
    while FIRST_QUESTION not in seen:
        chunk = process.stdout.read1(65536)
        if not chunk:
            raise SystemExit("chat ended before its first question")
        seen += chunk
    elapsed = time.perf_counter() - started
    process.stdin.write(b"q\n")
    process.stdin.close()
    process.stdout.read()
    return elapsed, peak_mib(process)


def bot(env: dict[str, str]) -> Sample:
    """`chaisevide run` (polling) until its first getUpdates reaches the fake Bot API."""
    api = FakeBotApi().start()
    ready = threading.Event()
    handle = api.handle

    def spy(method: str, params: dict) -> tuple:
        """Note the first getUpdates, then answer as the fake does."""
        if method == "getUpdates":
            ready.set()
        return handle(method, params)

    api.handle = spy  # type: ignore[method-assign]
    env = {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url}
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "chaisevide"), "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        if not ready.wait(30):
            raise SystemExit(f"the bot never polled: {process.stderr.read().decode()}")
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        peak = peak_mib(process)
        api.stop()
    return elapsed, peak


def describe(name: str, samples: list[Sample], floor: list[Sample]) -> str:
    """One line: the median, its ratio to the paired import, and the peak memory."""
    median = statistics.median(s[0] for s in samples)
    base = statistics.median(s[0] for s in floor)
    pairs = statistics.median(s[0] / f[0] for s, f in zip(samples, floor, strict=True))
    peak = statistics.median(s[1] for s in samples)
    return (
        f"{name:<28} {median * 1e3:7.1f} ms   import {base * 1e3:6.1f} ms   "
        f"ratio {median / base:4.2f} (paired {pairs:4.2f})   peak {peak:5.1f} MiB"
    )


def main() -> None:
    """Measure each start-up in alternation with the import of the dependencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the project to measure")
    args = parser.parse_args()
    tree = args.tree.resolve()
    for package in PACKAGES:
        compileall.compile_dir(tree / package, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        env = environment(tree, Path(folder))
        started = time.perf_counter()
        whole(ASK, env)  # the first `ask` after a change compiles the knowledge
        print(f"first ask (compiles the knowledge): {(time.perf_counter() - started) * 1e3:.0f} ms")
        jobs: dict[str, Callable[[], Sample]] = {
            "cold ask (json)": lambda: whole(ASK, env),
            "chat to first question": lambda: chat(env),
            "bot to first getUpdates": lambda: bot(env),
        }
        samples: dict[str, list[Sample]] = {name: [] for name in jobs}
        floors: dict[str, list[Sample]] = {name: [] for name in jobs}
        for _ in range(args.runs):
            for name, job in jobs.items():
                floors[name].append(whole(BASELINE, env))
                samples[name].append(job())
        print(f"medians of {args.runs} alternating runs ({tree}):")
        for name in jobs:
            print(describe(name, samples[name], floors[name]))


if __name__ == "__main__":
    main()
