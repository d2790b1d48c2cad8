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
from knowledge.engine import facts_for, indexes
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
    rules, _ = indexes(law)
    facts = facts_for(law, answers)  # the worker's status: who the worker is does not vary
    others, base = rules.all_but(facts), rules.matches(facts)
    status_keys = {key for entry in law.worker_status for key in entry.when}
    position = {step.question: index for index, step in enumerate(shape.plan(law))}
    opening = shape.openers(law)
    rest: dict[frozenset[str], int] = {}  # rules allowed by the answers left untouched
    for question_id in sorted(path, key=lambda q: rank(q, path)):
        question = law.question(question_id)
        if question is None or question_id in WORKER_QUESTIONS:
            continue
        for choice in question.choices:
            if choice.id in (answers[question_id], contract.UNSURE) or choice.shortcut:
                continue
            dropped = shape.dropped_after_change(law, answers, question_id, choice.id)
            if dropped is None:
                continue  # the change asks a question nobody answered
            changed: dict[str, str] | None = None
            if not dropped and question_id not in status_keys:
                # one answer differs: one AND finds the rules that still hold
                bits = others.get(question_id, base) & rules.allows(question_id, choice.id)
                rule = rules.best_of(bits, answers, law.id)
            else:
                changed = {**answers, question_id: choice.id}
                if question_id in status_keys or opening.intersection(dropped):
                    before = path[: path.index(question_id) + 1]
                    kept, missing = shape.walk(law, changed, position[question_id] + 1, before)
                    if missing is not None:
                        continue
                    changed = {key: changed[key] for key in kept}
                    now = facts_for(law, changed)
                    rule = rules.best_of(rules.matches(now), now, law.id)
                else:  # later questions dropped, none deciding another: remove them
                    for key in dropped:
                        del changed[key]
                    left_out = frozenset((question_id, *dropped))
                    if left_out not in rest:
                        rest[left_out] = rules.without(facts, left_out)
                    bits = rest[left_out] & rules.allows(question_id, choice.id)
                    for key in dropped:
                        bits &= rules.allows(key, None)
                    rule = rules.best_of(bits, changed, law.id)
            if rule is not None and rule.verdict != verdict:
                trimmed = changed or {**answers, question_id: choice.id}
                found.append(Variant(question_id, choice.id, rule.verdict, rule.id, trimmed))
    return tuple(found)
