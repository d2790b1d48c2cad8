"""« Ce qui changerait la réponse »: replay the consultation with each single other answer.

Never written by hand: for each question answered on the path (the facts of the situation, not
who the worker is), each other choice is put in its place, the answers no longer asked are
dropped, and the engine decides again; a variant whose verdict differs is listed. A variant
that would need a new answer (changing who asks may open new questions) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from knowledge import contract, shape
from knowledge.engine import decide
from knowledge.models import Jurisdiction

WORKER_QUESTIONS = frozenset({"profession", "setting"})
"""Facts about the worker, not about the situation: not varied."""
FIRST = ("consent", "serious_danger", "legal_basis", "partner_bound", "same_mission")
"""Questions whose other answers are shown first: what the worker can check or ask for."""


@dataclass(frozen=True)
class Variant:
    """One other answer that would change the verdict, and the rule then applying."""

    question: str
    choice: str
    verdict: str
    rule: str
    answers: Mapping[str, str]
    """The whole variant (what a button jumps to)."""

    def as_contract(self) -> dict[str, str]:
        """The variant as the contract's `what_if` item."""
        return {
            "question": self.question,
            "choice": self.choice,
            "verdict": self.verdict,
            "rule": self.rule,
        }


def rank(question_id: str, path: list[str]) -> tuple[int, int]:
    """The order variants are shown in: checkable facts first, then the path's order."""
    first = FIRST.index(question_id) if question_id in FIRST else len(FIRST)
    return first, path.index(question_id)


def variants(law: Jurisdiction, answers: Mapping[str, str], verdict: str) -> tuple[Variant, ...]:
    """Every single-answer change on this path that changes the verdict, best shown first."""
    path, next_question = shape.walk(law, answers)
    if next_question is not None:
        return ()
    found: list[Variant] = []
    opening = shape.openers(law)
    for question_id in sorted(path, key=lambda q: rank(q, path)):
        question = law.question(question_id)
        if question is None or question_id in WORKER_QUESTIONS:
            continue
        for choice in question.choices:
            if choice.id in (answers[question_id], contract.UNSURE) or choice.shortcut:
                continue
            changed = {**answers, question_id: choice.id}
            trimmed = changed
            if question_id in opening:  # the change may ask or drop other questions
                kept, missing = shape.walk(law, changed)
                if missing is not None:
                    continue
                trimmed = {key: changed[key] for key in kept}
            try:
                rule = decide(law, trimmed)
            except LookupError:  # a gap the knowledge check would report: show nothing
                continue
            if rule.verdict != verdict:
                found.append(Variant(question_id, choice.id, rule.verdict, rule.id, trimmed))
    return tuple(found)
