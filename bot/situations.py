"""Common situations for inline cards, answered by the flows for every profession and setting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flows import texts
from flows.consultation import Consultation
from flows.errors import FlowError
from flows.outcome import Verdict
from knowledge.loader import KnowledgeBase
from knowledge.models import Rule


@dataclass(frozen=True)
class Situation:
    """A situation workers meet often: a title, the answers it stands for, words that find it."""

    id: str
    title: str
    answers: dict[str, str]
    keywords: tuple[str, ...]


SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "police",
        "La police demande, sans réquisition écrite",
        {"requester": "police", "risk": "none", "consent": "not_asked"},
        ("police", "gendarmerie", "gendarme", "policier"),
    ),
    Situation(
        "requisition",
        "Réquisition écrite (OPJ, procureur)",
        {"requester": "requisition", "risk": "none"},
        ("requisition", "opj", "procureur", "police", "ecrite"),
    ),
    Situation(
        "family",
        "La famille demande, la personne n'est pas d'accord",
        {"requester": "family", "risk": "none", "consent": "refused"},
        ("famille", "proche", "parent", "parents"),
    ),
    Situation(
        "partner",
        "Un·e pro d'une autre structure, tenu·e au secret, même mission",
        {
            "requester": "partner",
            "partner_bound": "yes",
            "same_mission": "yes",
            "risk": "none",
            "consent": "not_asked",
        },
        ("partenaire", "pro", "professionnel", "structure", "mission"),
    ),
    Situation(
        "child",
        "Un enfant en danger : dois-je signaler ?",
        {"requester": "nobody", "risk": "child", "consent": "not_asked"},
        ("enfant", "mineur", "danger", "signaler", "information", "preoccupante"),
    ),
    Situation(
        "peril",
        "Péril : quelqu'un est en danger maintenant",
        {"requester": "nobody", "risk": "peril"},
        ("peril", "urgence", "danger", "secours"),
    ),
    Situation(
        "couple",
        "Violences dans le couple : dois-je signaler ?",
        {"requester": "nobody", "risk": "couple", "consent": "refused"},
        ("violences", "couple", "conjugales", "conjoint"),
    ),
    Situation(
        "witness",
        "Convoqué·e comme témoin par un juge",
        {"requester": "witness", "risk": "none"},
        ("temoin", "juge", "tribunal", "convocation"),
    ),
    Situation(
        "bailiff",
        "Un huissier (commissaire de justice) demande",
        {"requester": "bailiff", "risk": "none"},
        ("huissier", "commissaire", "justice"),
    ),
)


@dataclass(frozen=True)
class Answer:
    """What the flows answer for a situation, across the professions and settings of a country."""

    situation: Situation
    jurisdiction: str
    rules: tuple[Rule, ...]
    """The rules reached, most frequent first (one when every worker gets the same answer)."""

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
    if not reached:
        return None
    ordered = tuple(rules[rule_id] for rule_id, _ in reached.most_common())
    return Answer(situation, jurisdiction, ordered)


def catalogue(kb: KnowledgeBase, served: tuple[str, ...]) -> dict[str, tuple[Answer, ...]]:
    """Every situation answered, per country served (computed once at start-up)."""
    found: dict[str, tuple[Answer, ...]] = {}
    for jurisdiction in served:
        answers = (answer(situation, jurisdiction, kb) for situation in SITUATIONS)
        found[jurisdiction] = tuple(item for item in answers if item is not None)
    return found


def matching(answers: tuple[Answer, ...], words: list[str]) -> tuple[Answer, ...]:
    """The situations whose keywords meet the words typed (every situation when none does)."""
    wanted = set(words)
    found = tuple(item for item in answers if wanted & set(item.situation.keywords))
    return found or answers
