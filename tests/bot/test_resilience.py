"""Nothing loses a consultation: restarts, Telegram errors, forged, oversized or stale buttons."""

from __future__ import annotations

import time

import pytest

from bot.app import Timeouts
from bot.codec import PRIVATE, Action, State, answer_argument, read_answer
from flows import texts
from flows.events import Previous
from tests.bot.conftest import FAMILY_PATH, WORKER, Harness, Launch
from tests.bot.fakeapi import FakeBotApi
from tests.bot.updates import button_press


async def test_a_restart_in_the_middle_does_not_break_the_consultation(launch: Launch) -> None:
    """Stop the bot mid-consultation, start a new process: the old message's buttons go on."""
    first = await launch()
    await first.command("/consulter")
    await first.answer("profession", "ass")
    await first.answer("setting", "shelter")
    await first.app.shutdown()
    second = await launch()  # a new Application, a new HTTP client, nothing carried over
    await second.answer("requester", "family")
    await second.answer("risk", "none")
    await second.answer("consent", "refused")
    await second.app.shutdown()
    assert [e.kind for e in second.events] == ["progress", "progress", "completed"]
    assert dict(second.events[-1].answers) == FAMILY_PATH
    # the new process continues the row the first one left: it needs nothing but the button
    assert second.events[0].previous == Previous("fr", {"profession": "ass", "setting": "shelter"})
    assert second.unanswered() == []


async def test_rate_limit_server_errors_and_timeouts_during_a_consultation(
    api: FakeBotApi, launch: Launch
) -> None:
    """429 (retry after), 500 and a timeout on the way: the consultation still completes."""
    bot = await launch(timeouts=Timeouts(connect=1, read=0.3, write=1, pool=1))
    await bot.command("/consulter")
    api.fail("editMessageText", "429", seconds=1)
    started = time.monotonic()
    await bot.answer("profession", "ass")
    assert time.monotonic() - started >= 1.0  # the rate limiter waited as Telegram asked
    assert bot.asked() == "setting"
    api.fail("editMessageText", "500")
    await bot.answer("setting", "shelter")
    assert bot.asked() == "requester"
    api.fail("answerCallbackQuery", "timeout", seconds=0.6)
    api.fail("editMessageText", "timeout", seconds=0.6)
    await bot.answer("requester", "family")
    assert bot.asked() == "risk"
    api.fail("sendMessage", "500")
    await bot.answer_all(FAMILY_PATH)
    await bot.app.shutdown()
    faults = [c.fault for c in api.calls if c.fault]
    assert faults == ["429", "500", "timeout", "timeout", "500"]
    assert bot.messages()[-1]["text"].startswith("<b>🤐")
    assert bot.events[-1].kind == "completed"
    assert bot.unanswered() == []


async def test_an_edit_that_fails_past_its_tries_leaves_the_way_back(
    api: FakeBotApi, launch: Launch
) -> None:
    """Telegram fails the edit three times: the question keeps its text and gets « 🔁 », whose
    tap shows the next question; no error message, one progress event."""
    bot = await launch()
    await bot.command("/consulter")
    question = bot.question_message()
    api.fail("editMessageText", "500", times=3)
    await bot.answer("profession", "ass")
    shown = bot.api.message(WORKER.id, question["message_id"])
    assert shown["text"] == question["text"]
    assert [label for label, _ in bot.buttons(shown)] == [texts.BUTTONS["again"]]
    assert [e.kind for e in bot.events] == ["progress"]
    await bot.again()
    assert bot.asked() == "setting"
    assert [e.kind for e in bot.events] == ["progress"]
    assert texts.TECHNICAL_PROBLEM not in [m["text"] for m in bot.messages()]
    await bot.app.shutdown()
    assert bot.unanswered() == []


async def test_forged_callback_data_is_refused_with_a_kind_alert(bot: Harness) -> None:
    """A button whose data was altered (answers changed, signature kept) is refused."""
    await bot.command("/consulter")
    question = bot.question_message()
    data = bot.find(question, Action.ANSWER)
    forged = data[:6] + ("0" if data[6] == "-" else "-") + data[7:]
    await bot.press(question, forged)
    await bot.press(question, "garbage")
    await bot.press(question, "")
    assert bot.alerts() == [texts.BAD_BUTTON] * 3
    assert bot.api.message(WORKER.id, question["message_id"]) == question


async def test_oversized_callback_data_is_refused_kindly(bot: Harness) -> None:
    """Data over 64 bytes, or not ASCII, never reaches the flows."""
    await bot.command("/consulter")
    question = bot.question_message()
    data = bot.find(question, Action.ANSWER)
    await bot.press(question, data + "x" * 64)
    await bot.press(question, data[:-1] + "é")
    assert bot.alerts() == [texts.BAD_BUTTON] * 2


async def test_a_group_button_cannot_be_forged_for_another_owner(bot: Harness) -> None:
    """Rewriting the owner tag breaks the signature: refused like any forged button."""
    team = -42
    await bot.command("/verif", WORKER, team)
    question = bot.question_message(team)
    data = bot.find(question, Action.ANSWER)
    state = bot.read(data).state
    tag = bot.codec.owner_tag(7777)
    forged = data.replace(state.owner, tag)
    await bot.press(question, forged, chat_id=team)
    assert bot.alerts() == [texts.BAD_BUTTON]


async def test_buttons_from_an_older_knowledge_base_replay_their_answers(bot: Harness) -> None:
    """A button signed for another knowledge version: answers replayed, the worker told."""
    await bot.command("/consulter")
    question = bot.question_message()
    old = State("old0", "fr", {"profession": "ass"}, 0, PRIVATE)
    data = bot.codec.pack(old, Action.ANSWER, answer_argument("fr", "setting", "shelter"))
    await bot.press(question, data)
    assert bot.asked() == "requester"
    assert bot.api.calls_to("answerCallbackQuery")[-1]["text"] == texts.KB_UPDATED


async def test_old_buttons_that_no_longer_fit_offer_a_kind_restart(bot: Harness) -> None:
    """A button from another base whose answers no longer apply: a restart is offered."""
    await bot.command("/consulter")
    question = bot.question_message()
    old = State("old0", "be", {"jurisdiction": "be"}, 0, PRIVATE)
    await bot.press(question, bot.codec.pack(old, Action.BACK))
    shown = bot.api.message(WORKER.id, question["message_id"])
    assert texts.KB_UPDATED_RESTART.split(" : ")[0] in shown["text"].replace("&#x27;", "'")
    await bot.press(shown, bot.find(shown, Action.START))
    assert bot.asked() == "profession"


async def test_a_double_tap_is_harmless(bot: Harness) -> None:
    """Pressing the same button twice: 'message is not modified' is ignored, no error shown."""
    await bot.command("/consulter")
    question = bot.question_message()
    data = bot.find(question, Action.HELP)
    await bot.press(question, data)
    await bot.press(question, data)
    assert bot.alerts() == []
    assert texts.TECHNICAL_PROBLEM not in [m["text"] for m in bot.messages()]


async def test_a_stale_answer_button_is_refused_not_misapplied(bot: Harness) -> None:
    """An answer button for a question that is not the one its state asks is refused."""
    await bot.command("/consulter")
    question = bot.question_message()
    state = bot.read(bot.find(question, Action.ANSWER)).state
    data = bot.codec.pack(state, Action.ANSWER, answer_argument("fr", "risk", "peril"))
    await bot.press(question, data)
    assert bot.alerts() == [texts.BAD_BUTTON]


async def test_a_press_answered_too_late_still_moves_on(bot: Harness) -> None:
    """'query is too old' on the answer is ignored: the message is still edited."""
    await bot.command("/consulter")
    question = bot.question_message()
    data = bot.find(question, Action.HELP)
    update = button_press(WORKER, WORKER.id, question, data)
    bot.api.store.answered.add(update["callback_query"]["id"])  # Telegram gave up on it
    await bot.send(update)
    shown = bot.api.message(WORKER.id, question["message_id"])
    assert shown["text"] != question["text"]
    assert texts.TECHNICAL_PROBLEM not in [m["text"] for m in bot.messages()]


async def test_a_worker_who_blocked_the_bot_is_only_logged_by_type(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Forbidden (bot blocked): logged as the error type and the step, no retry, no crash."""
    bot.api.fail("sendMessage", "403")
    await bot.command("/apropos")
    assert "step=about error=Forbidden" in caplog.text
    assert len(bot.api.calls_to("sendMessage", with_faults=True)) == 1


async def test_a_double_tap_on_the_last_answer_gives_one_verdict(bot: Harness) -> None:
    """The last answer pressed twice: one verdict message, one completed consultation."""
    await bot.command("/consulter")
    for question_id in ("profession", "setting", "requester", "risk"):
        await bot.answer(question_id, FAMILY_PATH[question_id])
    last = FAMILY_PATH["consent"]
    question = bot.question_message()
    data = next(
        d
        for _, d in bot.buttons(question)
        if bot.read(d).action == Action.ANSWER
        and read_answer(bot.read(d).state.jurisdiction, bot.read(d).argument)[1] == last
    )
    await bot.press(question, data)
    await bot.press(question, data)
    headline = texts.VERDICT_TITLES["must_keep_silent"]
    verdicts = [m for m in bot.messages() if headline in m["text"]]
    assert len(verdicts) == 1
    assert [e.kind for e in bot.events].count("completed") == 1
    assert bot.alerts() == []


async def test_a_format_1_answer_button_is_read_as_it_was_meant(bot: Harness) -> None:
    """A button sent by the previous release (choices by position) answers what it showed."""
    await bot.command("/consulter")
    question = bot.question_message()
    answers = {"profession": "ass", "setting": "shelter"}
    body = f"1{bot.codec.kb}0-01-----0p"  # profession=ass, setting=shelter, then "police" (6)
    data = body + "a36" + bot.codec._mac(body + "a36")
    await bot.press(question, data)
    assert bot.alerts() == []
    assert bot.asked() == "risk"  # police asks neither partner_bound nor same_mission
    state = bot.read(bot.find(bot.question_message(), Action.ANSWER)).state
    assert dict(state.answers) == {**answers, "requester": "police"}
