"""Common situations (`knowledge/<country>/situations.yaml`), answered by the flows for every
profession and setting of the country, and found by the words typed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flows import texts
from flows.card import to_whom
from flows.consultation import Consultation
from flows.errors import FlowError
from flows.outcome import Verdict
from knowledge.loader import KnowledgeBase
from knowledge.models import Rule
from knowledge.vocabulary import Situation


@dataclass(frozen=True)
class Answer:
    """What the flows answer for a situation, across the professions and settings of a country."""

    situation: Situation
    jurisdiction: str
    rules: tuple[Rule, ...]
    """The rules reached, most frequent first (one when every worker gets the same answer)."""
    alerts: tuple[str, ...] = ()
    """The « À la CRIP : … » lines of the alerts reached besides the requester, most frequent
    first (the duty or faculty to alert an authority, never the requester's answer)."""

    @property
    def headlines(self) -> tuple[str, ...]:
        """The distinct verdict titles, most frequent first."""
        seen: dict[str, None] = {}
        for rule in self.rules:
            seen.setdefault(texts.VERDICT_TITLES[rule.verdict])
        return tuple(seen)


def answer(situation: Situation, jurisdiction: str, kb: KnowledgeBase) -> Answer | None:
    """Run the situation through the flows for every profession and setting; None if none ends."""
    reached: Counter[str] = Counter()
    alerts: Counter[str] = Counter()
    rules: dict[str, Rule] = {}
    law = kb.get(jurisdiction)
    for profession in law.question("profession").choice_ids:
        for setting in law.question("setting").choice_ids:
            answers = {"profession": profession, "setting": setting, **situation.answers}
            try:
                outcome = Consultation((jurisdiction,), answers, knowledge=kb).current()
            except (FlowError, LookupError):  # a gap in the knowledge base: skip that worker
                continue
            if isinstance(outcome, Verdict):
                reached[outcome.rule.id] += 1
                rules[outcome.rule.id] = outcome.rule
                if outcome.alert is not None:
                    alerts[f"{to_whom(outcome.alert.to)} : {outcome.alert.says}"] += 1
    if not reached:
        return None
    ordered = tuple(rules[rule_id] for rule_id, _ in reached.most_common())
    alert_lines = tuple(line for line, _ in alerts.most_common())
    return Answer(situation, jurisdiction, ordered, alert_lines)


def catalogue(kb: KnowledgeBase, served: tuple[str, ...]) -> dict[str, tuple[Answer, ...]]:
    """Every situation of every country served, answered (computed once at start-up)."""
    found: dict[str, tuple[Answer, ...]] = {}
    for jurisdiction in served:
        answers = (answer(item, jurisdiction, kb) for item in kb.get(jurisdiction).situations)
        found[jurisdiction] = tuple(item for item in answers if item is not None)
    return found


def matching(answers: tuple[Answer, ...], words: list[str]) -> tuple[Answer, ...]:
    """The situations whose keywords meet the words typed (every situation when none does)."""
    wanted = set(words)
    found = tuple(item for item in answers if wanted & set(item.situation.keywords))
    return found or answers
