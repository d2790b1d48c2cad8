"""« Ce qui changerait la réponse »: replay the consultation with each single other answer.

Never written by hand: for each question answered on the path (the facts of the situation, not
who the worker is), each other choice is put in its place, the answers no longer asked are
dropped, and the engine decides again; a variant whose verdict differs is listed. A variant
that would need a new answer (changing who asks may open new questions) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from knowledge import changes, shape
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


FIRST_RANK = {question_id: index for index, question_id in enumerate(FIRST)}


def rank(question_id: str) -> int:
    """The order variants are shown in: checkable facts first, then (sorting is stable) the
    path's order."""
    return FIRST_RANK.get(question_id, len(FIRST))


def variants(law: Jurisdiction, answers: Mapping[str, str], verdict: str) -> tuple[Variant, ...]:
    """Every single-answer change on this path that changes the verdict, best shown first."""
    path, next_question = shape.walk(law, answers)
    if next_question is not None:
        return ()
    found: list[Variant] = []
    rules, _ = indexes(law)
    facts = facts_for(law, answers)  # the worker's status: who the worker is does not vary
    masks = rules.masks(facts)
    others = rules.all_but(masks)
    table = changes.compiled(law)
    same, peers = table.verdicts.get(verdict, 0), table.peers  # to skip what keeps the verdict
    base: int | None = None  # every rule that holds: what a question no rule reads leaves
    rest: dict[frozenset[str], int] = {}  # rules allowed by the answers left, the dropped unset
    for question_id in sorted(path, key=rank):
        if question_id in WORKER_QUESTIONS:
            continue
        held = others.get(question_id)
        if held is None:
            held = base = rules.matches(facts) if base is None else base
        for change in table.changes(answers, question_id):
            choice = change.choice
            changed: dict[str, str] | None = None
            if change.walks_again:
                changed = {**answers, question_id: choice}
                before = path[: path.index(question_id) + 1]
                kept, missing = shape.walk(law, changed, change.resume, before)
                if missing is not None:
                    continue
                changed = {key: changed[key] for key in kept}
                now = facts_for(law, changed)
                rule = rules.best_of(rules.matches(now), now, law.id)
            else:
                bits = held
                if change.dropped:  # later questions dropped, none deciding another
                    bits = rest.get(change.left_out)  # the rules the answers left allow
                    if bits is None:
                        bits = rules.without(masks, change.left_out) & change.unasked
                        rest[change.left_out] = bits
                bits &= change.allows  # one AND finds the rules that still hold
                best = bits & -bits
                if best & same and not bits & peers[best.bit_length() - 1]:
                    continue  # the verdict stays, no rule tying with the one deciding
                if change.dropped:
                    changed = {**answers, question_id: choice}
                    for key in change.dropped:
                        del changed[key]
                rule = rules.best_of(bits, changed or answers, law.id)
            if rule is not None and rule.verdict != verdict:
                trimmed = changed or {**answers, question_id: choice}
                found.append(Variant(question_id, choice, rule.verdict, rule.id, trimmed))
    return tuple(found)
