"""The verdict card as structured parts, and its plain-text form for the terminal."""

from __future__ import annotations

from dataclasses import dataclass

from flows import texts
from flows.outcome import NextQuestion, Verdict
from flows.what_if import Variant
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
    addressed: tuple[str, ...]
    """One line per addressee, the requester first: « À la famille : rien. »,
    « À la CRIP : transmettre une information préoccupante. »"""
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


def citation(source: Source) -> str:
    """A source as the contract writes it in text, `CODE ARTICLE`, flagged when unverified."""
    flag = f" ({texts.UNVERIFIED_SOURCE})" if not source.verified else ""
    return f"{source.code} {source.article}{flag}"


def to_whom(addressee: str) -> str:
    """« À » before an addressee, contracted as French does: « au procureur », « aux parents »."""
    for article, contracted in (("le ", "Au "), ("les ", "Aux ")):
        if addressee.startswith(article):
            return contracted + addressee[len(article) :]
    return f"À {addressee}"


def addressed_lines(verdict: Verdict) -> tuple[str, ...]:
    """What to give the requester, then what to do towards the authority, one line each."""
    rule, lines = verdict.rule, []
    requester = verdict.given.get("requester")
    question = verdict.jurisdiction.question("requester")
    choice = question.choice(requester) if question and requester else None
    if choice is not None and choice.addressee and rule.verdict != "must_act":
        answer = rule.answer or texts.ANSWER_LINES[rule.verdict]
        lines.append(f"{to_whom(choice.addressee)} : {answer}")
    if verdict.alert is not None:
        lines.append(f"{to_whom(verdict.alert.to)} : {verdict.alert.says}")
    return tuple(lines)


CARD_SKIPS_WHAT_IF = frozenset({"requester"})
"""Who asks is not a fact the worker can check or change: listed in `ask`, not on the card."""


def shown_variants(verdict: Verdict) -> list[Variant]:
    """The variants a card shows: at most three, who asks left out."""
    shown = [v for v in verdict.what_if if v.question not in CARD_SKIPS_WHAT_IF]
    return shown[: texts.WHAT_IF_SHOWN]


def what_if_lines(verdict: Verdict) -> tuple[str, ...]:
    """At most three « Si … : … » lines, from the replayed variants."""
    lines = []
    for variant in shown_variants(verdict):
        question = verdict.jurisdiction.question(variant.question)
        choice = question.choice(variant.choice) if question else None
        if question is None or choice is None:
            continue
        lines.append(
            texts.WHAT_IF_LINE.format(
                choice=choice.label,
                question=question.short,
                verdict=texts.WHAT_IF_VERDICTS[variant.verdict],
            )
        )
    return tuple(lines)


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
    if rule.consent_note and "consent" in verdict.given:
        sections.append(Section(texts.HEADINGS["consent"], (rule.consent_note,)))
    if rule.debated:
        views = tuple(f"{p.view} ({p.held_by})" for p in rule.positions)
        sections.append(Section(texts.HEADINGS["debated"], (texts.DEBATED_INTRO, *views)))
    alert = verdict.alert
    if alert is not None and (alert.summary or alert.debated):
        lines = (alert.summary,) if alert.summary else ()
        if alert.debated:
            lines += tuple(f"{p.view} ({p.held_by})" for p in alert.positions)
        sections.append(Section(f"{to_whom(alert.to)}", lines))
    unverified = rule.unverified + (alert.unverified if alert else ())
    if unverified:
        sections.append(Section(texts.HEADINGS["unverified"], unverified))
    changes = what_if_lines(verdict)
    if changes:
        sections.append(Section(texts.HEADINGS["what_if"], changes))
    unsure_names = [a.question for a in verdict.answers if a.question_id in verdict.unsure]
    prudent = texts.PRUDENT.format(questions=", ".join(unsure_names)) if unsure_names else ""
    status = "" if rule.verdict == "must_act" else texts.WORKER_STATUS[verdict.worker_status]
    return Card(
        headline=texts.VERDICT_TITLES[rule.verdict],
        title=rule.title,
        addressed=addressed_lines(verdict),
        summary=rule.summary,
        status=status,
        prudent=prudent,
        sections=tuple(sections),
        sources=verdict.cited,
        answers=tuple((a.question, a.choice) for a in verdict.answers),
        notice=law.notice,
        disclaimer=law.disclaimer,
    )


def card_text(card: Card, cite: bool = False) -> str:
    """The card as plain text, paragraphs separated by blank lines; with `cite`, each source
    starts with its `CODE ARTICLE` (as Matrix's plain body and external checks read it)."""
    blocks = ["\n".join([card.headline, card.title, *card.addressed])]
    first, rest = lead_sections(card)
    blocks += [section_text(section) for section in first]
    blocks.append(card.summary)
    blocks += [text for text in (card.status, card.prudent) if text]
    blocks += [section_text(section) for section in rest]
    sources = [
        f"• {citation(source) + ' — ' if cite else ''}{source_line(source)}\n  {source.url}"
        for source in card.sources
    ]
    blocks.append("\n".join([texts.HEADINGS["sources"], *sources]))
    answers = [
        f"{number}. {question} : {choice}"
        for number, (question, choice) in enumerate(card.answers, start=1)
    ]
    blocks.append("\n".join([texts.HEADINGS["answers"], *answers]))
    blocks += [text for text in (card.notice, card.disclaimer) if text]
    return "\n\n".join(blocks)


def lead_sections(card: Card) -> tuple[tuple[Section, ...], tuple[Section, ...]]:
    """The sections read before the summary (emergency numbers, conditions), and the rest: the
    first screen of a phone holds the headline, who gets what and the first conditions."""
    lead = (texts.HEADINGS["emergency"], texts.HEADINGS["conditions"])
    first = tuple(s for s in card.sections if s.heading.startswith(lead))
    return first, tuple(s for s in card.sections if s not in first)


def section_text(section: Section) -> str:
    """A section as plain text: its heading, then one bullet per line."""
    return "\n".join([section.heading, *(f"• {line}" for line in section.lines)])


def question_text(outcome: NextQuestion) -> str:
    """A question with its numbered choices, as plain text."""
    lines = [outcome.note, ""] if outcome.note else []
    lines.append(f"{texts.STEP.format(step=outcome.step)} — {outcome.question.text}")
    lines += [f"  {n}. {c.label}" for n, c in enumerate(outcome.choices, start=1)]
    return "\n".join(lines)
