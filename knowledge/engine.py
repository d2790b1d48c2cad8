"""The rule engine: from a complete set of answers to the one rule that applies."""

from __future__ import annotations

from collections.abc import Mapping

from knowledge.models import Jurisdiction, Rule


class NoRuleError(LookupError):
    """No rule covers these answers: a gap in the knowledge base."""


class AmbiguousRuleError(LookupError):
    """Several rules of the same priority cover these answers."""


def worker_status(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> str:
    """Whether the worker is bound by secret: 'bound', 'debated' or 'not_bound'."""
    for entry in jurisdiction.worker_status:
        if all(answers.get(key) in allowed for key, allowed in entry.when.items()):
            return entry.status
    return "not_bound"  # unreachable: the loader requires a default entry


def facts_for(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> dict[str, str]:
    """The answers plus the facts derived from them, as rules test them."""
    return {**answers, "worker": worker_status(jurisdiction, answers)}


def matching_rules(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> list[Rule]:
    """Every rule whose conditions hold, highest priority first."""
    facts = facts_for(jurisdiction, answers)
    found = [rule for rule in jurisdiction.rules if rule.applies_to(facts)]
    return sorted(found, key=lambda rule: -rule.priority)


def decide(jurisdiction: Jurisdiction, answers: Mapping[str, str]) -> Rule:
    """The rule that applies: the only match of the highest priority."""
    found = matching_rules(jurisdiction, answers)
    if not found:
        raise NoRuleError(f"{jurisdiction.id}: no rule for {dict(answers)}")
    if len(found) > 1 and found[1].priority == found[0].priority:
        tied = [rule.id for rule in found if rule.priority == found[0].priority]
        raise AmbiguousRuleError(
            f"{jurisdiction.id}: rules {', '.join(tied)} all apply with priority "
            f"{found[0].priority} to {dict(answers)}"
        )
    return found[0]
