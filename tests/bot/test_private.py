"""A private consultation end to end: one message edited in place, the verdict as a new message."""

from __future__ import annotations

from html import escape

import pytest

from bot.codec import Action, question_char
from flows import consultation as consultation_module
from flows import texts
from flows.consultation import Consultation
from flows.events import Previous
from flows.outcome import Verdict
from knowledge.engine import decide
from knowledge.models import Jurisdiction, Rule
from tests.bot.conftest import FAMILY_PATH, WORKER, Harness, Launch, make_settings
from tests.bot.fakeapi import FakeBotApi


def without(answers: dict[str, str], *questions: str) -> dict[str, str]:
    """The answers less some questions."""
    return {key: value for key, value in answers.items() if key not in questions}


def expected_verdict(answers: dict[str, str]) -> Verdict:
    """What the flows answer for these answers (the bot must say the same)."""
    outcome = Consultation(("fr",), answers).current()
    assert isinstance(outcome, Verdict)
    return outcome


async def test_consultation_reaches_the_verdict_with_its_headline_and_sources(bot: Harness) -> None:
    """/start, five answers in one edited message, then the verdict card as a new HTML message."""
    await bot.command("/start")
    welcome, question = bot.messages()
    assert "Chaise vide" in welcome["text"]
    await bot.answer_all(FAMILY_PATH)
    messages = bot.messages()
    assert len(messages) == 3  # welcome, the question message (now a recap), the verdict
    assert messages[1]["message_id"] == question["message_id"]
    assert texts.DONE_BELOW in messages[1]["text"]
    assert not bot.buttons(messages[1])
    verdict = expected_verdict(FAMILY_PATH)
    html = messages[2]["text"]
    assert html.startswith(f"<b>{escape(texts.VERDICT_TITLES[verdict.verdict], quote=False)}</b>")
    source = verdict.jurisdiction.sources[verdict.rule.sources[0]]
    assert f'<a href="{source.url}">{escape(source.label, quote=False)}</a>' in html
    assert source.article in source.label
    assert texts.HEADINGS["answers"] in html
    labels = [label for label, _ in bot.buttons(messages[2])]
    assert texts.BUTTONS["thumbs_up"] in labels
    assert texts.BUTTONS["change"] in labels
    assert [e.kind for e in bot.events] == ["progress"] * 4 + ["completed"]
    assert bot.events[-1].rule == verdict.rule.id
    assert dict(bot.events[-1].answers) == FAMILY_PATH
    assert [e.stopped_at for e in bot.events] == ["setting", "requester", "risk", "consent", None]
    first, *_, last = bot.events
    assert first.previous == Previous("fr", {}, 0)  # the first answer: no row yet
    assert last.previous == Previous("fr", without(FAMILY_PATH, "consent"), 0)


async def test_every_edit_targets_the_one_question_message(bot: Harness) -> None:
    """The questions never pile up: each answer edits the same message and answers the press."""
    await bot.command("/consulter")
    first = bot.question_message()
    await bot.answer("profession", "ass")
    await bot.answer("setting", "shelter")
    edits = bot.api.calls_to("editMessageText")
    assert {int(e["message_id"]) for e in edits} == {first["message_id"]}
    assert len(bot.api.calls_to("answerCallbackQuery")) == 2
    assert bot.asked() == "requester"


async def test_back_asks_the_previous_question_again_and_counts_the_step(bot: Harness) -> None:
    """↩️ goes back one question, in place; the back step is reported with the verdict."""
    await bot.command("/consulter")
    await bot.answer("profession", "ass")
    await bot.answer("setting", "shelter")
    await bot.press(bot.question_message(), bot.find(bot.question_message(), Action.BACK))
    assert bot.asked() == "setting"
    await bot.answer_all(FAMILY_PATH)
    assert bot.events[-1].kind == "completed"
    assert bot.events[-1].back_steps == 1


async def test_changing_an_answer_at_the_verdict_keeps_later_answers(bot: Harness) -> None:
    """✏️ then a question: asked again in a new message; later answers that still apply are kept."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    await bot.press(verdict_message, bot.find(verdict_message, Action.CHANGE_MENU))
    menu = bot.api.message(WORKER.id, verdict_message["message_id"])
    assert menu["text"] == verdict_message["text"]  # only the buttons changed
    await bot.press(menu, bot.find(menu, Action.CHANGE, question_char("setting")))
    assert bot.asked() == "setting"
    assert bot.messages()[-1]["message_id"] != verdict_message["message_id"]
    await bot.answer("setting", "social_aid")
    changed = {**FAMILY_PATH, "setting": "social_aid"}
    assert bot.events[-1].kind == "completed"
    assert dict(bot.events[-1].answers) == changed  # requester, risk, consent were kept
    expected = expected_verdict(changed)
    assert bot.messages()[-1]["text"].startswith(
        f"<b>{escape(texts.VERDICT_TITLES[expected.verdict], quote=False)}</b>"
    )


async def test_back_from_the_verdict_sends_the_last_question_anew(bot: Harness) -> None:
    """↩️ on the verdict keeps the verdict in the history and asks the last question below it."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    await bot.press(verdict_message, bot.find(verdict_message, Action.BACK))
    assert bot.asked() == "consent"
    assert (
        bot.api.message(WORKER.id, verdict_message["message_id"])["text"] == verdict_message["text"]
    )


async def test_help_shows_the_explanation_and_glossary_then_hides_it(bot: Harness) -> None:
    """❓ adds the question's help and its glossary terms to the same message; ⬅️ removes them."""
    await bot.command("/consulter")
    question = bot.question_message()
    await bot.press(question, bot.find(question, Action.HELP))
    law = Consultation(("fr",)).jurisdiction
    profession = law.question("profession")
    shown = bot.api.message(WORKER.id, question["message_id"])
    assert escape(profession.help, quote=False) in shown["text"]
    term = law.term(profession.glossary[0])
    assert escape(term.term, quote=False) in shown["text"]
    await bot.press(shown, bot.find(shown, Action.QUESTION))
    assert profession.help not in bot.api.message(WORKER.id, question["message_id"])["text"]


async def test_feedback_thumbs_down_asks_a_reason_and_reports_both(bot: Harness) -> None:
    """👎 swaps in the three reasons; a reason thanks the worker; both are reported, no ids."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    await bot.press(verdict_message, bot.find(verdict_message, Action.FEEDBACK, "0"))
    asking = bot.api.message(WORKER.id, verdict_message["message_id"])
    labels = [label for label, _ in bot.buttons(asking)]
    assert all(reason in labels for reason in texts.FEEDBACK_REASONS.values())
    await bot.press(asking, bot.find(asking, Action.REASON, "1"))
    thanked = bot.api.message(WORKER.id, verdict_message["message_id"])
    assert texts.BUTTONS["thanks"] in [label for label, _ in bot.buttons(thanked)]
    kinds = [(e.kind, e.feedback, e.reason) for e in bot.events]
    assert kinds[-2:] == [("feedback", "down", None), ("feedback_reason", None, "unclear")]
    assert bot.events[-1].rule == expected_verdict(FAMILY_PATH).rule.id


async def test_thumbs_up_thanks_and_reports(bot: Harness) -> None:
    """👍 thanks the worker (a toast) and reports 'up'."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    await bot.press(verdict_message, bot.find(verdict_message, Action.FEEDBACK, "1"))
    assert bot.events[-1].feedback == "up"
    assert bot.api.calls_to("answerCallbackQuery")[-1]["text"] == texts.FEEDBACK_THANKS


async def test_restart_in_the_middle_reports_an_abandoned_consultation(bot: Harness) -> None:
    """🔄 before the verdict starts over in place and reports the abandoned answers."""
    await bot.command("/consulter")
    await bot.answer("profession", "health")
    await bot.answer("setting", "hospital")
    question = bot.question_message()
    await bot.press(question, bot.find(question, Action.RESTART))
    assert bot.asked() == "profession"
    assert bot.events[-1].kind == "abandoned"
    assert dict(bot.events[-1].answers) == {"profession": "health", "setting": "hospital"}


async def test_urgence_button_gives_the_emergency_card_from_any_step(bot: Harness) -> None:
    """🚨 on a question sends the 'act now' card with the emergency numbers."""
    await bot.command("/consulter")
    await bot.answer("profession", "social")
    question = bot.question_message()
    await bot.press(question, bot.find(question, Action.URGENCE))
    card = bot.messages()[-1]["text"]
    assert card.startswith(f"<b>{escape(texts.VERDICT_TITLES['must_act'], quote=False)}</b>")
    assert "112" in card
    assert bot.events[-1].verdict == "must_act"


async def test_urgence_command_sends_the_emergency_card_at_once(bot: Harness) -> None:
    """/urgence answers with the emergency card straight away."""
    await bot.command("/urgence")
    card = bot.messages()[-1]["text"]
    assert card.startswith(f"<b>{escape(texts.VERDICT_TITLES['must_act'], quote=False)}</b>")
    assert texts.HEADINGS["emergency"] in card


async def test_consulter_with_words_prefills_the_answers(bot: Harness) -> None:
    """/consulter police refus skips nothing it cannot know but records requester and consent."""
    await bot.command("/consulter police refus")
    await bot.answer("profession", "ass")
    await bot.answer("setting", "social_aid")
    assert bot.asked() == "risk"  # requester came from the words
    await bot.answer("risk", "none")
    assert bot.events[-1].answers["requester"] == "police"
    assert bot.events[-1].answers["consent"] == "refused"


async def test_help_sources_and_about_pages(bot: Harness) -> None:
    """/aide, /sources and /apropos answer with French pages; sources are links."""
    await bot.command("/aide")
    await bot.command("/sources")
    await bot.command("/apropos")
    texts_sent = [m["text"] for m in bot.messages()]
    assert "/consulter" in texts_sent[0]
    assert any('<a href="https://' in text for text in texts_sent[1:-1])
    law = Consultation(("fr",)).jurisdiction
    assert bot.app.bot_data["chaisevide"].knowledge.version in texts_sent[-1]
    assert all(len(text) <= 4096 for text in texts_sent)
    assert law.name in "".join(texts_sent)


async def test_commands_are_registered_in_french_for_private_chats_and_groups(bot: Harness) -> None:
    """At start-up, one command menu for private chats and one for groups."""
    calls = bot.api.calls_to("setMyCommands")
    scopes = {call["scope"]["type"]: call["commands"] for call in calls}
    assert {c["command"] for c in scopes["all_private_chats"]} >= {
        "start", "consulter", "urgence", "aide", "sources", "apropos"
    }  # fmt: skip
    assert "verif" in {c["command"] for c in scopes["all_group_chats"]}


async def test_an_instance_serving_two_countries_asks_the_country_first(
    api: FakeBotApi, launch: Launch
) -> None:
    """France and Belgium served: the country comes first, then Belgian choices and rules."""
    bot = await launch(make_settings(api, jurisdictions=("fr", "be")))
    await bot.command("/consulter")
    answers = {
        "jurisdiction": "be",
        "profession": "as",
        "setting": "cpas",
        "requester": "family",
        "risk": "none",
        "consent": "refused",
    }
    await bot.answer_all(answers)
    outcome = Consultation(("fr", "be"), answers).current()
    assert isinstance(outcome, Verdict)
    assert bot.events[-1].jurisdiction == "be"
    assert bot.events[-1].rule == outcome.rule.id
    assert bot.messages()[-1]["text"].startswith(
        f"<b>{escape(texts.VERDICT_TITLES[outcome.verdict], quote=False)}</b>"
    )


async def test_the_last_answer_runs_the_rules_once(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verdict of a press is computed once and passed down: shown, reported, never redone."""
    await bot.command("/consulter")
    for question_id in ("profession", "setting", "requester", "risk"):
        await bot.answer(question_id, FAMILY_PATH[question_id])
    calls: list[str] = []

    def counted(law: Jurisdiction, answers: dict[str, str]) -> Rule:
        """The rule engine, counting its runs."""
        calls.append(law.id)
        return decide(law, answers)

    monkeypatch.setattr(consultation_module, "decide", counted)
    await bot.answer("consent", "refused")
    assert bot.events[-1].kind == "completed"
    assert calls == ["fr"]
