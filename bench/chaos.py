"""Chaos run: simulated workers through whole consultations while the Bot API fails at random.

Run: .venv/bin/python bench/chaos.py [--workers 200] [--rate 0.1] [--scale 1] [--repeats 3]
     [--late] [--kinds 429,500,502,timeout,reset]
     (prints numbers only; nothing is asserted; about 40 s per pair of runs)

The real Application, its HTTP client, the production rate limiter (without its 30/s cap: the
run measures the bot) and the real statistics recorder and writer (a SQLite file in a temporary
folder), against the fake Bot API of the tests on 127.0.0.1. Each run starts `--workers`
workers at once, each through one complete consultation; in the faulty run about `--rate` of
the consultation's calls fail, of mixed kinds (429, 500, 502, timeout, reset; never more than 3
in a row for one method in one chat). A worker presses what it sees: the answer of its path, or
« 🔁 » when one is on screen; it gives up after 40 presses.

`--scale` multiplies every delay of production (the waits between tries, their budget, how long
a try waits, how long a timed-out call is kept, Telegram's retry_after of at least 1 s); 1, the
default, is production's own timing. Far below it the budget gets shorter than the time a call
spends queued in a saturated event loop (200 workers pressing with no pause), tries are cut
short, and more consultations need « 🔁 »: that is the harness, not Telegram. `--late` makes
timeouts happen after Telegram acted (the message is sent, the answer is lost): then a retry can
duplicate a message.
The same run without faults is the reference for throughput; runs alternate.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# This file is in bench/, next to bench/bot.py: drop its folder so that `bot` is the package.
sys.path[:] = [str(ROOT), *(entry for entry in sys.path if Path(entry or ".").resolve() != HERE)]

from telegram import Update  # noqa: E402
from telegram.ext import AIORateLimiter, Application  # noqa: E402

from bot.app import DEPS_KEY, Timeouts, build_application  # noqa: E402
from bot.codec import Action, BadButtonError, read_answer  # noqa: E402
from bot.retry import PRODUCTION, RetryPolicy  # noqa: E402
from flows import texts  # noqa: E402
from flows.config import Settings  # noqa: E402
from stats.recorder import StatsRecorder  # noqa: E402
from stats.store import TABLE, open_reader  # noqa: E402
from stats.writer import StatsWriter  # noqa: E402
from tests.bot.fakeapi import KINDS, TOKEN, Chaos, FakeBotApi  # noqa: E402
from tests.bot.updates import Person, button_press, text_message  # noqa: E402

PATHS = [
    {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none",
     "consent": "refused"},
    {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "child",
     "consent": "refused"},
    {"profession": "social", "setting": "child_protection", "requester": "partner",
     "partner_bound": "yes", "same_mission": "yes", "risk": "child", "consent": "not_asked"},
    {"profession": "health", "setting": "hospital", "requester": "police", "risk": "none",
     "consent": "not_asked"},
]  # fmt: skip
MAX_PRESSES = 40
TITLES = tuple(f"<b>{title}" for title in texts.VERDICT_TITLES.values())


@dataclass
class Tally:
    """What one run saw."""

    seconds: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    presses: int = 0
    again_taps: int = 0
    duplicates: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    calls: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    retry_lines: int = 0
    durations: list[float] = field(default_factory=list)
    """Seconds from /consulter to the verdict on screen, per worker."""
    """The bot's log lines about a failed try (one per try)."""


class Lines(logging.Handler):
    """Counts the bot's lines about failed tries instead of printing them."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        """One more line."""
        self.count += record.getMessage().startswith("delivery method=")


def settings(api: FakeBotApi, db: Path) -> Settings:
    """A French instance talking to the fake, recording to `db`."""
    return Settings(
        token=TOKEN,
        api_base_url=api.base_url,
        admins=frozenset(),
        db_path=db,
        jurisdictions=("fr",),
        webhook_url=None,
        webhook_secret=None,
        listen="127.0.0.1",
        port=8080,
    )


def scaled(scale: float) -> RetryPolicy:
    """Production's retry policy with every delay multiplied by `scale`."""
    p = PRODUCTION
    return RetryPolicy(
        tries=p.tries,
        budget=p.budget * scale,
        first_wait=p.first_wait * scale,
        max_wait=p.max_wait * scale,
        try_timeout=p.try_timeout * scale,
    )


class Worker:
    """One simulated worker: presses what is on screen until the verdict, counting how."""

    def __init__(self, app: Application, api: FakeBotApi, person: Person, tally: Tally) -> None:
        self.app, self.api, self.person, self.tally = app, api, person, tally
        self.codec = app.bot_data[DEPS_KEY].codec
        self.update_id = 0

    async def send(self, update: dict[str, Any]) -> None:
        """Hand one update to the application (as polling would)."""
        self.update_id += 1
        data = {"update_id": self.update_id, **update}
        await self.app.process_update(Update.de_json(data, self.app.bot))

    def buttons(self, message: dict[str, Any]) -> list[tuple[str, Any]]:
        """(callback data, what it asks) of a message's buttons."""
        found = []
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if "callback_data" in button:
                    try:
                        found.append(
                            (button["callback_data"], self.codec.unpack(button["callback_data"]))
                        )
                    except BadButtonError:
                        continue
        return found

    def next_press(self, path: dict[str, str]) -> tuple[dict[str, Any], str] | bool | None:
        """The button to press now; True once the whole verdict is on screen; None if nothing."""
        messages = self.api.chat_messages(self.person.id)
        for message in reversed(messages):
            for data, press in self.buttons(message):
                if press.action == Action.AGAIN:
                    return message, data
        if messages and any(p.action == Action.FEEDBACK for _, p in self.buttons(messages[-1])):
            return True
        for message in reversed(messages):
            answers = [(d, p) for d, p in self.buttons(message) if p.action == Action.ANSWER]
            if answers:
                for data, press in answers:
                    question, choice = read_answer(press.state.jurisdiction, press.argument)
                    if path.get(question, choice) == choice:
                        return message, data
                return message, answers[0][0]
        return None

    async def consult(self, path: dict[str, str]) -> str:
        """One consultation: 'direct', 'again' (through « 🔁 ») or 'lost' (no verdict)."""
        started = time.perf_counter()
        await self.send(text_message(self.person, "/consulter"))
        tapped = False
        for _ in range(MAX_PRESSES):
            step = self.next_press(path)
            if step is True:
                self.tally.durations.append(time.perf_counter() - started)
                return "again" if tapped else "direct"
            if step is None:
                return "lost"
            message, data = step
            if self.codec.unpack(data).action == Action.AGAIN:
                tapped = True
                self.tally.again_taps += 1
            self.tally.presses += 1
            await self.send(button_press(self.person, self.person.id, message, data))
        return "lost"


def duplicates(api: FakeBotApi, people: list[Person]) -> int:
    """Messages whose text is already on screen earlier in the same chat (notices aside)."""
    notice = texts.NOT_DELIVERED.split(" (")[0]
    count = 0
    for person in people:
        shown = [m["text"] for m in api.chat_messages(person.id) if notice not in m["text"]]
        count += len(shown) - len(set(shown))
    return count


async def one_run(
    workers: int, rate: float, scale: float, kinds: tuple[str, ...], folder: Path, seed: int
) -> Tally:
    """Start a fake and a bot, run every worker at once, read back screens and statistics."""
    api = FakeBotApi().start()
    tally = Tally()
    db = folder / f"chaos-{seed}-{rate}.sqlite"
    recorder = StatsRecorder(StatsWriter(db))
    policy = scaled(scale)
    lines = Lines()
    logger = logging.getLogger("bot")
    logger.addHandler(lines)
    logger.propagate = False
    try:
        app = build_application(
            settings(api, db),
            events=recorder,
            timeouts=Timeouts(read=policy.try_timeout),
            rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3),
            retry=policy,
        )
        await app.initialize()
        chaos = Chaos(rate, kinds, retry_after=1.0 * scale, hold=policy.try_timeout * 1.5)
        chaos.rng.seed(seed)
        api.chaos(rate, chaos)
        people = [Person(100_000 + index) for index in range(workers)]
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                Worker(app, api, person, tally).consult(PATHS[index % len(PATHS)])
                for index, person in enumerate(people)
            )
        )
        tally.seconds = time.perf_counter() - started
        api.chaos(0)
        await app.shutdown()
        tally.outcomes.update(results)
        tally.duplicates = duplicates(api, people)
        tally.calls = len(api.calls)
        tally.faults.update(call.fault for call in api.faulty_calls())
    finally:
        recorder.close(timeout=10)
        api.stop()
        logger.removeHandler(lines)
    tally.retry_lines = lines.count
    reader = open_reader(db)
    try:
        tally.rows.update(row["outcome"] for row in reader.query(f"SELECT outcome FROM {TABLE}"))  # noqa: S608
    finally:
        reader.close()
    return tally


def percentile(values: list[float], share: float) -> float:
    """A percentile of durations (0 when there are none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def show(name: str, tally: Tally, workers: int) -> None:
    """One run's numbers on two lines."""
    outcomes = tally.outcomes
    print(
        f"{name:7} verdict directly={outcomes['direct']:4d}  through 🔁={outcomes['again']:3d}  "
        f"not at all={outcomes['lost']:2d}  duplicated messages={tally.duplicates}  "
        f"rows={sum(tally.rows.values())} (completed {tally.rows['completed']}) "
        f"for {workers} consultations"
    )
    faults = " ".join(f"{kind}={count}" for kind, count in sorted(tally.faults.items()))
    print(
        f"{'':7} {tally.seconds:6.2f} s  consultations/s={workers / tally.seconds:6.1f}  "
        f"one consultation p50={percentile(tally.durations, 0.5):5.2f} s "
        f"p95={percentile(tally.durations, 0.95):5.2f} s  "
        f"presses={tally.presses} (🔁 taps {tally.again_taps})  calls={tally.calls}  "
        f"faults={sum(tally.faults.values())} ({faults or '-'})  "
        f"retry log lines={tally.retry_lines}"
    )


async def main(
    workers: int, rate: float, scale: float, repeats: int, kinds: tuple[str, ...]
) -> None:
    """Alternate runs without and with faults; print each, then the throughput ratio."""
    with tempfile.TemporaryDirectory() as folder:
        runs: dict[str, list[Tally]] = {"clean": [], "chaos": []}
        for repeat in range(repeats):
            for name, share in (("clean", 0.0), ("chaos", rate)):
                tally = await one_run(workers, share, scale, kinds, Path(folder), seed=repeat + 1)
                runs[name].append(tally)
                show(f"{name}#{repeat + 1}", tally, workers)
    clean = statistics.median(workers / t.seconds for t in runs["clean"])
    chaotic = statistics.median(workers / t.seconds for t in runs["chaos"])
    print(
        f"ratio   consultations/s with faults / without = {chaotic / clean:.2f} "
        f"(medians {chaotic:.1f} / {clean:.1f}; scale {scale}, rate {rate}, {' '.join(kinds)})"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=200, help="simulated workers at once")
    parser.add_argument("--rate", type=float, default=0.1, help="share of calls that fail")
    parser.add_argument("--scale", type=float, default=1.0, help="production delays × this")
    parser.add_argument("--repeats", type=int, default=3, help="alternating pairs of runs")
    parser.add_argument("--late", action="store_true", help="timeouts after Telegram acted")
    parser.add_argument("--kinds", default=",".join(KINDS), help="failure classes to mix")
    arguments = parser.parse_args()
    chosen = tuple(kind for kind in arguments.kinds.split(",") if kind)
    if arguments.late:
        chosen = tuple("late" if kind == "timeout" else kind for kind in chosen)
    asyncio.run(main(arguments.workers, arguments.rate, arguments.scale, arguments.repeats, chosen))
