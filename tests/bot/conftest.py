"""The real Application and its HTTP client against the fake Bot API: drive it as a worker would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import AIORateLimiter, Application

from bot.app import DEPS_KEY, Timeouts, build_application
from bot.codec import Action, Codec, Press, question_of, read_answer
from bot.retry import RetryPolicy
from flows import texts
from flows.config import Settings
from flows.consultation import Consultation
from flows.events import ConsultationEvent
from tests.bot.fakeapi import TOKEN, FakeBotApi
from tests.bot.updates import Person, button_press, text_message

FAST = Timeouts(connect=2.0, read=2.0, write=2.0, pool=2.0, long_poll=1)
QUICK = RetryPolicy(tries=3, budget=5.0, first_wait=0.002, max_wait=0.01, try_timeout=2.0)
"""Production's tries, with waits of milliseconds: a burst costs the tests nothing."""
WORKER = Person(1111, "Camille")
FAMILY_PATH = {
    "profession": "ass",
    "setting": "shelter",
    "requester": "family",
    "risk": "none",
    "consent": "refused",
}
CHILD_PATH = {**FAMILY_PATH, "risk": "child"}
"""A path whose verdict comes in two messages (so that parts are checked too)."""
CHILD_QUESTIONS = tuple(Consultation(("fr",), CHILD_PATH).path)
"""The questions that path asks, in order."""


def uncapped() -> AIORateLimiter:
    """Production's rate limiter (flood control honoured, 3 more tries) without its cap of 30
    messages a second, which would pace tests that send many rather than Telegram's failures."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)


def make_settings(api: FakeBotApi, **changes: Any) -> Settings:
    """Settings of a French instance talking to the fake API."""
    values: dict[str, Any] = {
        "token": TOKEN,
        "api_base_url": api.base_url,
        "admins": frozenset(),
        "db_path": Path("unused.sqlite"),
        "jurisdictions": ("fr",),
        "webhook_url": None,
        "webhook_secret": None,
        "listen": "127.0.0.1",
        "port": 8080,
    }
    values.update(changes)
    return Settings(**values)


class Harness:
    """A running bot and the fake it talks to, with a worker's gestures as methods."""

    def __init__(self, api: FakeBotApi, app: Application, events: list[ConsultationEvent]):
        self.api = api
        self.app = app
        self.events = events
        self.update_id = 0
        self.pressed: list[str] = []

    @property
    def codec(self) -> Codec:
        """The bot's codec, to read the buttons it sent."""
        return self.app.bot_data[DEPS_KEY].codec

    def update(self, update: dict[str, Any]) -> Update:
        """An update as the application receives it, numbered after the previous one."""
        self.update_id += 1
        return Update.de_json({"update_id": self.update_id, **update}, self.app.bot)

    async def send(self, update: dict[str, Any]) -> None:
        """Hand one update to the application, as polling or the webhook would."""
        await self.app.process_update(self.update(update))

    async def command(self, text: str, person: Person = WORKER, chat_id: int | None = None) -> int:
        """The person types a command (or any text) in a chat."""
        update = text_message(person, text, chat_id)
        message = update["message"]
        self.api.add_user_message(message["chat"]["id"], message["message_id"])
        await self.send(update)
        return message["message_id"]

    def messages(self, chat_id: int = WORKER.id) -> list[dict[str, Any]]:
        """The bot's messages in a chat, as they are now."""
        return self.api.chat_messages(chat_id)

    def buttons(self, message: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, callback data) of every callback button of a message."""
        markup = message.get("reply_markup") or {}
        return [
            (button["text"], button["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for button in row
            if "callback_data" in button
        ]

    def read(self, data: str) -> Press:
        """What a button asks for."""
        return self.codec.unpack(data)

    def find(self, message: dict[str, Any], action: str, argument: str | None = None) -> str:
        """The callback data of the message's button doing this action."""
        for _, data in self.buttons(message):
            press = self.read(data)
            if press.action == action and (argument is None or press.argument == argument):
                return data
        raise AssertionError(f"no button {action}{argument or ''} in {self.buttons(message)}")

    def question_message(self, chat_id: int = WORKER.id) -> dict[str, Any]:
        """The latest message asking a question (it has answer buttons)."""
        for message in reversed(self.messages(chat_id)):
            if any(self.read(data).action == Action.ANSWER for _, data in self.buttons(message)):
                return message
        raise AssertionError("no question on screen")

    def asked(self, chat_id: int = WORKER.id) -> str:
        """The id of the question on screen."""
        for _, data in self.buttons(self.question_message(chat_id)):
            press = self.read(data)
            if press.action == Action.ANSWER:
                return question_of(press.argument[0])
        raise AssertionError("no question")

    async def press(
        self,
        message: dict[str, Any],
        data: str,
        person: Person = WORKER,
        chat_id: int | None = None,
    ) -> None:
        """The person presses a button of a message."""
        chat_id = person.id if chat_id is None else chat_id
        update = button_press(person, chat_id, message, data)
        self.pressed.append(update["callback_query"]["id"])
        await self.send(update)

    async def answer(
        self, question_id: str, choice_id: str, person: Person = WORKER, chat_id: int | None = None
    ) -> None:
        """Press the button choosing `choice_id` on the question on screen (which must match)."""
        chat_id = person.id if chat_id is None else chat_id
        message = self.question_message(chat_id)
        for _, data in self.buttons(message):
            press = self.read(data)
            if press.action != Action.ANSWER:
                continue
            question, choice = read_answer(press.state.jurisdiction, press.argument)
            assert question == question_id, f"asked {question}, not {question_id}"
            if choice == choice_id:
                await self.press(message, data, person, chat_id)
                return
        raise AssertionError(f"no choice {choice_id} for {question_id}")

    async def answer_all(self, answers: dict[str, str], person: Person = WORKER) -> None:
        """Answer every question asked, from the given answers, until none is on screen."""
        for _ in range(10):
            try:
                question_id = self.asked(person.id)
            except AssertionError:
                return
            before = len(self.api.calls)
            await self.answer(question_id, answers[question_id], person)
            if all(c.method == "answerCallbackQuery" for c in self.api.calls[before:]):
                return

    def again_button(self, chat_id: int = WORKER.id) -> tuple[dict[str, Any], str] | None:
        """The message carrying « 🔁 Afficher la réponse » and its data, if one is on screen."""
        for message in reversed(self.messages(chat_id)):
            for _, data in self.buttons(message):
                if self.read(data).action == Action.AGAIN:
                    return message, data
        return None

    async def again(self, person: Person = WORKER, chat_id: int | None = None) -> None:
        """The person taps « 🔁 Afficher la réponse » (there must be one)."""
        chat_id = person.id if chat_id is None else chat_id
        found = self.again_button(chat_id)
        assert found is not None, "no 🔁 on screen"
        await self.press(*found, person, chat_id)

    def verdicts(self, chat_id: int = WORKER.id) -> list[dict[str, Any]]:
        """The messages that open a verdict card (its headline), oldest first."""
        titles = tuple(texts.VERDICT_TITLES.values())
        return [
            m
            for m in self.messages(chat_id)
            if m["text"].startswith(tuple(f"<b>{t}" for t in titles))
        ]

    def unanswered(self) -> list[str]:
        """Button presses that never got an answerCallbackQuery (there must be none)."""
        answered = {
            str(call["callback_query_id"])
            for call in self.api.calls_to("answerCallbackQuery", with_faults=True)
        }
        return [query_id for query_id in self.pressed if query_id not in answered]

    def alerts(self) -> list[str]:
        """Texts shown as alerts on button presses."""
        return [
            call["text"]
            for call in self.api.calls_to("answerCallbackQuery")
            if call.get("show_alert") == "true" and "text" in call
        ]


Launch = Callable[..., Awaitable[Harness]]
"""The `launch` fixture: `await launch(settings=None, **build_options)` → a running Harness."""


async def open_bot(api: FakeBotApi, settings: Settings | None = None, **options: Any) -> Harness:
    """Build, initialise and start-up a bot like `run` does (without fetching updates)."""
    events: list[ConsultationEvent] = []
    options.setdefault("timeouts", FAST)
    options.setdefault("retry", QUICK)
    app = build_application(settings or make_settings(api), events=events.append, **options)
    await app.initialize()
    await app.post_init(app)
    return Harness(api, app, events)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Bot API listening on 127.0.0.1."""
    fake = FakeBotApi().start()
    yield fake
    fake.stop()


@pytest.fixture
async def launch(api: FakeBotApi) -> AsyncIterator[Callable[..., Awaitable[Harness]]]:
    """Start bots on demand (a restart is two of them); every one is shut down at the end."""
    started: list[Harness] = []

    async def start(settings: Settings | None = None, **options: Any) -> Harness:
        """Open one more bot against the fake."""
        harness = await open_bot(api, settings, **options)
        started.append(harness)
        return harness

    yield start
    for harness in started:
        await harness.app.shutdown()  # a no-op for a bot already shut down


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Harness]:
    """A French bot, initialised against the fake."""
    harness = await open_bot(api)
    yield harness
    await harness.app.shutdown()
    assert harness.unanswered() == [], "every button press must be answered"
