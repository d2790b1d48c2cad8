"""Pure render functions for a consultation step: HTML text and inline keyboard, no Telegram I/O."""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.codec import Action, Codec, State, answer_argument
from flows import texts
from flows.outcome import AnswerShown, NextQuestion
from knowledge.models import Jurisdiction

Rows = list[list[InlineKeyboardButton]]


def escape(text: str) -> str:
    """Text made safe for Telegram HTML (apostrophes and quotes kept readable outside tags)."""
    return html.escape(text, quote=False)


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


def recap(answers: tuple[AnswerShown, ...]) -> str:
    """The answers so far on one line: 'Profession : … · Cadre : …' (escaped)."""
    return escape(" · ".join(f"{a.question} : {a.choice}" for a in answers))


def question_text(outcome: NextQuestion, compact: bool = False) -> str:
    """The question as HTML: the note about the last answer, the answers so far, the question."""
    lines = []
    if compact:
        lines.append(f"🔎 <b>{escape(texts.GROUP_TITLE)}</b>")
    if outcome.note:
        lines += [f"<i>{escape(outcome.note)}</i>", ""]
    if outcome.answers:
        lines.append(f"<i>{recap(outcome.answers)}</i>")
    step = escape(texts.STEP.format(step=outcome.step))
    lines.append(f"<b>{step}</b> — {escape(outcome.question.text)}")
    return "\n".join(lines)


def help_text(outcome: NextQuestion, law: Jurisdiction) -> str:
    """The help of a question as HTML: its explanation, its choices' notes and its glossary."""
    question = outcome.question
    lines = ["", f"❓ {escape(question.help)}"]
    lines += [f"• <b>{escape(c.label)}</b> : {escape(c.help)}" for c in question.choices if c.help]
    terms = [law.term(term_id) for term_id in question.glossary]
    found = [term for term in terms if term is not None]
    if found:
        lines += ["", f"<b>📖 {escape(texts.GLOSSARY_HEADING)}</b>"]
        lines += [f"<b>{escape(term.term)}</b> — {escape(term.definition)}" for term in found]
    return "\n".join(lines)


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
