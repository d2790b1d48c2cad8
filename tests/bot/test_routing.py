"""Presses are routed by the action char that leads their data; the rest falls to one handler."""

from __future__ import annotations

import re

from telegram.ext import CallbackQueryHandler

from bot import buttons
from bot.codec import Action, Codec
from flows import texts
from tests.bot.conftest import FAMILY_PATH, WORKER, Harness

ACTIONS = {value for name, value in vars(Action).items() if name.isupper()}


def signed(codec: Codec, body: str) -> str:
    """Callback data with our own signature (as a release of this bot would have sent it)."""
    return body + codec._mac(body)


def routes(bot: Harness) -> list[CallbackQueryHandler]:
    """The button handlers, in match order."""
    return [h for h in bot.app.handlers[0] if isinstance(h, CallbackQueryHandler)]


def handling(bot: Harness, data: str) -> str:
    """The name of the handler a press with this data reaches first."""
    for handler in routes(bot):
        pattern = handler.pattern
        if pattern is None or re.match(pattern, data):
            return handler.callback.__name__
    raise AssertionError("no handler")


async def test_every_action_has_one_handler_and_the_last_takes_anything(bot: Harness) -> None:
    """Each action char is routed by exactly one pattern; the last handler has none."""
    patterned = [handler for handler in routes(bot) if handler.pattern is not None]
    for action in ACTIONS:
        matching = [h for h in patterned if re.match(h.pattern, f"{action}2")]
        assert len(matching) == 1, action
    assert routes(bot)[-1].pattern is None
    assert {*buttons.CONSULTATION, *buttons.VERDICT, *buttons.DELETE, *buttons.AGAIN} == ACTIONS


async def test_presses_reach_the_handler_of_their_action(bot: Harness) -> None:
    """Answers to one handler, verdict buttons to another, deletion to a third, « 🔁 » to a
    fourth; format 1 (it starts with '1'), garbage and unknown actions to the last."""
    await bot.command("/consulter")
    question = bot.question_message()
    assert handling(bot, bot.find(question, Action.ANSWER)) == "on_consultation_button"
    assert handling(bot, bot.find(question, Action.HELP)) == "on_consultation_button"
    assert handling(bot, f"{Action.FEEDBACK}2…") == "on_verdict_button"
    assert handling(bot, f"{Action.DELETE}2…") == "on_delete_button"
    assert handling(bot, f"{Action.AGAIN}2…") == "on_again_button"
    for data in (f"1{bot.codec.kb}…", "garbage", f"z2{bot.codec.kb}…"):
        assert handling(bot, data) == "on_other_button"


async def test_a_format_1_verdict_button_goes_the_way_of_todays(bot: Harness) -> None:
    """👍 on a verdict sent by the first release: reported and thanked, like a button of today."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict = bot.messages()[-1]
    slots = "-015--61"  # ass, shelter, family, –, –, none, refused (codes by position)
    await bot.press(verdict, signed(bot.codec, f"1{bot.codec.kb}0{slots}0pf1"))
    assert bot.alerts() == []
    assert (bot.events[-1].kind, bot.events[-1].feedback) == ("feedback", "up")
    assert bot.api.calls_to("answerCallbackQuery")[-1]["text"] == texts.FEEDBACK_THANKS


async def test_signed_data_with_an_unknown_action_gets_the_kind_alert(bot: Harness) -> None:
    """An action no release ever sent, in either format: the kind alert, nothing changes."""
    await bot.command("/consulter")
    question = bot.question_message()
    state = bot.read(bot.find(question, Action.ANSWER)).state
    await bot.press(question, bot.codec.pack(state, "z"))
    await bot.press(question, signed(bot.codec, f"1{bot.codec.kb}0--------0pz"))
    assert bot.alerts() == [texts.BAD_BUTTON] * 2
    assert bot.api.message(WORKER.id, question["message_id"]) == question
    assert bot.events == []
