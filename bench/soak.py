"""Soak run of the webhook: many consultations through the real server, hostile traffic mixed in.

Run: .venv/bin/python bench/soak.py [--consultations 20000] [--workers 16] [--hostile 10]
[--diagnose]
(prints numbers only; nothing is asserted; bounded; 127.0.0.1 only)

The bot runs as its own process in webhook mode — what `chaisevide run` does (statistics
recorded, the real webhook server), without Telegram's 30 messages a second cap, so that the
bench measures the bot —, talking to the fake Bot API of the tests on 127.0.0.1. Simulated
workers post updates to its webhook as Telegram would: each
consultation is `/consulter` with three answers typed after it, then two button presses
(profession, setting) to the verdict. One request in `--hostile` is hostile, in turn: a wrong
secret, a 90 MB body announced (headers only), a body that is not JSON, an update of an unknown
kind. Reported: throughput, p50/p99 of a request, statuses by kind of request, and the bot
process's resident memory after 1 000, 10 000 and 20 000 consultations.

`--diagnose` also asks the bot process, at each of those points (a signal, handled by this
bench's launcher only), where its memory is: blocks held by Python's allocator after a garbage
collection (flat when no Python object accumulates), SQLite's own heap (its page cache, bounded
by `cache_size`), and its resident memory once `malloc_trim` has returned free pages. The trims
lower the later resident figures, so a diagnosed run is not one to quote.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(ROOT), *(entry for entry in sys.path if Path(entry or ".").resolve() != HERE)]

from bot.codec import Action, Codec, read_answer  # noqa: E402
from knowledge.loader import load_knowledge  # noqa: E402
from tests.bot.fakeapi import TOKEN, FakeBotApi  # noqa: E402
from tests.bot.updates import Person, button_press, text_message  # noqa: E402

SECRET = "soak-secret_0123456789"  # noqa: S105 - a bench secret on 127.0.0.1
PATH = "/hook"
TYPED = "/consulter requester=family risk=none consent=refused"
ANSWERS = {"profession": "ass", "setting": "shelter"}
CHECKPOINTS = (1_000, 10_000, 20_000)
HOSTILE_KINDS = ("wrong-secret", "oversized", "malformed", "unknown-kind")
LAUNCHER = """
import asyncio, sys
sys.path.insert(0, {root!r})
from telegram.ext import AIORateLimiter
from bot import webhook
from bot.app import ALLOWED_UPDATES, build_application, register_stats
from bot.logs import configure_logging
from flows.config import load_settings
from stats.recorder import start_recorder

settings = load_settings()
configure_logging(settings.token)
recorder = start_recorder(settings)
unlimited = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
application = build_application(settings, events=recorder, rate_limiter=unlimited)
register_stats(application, settings, recorder)
{diagnostic}
try:
    asyncio.run(webhook.serve(application, settings, ALLOWED_UPDATES))
finally:
    recorder.close(timeout=5)
"""

DIAGNOSTIC = """
import ctypes, gc, json, os, signal


def resident():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def diagnose(*_):
    gc.collect()
    try:
        sqlite = ctypes.CDLL("libsqlite3.so.0")  # the copy Python's sqlite3 module loaded
        sqlite.sqlite3_memory_used.restype = ctypes.c_int64
        sqlite_mib = sqlite.sqlite3_memory_used() / 2**20
    except OSError:
        sqlite_mib = float("nan")
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    found = {"blocks": sys.getallocatedblocks(), "sqlite": sqlite_mib, "trimmed": resident()}
    with open(os.environ["SOAK_DIAGNOSIS"], "a") as out:
        out.write(json.dumps(found) + "\\n")


signal.signal(signal.SIGUSR1, diagnose)
"""
"""The bot process's side of `--diagnose`: on SIGUSR1, one JSON line of where its memory is."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Soak:
    """The bot process, the fake Telegram, and the counters of one run."""

    def __init__(self, api: FakeBotApi, url: str, hostile_every: int) -> None:
        self.api, self.url, self.hostile_every = api, url, hostile_every
        self.codec = Codec(TOKEN, load_knowledge().version)
        self.latencies: list[float] = []
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.requests = itertools.count(1)
        self.update_ids = itertools.count(1)
        self.done = 0

    async def post(self, client: httpx.AsyncClient, body: bytes, kind: str, secret: str) -> int:
        """Post one request to the webhook; count its status by kind; time it."""
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
        started = time.perf_counter()
        answer = await client.post(self.url, content=body, headers=headers)
        self.latencies.append(time.perf_counter() - started)
        self.statuses[(kind, answer.status_code)] += 1
        return answer.status_code

    async def send(self, client: httpx.AsyncClient, update: dict[str, Any]) -> None:
        """One update, preceded (one time in `hostile_every`) by a hostile request."""
        if next(self.requests) % self.hostile_every == 0:
            await self.hostile(client)
        body = json.dumps({"update_id": next(self.update_ids), **update}).encode()
        await self.post(client, body, "update", SECRET)

    async def hostile(self, client: httpx.AsyncClient) -> None:
        """One hostile request, the kinds in turn."""
        kind = HOSTILE_KINDS[sum(self.statuses[k] for k in self.statuses if k[0] != "update") % 4]
        if kind == "wrong-secret":
            await self.post(client, b'{"update_id": 1}', kind, "nope")
        elif kind == "malformed":
            await self.post(client, b"[1, 2, 3]", kind, SECRET)
        elif kind == "unknown-kind":
            await self.post(client, b'{"update_id": 7, "chat_boost": {"foo": 1}}', kind, SECRET)
        else:
            await self.oversized()

    async def oversized(self) -> None:
        """A 90 MB body announced: only the headers are sent; the answer must come first."""
        host, port = self.url.split("//")[1].split("/")[0].split(":")
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            f"POST {PATH} HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {90 * 1024 * 1024}\r\n\r\n".encode()
        )
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 10)
        self.latencies.append(time.perf_counter() - started)
        self.statuses[("oversized", int(line.split()[1]))] += 1
        writer.close()

    async def wait_for_buttons(self, chat_id: int, seen: int) -> dict[str, Any]:
        """The question message once it shows a newer question than `seen` answers."""
        for _ in range(2000):
            for message in reversed(self.api.chat_messages(chat_id)):
                markup = message.get("reply_markup") or {}
                buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
                presses = [self.codec.unpack(b["callback_data"]) for b in buttons
                           if "callback_data" in b]  # fmt: skip
                if any(p.action == Action.ANSWER and len(p.state.answers) >= seen for p in presses):
                    return message
            await asyncio.sleep(0.002)
        raise TimeoutError("no question came")

    async def consultation(self, client: httpx.AsyncClient, person: Person) -> None:
        """/consulter with three answers typed, then profession and setting pressed."""
        await self.send(client, text_message(person, TYPED))
        for seen, (question_id, choice_id) in enumerate(ANSWERS.items(), start=3):
            message = await self.wait_for_buttons(person.id, seen)
            for row in message["reply_markup"]["inline_keyboard"]:
                for button in row:
                    press = self.codec.unpack(button.get("callback_data"))
                    if press.action == Action.ANSWER and read_answer(
                        press.state.jurisdiction, press.argument
                    ) == (question_id, choice_id):
                        update = button_press(person, person.id, message, button["callback_data"])
                        await self.send(client, update)
        self.done += 1


def bot_env(api: FakeBotApi, port: int, folder: Path) -> dict[str, str]:
    """The bot process's environment: webhook mode on 127.0.0.1, statistics in `folder`."""
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "CHAISEVIDE_WEBHOOK_URL": f"https://bot.example.org{PATH}",
        "CHAISEVIDE_WEBHOOK_SECRET": SECRET,
        "CHAISEVIDE_LISTEN": "127.0.0.1",
        "CHAISEVIDE_PORT": str(port),
        "CHAISEVIDE_DB": str(folder / "stats.sqlite"),
        "CHAISEVIDE_JURISDICTIONS": "fr",
        "SOAK_DIAGNOSIS": str(folder / "diagnosis.jsonl"),
    }


async def run(consultations: int, workers: int, hostile_every: int, diagnose: bool) -> None:
    """Start the fake Telegram and the bot, soak, report."""
    api = FakeBotApi().start()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="chaisevide-soak-") as name:
        folder = Path(name)
        launcher = LAUNCHER.format(root=str(ROOT), diagnostic=DIAGNOSTIC if diagnose else "")
        bot = subprocess.Popen(
            [sys.executable, "-c", launcher],
            env=bot_env(api, port, folder),
            stderr=subprocess.DEVNULL,
        )
        soak = Soak(api, f"http://127.0.0.1:{port}{PATH}", hostile_every)
        memory: dict[int, float] = {}
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                for _ in range(500):
                    try:
                        await client.get(f"http://127.0.0.1:{port}/healthz")
                        break
                    except httpx.TransportError:
                        await asyncio.sleep(0.02)
                people = itertools.count(10_000_000)
                started = time.perf_counter()
                checkpoints = [c for c in CHECKPOINTS if c <= consultations] or [consultations]

                async def worker() -> None:
                    while soak.done + workers <= consultations:
                        await soak.consultation(client, Person(next(people), "Soak"))
                        if checkpoints and soak.done >= checkpoints[0]:
                            memory[checkpoints.pop(0)] = rss_mib(bot.pid)
                            if diagnose:
                                os.kill(bot.pid, signal.SIGUSR1)

                await asyncio.gather(*(worker() for _ in range(workers)))
                elapsed = time.perf_counter() - started
                await asyncio.sleep(1 if diagnose else 0)  # the last diagnosis is written
        finally:
            bot.terminate()
            bot.wait(10)
            api.stop()
        report(soak, elapsed, memory)
        if diagnose:
            report_diagnosis(sorted(memory), folder / "diagnosis.jsonl")


def report(soak: Soak, elapsed: float, memory: dict[int, float]) -> None:
    """Print the numbers."""
    requests = len(soak.latencies)
    print(f"consultations: {soak.done} in {elapsed:.1f} s ({soak.done / elapsed:.1f}/s)")
    print(f"requests: {requests} ({requests / elapsed:.0f}/s)")
    quantiles = statistics.quantiles(soak.latencies, n=100)
    print(f"request latency: p50 {quantiles[49] * 1e3:.1f} ms, p99 {quantiles[98] * 1e3:.1f} ms")
    for (kind, status), count in sorted(soak.statuses.items()):
        print(f"  {kind:>13} → {status}: {count}")
    for done, mib in sorted(memory.items()):
        print(f"bot RSS after {done} consultations: {mib:.1f} MiB")


def report_diagnosis(points: list[int], path: Path) -> None:
    """Print what the bot process said of its memory at each point (`--diagnose`)."""
    lines = path.read_text().splitlines() if path.exists() else []
    for done, line in zip(points, lines, strict=False):
        found = json.loads(line)
        print(
            f"diagnosis after {done}: {found['blocks']} Python blocks, SQLite {found['sqlite']:.2f}"
            f" MiB, RSS after malloc_trim {found['trimmed']:.1f} MiB"
        )


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consultations", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--hostile", type=int, default=10, help="one hostile request in N")
    parser.add_argument(
        "--diagnose", action="store_true", help="also ask the bot where its memory is"
    )
    args = parser.parse_args()
    asyncio.run(run(args.consultations, args.workers, args.hostile, args.diagnose))


if __name__ == "__main__":
    main()
