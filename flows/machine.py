"""The conversation's shape as a machine: states and guarded transitions generated from the data.

One machine per knowledge base serves every consultation of a process. Its states are the
questions (`knowledge/shape.py` gives their order) and the verdict; from each question, `advance`
tries the later questions in order, each guarded by `asks_<question>` (its `asked` data), and
stops at the first question asked on every path; the shortcut choice (péril) goes straight to
the verdict, from its own question (`takes_shortcut`) or from any other (`urgence`).
"""

from __future__ import annotations

from transitions import Machine

from knowledge import shape
from knowledge.loader import KnowledgeBase

VERDICT = "verdict"
COUNTRY = shape.COUNTRY_QUESTION
ASKS = "asks_"
"""Prefix of the guard of a question: `asks_consent` holds when consent is asked."""
SHORTCUT_GUARD = "takes_shortcut"


def states(knowledge: KnowledgeBase) -> list[str]:
    """The country question, every question in order, then the verdict."""
    return [COUNTRY, *knowledge.order, VERDICT]


def transitions(knowledge: KnowledgeBase) -> list[dict]:
    """Guarded alternatives, in the order they are tried; the unguarded one is the fallback."""
    outlines = knowledge.outlines
    questions = [COUNTRY, *knowledge.order]
    with_shortcut = {found.shortcut for found in outlines if found.shortcut}
    generated: list[dict] = []
    for index, source in enumerate(questions):
        if source in with_shortcut:
            generated.append(
                {"trigger": "advance", "source": source, "dest": VERDICT,
                 "conditions": SHORTCUT_GUARD}
            )  # fmt: skip
        for dest in [*questions[index + 1 :], VERDICT]:
            if dest == VERDICT or shape.asked_everywhere(outlines, dest):
                generated.append({"trigger": "advance", "source": source, "dest": dest})
                break
            generated.append(
                {"trigger": "advance", "source": source, "dest": dest, "conditions": ASKS + dest}
            )
    generated.append({"trigger": "urgence", "source": questions, "dest": VERDICT})
    first = knowledge.order[0]
    generated += [
        {"trigger": "restart", "source": "*", "dest": COUNTRY,
         "conditions": "serves_several_jurisdictions"},
        {"trigger": "restart", "source": "*", "dest": first},
    ]  # fmt: skip
    return generated


def build_machine(
    knowledge: KnowledgeBase,
    machine_class: type[Machine] = Machine,
    forward_only: bool = False,
    **options: object,
) -> Machine:
    """The conversation machine of a knowledge base (`forward_only`: without restart)."""
    generated = transitions(knowledge)
    if forward_only:
        generated = [t for t in generated if t["trigger"] != "restart"]
    return machine_class(
        model=None,
        states=states(knowledge),
        transitions=generated,
        initial=COUNTRY,
        auto_transitions=False,
        **options,
    )


_MACHINES: dict[str, Machine] = {}
"""One machine per knowledge version. Consultations fire its events directly (`fire`), so no
model is registered on it: nothing to add or remove per consultation, nothing that could leak."""


_BY_BASE: dict[int, tuple[KnowledgeBase, Machine]] = {}
"""The machine of each knowledge base object, found without building its key at every step."""


def machine_for(knowledge: KnowledgeBase) -> Machine:
    """The process-wide machine of this knowledge base, built on first use."""
    known = _BY_BASE.get(id(knowledge))
    if known is None or known[0] is not knowledge:
        key = f"{knowledge.version}:{','.join(knowledge.order)}"
        machine = _MACHINES.get(key)
        if machine is None:
            machine = _MACHINES[key] = build_machine(knowledge)
        known = _BY_BASE[id(knowledge)] = (knowledge, machine)
    return known[1]


def fire(model: object, knowledge: KnowledgeBase, trigger: str) -> bool:
    """Fire one event of the machine on a consultation; True when a transition happened."""
    return machine_for(knowledge).events[trigger].trigger(model)


def place(model: object, knowledge: KnowledgeBase, state: str) -> None:
    """Put a consultation in a state without a transition (restoring it from its answers)."""
    machine_for(knowledge).set_state(state, model=model)
