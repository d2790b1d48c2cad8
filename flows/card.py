"""The verdict card as structured parts, and its plain-text form for the terminal."""

from __future__ import annotations

from dataclasses import dataclass

from flows import texts
from flows.outcome import NextQuestion, Verdict
from knowledge.models import Source


@dataclass(frozen=True)
class Section:
    """A headed list of short lines."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    """Everything a verdict shows, in reading order, without any markup."""

    headline: str
    title: str
    summary: str
    status: str
    prudent: str
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    answers: tuple[tuple[str, str], ...]
    notice: str
    disclaimer: str


def source_line(source: Source) -> str:
    """A source as a person reads it: label, date checked, and a warning when unverified."""
    checked = texts.CHECKED_ON.format(date=source.checked_on.strftime("%d/%m/%Y"))
    warning = f" — {texts.UNVERIFIED_SOURCE}" if not source.verified else ""
    note = f" ⚠️ {source.note}" if source.note else ""
    return f"{source.label} ({checked}{warning}){note}"


def build_card(verdict: Verdict) -> Card:
    """Gather the parts of the card for one verdict."""
    rule = verdict.rule
    law = verdict.jurisdiction
    sections: list[Section] = []
    if rule.verdict == "must_act":
        for country in (law, *verdict.other_countries):
            heading = texts.HEADINGS["emergency"]
            if verdict.other_countries:  # the country was not chosen: name each one
                heading = f"{heading} — {country.name}"
            numbers = tuple(f"{n.number} — {n.label}" for n in country.emergency)
            sections.append(Section(heading, numbers))
    if rule.conditions:
        sections.append(Section(texts.HEADINGS["conditions"], rule.conditions))
    if rule.to_requester:
        sections.append(Section(texts.HEADINGS["to_requester"], (rule.to_requester,)))
    if rule.debated:
        views = tuple(f"{p.view} ({p.held_by})" for p in rule.positions)
        sections.append(Section(texts.HEADINGS["debated"], (texts.DEBATED_INTRO, *views)))
    if rule.unverified:
        sections.append(Section(texts.HEADINGS["unverified"], rule.unverified))
    unsure_names = [a.question for a in verdict.answers if a.question_id in verdict.unsure]
    prudent = texts.PRUDENT.format(questions=", ".join(unsure_names)) if unsure_names else ""
    status = "" if rule.verdict == "must_act" else texts.WORKER_STATUS[verdict.worker_status]
    return Card(
        headline=texts.VERDICT_TITLES[rule.verdict],
        title=rule.title,
        summary=rule.summary,
        status=status,
        prudent=prudent,
        sections=tuple(sections),
        sources=tuple(law.sources[key] for key in rule.sources),
        answers=tuple((a.question, a.choice) for a in verdict.answers),
        notice=law.notice,
        disclaimer=law.disclaimer,
    )


def card_text(card: Card) -> str:
    """The card as plain text, paragraphs separated by blank lines."""
    blocks = [f"{card.headline}\n{card.title}", card.summary]
    blocks += [text for text in (card.status, card.prudent) if text]
    for section in card.sections:
        blocks.append("\n".join([section.heading, *(f"• {line}" for line in section.lines)]))
    sources = [f"• {source_line(source)}\n  {source.url}" for source in card.sources]
    blocks.append("\n".join([texts.HEADINGS["sources"], *sources]))
    answers = [
        f"{number}. {question} : {choice}"
        for number, (question, choice) in enumerate(card.answers, start=1)
    ]
    blocks.append("\n".join([texts.HEADINGS["answers"], *answers]))
    blocks += [text for text in (card.notice, card.disclaimer) if text]
    return "\n\n".join(blocks)


def question_text(outcome: NextQuestion) -> str:
    """A question with its numbered choices, as plain text."""
    lines = [outcome.note, ""] if outcome.note else []
    lines.append(f"{texts.STEP.format(step=outcome.step)} — {outcome.question.text}")
    lines += [f"  {n}. {c.label}" for n, c in enumerate(outcome.choices, start=1)]
    return "\n".join(lines)
