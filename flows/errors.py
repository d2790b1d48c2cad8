"""Mistakes a person can make while answering, each with a French message and the next step."""

from __future__ import annotations


class FlowError(ValueError):
    """An answer the conversation cannot take; `str()` is the French message for the person."""


class UnknownQuestionError(FlowError):
    """The question id does not exist."""

    def __init__(self, question_id: str, valid: list[str]) -> None:
        super().__init__(
            f"Question inconnue « {question_id} ». Questions possibles : {', '.join(valid)}."
        )
        self.question_id = question_id


class UnknownChoiceError(FlowError):
    """The choice id does not exist for this question (in this jurisdiction)."""

    def __init__(self, question_id: str, choice_id: str, valid: list[str]) -> None:
        super().__init__(
            f"Choix inconnu « {choice_id} » pour la question « {question_id} ». "
            f"Choix possibles : {', '.join(valid)}."
        )
        self.question_id = question_id
        self.choice_id = choice_id
        self.valid = valid


class NotCurrentQuestionError(FlowError):
    """A button of a question that is no longer the one asked (an old message)."""

    def __init__(self, question_id: str) -> None:
        super().__init__(
            f"Ce bouton répond à la question « {question_id} », qui n'est plus celle posée. "
            "Répondez à la question affichée, ou recommencez."
        )
        self.question_id = question_id


class JurisdictionNotServedError(FlowError):
    """The jurisdiction exists but this instance is not configured for it."""

    def __init__(self, jurisdiction_id: str, served: tuple[str, ...]) -> None:
        super().__init__(
            f"Le pays « {jurisdiction_id} » n'est pas proposé ici. "
            f"Pays possibles : {', '.join(served)}."
        )
