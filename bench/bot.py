"""Speed of the Telegram adapter: simulated workers pressing buttons through the fake Bot API.

Run: .venv/bin/python bench/bot.py [--users 32] [--consultations 10] [--repeats 3]
(prints numbers only; nothing is asserted)

Both runs use the same harness: the real Application and HTTP client, the fake server of the
tests on 127.0.0.1, updates handed to `process_update` by concurrent simulated workers. The floor
is a bare python-telegram-bot handler that answers the press and edits the message.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# This file is bench/bot.py: drop its folder from the path so that `bot` is the package.
sys.path[:] = [str(ROOT), *(entry for entry in sys.path if Path(entry or ".").resolve() != HERE)]

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler  # noqa: E402

from bot.app import build_application  # noqa: E402
from flows.config import Settings  # noqa: E402
from knowledge.loader import load_knowledge  # noqa: E402
from tests.bot.fakeapi import TOKEN, FakeBotApi  # noqa: E402
from tests.bot.updates import Person, button_press, text_message  # noqa: E402

PATHS = [
    {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none",
     "consent": "refused"},
    {"profession": "social", "setting": "child_protection", "requester": "partner",
     "partner_bound": "yes", "same_mission": "yes", "risk": "child", "consent": "not_asked"},
    {"profession": "health", "setting": "hospital", "requester": "police", "risk": "none",
     "consent": "not_asked"},
    {"profession": "other", "setting": "private", "requester": "requisition", "risk": "none"},
]  # fmt: skip
FLOOR_PRESSES = 5
Press = Callable[[Person, dict[str, Any]], Awaitable[bool]]


def settings(api: FakeBotApi) -> Settings:
    """A French instance talking to the fake."""
    return Settings(
        token=TOKEN,
        api_base_url=api.base_url,
        admins=frozenset(),
        db_path=Path("unused.sqlite"),
        jurisdictions=("fr",),
        webhook_url=None,
        webhook_secret=None,
        listen="127.0.0.1",
        port=8080,
    )


def unlimited() -> AIORateLimiter:
    """The production rate limiter without Telegram's 30/s cap: the bench measures the bot."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0)


class Worker:
    """A simulated worker: sends updates, times each button press."""

    def __init__(self, app: Application, api: FakeBotApi, person: Person) -> None:
        self.app, self.api, self.person = app, api, person
        self.update_id = 0

    async def send(self, update: dict[str, Any]) -> float:
        """Hand one update to the application; return how long handling took."""
        self.update_id += 1
        data = {"update_id": self.update_id, **update}
        started = time.perf_counter()
        await self.app.process_update(Update.de_json(data, self.app.bot))
        return time.perf_counter() - started

    def screen(self) -> dict[str, Any]:
        """The latest bot message with buttons in the worker's chat."""
        for message in reversed(self.api.chat_messages(self.person.id)):
            if message.get("reply_markup"):
                return message
        raise RuntimeError("no buttons on screen")

    async def press_label(self, labels: dict[str, str], timings: list[float]) -> bool:
        """Press the button whose label is one of the path's answers; False once none is left."""
        message = self.screen()
        for row in message["reply_markup"]["inline_keyboard"]:
            for button in row:
                if button["text"] in labels.values() and "callback_data" in button:
                    press = button_press(
                        self.person, self.person.id, message, button["callback_data"]
                    )
                    timings.append(await self.send(press))
                    return True
        return False


def labels_of(path: dict[str, str]) -> dict[str, str]:
    """The button labels of a path's answers (French labels from the knowledge base)."""
    law = load_knowledge().get("fr")
    return {q: law.question(q).choice(c).label for q, c in path.items()}


async def consult(worker: Worker, path: dict[str, str], timings: list[float]) -> None:
    """One full consultation: /consulter, then one press per question until the verdict."""
    await worker.send(text_message(worker.person, "/consulter"))
    labels = labels_of(path)
    while await worker.press_label(labels, timings):  # False at the verdict: no label matches
        pass


async def bare_handler(update: Update, _: object) -> None:
    """The floor: answer the press, edit the message (new text, same kind of keyboard)."""
    query = update.callback_query
    step = int(query.data) + 1
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"Choix {step}", callback_data=str(step))]]
    )
    await query.answer()
    await query.edit_message_text(f"Question {step}", reply_markup=keyboard)


async def floor_consult(worker: Worker, timings: list[float]) -> None:
    """A floor 'consultation': a message, then FLOOR_PRESSES presses on it."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Choix 0", callback_data="0")]])
    await worker.app.bot.send_message(worker.person.id, "Question 0", reply_markup=keyboard)
    for _ in range(FLOOR_PRESSES):
        message = worker.screen()
        data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        timings.append(
            await worker.send(button_press(worker.person, worker.person.id, message, data))
        )


async def measure(
    app: Application, api: FakeBotApi, users: int, rounds: int, floor: bool
) -> tuple[float, list[float]]:
    """Run `users` workers doing `rounds` consultations each; (presses per second, latencies)."""
    timings: list[float] = []

    async def one(index: int) -> None:
        """One worker's consultations."""
        worker = Worker(app, api, Person(10_000 + index + (500 if floor else 0)))
        for round_number in range(rounds):
            if floor:
                await floor_consult(worker, timings)
            else:
                await consult(worker, PATHS[(index + round_number) % len(PATHS)], timings)

    started = time.perf_counter()
    await asyncio.gather(*(one(index) for index in range(users)))
    return len(timings) / (time.perf_counter() - started), timings


def percentile(values: list[float], share: float) -> float:
    """A percentile, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def floor_application(api: FakeBotApi) -> Application:
    """The floor: a bare Application with one handler, same HTTP stack and rate limiter."""
    floor = (
        Application.builder()
        .token(TOKEN)
        .base_url(api.base_url)
        .rate_limiter(unlimited())
        .concurrent_updates(64)
        .build()
    )
    floor.add_handler(CallbackQueryHandler(bare_handler))
    return floor


async def main(users: int, rounds: int, repeats: int) -> None:
    """Measure the bot and the floor in alternating runs; print medians and pooled latencies."""
    api = FakeBotApi().start()
    results: dict[str, tuple[list[float], list[float]]] = {"bot": ([], []), "floor": ([], [])}
    consultations: list[float] = []
    try:
        apps = {
            "bot": build_application(settings(api), rate_limiter=unlimited()),
            "floor": floor_application(api),
        }
        for app in apps.values():
            await app.initialize()
        for name, app in apps.items():  # warm-up
            await measure(app, api, 4, 1, floor=name == "floor")
        for _ in range(repeats):  # alternate, so that machine noise hits both alike
            for name, app in apps.items():
                rate, times = await measure(app, api, users, rounds, floor=name == "floor")
                if name == "bot":  # presses per second over presses per consultation
                    consultations.append(rate * users * rounds / len(times))
                results[name][0].append(rate)
                results[name][1].extend(times)
        for app in apps.values():
            await app.shutdown()
    finally:
        api.stop()
    for name, (rates, times) in results.items():
        print(
            f"{name:6} presses={len(times):5d}  presses/s={statistics.median(rates):7.1f}  "
            f"p50_ms={percentile(times, 0.5):6.2f}  p99_ms={percentile(times, 0.99):6.2f}  "
            f"mean_ms={1000 * statistics.fmean(times):6.2f}"
            + (f"  consultations/s={statistics.median(consultations):.2f}" if name == "bot" else "")
        )
    bot_rates, bot_times = results["bot"]
    floor_rates, floor_times = results["floor"]
    print(
        f"ratio  floor/bot presses/s="
        f"{statistics.median(floor_rates) / statistics.median(bot_rates):.2f}  "
        f"bot/floor p50={percentile(bot_times, 0.5) / percentile(floor_times, 0.5):.2f}  "
        f"bot/floor p99={percentile(bot_times, 0.99) / percentile(floor_times, 0.99):.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32, help="simulated workers at once")
    parser.add_argument("--consultations", type=int, default=10, help="per worker and run")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.users, arguments.consultations, arguments.repeats))
