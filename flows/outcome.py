"""Plain frozen values the conversation returns: the next question, or the verdict."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from flows.what_if import Variant, variants
from knowledge.models import AlertRule, Choice, Jurisdiction, Question, Rule, Source


@dataclass(frozen=True)
class AnswerShown:
    """One line of 'Vos réponses': the question's short name and the chosen label."""

    question_id: str
    question: str
    choice_id: str
    choice: str


@dataclass(frozen=True)
class NextQuestion:
    """The question to ask now, with its buttons and a note about the previous answer."""

    question: Question
    step: int
    note: str = ""
    answers: tuple[AnswerShown, ...] = ()

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The buttons, in display order."""
        return self.question.choices


@dataclass(frozen=True)
class Verdict:
    """The answer of a complete consultation: the rule that applies to these answers."""

    rule: Rule
    jurisdiction: Jurisdiction
    answers: tuple[AnswerShown, ...]
    unsure: tuple[str, ...]
    worker_status: str
    other_countries: tuple[Jurisdiction, ...] = ()
    """Countries also served when the person never chose one (urgence before the first answer)."""
    alert: AlertRule | None = None
    """The duty or faculty to alert an authority that is not the requester, if any."""
    status_sources: tuple[str, ...] = ()
    """Keys of the texts that bind the worker on this path (or say it is debated)."""
    given: Mapping[str, str] = field(default_factory=dict)
    """The answers the rules looked at (the country excluded)."""

    @property
    def verdict(self) -> str:
        """The verdict id of the contract."""
        return self.rule.verdict

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every text cited: why the worker is bound, then the rule's, each once."""
        keys = dict.fromkeys((*self.status_sources, *self.rule.sources))
        return tuple(self.jurisdiction.sources[key] for key in keys)

    @property
    def cited(self) -> tuple[Source, ...]:
        """What a card cites: `sources`, then the alert's own texts, each once."""
        alert = self.alert.sources if self.alert else ()
        keys = dict.fromkeys((*self.status_sources, *self.rule.sources, *alert))
        return tuple(self.jurisdiction.sources[key] for key in keys)

    @functools.cached_property
    def what_if(self) -> tuple[Variant, ...]:
        """The single other answers that would change the verdict (computed on first use)."""
        if self.rule.verdict == "must_act":
            return ()
        return variants(self.jurisdiction, self.given, self.rule.verdict)


Outcome = NextQuestion | Verdict
