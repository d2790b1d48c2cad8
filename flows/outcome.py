"""Plain frozen values the conversation returns: the next question, or the verdict."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.models import Choice, Jurisdiction, Question, Rule


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

    @property
    def verdict(self) -> str:
        """The verdict id of the contract."""
        return self.rule.verdict


Outcome = NextQuestion | Verdict
