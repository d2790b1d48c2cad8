"""« 🔁 Afficher la réponse »: where it is left, what one tap shows, and the failures that end
quietly instead (a blocked bot, a chat gone)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest

from bot import webhook
from bot.codec import Action, read_answer
from bot.retry import RetryPolicy
from flows import texts
from tests.bot.conftest import (
    CHILD_PATH,
    CHILD_QUESTIONS,
    FAMILY_PATH,
    WORKER,
    Harness,
    Launch,
    make_settings,
    uncapped,
)
from tests.bot.fakeapi import FakeBotApi
from tests.bot.test_transport import SECRET, free_port, wait_for
from tests.bot.updates import Person, button_press, text_message

PATH = CHILD_QUESTIONS
TEAM = -100777
COLLEAGUE = Person(4444, "Sam")


async def up_to_last_answer(bot: Harness, person: Person = WORKER, chat: int | None = None) -> str:
    """/consulter (or /verif in a group), then every answer but the last; its question id."""
    await bot.command("/verif" if chat else "/consulter", person, chat)
    for question_id in PATH[:-1]:
        await bot.answer(question_id, CHILD_PATH[question_id], person, chat)
    return PATH[-1]


def bot_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The bot's own log lines."""
    return [record.getMessage() for record in caplog.records if record.name == "bot"]


async def test_a_verdict_part_lost_comes_alone_from_the_button(
    api: FakeBotApi, bot: Harness
) -> None:
    """The first part arrives, the second fails past its tries: « 🔁 » goes on the first part and
    sends only the second; no part twice, the verdict's buttons under the last one."""
    last = await up_to_last_answer(bot)
    api.fail("sendMessage", "502", times=3, after=1)
    await bot.answer(last, CHILD_PATH[last])
    message, data = bot.again_button()
    (verdict,) = bot.verdicts()
    assert message["message_id"] == verdict["message_id"]
    assert bot.read(data).argument == "1"
    assert [e.kind for e in bot.events].count("completed") == 1
    await bot.again()
    shown = [m["text"] for m in bot.messages()]
    assert len(shown) == len(set(shown)) == 3  # the recap, then the two parts, once each
    assert bot.again_button() is None
    assert bot.find(bot.messages()[-1], Action.FEEDBACK, "1")
    assert [e.kind for e in bot.events].count("completed") == 1


async def test_the_group_card_comes_back_for_the_member_who_asked_only(
    api: FakeBotApi, bot: Harness
) -> None:
    """A team check whose card fails past its tries: « 🔁 » on the recap; another member's tap
    gets the usual alert, the owner's brings the card."""
    last = await up_to_last_answer(bot, WORKER, TEAM)
    api.fail("sendMessage", "500", times=3)
    await bot.answer(last, CHILD_PATH[last], WORKER, TEAM)
    message, data = bot.again_button(TEAM)
    assert texts.DONE_BELOW in message["text"]
    await bot.press(message, data, COLLEAGUE, TEAM)
    assert bot.alerts() == [texts.NOT_YOUR_CHECK]
    await bot.again(WORKER, TEAM)
    assert len(bot.verdicts(TEAM)) == 1
    assert bot.again_button(TEAM) is None
    assert [e.kind for e in bot.events].count("completed") == 1


async def test_the_note_for_the_file_lost_is_sent_by_a_second_tap(
    api: FakeBotApi, bot: Harness
) -> None:
    """📝 fails past its tries: an alert says to tap again, and the next tap sends the note."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict = bot.messages()[-1]
    note = bot.find(verdict, Action.NOTE)
    api.fail("sendMessage", "502", times=3)
    await bot.press(verdict, note)
    assert bot.alerts() == [texts.NOTE_NOT_SENT]
    await bot.press(verdict, note)  # at once: no double tap, the first one showed nothing
    assert bot.messages()[-1]["text"].startswith("<pre>")
    assert bot.api.calls_to("answerCallbackQuery")[-1]["text"] == texts.NOTE_SENT


async def test_when_even_the_way_back_is_lost_the_same_button_works_again(
    api: FakeBotApi, bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Every way to show something fails past its tries: nothing is reported, one line says so,
    and pressing the same answer again at once moves on, counted once."""
    await bot.command("/consulter")
    question = bot.question_message()
    for method in ("editMessageText", "editMessageReplyMarkup", "sendMessage"):
        api.fail(method, "reset", times=3)
    await bot.answer("profession", "ass")
    assert bot.api.message(WORKER.id, question["message_id"]) == question
    assert bot.events == []
    assert sum("delivery lost" in line for line in bot_lines(caplog)) == 1
    await bot.answer("profession", "ass")
    assert bot.asked() == "setting"
    assert [e.kind for e in bot.events] == ["progress"]


@pytest.mark.parametrize("kind", ["403", "chat_not_found"])
async def test_a_blocked_bot_or_a_chat_gone_ends_quietly_on_one_line(
    api: FakeBotApi, bot: Harness, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    """The verdict meets 'Forbidden' (the worker blocked the bot) or 'chat not found': no
    retry, no « 🔁 », no message to tell anyone, one log line naming the step and the class;
    the consultation is not counted as completed."""
    last = await up_to_last_answer(bot)
    api.fail("sendMessage", kind)
    await bot.answer(last, CHILD_PATH[last])
    (line,) = bot_lines(caplog)
    assert line.startswith("step=on_consultation_button error=")
    assert [c.method for c in api.faulty_calls()] == ["sendMessage"]
    assert len(api.calls_to("sendMessage", with_faults=True)) == 2  # the question, the verdict
    assert bot.again_button() is None
    assert "completed" not in [e.kind for e in bot.events]  # nobody read a verdict


async def test_flood_control_past_the_rate_limiter_is_waited_then_left_to_the_button(
    api: FakeBotApi, launch: Launch, caplog: pytest.LogCaptureFixture
) -> None:
    """429 again and again: the rate limiter waits as asked (its delays logged as numbers),
    each further try waits as asked too, and past the tries « 🔁 » brings the verdict."""
    caplog.set_level(logging.INFO)
    policy = RetryPolicy(tries=2, budget=5.0, first_wait=0.001, max_wait=0.001, try_timeout=2.0)
    bot = await launch(retry=policy, rate_limiter=uncapped())
    last = await up_to_last_answer(bot)
    api.fail("sendMessage", "429", seconds=0.01, times=8)  # 4 tries of the limiter, twice
    await bot.answer(last, CHILD_PATH[last])
    assert "Rate limit hit. Retrying after 0.110000 seconds" in caplog.text
    assert "delivery method=sendMessage error=RetryAfter try=1/2 waited=0.00s retry_in=0.01s" in (
        caplog.text
    )
    await bot.again()
    assert len(bot.verdicts()) == 1
    assert [e.kind for e in bot.events].count("completed") == 1


async def test_a_burst_does_not_hold_other_workers_back(api: FakeBotApi, launch: Launch) -> None:
    """One worker's press waits between its tries; another worker's press, queued after it,
    is handled meanwhile (updates are handled concurrently, waits are the update's own)."""
    policy = RetryPolicy(tries=3, budget=5.0, first_wait=0.2, max_wait=0.2, try_timeout=2.0)
    bot = await launch(retry=policy)
    slow, other = Person(5551), Person(5552)
    for person in (slow, other):
        await bot.command("/consulter", person)
    api.fail("editMessageText", "502", chat=slow.id)
    await bot.app.start()  # presses now go through the update queue, as polling or webhook
    try:
        for person in (slow, other):
            question = bot.question_message(person.id)
            data = bot.find(question, Action.ANSWER)
            await bot.app.update_queue.put(
                bot.update(button_press(person, person.id, question, data))
            )
            if person is slow:
                await wait_for(lambda: api.faulty_calls())  # its first try failed: it waits
        await wait_for(lambda: bot.asked(slow.id) == "setting")
    finally:
        await bot.app.stop()
    edits = [int(c["chat_id"]) for c in api.calls_to("editMessageText")]
    assert edits == [other.id, slow.id]  # the other worker's answer came first


async def test_a_press_telegram_is_slow_to_answer_does_not_delay_what_it_shows(
    api: FakeBotApi, bot: Harness
) -> None:
    """answerCallbackQuery hangs: the next question is on screen all the same, before it ends."""
    await bot.command("/consulter")
    gate = api.hold("answerCallbackQuery")
    pressing = asyncio.create_task(bot.answer("profession", "ass"))
    try:
        await wait_for(lambda: bot_asks(bot, "setting"))
        assert not pressing.done()  # the press is still being answered
    finally:
        gate.set()
    await pressing
    assert bot.unanswered() == []


async def test_the_retry_log_lines_say_how_it_went_and_name_nobody(
    api: FakeBotApi, bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """One line per failed try: method, error class, try n/N, seconds waited; no id, no text."""
    await bot.command("/consulter")
    api.fail("editMessageText", "reset")
    api.fail("editMessageText", "502")
    await bot.answer("profession", "ass")
    lines = bot_lines(caplog)
    assert len(lines) == 2
    assert lines[0].startswith("delivery method=editMessageText error=NetworkError try=1/3 ")
    assert lines[1].startswith("delivery method=editMessageText error=NetworkError try=2/3 ")
    assert all("waited=" in line and "retry_in=" in line for line in lines)
    assert str(WORKER.id) not in caplog.text
    assert WORKER.first_name not in caplog.text


async def test_webhook_answers_telegram_at_once_while_a_burst_is_outlasted(
    api: FakeBotApi, launch: Launch
) -> None:
    """Webhook mode: each update gets its 200 before the bot has shown anything (the verdict is
    still held by Telegram), so Telegram never delivers it twice; the burst that follows ends
    with « 🔁 », whose tap, posted like any update, brings the verdict once."""
    port = free_port()
    settings = make_settings(
        api, webhook_url="https://bot.example.org/hook", webhook_secret=SECRET, port=port
    )
    bot = await launch(settings)
    await bot.app.start()
    server = webhook.start_web_server(bot.app, settings)
    url = f"http://127.0.0.1:{port}/hook"
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    statuses: list[int] = []

    async def post(client: httpx.AsyncClient, update: dict[str, Any]) -> None:
        """Telegram posts one update to the webhook."""
        bot.update_id += 1
        body = json.dumps({"update_id": bot.update_id, **update})
        statuses.append((await client.post(url, content=body, headers=headers)).status_code)

    try:
        async with httpx.AsyncClient() as client:
            await post(client, text_message(WORKER, "/consulter"))
            for question_id in PATH:
                await wait_for(lambda q=question_id: bot_asks(bot, q))
                question = bot.question_message()
                data = next(
                    d
                    for _, d in bot.buttons(question)
                    if bot.read(d).action == Action.ANSWER
                    and read_answer("fr", bot.read(d).argument)
                    == (question_id, CHILD_PATH[question_id])
                )
                if question_id == PATH[-1]:
                    gate = api.hold("sendMessage")
                    api.fail("sendMessage", "502", times=3)
                await post(client, button_press(WORKER, WORKER.id, question, data))
            assert not gate.is_set()  # Telegram has its 200; the verdict is not out yet
            assert bot.verdicts() == []
            gate.set()
            await wait_for(lambda: bot.again_button() is not None)
            message, data = bot.again_button()
            await post(client, button_press(WORKER, WORKER.id, message, data))
            await wait_for(lambda: len(bot.verdicts()) == 1)
    finally:
        server.stop()
        await server.close_all_connections()
        await bot.app.stop()
    assert statuses == [200] * (len(PATH) + 2)
    answered = [c["callback_query_id"] for c in api.calls_to("answerCallbackQuery")]
    assert len(answered) == len(set(answered)) == len(PATH) + 1
    assert [e.kind for e in bot.events].count("completed") == 1


def bot_asks(bot: Harness, question_id: str) -> bool:
    """Whether the question on screen is this one (False while none is)."""
    try:
        return bot.asked() == question_id
    except AssertionError:
        return False
