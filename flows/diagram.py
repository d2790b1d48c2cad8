"""The Mermaid diagram of the conversation, generated from the machine's own transitions."""

from __future__ import annotations

from transitions.extensions import GraphMachine

from flows.machine import COUNTRY, build_machine
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.models import Asked

TITLE = "Chaise vide — parcours d'une consultation"


def mermaid(knowledge: KnowledgeBase | None = None) -> str:
    """The flow as a Mermaid state diagram, guards shown on the arrows (restart not drawn)."""
    machine = build_machine(
        knowledge or load_knowledge(),
        GraphMachine,
        forward_only=True,
        graph_engine="mermaid",
        show_conditions=True,
        title=TITLE,
    )

    class Sketch:
        """A stand-in model the graph is drawn for."""

    sketch = Sketch()
    machine.add_model(sketch, initial=COUNTRY)
    graph = machine.model_graphs[id(sketch)].get_graph()
    # The sketch model sits in the first state; draw every state alike.
    return graph.source.replace("s_active", "s_default").rstrip() + "\n"


def describe(asked: Asked) -> str:
    """A question's `asked` data in the contract's words ("requester ∈ {…}; unless risk = …")."""
    if asked.always:
        return "always"

    def clause(key: str, values: tuple[str, ...]) -> str:
        return (
            f"{key} = `{values[0]}`"
            if len(values) == 1
            else (f"{key} ∈ {{{', '.join(f'`{value}`' for value in values)}}}")
        )

    parts = [" and ".join(clause(key, values) for key, values in asked.when.items())]
    if asked.unless:
        unless = " or ".join(clause(key, values) for key, values in asked.unless.items())
        parts.append(f"unless {unless}")
    return "; ".join(part for part in parts if part)


def when_asked_table(knowledge: KnowledgeBase) -> str:
    """Per question and country, when it is asked, from the questions' data."""
    countries = list(knowledge.jurisdictions.values())
    lines = [
        "| question | " + " | ".join(law.name for law in countries) + " |",
        "|---|" + "---|" * len(countries),
    ]
    for question_id in knowledge.order:
        cells = []
        for law in countries:
            question = law.question(question_id)
            cells.append("—" if question is None else describe(question.asked))
        lines.append(f"| `{question_id}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """The diagram in a Markdown page, as committed in docs/flow.md."""
    knowledge = load_knowledge()
    return (
        "# Parcours d'une consultation\n\n"
        "Generated from `knowledge/*/questions.yaml` (through `flows/machine.py`) by\n"
        "`chaisevide diagram`; a test fails when stale. `jurisdiction` is asked only when the\n"
        "instance serves several countries (otherwise the consultation starts at the first\n"
        "question). `restart` (from any step, back to the first question), `back` and changing\n"
        "an answer are not drawn: they replay the answers that remain along these same arrows.\n"
        "`asks_<question>` is that question's `asked` data, below; `takes_shortcut` is the\n"
        "choice marked `shortcut` (péril), and `urgence` takes it from any question.\n\n"
        f"```mermaid\n{mermaid(knowledge)}```\n\n"
        "## When each question is asked\n\n"
        f"{when_asked_table(knowledge)}"
    )


def with_diagram(page: str, diagram: str) -> str:
    """A Markdown page with its first Mermaid block replaced by this diagram."""
    start = page.find("```mermaid\n")
    if start < 0:
        return page
    start += len("```mermaid\n")
    end = page.index("```", start)
    return page[:start] + diagram + page[end:]
