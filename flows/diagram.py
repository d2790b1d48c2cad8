"""The Mermaid diagram of the conversation, generated from the machine's own transitions."""

from __future__ import annotations

from transitions.extensions import GraphMachine

from flows.machine import TRANSITIONS, build_machine

TITLE = "Chaise vide — parcours d'une consultation"


def mermaid() -> str:
    """The flow as a Mermaid state diagram, guards shown on the arrows (restart not drawn)."""
    forward = [t for t in TRANSITIONS if t["trigger"] != "restart"]
    machine = build_machine(
        GraphMachine,
        forward,
        "jurisdiction",
        graph_engine="mermaid",
        show_conditions=True,
        title=TITLE,
    )

    class Sketch:
        """A stand-in model the graph is drawn for."""

    sketch = Sketch()
    machine.add_model(sketch, initial="jurisdiction")
    graph = machine.model_graphs[id(sketch)].get_graph()
    # The sketch model sits in the first state; draw every state alike.
    return graph.source.replace("s_active", "s_default").rstrip() + "\n"


def markdown() -> str:
    """The diagram in a Markdown page, as committed in docs/flow.md."""
    return (
        "# Parcours d'une consultation\n\n"
        "Generated from `flows/machine.py` by `chaisevide diagram`; a test fails when stale.\n"
        "`jurisdiction` is asked only when the instance serves several countries (otherwise the\n"
        "consultation starts at `profession`). `restart` (from any step, back to the first\n"
        "question), `back` and changing an answer are not drawn: they replay the answers that\n"
        "remain along these same arrows.\n\n"
        f"```mermaid\n{mermaid()}```\n"
    )
