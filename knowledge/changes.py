"""One answer changed on a complete path: the questions it drops and the rules it then allows.

The replay (`flows/what_if.py`) tries every other answer of every question of a path. What one
change drops depends only on the answer given, on the answers that the question's dependents
look at (`asked`) and on which of them were answered, so it is worked out once per question and
such context, and kept with the country's law (ids never clash), as `shape.compiled` keeps its
shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from knowledge import contract, shape
from knowledge.engine import indexes
from knowledge.models import Jurisdiction


@dataclass(frozen=True, slots=True)
class Change:
    """One other choice of a question, on a path where it asks no question nobody answered."""

    choice: str
    allows: int
    """The bits of the rules this choice allows (`RuleIndex.allows`)."""
    dropped: tuple[str, ...]
    """The questions no longer asked after it (`shape.dropped_after_change`)."""
    unasked: int
    """The bits of the rules that allow every dropped question to be left unanswered."""
    left_out: frozenset[str]
    """The question and those it drops: the answers the other rules' bits must not look at."""
    walks_again: bool
    """The change moves the worker's status or drops a question deciding another's `asked`:
    only a new walk of the questions tells the path."""
    resume: int
    """Where that walk resumes: the step after the question's (earlier answers are kept)."""


@dataclass(frozen=True)
class Changes:
    """A country's questions as the replay tries them, read once per knowledge base."""

    law: Jurisdiction
    choices: dict[str, tuple[str, ...]]
    """For each question, the choices tried: neither « unsure » nor the shortcut."""
    reads: dict[str, tuple[str, ...]]
    """For each question, the other answers its dependents' `asked` looks at."""
    dependents: dict[str, tuple[str, ...]]
    """For each question, the later questions whose `asked` looks at its answer."""
    status_keys: frozenset[str]
    """The answers the worker's status looks at."""
    after: dict[str, int]
    """For each question, the index of the step that follows its own."""
    verdicts: dict[str, int]
    """For each verdict, the bits of the rules that give it."""
    peers: tuple[int, ...]
    """For each rule, the bits of the later rules of the same priority (a tie if both hold)."""
    found: dict[tuple, tuple[Change, ...]] = field(default_factory=dict)
    """The changes of a question, by question and context (filled as paths are replayed: about
    200 per country once every path has been)."""

    def changes(self, answers: Mapping[str, str], question_id: str) -> tuple[Change, ...]:
        """On a complete path, every other choice of a question (neither « unsure » nor the
        shortcut) that asks no question nobody answered: what each drops and allows."""
        context = (
            question_id,
            answers.get(question_id),
            tuple(map(answers.get, self.reads.get(question_id, ()))),
            tuple(map(answers.__contains__, self.dependents.get(question_id, ()))),
        )
        found = self.found.get(context)
        if found is None:
            found = self.found[context] = tuple(_worked_out(self, answers, question_id))
        return found

    @classmethod
    def of(cls, law: Jurisdiction) -> Changes:
        """Read a country's questions for the replay."""
        compiled = shape.compiled(law)
        reads: dict[str, tuple[str, ...]] = {}
        dependents: dict[str, tuple[str, ...]] = {}
        for question_id, steps in compiled.dependents.items():
            keys = {key for step in steps for key, _ in (*step.when, *step.unless)}
            reads[question_id] = tuple(sorted(keys - {question_id}))
            dependents[question_id] = tuple(step.question for step in steps)
        choices = {
            question.id: tuple(
                choice.id
                for choice in question.choices
                if choice.id != contract.UNSURE and not choice.shortcut
            )
            for question in law.questions
        }
        status_keys = frozenset(key for entry in law.worker_status for key in entry.when)
        after = {step.question: index + 1 for index, step in enumerate(compiled.steps)}
        rules = indexes(law)[0].rules
        verdicts: dict[str, int] = {}
        for bit, rule in enumerate(rules):
            verdicts[rule.verdict] = verdicts.get(rule.verdict, 0) | 1 << bit
        peers = [0] * len(rules)  # rules come by priority: equal ones are neighbours
        for bit in range(len(rules) - 2, -1, -1):
            if rules[bit + 1].priority == rules[bit].priority:
                peers[bit] = peers[bit + 1] | 1 << (bit + 1)
        return cls(law, choices, reads, dependents, status_keys, after, verdicts, tuple(peers))


_CHANGES: dict[int, Changes] = {}


def compiled(law: Jurisdiction) -> Changes:
    """The replay's view of a country, read once per knowledge base."""
    known = _CHANGES.get(id(law))
    if known is None or known.law is not law:
        known = _CHANGES[id(law)] = Changes.of(law)
    return known


def _worked_out(table: Changes, answers: Mapping[str, str], question_id: str) -> list[Change]:
    """The changes of one question in the context of these answers."""
    law = table.law
    rules, _ = indexes(law)
    openers = shape.openers(law)
    status = question_id in table.status_keys
    resume = table.after.get(question_id, 0)
    found = []
    for choice_id in table.choices.get(question_id, ()):
        if choice_id == answers.get(question_id):
            continue
        dropped = shape.dropped_after_change(law, answers, question_id, choice_id)
        if dropped is None:
            continue
        unasked = rules.everything
        for key in dropped:
            unasked &= rules.allows(key, None)
        found.append(
            Change(
                choice_id,
                rules.allows(question_id, choice_id),
                dropped,
                unasked,
                frozenset((question_id, *dropped)),
                status or not openers.isdisjoint(dropped),
                resume,
            )
        )
    return found
