"""The law as data: strict, frozen pydantic models for questions, sources and rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

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


Conditions = Annotated[dict[str, tuple[str, ...]], BeforeValidator(single_choices_as_lists)]
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


class Strict(BaseModel):
    """Base of every knowledge model: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Choice(Strict):
    """One button of a question: a stable id, a French label, an optional explanation."""

    id: str
    code: str = Field(description="one char in button data; stable, see knowledge/codes.yaml")
    label: str = Field(min_length=1, max_length=60)
    help: str = ""
    addressee: str = Field("", max_length=40)
    """For a requester: who gets the answer, as a card says it (« la famille », « le juge »)."""
    shortcut: bool = False
    """Answering it, at this question or from any earlier one, ends the questions (péril)."""

    @field_validator("id")
    @classmethod
    def id_is_lowercase_ascii(cls, value: str) -> str:
        """Reject ids that are not lowercase ASCII."""
        if not ID_PATTERN.match(value):
            raise ValueError(f"choice id {value!r} must be lowercase ASCII")
        return value

    @field_validator("code")
    @classmethod
    def code_is_one_char(cls, value: str) -> str:
        """Reject codes that are not one char of [0-9a-z]."""
        if not CODE_PATTERN.match(value):
            raise ValueError(f"choice code {value!r} must be one char of [0-9a-z]")
        return value


class Asked(Strict):
    """When a question is asked: every `when` holds and no `unless` does (both empty: always).

    `when: {requester: [colleague, partner]}` — asked only if requester is one of those;
    `unless: {risk: peril, requester: [self]}` — not asked if risk is péril or requester is self.
    Conditions name earlier questions only.
    """

    when: Conditions = {}
    unless: Conditions = {}

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


class Question(Strict):
    """A question: its id, the text shown, a help text and its choices."""

    id: str
    text: str
    short: str = Field(min_length=1, max_length=40, description="label in 'Vos réponses'")
    help: str
    choices: tuple[Choice, ...] = Field(min_length=2)
    glossary: tuple[str, ...] = ()
    asked: Asked = Asked()

    @model_validator(mode="after")
    def choice_ids_are_unique(self) -> Question:
        """Reject a question listing the same choice, or the same code, twice."""
        for what in ("id", "code"):
            values = [getattr(choice, what) for choice in self.choices]
            duplicates = sorted({value for value in values if values.count(value) > 1})
            if duplicates:
                raise ValueError(f"choice {what}s repeated: {', '.join(duplicates)}")
        return self

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


class Term(Strict):
    """A glossary entry: a notion a tired worker may need explained in two sentences."""

    id: str
    term: str
    definition: str
    sources: tuple[str, ...] = ()


class Source(Strict):
    """A citation in the contract format, plus whether its number was verified."""

    code: str
    article: str
    label: str
    url: HttpUrl
    checked_on: dt.date
    verified: bool = True
    note: str = ""  # a caveat shown beside the source, written once for every rule citing it

    @field_validator("article")
    @classmethod
    def article_is_written_as_the_code_writes_it(cls, value: str) -> str:
        """Reject 'art.', spaces or dots after L/R/D in article numbers."""
        if not ARTICLE_PATTERN.match(value) or re.match(r"^[LRD]\.", value):
            raise ValueError(
                f"article {value!r} must be written without 'art.', spaces or dots (e.g. L226-2-1)"
            )
        return value

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
            "url": str(self.url),
            "checked_on": self.checked_on.isoformat(),
        }


class Position(Strict):
    """One side of a debate: what is held, and by whom."""

    view: str
    held_by: str


class Decision(Strict):
    """What a rule and an alert share: the answers they apply to, a priority, sourced texts, a
    date of checking, and whether the point is debated (then with its positions)."""

    id: str
    when: Conditions
    priority: int = 0
    sources: tuple[str, ...] = Field(min_length=1)
    debated: bool = False
    positions: tuple[Position, ...] = ()
    unverified: tuple[str, ...] = ()
    checked_on: dt.date

    @field_validator("when")
    @classmethod
    def when_is_not_a_catch_all(cls, value: dict[str, tuple[str, ...]]) -> dict:
        """A rule or alert with no condition would hide gaps: name at least one answer."""
        if not value:
            raise ValueError("a rule needs at least one condition (no catch-all rules)")
        return value

    @model_validator(mode="after")
    def debate_has_positions(self) -> Decision:
        """A debated rule names at least two positions; an undebated one names none."""
        if self.debated and len(self.positions) < 2:
            raise ValueError("debated: true needs at least two positions (view and held_by)")
        if not self.debated and self.positions:
            raise ValueError("positions are only for debated rules (set debated: true)")
        return self

    def applies_to(self, facts: dict[str, str]) -> bool:
        """True when every condition holds for these answers and derived facts."""
        return all(facts.get(key) in allowed for key, allowed in self.when.items())


class Rule(Decision):
    """A rule: the answers it applies to, its verdict, its texts and its sources."""

    verdict: Verdict
    title: str
    summary: str
    conditions: tuple[str, ...] = ()
    to_requester: str = ""
    consent_note: str = ""
    """Why the person's agreement does not change this answer, on a path that asks it (every
    rule that gives the same answer whatever the consent says why: a test holds it)."""
    answer: str = Field("", max_length=120)
    """The requester's answer in one short line (« rien », « le strict nécessaire »…); empty:
    the verdict's default line."""


class StatusRule(Strict):
    """How the worker's answers decide whether they are bound by secret, and the texts saying so."""

    when: Conditions = {}
    status: Literal["bound", "debated", "not_bound"]
    because: str
    sources: tuple[str, ...] = Field(min_length=1)
    """The texts that bind the worker on this path (or that say the status is debated)."""


class AlertRule(Decision):
    """A duty or faculty to alert an authority that is not the requester (CRIP, procureur, SAJ…).

    Matched like a rule (highest priority wins); its verdict is shown beside the requester's
    answer, never in its place: « À l'école : rien. » / « À la CRIP : transmettre… ».
    """

    verdict: Literal["may_share", "must_share"]
    to: str = Field(min_length=1, max_length=60, description="the authority, e.g. « la CRIP »")
    says: str = Field(min_length=1, max_length=120, description="what to do, in one short line")
    summary: str = ""


class EmergencyNumber(Strict):
    """A number to call now, with what it is for."""

    number: str
    label: str


class Jurisdiction(Strict):
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
    words: Words = Words()
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
