"""Typed text in private: a reminder to use the buttons, or a warning about personal data."""

from __future__ import annotations

import pytest

from bot.codec import Action
from flows import texts
from flows.personal_data import personal_data_kinds
from tests.bot.conftest import WORKER, Harness


async def test_ordinary_text_gets_a_kind_reminder_with_a_start_button(bot: Harness) -> None:
    """A question typed instead of pressed: a reminder and a button that starts a consultation."""
    await bot.command("la police me demande si elle est là")
    (reminder,) = bot.messages()
    assert reminder["text"] == texts.FREE_TEXT_REMINDER
    await bot.press(reminder, bot.find(reminder, Action.START))
    assert bot.asked() == "profession"
    assert bot.question_message()["message_id"] == reminder["message_id"]  # edited in place


async def test_personal_data_gets_a_warning_and_the_message_can_be_deleted(bot: Harness) -> None:
    """A phone number typed: named in the warning; 🗑️ deletes the worker's own message."""
    typed_id = await bot.command("Mme Martin 06 12 34 56 78 veut savoir")
    (warning,) = bot.messages()
    assert texts.PERSONAL_DATA_KINDS["phone"] in warning["text"]
    assert texts.PERSONAL_DATA_KINDS["name"] in warning["text"]
    assert "Martin" not in warning["text"]
    await bot.press(warning, bot.find(warning, Action.DELETE))
    (deleted,) = bot.api.calls_to("deleteMessage")
    assert (int(deleted["chat_id"]), int(deleted["message_id"])) == (WORKER.id, typed_id)
    shown = bot.api.message(WORKER.id, warning["message_id"])
    assert shown["text"] == texts.MESSAGE_DELETED


async def test_a_message_that_cannot_be_deleted_gets_an_alert_explaining_how(bot: Harness) -> None:
    """Telegram refuses the deletion (too old): an alert says how to delete it by hand."""
    await bot.command("zq@example.org")
    (warning,) = bot.messages()
    bot.api.store.messages.clear()  # the message is gone on Telegram's side
    await bot.press(warning, bot.find(warning, Action.DELETE))
    assert bot.alerts() == [texts.MESSAGE_NOT_DELETED]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("son numéro : 06 12 34 56 78", ("phone",)),
        ("+32 470 12 34 56", ("phone",)),
        ("écrire à jean.dupont@example.org", ("email",)),
        ("NIR 2 85 05 78 006 084 36", ("nir",)),
        ("285057800608436", ("nir",)),
        ("registre national 85.05.12-123.45", ("nir",)),
        ("il habite 12 rue des Lilas", ("address",)),
        ("à 75011 Paris", ("address",)),
        ("Monsieur Durand a appelé", ("name",)),
        ("M. Dupont", ("name",)),
        ("née le 3 mars 1990", ("birthdate",)),
        ("le 12/03/1988", ("birthdate",)),
        ("la police demande son adresse", ()),
        ("madame la juge veut savoir", ()),
        ("il a 15 ans et 3 enfants", ()),
    ],
)
def test_personal_data_is_recognised_without_false_alarms(
    text: str, kinds: tuple[str, ...]
) -> None:
    """Phone, e-mail, NIR, address, name and date of birth are spotted; plain questions are not."""
    assert personal_data_kinds(text) == kinds
