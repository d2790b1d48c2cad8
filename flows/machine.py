"""The conversation's shape: states, guarded transitions and the one long-lived machine."""

from __future__ import annotations

from transitions import Machine

from knowledge.contract import QUESTION_ORDER

VERDICT = "verdict"
QUESTION_STATES: list[str] = list(QUESTION_ORDER)
"""One state per question of the contract, in the order they are asked, then the verdict."""
STATES: list[str] = [*QUESTION_STATES, VERDICT]

# Guarded alternatives are tried in the order written; the unguarded one is the fallback.
TRANSITIONS: list[dict] = [
    {"trigger": "advance", "source": "jurisdiction", "dest": "profession"},
    {"trigger": "advance", "source": "profession", "dest": "setting"},
    {"trigger": "advance", "source": "setting", "dest": "requester"},
    {
        "trigger": "advance",
        "source": "requester",
        "dest": "partner_bound",
        "conditions": "asks_about_partner",
    },
    {"trigger": "advance", "source": "requester", "dest": "risk"},
    {"trigger": "advance", "source": "partner_bound", "dest": "same_mission"},
    {"trigger": "advance", "source": "same_mission", "dest": "risk"},
    {"trigger": "advance", "source": "risk", "dest": VERDICT, "conditions": "is_peril"},
    {"trigger": "advance", "source": "risk", "dest": "consent", "conditions": "needs_consent"},
    {"trigger": "advance", "source": "risk", "dest": VERDICT},
    {"trigger": "advance", "source": "consent", "dest": VERDICT},
    {"trigger": "urgence", "source": QUESTION_STATES, "dest": VERDICT},
    {
        "trigger": "restart",
        "source": "*",
        "dest": "jurisdiction",
        "conditions": "serves_several_jurisdictions",
    },
    {"trigger": "restart", "source": "*", "dest": "profession"},
]


def build_machine(
    machine_class: type[Machine] = Machine,
    transitions: list[dict] = TRANSITIONS,
    initial: str = "profession",
    **options: object,
) -> Machine:
    """The conversation machine; one instance serves every consultation of a process."""
    return machine_class(
        model=None,
        states=STATES,
        transitions=transitions,
        initial=initial,
        auto_transitions=False,
        **options,
    )


MACHINE = build_machine()
"""The process-wide machine. Consultations fire its events directly (`fire`), so no model is
registered on it: nothing to add or remove per consultation, nothing that could leak."""


def fire(model: object, trigger: str) -> bool:
    """Fire one event of the machine on a consultation; True when a transition happened."""
    return MACHINE.events[trigger].trigger(model)


def place(model: object, state: str) -> None:
    """Put a consultation in a state without a transition (restoring it from its answers)."""
    MACHINE.set_state(state, model=model)
