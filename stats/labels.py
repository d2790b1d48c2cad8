"""French labels for the ids the statistics store, taken from the knowledge base and the texts."""

from __future__ import annotations

from functools import cache

from flows import texts
from knowledge.loader import KnowledgeBase, load_knowledge

CHANNELS = {
    "private": "Privé",
    "group": "Groupe",
    "inline": "Carte inline",
    "terminal": "Terminal",
    "matrix": "Matrix (conversation directe)",
    "matrix_room": "Matrix (salon)",
}
OUTCOMES = {"completed": "Terminées", "abandoned": "Abandonnées"}
FEEDBACK = {"up": "👍 Utile", "down": "👎 Pas utile"}
BACK_STEPS = {"0": "Aucun retour", "1": "1 retour", "2": "2 retours", "3+": "3 retours ou plus"}
JURISDICTIONS = {"fr": "France", "be": "Belgique"}
BREAKDOWNS = {
    "consultations": "Consultations",
    "outcome": "Issue",
    "channel": "Canal",
    "jurisdiction": "Pays",
    "verdict": "Verdict",
    "situation": "Situation (demandeur × risque × verdict)",
    "rule": "Règle",
    "feedback": "Avis",
    "feedback_reason": "Raison du 👎",
    "stopped_at": "Question où la consultation a été abandonnée",
    "back_steps": "Retours en arrière",
}
NOT_ASKED = "(non posée)"


class Labels:
    """Looks up the French label of a column's value; unknown ids are shown as they are."""

    def __init__(self, knowledge: KnowledgeBase | None = None) -> None:
        self.knowledge = knowledge or load_knowledge()

    def question(self, question_id: str) -> str:
        """A question's short name ('Demandeur'), or a breakdown's name."""
        if question_id in BREAKDOWNS:
            return BREAKDOWNS[question_id]
        for law in self.knowledge.jurisdictions.values():
            question = law.question(question_id)
            if question is not None:
                return question.short
        return question_id

    def value(self, column: str, value: str | None) -> str:
        """The label of one value of one column."""
        if value is None:
            return NOT_ASKED
        fixed = {
            "channel": CHANNELS,
            "outcome": OUTCOMES,
            "feedback": FEEDBACK,
            "feedback_reason": texts.FEEDBACK_REASONS,
            "back_steps": BACK_STEPS,
            "jurisdiction": JURISDICTIONS,
        }.get(column)
        if fixed is not None:
            return fixed.get(value, value)
        if column == "verdict":
            return verdict_title(value)
        if column == "rule":
            return self.rule(value)
        if column == "stopped_at":
            return self.question(value)
        return self.choice(column, value)

    def choice(self, question_id: str, choice_id: str) -> str:
        """A choice's label in the first country that has it."""
        for law in self.knowledge.jurisdictions.values():
            question = law.question(question_id)
            choice = question.choice(choice_id) if question else None
            if choice is not None:
                return choice.label
        return choice_id

    def rule(self, rule_id: str) -> str:
        """A rule's title, or its id when today's knowledge no longer has it."""
        for law in self.knowledge.jurisdictions.values():
            for rule in law.rules:
                if rule.id == rule_id:
                    return rule.title
        return rule_id


def verdict_title(verdict_id: str) -> str:
    """'Vous devez garder le secret' (the title without its emoji)."""
    title = texts.VERDICT_TITLES.get(verdict_id, verdict_id)
    return title.split(" ", 1)[1] if " " in title and not title[0].isalnum() else title


@cache
def default_labels() -> Labels:
    """Labels from the installed knowledge base, loaded once."""
    return Labels()
