"""Pure render of a consultation for Telegram: the shared HTML pages with their keyboards.

No Telegram I/O here, so every page is tested without Telegram. The HTML itself is shared with
the Matrix adapter (`bot/messages.py`). Each button carries the state of the consultation its
message shows (`snapshot`), signed by the codec; French labels never go into callback data. A
verdict is split below Telegram's 4096-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.codec import DIGITS, Action, Codec, State, answer_argument, question_char
from bot.messages import (
    card_blocks,
    escape,
    help_text,
    question_text,
    recap,
    split_html,
)
from flows import texts
from flows.card import build_card, shown_variants
from flows.file_note import file_note
from flows.outcome import AnswerShown, NextQuestion, Verdict
from knowledge.models import Jurisdiction

Rows = list[list[InlineKeyboardButton]]
ASK, WHY, THANKS = "a", "w", "t"
"""Feedback stages of a verdict keyboard: ask 👍/👎, ask why (after 👎), thank."""
REASONS = tuple(texts.FEEDBACK_REASONS)


@dataclass(frozen=True)
class Page:
    """One message as sent or edited: HTML text and its buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None


class Buttons:
    """Makes the buttons of one message; each carries the state that message shows."""

    def __init__(self, codec: Codec, state: State) -> None:
        self.codec = codec
        self.state = state

    def button(self, label: str, action: str, argument: str = "") -> InlineKeyboardButton:
        """A button that sends this action on this state."""
        return InlineKeyboardButton(
            label, callback_data=self.codec.pack(self.state, action, argument)
        )


def choice_rows(outcome: NextQuestion, buttons: Buttons) -> Rows:
    """One row per choice of the question."""
    law, question_id = buttons.state.jurisdiction, outcome.question.id
    return [
        [buttons.button(choice.label, Action.ANSWER, answer_argument(law, question_id, choice.id))]
        for choice in outcome.choices
    ]


def question_page(
    outcome: NextQuestion, law: Jurisdiction, buttons: Buttons, with_help: bool = False
) -> Page:
    """A question in a private chat: choices, then help, back, restart and urgence."""
    text = question_text(outcome)
    if with_help:
        text += "\n" + help_text(outcome, law)
    rows = choice_rows(outcome, buttons)
    tools = [
        buttons.button(texts.BUTTONS["hide_help"], Action.QUESTION)
        if with_help
        else buttons.button(texts.BUTTONS["help"], Action.HELP)
    ]
    if outcome.step > 1:
        tools.append(buttons.button(texts.BUTTONS["back"], Action.BACK))
        tools.append(buttons.button(texts.BUTTONS["restart"], Action.RESTART))
    rows.append(tools)
    rows.append([buttons.button(texts.BUTTONS["urgence"], Action.URGENCE)])
    return Page(text, InlineKeyboardMarkup(rows))


def group_question_page(outcome: NextQuestion, buttons: Buttons) -> Page:
    """A question in a group: compact, choices then back, restart and urgence on one row."""
    rows = choice_rows(outcome, buttons)
    tools = []
    if outcome.step > 1:
        tools.append(buttons.button(texts.BUTTONS["back"], Action.BACK))
        tools.append(buttons.button(texts.BUTTONS["restart"], Action.RESTART))
    tools.append(buttons.button(texts.BUTTONS["urgence"], Action.URGENCE))
    rows.append(tools)
    return Page(question_text(outcome, compact=True), InlineKeyboardMarkup(rows))


def done_page(answers: tuple[AnswerShown, ...], compact: bool = False) -> Page:
    """What the question message becomes once the verdict is sent below it (no buttons)."""
    title = f"🔎 <b>{escape(texts.GROUP_TITLE)}</b>\n" if compact else ""
    return Page(f"{title}<i>{recap(answers)}</i>\n{escape(texts.DONE_BELOW)}")


def notice_page(text: str, buttons: Buttons) -> Page:
    """A short message with a button to start a consultation."""
    start = buttons.button(texts.BUTTONS["start"], Action.START)
    return Page(escape(text), InlineKeyboardMarkup([[start]]))


def feedback_rows(buttons: Buttons, stage: str) -> Rows:
    """👍/👎, or the three reasons after 👎, or a thank-you once answered."""
    if stage == WHY:
        return [
            [buttons.button(label, Action.REASON, DIGITS[index])]
            for index, label in enumerate(texts.FEEDBACK_REASONS.values())
        ]
    if stage == THANKS:
        return [[buttons.button(texts.BUTTONS["thanks"], Action.NOTHING)]]
    return [
        [
            buttons.button(texts.BUTTONS["thumbs_up"], Action.FEEDBACK, "1"),
            buttons.button(texts.BUTTONS["thumbs_down"], Action.FEEDBACK, "0"),
        ]
    ]


def variant_rows(verdict: Verdict, buttons: Buttons) -> Rows:
    """One button per change shown on the card (« 🔀 Si … »): one tap shows that variant."""
    rows: Rows = []
    for variant in shown_variants(verdict):
        question = verdict.jurisdiction.question(variant.question)
        choice = question.choice(variant.choice) if question else None
        if choice is None:
            continue
        label = texts.BUTTONS["variant"].format(choice=choice.label)
        argument = answer_argument(verdict.jurisdiction.id, variant.question, variant.choice)
        rows.append([buttons.button(label, Action.VARIANT, argument)])
    return rows


def verdict_keyboard(
    buttons: Buttons, stage: str = ASK, verdict: Verdict | None = None
) -> InlineKeyboardMarkup:
    """Feedback, the variants and the note for the file, then change an answer, back, restart."""
    rows = feedback_rows(buttons, stage)
    if verdict is not None and verdict.verdict != "must_act":
        rows += variant_rows(verdict, buttons)
        rows.append([buttons.button(texts.BUTTONS["note"], Action.NOTE, stage)])
    rows.append([buttons.button(texts.BUTTONS["change"], Action.CHANGE_MENU, stage)])
    rows.append(
        [
            buttons.button(texts.BUTTONS["back"], Action.BACK),
            buttons.button(texts.BUTTONS["restart"], Action.RESTART),
        ]
    )
    return InlineKeyboardMarkup(rows)


def change_keyboard(verdict: Verdict, buttons: Buttons, stage: str) -> InlineKeyboardMarkup:
    """One button per answer to change it, and a way back to the verdict's buttons."""
    rows: Rows = [
        [
            buttons.button(
                f"✏️ {a.question} : {a.choice}", Action.CHANGE, question_char(a.question_id)
            )
        ]
        for a in verdict.answers
    ]
    rows.append([buttons.button(texts.BUTTONS["cancel"], Action.VERDICT_KEYS, stage)])
    return InlineKeyboardMarkup(rows)


def again_keyboard(buttons: Buttons, first_part: int = 0) -> InlineKeyboardMarkup:
    """« 🔁 Afficher la réponse »: one tap shows the answer Telegram failed to deliver (a verdict
    from its part `first_part`, the parts before it having arrived)."""
    again = buttons.button(texts.BUTTONS["again"], Action.AGAIN, DIGITS[first_part])
    return InlineKeyboardMarkup([[again]])


def note_page(verdict: Verdict) -> Page:
    """« 📝 Note pour le dossier » as its own message, in a block Telegram copies in one tap."""
    return Page(f"<pre>{escape(file_note(verdict))}</pre>")


def verdict_pages(verdict: Verdict, buttons: Buttons) -> list[Page]:
    """The verdict for a private chat: the full card, its buttons under the last message."""
    messages = split_html(card_blocks(build_card(verdict)))
    pages = [Page(text) for text in messages[:-1]]
    return [*pages, Page(messages[-1], verdict_keyboard(buttons, ASK, verdict))]


def group_verdict_pages(verdict: Verdict, link: str | None) -> list[Page]:
    """The verdict posted for a team: the compact card and a button to the full one in private."""
    blocks = card_blocks(build_card(verdict), compact=True)
    blocks.insert(1, f"<i>{recap(verdict.answers)}</i>")
    messages = split_html(blocks)
    markup = None
    if link:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTONS["full"], url=link)]])
    return [*(Page(text) for text in messages[:-1]), Page(messages[-1], markup)]
