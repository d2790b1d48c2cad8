"""Team group quick checks: one compact message, owned by whoever started it, verdict for all."""

from __future__ import annotations

from html import escape

from bot import pages
from bot.codec import Action, question_char
from flows import texts
from flows.consultation import Consultation
from flows.events import Previous
from flows.outcome import Verdict
from knowledge.loader import load_knowledge
from tests.bot.conftest import Harness
from tests.bot.updates import Person

TEAM = -100200300
OWNER = Person(2001, "Alex")
OTHER = Person(2002, "Sam")


async def test_verif_with_words_starts_a_prefilled_compact_check(bot: Harness) -> None:
    """/verif police refus: requester and consent are known; the profession is asked first."""
    await bot.command("/verif police refus", OWNER, TEAM)
    (message,) = bot.messages(TEAM)
    assert texts.GROUP_TITLE in message["text"]
    assert bot.asked(TEAM) == "profession"
    labels = [label for label, _ in bot.buttons(message)]
    assert texts.BUTTONS["help"] not in labels  # compact: no help page in a group


async def test_another_member_gets_an_alert_and_the_message_does_not_change(bot: Harness) -> None:
    """Only the member who started the check may press its buttons; others are invited to /verif."""
    await bot.command("/verif", OWNER, TEAM)
    before = bot.question_message(TEAM)
    edits = len(bot.api.calls_to("editMessageText"))
    data = bot.find(before, Action.ANSWER, question_char("profession") + "0")
    await bot.press(before, data, OTHER, TEAM)
    assert bot.alerts() == [texts.NOT_YOUR_CHECK]
    assert len(bot.api.calls_to("editMessageText")) == edits
    assert bot.api.message(TEAM, before["message_id"]) == before
    await bot.press(before, data, OWNER, TEAM)
    assert bot.asked(TEAM) == "setting"


async def test_the_owner_completes_the_check_and_the_verdict_is_posted_for_the_team(
    bot: Harness,
) -> None:
    """The owner answers; the compact verdict is a new group message with a private deep link."""
    await bot.command("/verif police refus", OWNER, TEAM)
    await bot.answer("profession", "ass", OWNER, TEAM)
    await bot.answer("setting", "social_aid", OWNER, TEAM)
    await bot.answer("risk", "none", OWNER, TEAM)
    messages = bot.messages(TEAM)
    assert len(messages) == 2
    assert texts.DONE_BELOW in messages[0]["text"]
    answers = {
        "profession": "ass",
        "setting": "social_aid",
        "requester": "police",
        "risk": "none",
        "consent": "refused",
    }
    verdict = Consultation(("fr",), answers).current()
    assert isinstance(verdict, Verdict)
    posted = messages[1]
    assert posted["text"].startswith(
        f"<b>{escape(texts.VERDICT_TITLES[verdict.verdict], quote=False)}</b>"
    )
    assert texts.HEADINGS["answers"] not in posted["text"]  # compact card
    (button,) = posted["reply_markup"]["inline_keyboard"][0]
    assert button["url"].startswith("https://t.me/chaisevide_test_bot?start=")
    assert bot.events[-1].channel == "group"
    assert bot.events[-1].rule == verdict.rule.id


async def test_unknown_words_get_a_kind_reply_that_does_not_repeat_them(bot: Harness) -> None:
    """/verif with a word not understood: a reply listing the words understood (not echoing the
    text), then the check starts with what was understood."""
    await bot.command("/verif police Dupont", OWNER, TEAM)
    reply, check = bot.messages(TEAM)
    assert all("Dupont" not in m["text"] for m in (reply, check))
    assert "police" in reply["text"]
    assert reply["text"] == pages.words_unknown(load_knowledge(), ("fr",), "fr")
    assert bot.asked(TEAM) == "profession"


async def test_group_ignores_typed_text_and_private_commands_point_to_verif(bot: Harness) -> None:
    """Free text in a group gets no answer; /start in a group points to /verif."""
    await bot.command("il habite 12 rue des Lilas", OWNER, TEAM)
    assert bot.messages(TEAM) == []
    await bot.command("/start", OWNER, TEAM)
    (reply,) = bot.messages(TEAM)
    assert "/verif" in reply["text"]


async def test_restart_by_the_owner_keeps_the_check_in_place(bot: Harness) -> None:
    """🔄 in a group starts the same message over and reports the abandoned check."""
    await bot.command("/verif famille", OWNER, TEAM)
    await bot.answer("profession", "social", OWNER, TEAM)
    message = bot.question_message(TEAM)
    await bot.press(message, bot.find(message, Action.RESTART), OWNER, TEAM)
    assert bot.asked(TEAM) == "profession"
    # /verif famille prefilled an answer: the check had a row from the start
    assert [e.kind for e in bot.events] == ["progress", "progress", "abandoned"]
    assert {e.channel for e in bot.events} == {"group"}
    assert bot.events[0].previous is None
    left = {"requester": "family", "profession": "social"}
    assert bot.events[-1].previous == Previous("fr", left)
    assert len(bot.messages(TEAM)) == 1


async def test_group_urgence_posts_the_emergency_card(bot: Harness) -> None:
    """/urgence in a group posts the 'act now' card for the whole team."""
    await bot.command("/urgence", OWNER, TEAM)
    (card,) = bot.messages(TEAM)
    assert card["text"].startswith(
        f"<b>{escape(texts.VERDICT_TITLES['must_act'], quote=False)}</b>"
    )


async def test_the_team_sees_the_requester_and_the_authority_apart(bot: Harness) -> None:
    """A school asks an ASE educator about a child in danger: the card posted for the team says
    « rien » to the requester and, on its own line, the CRIP's duty."""
    await bot.command("/verif requester=other risk=child consent=refused", OWNER, TEAM)
    await bot.answer("profession", "social", OWNER, TEAM)
    await bot.answer("setting", "child_protection", OWNER, TEAM)
    card = bot.messages(TEAM)[-1]["text"]
    head = card.split("\n\n", 1)[0]
    assert "➡️ <b>À ce tiers : rien. Ne confirmez ni n'infirmez.</b>" in head
    assert "➡️ <b>À la CRIP (conseil départemental) : transmettre" in head
    assert head.index("À ce tiers") < head.index("À la CRIP")
