"""Consultation depth in Telegram: who gets what, what would change it, the note for the file."""

from __future__ import annotations

from html import unescape

from bot.codec import Action, answer_argument
from flows import texts
from flows.consultation import Consultation
from flows.file_note import file_note
from flows.outcome import Verdict
from tests.bot.conftest import FAMILY_PATH, Harness


def verdict_of(answers: dict[str, str]) -> Verdict:
    """What the flows answer for these answers (the bot must say the same)."""
    outcome = Consultation(("fr",), answers).current()
    assert isinstance(outcome, Verdict)
    return outcome


async def test_the_card_says_first_what_the_requester_gets(bot: Harness) -> None:
    """The verdict's first lines: headline, title, then « À la famille : rien. »."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    text = unescape(bot.messages()[-1]["text"])
    head = text.split("\n\n", 1)[0]
    assert head.splitlines()[0] == f"<b>{texts.VERDICT_TITLES['must_keep_silent']}</b>"
    assert "➡️ <b>À la famille : rien. Ne confirmez ni n'infirmez.</b>" in head


async def test_a_variant_button_shows_the_answer_if_the_person_agreed(bot: Harness) -> None:
    """« 🔀 Si « Oui, informée et d'accord » »: one tap, the verdict of that variant below."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    labels = [label for label, _ in bot.buttons(verdict_message)]
    assert "🔀 Si « Oui, informée et d'accord »" in labels
    data = bot.find(verdict_message, Action.VARIANT, answer_argument("fr", "consent", "given"))
    count = len(bot.messages())
    await bot.press(verdict_message, data)
    assert bot.alerts() == []
    new = bot.messages()[count:]
    assert new, "the variant's verdict is sent below"
    agreed = verdict_of({**FAMILY_PATH, "consent": "given"})
    assert unescape(new[0]["text"]).startswith(f"<b>{texts.VERDICT_TITLES[agreed.verdict]}</b>")
    assert bot.events[-1].kind == "completed"
    assert bot.events[-1].rule == agreed.rule.id


async def test_a_forged_variant_is_refused_kindly(bot: Harness) -> None:
    """A variant the verdict does not offer (a signed button for it) gets the kind alert."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    state = bot.read(bot.find(verdict_message, Action.CHANGE_MENU)).state
    data = bot.codec.pack(state, Action.VARIANT, answer_argument("fr", "setting", "hospital"))
    await bot.press(verdict_message, data)
    assert bot.alerts() == [texts.BAD_BUTTON]


async def test_the_note_for_the_file_comes_as_its_own_message(bot: Harness) -> None:
    """📝 sends the note in a block to copy; it holds categories and articles, nothing else."""
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    verdict_message = bot.messages()[-1]
    count = len(bot.messages())
    await bot.press(verdict_message, bot.find(verdict_message, Action.NOTE))
    (note,) = bot.messages()[count:]
    expected = file_note(verdict_of(FAMILY_PATH))
    assert unescape(note["text"]) == f"<pre>{expected}</pre>"
    assert "CP 226-13" in note["text"]
    assert bot.api.calls_to("answerCallbackQuery")[-1]["text"] == texts.NOTE_SENT
    assert bot.events[-1].kind == "completed"  # a note is not a consultation event
