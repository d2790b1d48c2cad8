"""The public vocabulary of `shared/spec/contract.md`: question, choice and verdict ids."""

from __future__ import annotations

QUESTION_ORDER: tuple[str, ...] = (
    "jurisdiction",
    "profession",
    "setting",
    "requester",
    "partner_bound",
    "same_mission",
    "risk",
    "consent",
)

_REQUESTERS = (
    "self",
    "colleague",
    "partner",
    "case_meeting",
    "mandant",
    "family",
    "police",
    "requisition",
    "witness",
    "authority",
    "bailiff",
    "other",
    "nobody",
)
_YES_NO_UNSURE = ("yes", "no", "unsure")
_RISKS = ("peril", "child", "vulnerable", "couple", "weapon", "crime", "none", "unsure")
_CONSENTS = ("given", "refused", "not_asked", "impossible")

CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {
        "profession": ("ass", "health", "social", "other"),
        "setting": (
            "child_protection",
            "shelter",
            "social_aid",
            "medico_social",
            "hospital",
            "public",
            "private",
        ),
        "requester": _REQUESTERS,
        "partner_bound": _YES_NO_UNSURE,
        "same_mission": _YES_NO_UNSURE,
        "risk": _RISKS,
        "consent": _CONSENTS,
    },
    "be": {
        "profession": ("as", "health", "social", "other"),
        "setting": ("cpas", "youth_aid", "mental_health", "shelter", "justice_aid", "other"),
        "requester": _REQUESTERS,
        "partner_bound": _YES_NO_UNSURE,
        "same_mission": _YES_NO_UNSURE,
        "risk": _RISKS,
        "consent": _CONSENTS,
    },
}
"""Choice ids per jurisdiction and question, in contract order (jurisdiction excluded)."""

JURISDICTIONS: tuple[str, ...] = ("fr", "be")

PARTNER_REQUESTERS = frozenset({"colleague", "partner", "case_meeting"})
"""Requesters for whom `partner_bound` and `same_mission` are asked."""

NO_CONSENT_REQUESTERS = frozenset({"self", "requisition", "witness", "bailiff", "mandant"})
"""Requesters for whom `consent` is not asked."""

UNSURE = "unsure"
PERIL = "peril"


def partner_questions_asked(answers: dict[str, str]) -> bool:
    """`partner_bound` and `same_mission` matter only when a professional or a meeting asks."""
    return answers.get("requester") in PARTNER_REQUESTERS


def consent_asked(answers: dict[str, str]) -> bool:
    """`consent` matters unless there is péril or the requester acts under a legal framework."""
    return answers.get("risk") != PERIL and answers.get("requester") not in NO_CONSENT_REQUESTERS
