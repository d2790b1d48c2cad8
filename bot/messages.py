"""What both messengers show, written once: a question, its help, a verdict card and the file
note as HTML (Telegram's subset, which Matrix's `org.matrix.custom.html` also reads), cut below a
message limit; and the consultation state a message carries. No messenger is imported here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.codec import PRIVATE, BadButtonError, Codec, State
from flows import texts
from flows.card import Card, Section, citation, lead_sections, source_line
from flows.consultation import Consultation
from flows.errors import FlowError
from flows.outcome import AnswerShown, NextQuestion
from knowledge.loader import KnowledgeBase
from knowledge.models import Jurisdiction, Source

MESSAGE_LIMIT = 4096


def escape(text: str) -> str:
    """Text made safe for Telegram HTML (apostrophes and quotes kept readable outside tags)."""
    return html.escape(text, quote=False)


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


def cited_source_html(source: Source) -> str:
    """A source led by its `CODE ARTICLE` in bold, then as `source_html` shows it."""
    return f"• <b>{escape(citation(source))}</b> — {source_html(source)[2:]}"


def card_blocks(
    card: Card, compact: bool = False, source: Callable[[Source], str] = source_html
) -> list[str]:
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
    sources = [source(item) for item in card.sources]
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


class StaleButtonError(Exception):
    """The knowledge base changed since the button was sent and its answers no longer fit."""


@dataclass(frozen=True)
class Restored:
    """A consultation rebuilt from a button, and whether the knowledge changed meanwhile."""

    consultation: Consultation
    updated: bool


def restore(state: State, codec: Codec, served: tuple[str, ...], kb: KnowledgeBase) -> Restored:
    """Rebuild the consultation a button belongs to, replaying its answers on today's base."""
    updated = state.kb != codec.kb
    try:
        consultation = Consultation(served, state.answers, state.back_steps, kb)
    except FlowError:
        if updated:
            raise StaleButtonError from None
        raise BadButtonError("answers do not fit this consultation") from None
    if consultation.jurisdiction.id != state.jurisdiction:
        raise StaleButtonError  # the instance now serves other countries
    return Restored(consultation, updated)
