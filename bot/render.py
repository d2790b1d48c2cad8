"""Pure render of a consultation: a question or a verdict as Telegram HTML and its keyboard.

No Telegram I/O here, so every page is tested without Telegram. Each button carries the state of
the consultation its message shows (`snapshot`), signed by the codec; French labels never go
into callback data. A verdict is split below Telegram's 4096-character limit.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.codec import DIGITS, PRIVATE, Action, Codec, State, answer_argument, question_char
from flows import texts
from flows.card import Card, Section, build_card, lead_sections, shown_variants, source_line
from flows.consultation import Consultation
from flows.file_note import file_note
from flows.outcome import AnswerShown, NextQuestion, Verdict
from knowledge.models import Jurisdiction, Source

Rows = list[list[InlineKeyboardButton]]
MESSAGE_LIMIT = 4096
ASK, WHY, THANKS = "a", "w", "t"
"""Feedback stages of a verdict keyboard: ask 👍/👎, ask why (after 👎), thank."""
REASONS = tuple(texts.FEEDBACK_REASONS)


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


def snapshot(
    consultation: Consultation,
    codec: Codec,
    channel: str,
    owner: str = "",
    settled: Mapping[str, str] | None = None,
) -> State:
    """The state a button of this consultation carries.

    While the person changes an answer after a verdict, the question buttons also carry that
    verdict's answers (`settled`, from the tracker), so that the next verdict replaces its row.
    """
    return State(
        kb=codec.kb,
        jurisdiction=consultation.jurisdiction.id,
        answers=dict(consultation.answers),
        back_steps=consultation.back_steps,
        channel=channel,
        owner=owner,
        settled=dict(settled) if settled is not None else None,
    )


def blank(codec: Codec, served: tuple[str, ...], channel: str = PRIVATE, owner: str = "") -> State:
    """The state of a consultation not started yet (a 'start' button carries it)."""
    return State(codec.kb, served[0], {}, 0, channel, owner)


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


def length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), tags included: errs on the safe side."""
    return len(text.encode("utf-16-le")) // 2


def source_html(source: Source) -> str:
    """A source as a link on its label, then the date it was checked."""
    rest = source_line(source)[len(source.label) :]
    url = html.escape(str(source.url), quote=True)
    return f'• <a href="{url}">{escape(source.label)}</a>{escape(rest)}'


def section_html(section: Section) -> str:
    """A headed list as HTML: the heading in bold, one bullet per line."""
    lines = [f"<b>{escape(section.heading)}</b>", *(f"• {escape(x)}" for x in section.lines)]
    return "\n".join(lines)


def card_blocks(card: Card, compact: bool = False) -> list[str]:
    """The card as HTML paragraphs; compact keeps verdict, rule, what to respect and sources."""
    head = [f"<b>{escape(card.headline)}</b>", f"<b>{escape(card.title)}</b>"]
    head += [f"➡️ <b>{escape(line)}</b>" for line in card.addressed]
    blocks = ["\n".join(head)]
    first, rest = lead_sections(card)
    blocks += [section_html(section) for section in first]
    blocks.append(escape(card.summary))
    if not compact:
        blocks += [escape(text) for text in (card.status,) if text]
    if card.prudent:
        blocks.append(f"<i>{escape(card.prudent)}</i>")
    for section in rest:
        if compact and section.heading not in (texts.HEADINGS["debated"],):
            continue
        blocks.append(section_html(section))
    sources = [source_html(source) for source in card.sources]
    blocks.append("\n".join([f"<b>{escape(texts.HEADINGS['sources'])}</b>", *sources]))
    if compact:
        blocks += [f"<i>{escape(card.disclaimer)}</i>"]
        return blocks
    answers = [
        f"{number}. {escape(question)} : {escape(choice)}"
        for number, (question, choice) in enumerate(card.answers, start=1)
    ]
    blocks.append("\n".join([f"<b>{escape(texts.HEADINGS['answers'])}</b>", *answers]))
    blocks += [f"<i>{escape(text)}</i>" for text in (card.notice, card.disclaimer) if text]
    blocks.append(f"<b>{escape(texts.FEEDBACK_QUESTION)}</b>")
    return blocks


def split_html(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join paragraphs into messages below the limit, cutting only between paragraphs or lines."""
    pieces: list[str] = []
    for block in blocks:
        if length(block) <= limit:
            pieces.append(block)
            continue
        pieces += pack_lines(block.split("\n"), limit)
    messages: list[str] = []
    for piece in pieces:
        if messages and length(messages[-1]) + 2 + length(piece) <= limit:
            messages[-1] += "\n\n" + piece
        else:
            messages.append(piece)
    return messages


def pack_lines(lines: list[str], limit: int) -> list[str]:
    """Lines of an oversized paragraph, regrouped into pieces below the limit."""
    pieces: list[str] = []
    for line in lines:
        for part in cut_line(line, limit) if length(line) > limit else [line]:
            if pieces and length(pieces[-1]) + 1 + length(part) <= limit:
                pieces[-1] += "\n" + part
            else:
                pieces.append(part)
    return pieces


def cut_line(line: str, limit: int) -> list[str]:
    """A line as is, or cut at spaces when a single line exceeds the limit."""
    parts: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if length(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while length(word) > limit:
            parts.append(word[: limit // 2])
            word = word[limit // 2 :]
        current = word
    return [*parts, current] if current else parts


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
