"""The rule engine: from a complete set of answers to the one rule that applies.

Rules are matched through an index built once per jurisdiction: for each question (or derived
fact) and each value, the set of rules that value allows, as bits of an integer, rules ordered by
priority. Matching a path is then one AND per question, and the first bit set is the rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import and_
from typing import Generic, Protocol, TypeVar

from knowledge.models import AlertRule, Jurisdiction, Rule, StatusRule


class NoRuleError(LookupError):
    """No rule covers these answers: a gap in the knowledge base."""


class AmbiguousRuleError(LookupError):
    """Several rules of the same priority cover these answers."""


class Matchable(Protocol):
    """What the index needs of a rule or an alert."""

    id: str
    priority: int
    when: Mapping[str, tuple[str, ...]]


M = TypeVar("M", bound=Matchable)


@dataclass(frozen=True)
class RuleIndex(Generic[M]):
    """Rules by descending priority, and per key and value the bits of the rules it allows."""

    rules: tuple[M, ...]
    allowed: dict[str, dict[str, int]]
    """key → value → bits of the rules whose condition on key allows value (or who have none)."""
    unconditioned: dict[str, int]
    """key → bits of the rules with no condition on key (what an unknown value allows)."""
    everything: int

    @classmethod
    def build(cls, items: Sequence[M]) -> RuleIndex[M]:
        """Index rules (their file order breaks no tie: equal top priorities are an error)."""
        rules = tuple(sorted(items, key=lambda rule: -rule.priority))
        keys = {key for rule in rules for key in rule.when}
        allowed: dict[str, dict[str, int]] = {key: {} for key in keys}
        unconditioned = dict.fromkeys(keys, 0)
        for bit, rule in enumerate(rules):
            for key in keys:
                if key not in rule.when:
                    unconditioned[key] |= 1 << bit
                    continue
                for value in rule.when[key]:
                    allowed[key][value] = allowed[key].get(value, 0) | 1 << bit
        for key in keys:  # a rule with no condition on key allows every value
            for value in allowed[key]:
                allowed[key][value] |= unconditioned[key]
        return cls(rules, allowed, unconditioned, (1 << len(rules)) - 1)

    def allows(self, key: str, value: str | None) -> int:
        """The bits of the rules that this one answer (or fact) allows."""
        values = self.allowed.get(key)
        if values is None:
            return self.everything  # no rule looks at it
        return values.get(value or "", self.unconditioned[key])

    def matches(self, facts: Mapping[str, str]) -> int:
        """The bits of every rule whose conditions all hold."""
        found = self.everything
        for key, values in self.allowed.items():
            found &= values.get(facts.get(key, ""), self.unconditioned[key])
            if not found:
                break
        return found

    def masks(self, facts: Mapping[str, str]) -> dict[str, int]:
        """For each key, the bits of the rules its value in `facts` allows (`allows`)."""
        unconditioned = self.unconditioned
        return {
            key: values.get(facts.get(key) or "", unconditioned[key])
            for key, values in self.allowed.items()
        }

    def without(self, masks: Mapping[str, int], left_out: frozenset[str]) -> int:
        """The bits the values of every key but `left_out` allow (`masks`: from `masks`)."""
        found = self.everything
        for key, mask in masks.items():
            if key not in left_out:
                found &= mask
        return found

    def all_but(self, masks: Mapping[str, int]) -> dict[str, int]:
        """For each key, the bits every other key's value allows (`masks`: from `masks`): a
        change of one answer is then one AND (`all_but(…)[key] & allows(key, new value)`)."""
        keys, found = list(masks), list(masks.values())
        before = list(accumulate(found, and_, initial=self.everything))
        after = list(accumulate(reversed(found), and_, initial=self.everything))
        after.reverse()
        return {key: before[i] & after[i + 1] for i, key in enumerate(keys)}

    def best(self, facts: Mapping[str, str], what: str) -> M | None:
        """The only match of the highest priority, None without match; a tie is an error."""
        return self.best_of(self.matches(facts), facts, what)

    def best_of(self, found: int, facts: Mapping[str, str], what: str) -> M | None:
        """`best` for matches already computed (the bits of the rules that hold)."""
        if not found:
            return None
        first = (found & -found).bit_length() - 1
        rule = self.rules[first]
        rest = found & (found - 1)
        if rest:
            second = self.rules[(rest & -rest).bit_length() - 1]
            if second.priority == rule.priority:
                tied = [r.id for r in self.listed(found) if r.priority == rule.priority]
                raise AmbiguousRuleError(
                    f"{what} {', '.join(tied)} all apply with priority {rule.priority} "
                    f"to {dict(facts)}"
                )
        return rule

    def listed(self, bits: int) -> list[M]:
        """The rules of these bits, highest priority first."""
        return [rule for index, rule in enumerate(self.rules) if bits >> index & 1]


_INDEXES: dict[int, tuple[Jurisdiction, RuleIndex[Rule], RuleIndex[AlertRule]]] = {}


def indexes(jurisdiction: Jurisdiction) -> tuple[RuleIndex[Rule], RuleIndex[AlertRule]]:
    """The rule and alert indexes of a jurisdiction, built on first use."""
    found = _INDEXES.get(id(jurisdiction))
    if found is None or found[0] is not jurisdiction:
        found = (
            jurisdiction,
            RuleIndex.build(jurisdiction.rules),
            RuleIndex.build(jurisdiction.alerts),
        )
        _INDEXES[id(jurisdiction)] = found
    return found[1], found[2]


def holds(when: Mapping[str, tuple[str, ...]], answers: Mapping[str, str]) -> bool:
    """True when every condition holds for these answers (a plain loop: this runs at every
    verdict and every replay)."""
    for key, allowed in when.items():  # noqa: SIM110 - a loop is faster than all() here
        if answers.get(key) not in allowed:
            return False
    return True


def status_entries(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> list[StatusRule]:
    """The worker-status entries that hold for these answers, in file order."""
    return [entry for entry in jurisdiction.worker_status if holds(entry.when, answers)]


def worker_status(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> str:
    """Whether the worker is bound by secret: 'bound', 'debated' or 'not_bound'."""
    for entry in jurisdiction.worker_status:
        if holds(entry.when, answers):
            return entry.status
    return "not_bound"  # unreachable: the loader requires a default entry


def status_sources(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> tuple[str, ...]:
    """The texts that bind the worker on this path: the deciding entry's, then every other
    matching `bound` entry's (an ASS in a CHRS: L411-3 and L345-1)."""
    found = status_entries(jurisdiction, answers)
    keys: list[str] = []
    for index, entry in enumerate(found):
        if index == 0 or entry.status == "bound":
            keys += [key for key in entry.sources if key not in keys]
    return tuple(keys)


def facts_for(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers plus the facts derived from them, as rules test them."""
    return {**answers, "worker": worker_status(jurisdiction, answers)}


def matching_rules(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> list[Rule]:
    """Every rule whose conditions hold, highest priority first."""
    rules, _ = indexes(jurisdiction)
    return rules.listed(rules.matches(facts_for(jurisdiction, answers)))


def decide(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> Rule:
    """The rule that applies: the only match of the highest priority."""
    return decide_facts(jurisdiction, facts_for(jurisdiction, answers))


def decide_facts(jurisdiction: Jurisdiction, facts: Mapping[str, str]) -> Rule:
    """`decide` for answers whose derived facts (the worker's status) are already known."""
    rules, _ = indexes(jurisdiction)
    found = rules.best(facts, f"{jurisdiction.id}: rules")
    if found is None:
        answers = {key: value for key, value in facts.items() if key != "worker"}
        raise NoRuleError(f"{jurisdiction.id}: no rule for {answers}")
    return found


def decide_alert(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> AlertRule | None:
    """The duty or faculty to alert an authority besides the requester, if any (highest
    priority; equal top priorities are an error)."""
    _, alerts = indexes(jurisdiction)
    return alerts.best(facts_for(jurisdiction, answers), f"{jurisdiction.id}: alerts")
