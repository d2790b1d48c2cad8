"""The law as data: strict, frozen models for questions, sources and rules.

Each model is a frozen dataclass whose fields say what they accept (`knowledge/constraints.py`):
pydantic enforces it when the YAML is read (`knowledge/validate.py`); a process reading the
compiled knowledge (`knowledge/compiled.py`) builds the same values without importing pydantic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import field
from typing import Annotated, Literal

from knowledge.constraints import Check, Length, WebAddress, frozen
from knowledge.vocabulary import Situation, Words

Verdict = Literal["must_keep_silent", "may_share", "must_share", "must_act"]
VERDICTS: tuple[Verdict, ...] = ("must_keep_silent", "may_share", "must_share", "must_act")

CODES = {
    "fr": frozenset(
        {"CP", "CPP", "CASF", "CSP", "CPCE", "CESEDA", "CRPA", "CC", "CGFP", "CCH", "RGPD"}
    ),
    "be": frozenset({"CP-BE", "CP-BE-2024", "CIC", "LO-CPAS", "CPAJ", "DEONTO"}),
}
"""Citation codes the contract allows, per jurisdiction; DOCTRINE is allowed everywhere."""
NON_STATUTORY_CODES = frozenset({"DOCTRINE", "DEONTO"})
ARTICLE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/\-]*$")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_PATTERN = re.compile(r"^[0-9a-z]$")


def single_choices_as_lists(value: object) -> object:
    """Accept `risk: peril` in a condition as shorthand for `risk: [peril]`."""
    if isinstance(value, dict):
        return {key: [item] if isinstance(item, str) else item for key, item in value.items()}
    return value


Conditions = Annotated[dict[str, tuple[str, ...]], Check(single_choices_as_lists, "before")]
"""A rule's `when`: question (or fact) id → the choices it applies to."""


_INDEXES: dict[int, tuple[object, dict]] = {}


def indexed(owner: object, items: tuple) -> dict:
    """`items` by id, built once per owner (questions and choices are looked up at every step;
    the owner is kept with its index, so an id is never reused while it is cached)."""
    found = _INDEXES.get(id(owner))
    if found is None or found[0] is not owner:
        found = (owner, {item.id: item for item in items})
        _INDEXES[id(owner)] = found
    return found[1]


def lowercase_id(value: str) -> str:
    """Reject ids that are not lowercase ASCII."""
    if not ID_PATTERN.match(value):
        raise ValueError(f"choice id {value!r} must be lowercase ASCII")
    return value


def one_char_code(value: str) -> str:
    """Reject codes that are not one char of [0-9a-z]."""
    if not CODE_PATTERN.match(value):
        raise ValueError(f"choice code {value!r} must be one char of [0-9a-z]")
    return value


def article_as_the_code_writes_it(value: str) -> str:
    """Reject 'art.', spaces or dots after L/R/D in article numbers."""
    if not ARTICLE_PATTERN.match(value) or re.match(r"^[LRD]\.", value):
        raise ValueError(
            f"article {value!r} must be written without 'art.', spaces or dots (e.g. L226-2-1)"
        )
    return value


def not_a_catch_all(what: str) -> Check:
    """A `when` that must name at least one answer (`what`: 'a rule', 'an alert')."""

    def test(value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        if not value:
            reason = " (no catch-all rules)" if what == "a rule" else ""
            raise ValueError(f"{what} needs at least one condition{reason}")
        return value

    return Check(test)


def check_debate(debated: bool, positions: tuple[Position, ...], what: str) -> None:
    """A debated rule names at least two positions; an undebated one names none."""
    if debated and len(positions) < 2:
        raise ValueError("debated: true needs at least two positions (view and held_by)")
    if not debated and positions:
        raise ValueError(f"positions are only for debated {what} (set debated: true)")


@frozen
class Choice:
    """One button of a question: a stable id, a French label, an optional explanation."""

    id: Annotated[str, Check(lowercase_id)]
    code: Annotated[str, Check(one_char_code)]
    """One char in button data; stable, see knowledge/codes.yaml."""
    label: Annotated[str, Length(1, 60)]
    help: str = ""
    addressee: Annotated[str, Length(max=40)] = ""
    """For a requester: who gets the answer, as a card says it (« la famille », « le juge »)."""
    shortcut: bool = False
    """Answering it, at this question or from any earlier one, ends the questions (péril)."""


@frozen
class Asked:
    """When a question is asked: every `when` holds and no `unless` does (both empty: always).

    `when: {requester: [colleague, partner]}` — asked only if requester is one of those;
    `unless: {risk: peril, requester: [self]}` — not asked if risk is péril or requester is self.
    Conditions name earlier questions only.
    """

    when: Conditions = field(default_factory=dict)
    unless: Conditions = field(default_factory=dict)

    @property
    def always(self) -> bool:
        """True when the question is asked on every path."""
        return not self.when and not self.unless

    def holds(self, answers: Mapping[str, str]) -> bool:
        """True when, with these answers, the question is asked."""
        for key, allowed in self.when.items():
            if answers.get(key) not in allowed:
                return False
        return all(answers.get(key) not in allowed for key, allowed in self.unless.items())

    def ruled_out(self, answers: Mapping[str, str]) -> bool:
        """True when the answers known so far already rule the question out, whatever follows."""
        failed = any(
            key in answers and answers[key] not in allowed for key, allowed in self.when.items()
        )
        return failed or any(answers.get(key) in allowed for key, allowed in self.unless.items())

    def mentions(self) -> set[str]:
        """The questions this condition looks at."""
        return set(self.when) | set(self.unless)


@frozen
class Question:
    """A question: its id, the text shown, a help text and its choices."""

    id: str
    text: str
    short: Annotated[str, Length(1, 40)]
    """Its label in 'Vos réponses'."""
    help: str
    choices: Annotated[tuple[Choice, ...], Length(min=2)]
    glossary: tuple[str, ...] = ()
    asked: Asked = field(default_factory=Asked)

    def __post_init__(self) -> None:
        """Reject a question listing the same choice, or the same code, twice."""
        for what in ("id", "code"):
            values = [getattr(choice, what) for choice in self.choices]
            duplicates = sorted({value for value in values if values.count(value) > 1})
            if duplicates:
                raise ValueError(f"choice {what}s repeated: {', '.join(duplicates)}")

    def by_code(self, code: str) -> Choice | None:
        """Return the choice with this code, or None."""
        for choice in self.choices:
            if choice.code == code:
                return choice
        return None

    def choice(self, choice_id: str) -> Choice | None:
        """Return the choice with this id, or None."""
        return indexed(self, self.choices).get(choice_id)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """The ids of the choices, in display order."""
        return tuple(choice.id for choice in self.choices)


@frozen
class Term:
    """A glossary entry: a notion a tired worker may need explained in two sentences."""

    id: str
    term: str
    definition: str
    sources: tuple[str, ...] = ()


@frozen
class Source:
    """A citation in the contract format, plus whether its number was verified."""

    code: str
    article: Annotated[str, Check(article_as_the_code_writes_it)]
    label: str
    url: Annotated[str, WebAddress()]
    """A web address (pydantic's `HttpUrl`, kept as its normalised text)."""
    checked_on: dt.date
    verified: bool = True
    note: str = ""  # a caveat shown beside the source, written once for every rule citing it

    @property
    def statutory(self) -> bool:
        """True when the source is a legal text, not doctrine or deontology."""
        return self.code not in NON_STATUTORY_CODES

    def as_contract(self) -> dict[str, str]:
        """The source as the contract's JSON object."""
        return {
            "code": self.code,
            "article": self.article,
            "label": self.label,
            "url": self.url,
            "checked_on": self.checked_on.isoformat(),
        }


@frozen
class Position:
    """One side of a debate: what is held, and by whom."""

    view: str
    held_by: str


class Matched:
    """What a rule and an alert do alike: apply to answers, and name a debate's positions."""

    __slots__ = ()
    kind = "rules"
    when: Conditions
    debated: bool
    positions: tuple[Position, ...]

    def __post_init__(self) -> None:
        """A debated rule or alert names at least two positions; an undebated one names none."""
        check_debate(self.debated, self.positions, self.kind)

    def applies_to(self, facts: dict[str, str]) -> bool:
        """True when every condition holds for these answers and derived facts."""
        return all(facts.get(key) in allowed for key, allowed in self.when.items())


@frozen
class Rule(Matched):
    """A rule: the answers it applies to, its verdict, its texts and its sources."""

    id: str
    when: Annotated[Conditions, not_a_catch_all("a rule")]
    priority: int = 0
    verdict: Verdict
    title: str
    summary: str
    conditions: tuple[str, ...] = ()
    to_requester: str = ""
    consent_note: str = ""
    """Why the person's agreement does not change this answer, on a path that asks it (every
    rule that gives the same answer whatever the consent says why: a test holds it)."""
    answer: Annotated[str, Length(max=120)] = ""
    """The requester's answer in one short line (« rien », « le strict nécessaire »…); empty:
    the verdict's default line."""
    sources: Annotated[tuple[str, ...], Length(min=1)]
    debated: bool = False
    positions: tuple[Position, ...] = ()
    unverified: tuple[str, ...] = ()
    checked_on: dt.date


@frozen
class StatusRule:
    """How the worker's answers decide whether they are bound by secret, and the texts saying so."""

    when: Conditions = field(default_factory=dict)
    status: Literal["bound", "debated", "not_bound"]
    because: str
    sources: Annotated[tuple[str, ...], Length(min=1)]
    """The texts that bind the worker on this path (or that say the status is debated)."""


@frozen
class AlertRule(Matched):
    """A duty or faculty to alert an authority that is not the requester (CRIP, procureur, SAJ…).

    Matched like a rule (highest priority wins); its verdict is shown beside the requester's
    answer, never in its place: « À l'école : rien. » / « À la CRIP : transmettre… ».
    """

    kind = "alerts"

    id: str
    when: Annotated[Conditions, not_a_catch_all("an alert")]
    priority: int = 0
    verdict: Literal["may_share", "must_share"]
    to: Annotated[str, Length(1, 60)]
    """The authority, e.g. « la CRIP »."""
    says: Annotated[str, Length(1, 120)]
    """What to do, in one short line."""
    summary: str = ""
    sources: Annotated[tuple[str, ...], Length(min=1)]
    debated: bool = False
    positions: tuple[Position, ...] = ()
    unverified: tuple[str, ...] = ()
    checked_on: dt.date


Decision = Rule | AlertRule
"""What the engine matches and the check dates: a rule, or an alert."""


@frozen
class EmergencyNumber:
    """A number to call now, with what it is for."""

    number: str
    label: str


@frozen
class Jurisdiction:
    """Everything the consultation knows about one country's law."""

    id: Literal["fr", "be"]
    name: str
    questions: tuple[Question, ...]
    glossary: tuple[Term, ...]
    sources: dict[str, Source]
    rules: tuple[Rule, ...]
    alerts: tuple[AlertRule, ...] = ()
    worker_status: tuple[StatusRule, ...]
    emergency: tuple[EmergencyNumber, ...]
    disclaimer: str
    notice: str = ""
    words: Words = field(default_factory=Words)
    """Words workers type after a command, standing for answers (`words.yaml`)."""
    situations: tuple[Situation, ...] = ()
    """Common situations offered as inline cards (`situations.yaml`)."""

    def question(self, question_id: str) -> Question | None:
        """Return the question with this id, or None."""
        return indexed(self, self.questions).get(question_id)

    def term(self, term_id: str) -> Term | None:
        """Return the glossary term with this id, or None."""
        for term in self.glossary:
            if term.id == term_id:
                return term
        return None
