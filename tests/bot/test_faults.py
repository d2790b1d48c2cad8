"""Telegram failing the way it does, on every call of a consultation's path: the worker always
ends with the verdict, or with « 🔁 Afficher la réponse » that brings it in one tap.

The matrix: each method the consultation path calls × each failure class × a burst of 1, 2 and 3
failures, at a step that shows a question and at the step that shows the verdict. Retries wait
milliseconds here (`MATRIX`); production's waits are seconds (`bot.retry.PRODUCTION`).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.codec import Action
from bot.retry import RetryPolicy
from flows import texts
from tests.bot.conftest import CHILD_PATH, CHILD_QUESTIONS, Harness, Launch, uncapped
from tests.bot.fakeapi import KINDS, FakeBotApi
from tests.bot.updates import Person

PATH = CHILD_QUESTIONS
PATH_METHODS = ("answerCallbackQuery", "editMessageText", "sendMessage")
"""What a press on the path calls (deleteMessage, the personal-data guard's, has its own test)."""
STEPS = ("question", "verdict")
BURSTS = (1, 2, 3)
MATRIX = RetryPolicy(tries=3, budget=3.0, first_wait=0.002, max_wait=0.01, try_timeout=0.1)
"""Production's three tries; a try gives up after 0.1 s (a timeout costs no more)."""
HELD = 0.15
"""How long the fake keeps a call it times out: longer than a try waits."""
RETRY_AFTER = 0.01
"""Flood control's wait in the tests (Telegram says 1 s or more; the rate limiter adds 0.1 s)."""
TYPED = "son numéro : 06 12 34 56 78"


def arm(api: FakeBotApi, method: str, kind: str, burst: int) -> None:
    """A burst of `burst` failures of one class on the next calls of one method."""
    api.fail(method, kind, seconds=RETRY_AFTER if kind == "429" else HELD, times=burst)


def way_back_expected(method: str, kind: str, step: str, burst: int) -> bool:
    """Whether the burst outlasts the tries of a call that carries the answer: then the worker
    gets « 🔁 ». Flood control is absorbed by the rate limiter (3 more tries); a press that is
    not answered loses nothing; a recap that cannot be edited still has the verdict below it."""
    carries = method == "sendMessage" or (method == "editMessageText" and step == "question")
    return carries and kind != "429" and burst >= MATRIX.tries


async def walk_to_verdict(
    bot: Harness, person: Person, arm_before: str, burst_arm: Callable[[], None]
) -> int:
    """/consulter, then the path's answers; `burst_arm()` runs before the press answering
    `arm_before` ('/consulter' for the command). Taps « 🔁 » whenever one is on screen; returns
    how many times it did."""
    taps = 0
    if arm_before == "/consulter":
        burst_arm()
    await bot.command("/consulter", person)
    for question_id in PATH:
        if bot.again_button(person.id):
            taps += 1
            await bot.again(person)
        assert bot.asked(person.id) == question_id
        if question_id == arm_before:
            burst_arm()
        await bot.answer(question_id, CHILD_PATH[question_id], person)
    if bot.again_button(person.id):
        taps += 1
        await bot.again(person)
    return taps


def check_verdict_once(bot: Harness, person: Person) -> None:
    """The verdict's two parts are on screen, once each, with its buttons; no error message."""
    messages = bot.messages(person.id)
    texts_shown = [m["text"] for m in messages]
    assert len(texts_shown) == len(set(texts_shown)), "a message was sent twice"
    (verdict,) = bot.verdicts(person.id)
    index = messages.index(verdict)
    assert len(messages) == index + 2, "the verdict comes in two parts, last on screen"
    assert bot.find(messages[-1], Action.FEEDBACK, "1")
    assert texts.TECHNICAL_PROBLEM not in texts_shown
    assert bot.again_button(person.id) is None


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("method", PATH_METHODS)
async def test_a_burst_on_the_consultation_path_ends_with_the_verdict(
    api: FakeBotApi, launch: Launch, method: str, kind: str, step: str
) -> None:
    """Bursts of 1, 2 and 3 failures of one call: the verdict arrives directly, or through one
    tap on « 🔁 » once the burst outlasts the tries; each part once; one completed event each."""
    bot = await launch(retry=MATRIX, rate_limiter=uncapped())
    for burst in BURSTS:
        person = Person(30_000 + burst)
        if step == "verdict":
            arm_before = PATH[-1]
        else:
            arm_before = "/consulter" if method == "sendMessage" else PATH[2]
        taps = await walk_to_verdict(
            bot, person, arm_before, lambda b=burst: arm(api, method, kind, b)
        )
        check_verdict_once(bot, person)
        expected = way_back_expected(method, kind, step, burst)
        assert taps == (1 if expected else 0), (burst, taps)
        assert [e.kind for e in bot.events].count("completed") == burst
    assert [c.fault for c in api.faulty_calls()] == [kind] * sum(BURSTS)
    assert bot.unanswered() == []


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("kind", KINDS)
async def test_a_burst_on_deleting_personal_data_leaves_the_button_to_try_again(
    api: FakeBotApi, launch: Launch, kind: str, step: str
) -> None:
    """🗑️ under the warning about personal data, mid-way or after the verdict, in a burst of 1,
    2 or 3 failures: deleted, or a kind alert and 🗑️ still there for one more tap; the
    consultation reaches its verdict all the same."""
    bot = await launch(retry=MATRIX, rate_limiter=uncapped())
    for burst in BURSTS:
        person = Person(31_000 + burst)
        await bot.command("/consulter", person)
        stop = 2 if step == "question" else len(PATH)
        for question_id in PATH[:stop]:
            await bot.answer(question_id, CHILD_PATH[question_id], person)
        typed = await bot.command(TYPED, person)
        warning = bot.messages(person.id)[-1]
        arm(api, "deleteMessage", kind, burst)
        await bot.press(warning, bot.find(warning, Action.DELETE), person)
        if burst >= MATRIX.tries and kind != "429":
            assert bot.alerts()[-1] == texts.MESSAGE_NOT_DELETED
            still = bot.api.message(person.id, warning["message_id"])
            await bot.press(still, bot.find(still, Action.DELETE), person)
        assert (person.id, typed) not in api.store.messages
        assert bot.api.message(person.id, warning["message_id"])["text"] == texts.MESSAGE_DELETED
        for question_id in PATH[stop:]:
            await bot.answer(question_id, CHILD_PATH[question_id], person)
        assert len(bot.verdicts(person.id)) == 1
    assert [e.kind for e in bot.events].count("completed") == len(BURSTS)
    assert bot.unanswered() == []
