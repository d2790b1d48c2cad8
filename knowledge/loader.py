"""Load the knowledge: from its compiled form when it is current, else from the YAML.

The YAML is the source: `load_knowledge_from` validates all of it (`knowledge/validate.py`), as
`chaisevide knowledge check` and the tests do. `load_knowledge`, what every front end calls,
first looks for the compiled form written for exactly these files (`knowledge/compiled.py`) and
then reads each country only when it is first asked about; when there is none, it loads the
YAML, checks everything, and writes the compiled form for the next process.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from knowledge import compiled, contract, shape
from knowledge.base import KnowledgeBase, KnowledgeError, Laws
from knowledge.models import Choice, Jurisdiction, Question

DATA_DIR = Path(__file__).resolve().parent


def load_knowledge_from(root: Path) -> KnowledgeBase:
    """Load and cross-check the whole knowledge base found under `root`, from the YAML."""
    from knowledge.validate import validate

    question, jurisdictions = validate(root)
    return assemble(question, jurisdictions, compiled.fingerprint(root).version)


def load_jurisdiction(jurisdiction_id: str, root: Path = DATA_DIR) -> Jurisdiction:
    """Load one jurisdiction folder on its own, from the YAML (for authors checking rules)."""
    from knowledge.validate import load_jurisdiction as validated

    return validated(root / jurisdiction_id, root, jurisdiction_id)


def assemble(
    question: Question, jurisdictions: Mapping[str, Jurisdiction], version: str
) -> KnowledgeBase:
    """The knowledge base of validated countries: their outlines and merged order added."""
    outlines = tuple(shape.outline(law) for law in jurisdictions.values())
    try:
        order = shape.merged_order(outlines)
    except shape.ShapeError as error:
        raise KnowledgeError(str(error)) from None
    return KnowledgeBase(dict(jurisdictions), question, version, order, outlines)


@functools.cache
def load_knowledge() -> KnowledgeBase:
    """The knowledge base shipped with the package, loaded once per process."""
    return open_knowledge(DATA_DIR)


def open_knowledge(root: Path, folders: list[Path] | None = None) -> KnowledgeBase:
    """The knowledge under `root`: from the first folder holding its current compiled form
    (each country read on first use), else from the YAML, then compiled into the user's cache."""
    found = compiled.fingerprint(root)
    for folder in compiled.folders() if folders is None else folders:
        shared = compiled.read(folder, found.key, compiled.SHARED)
        if shared is not None:
            return from_compiled(root, folder, found, shared)
    return compile_knowledge(root, found)


def compile_knowledge(root: Path, found: compiled.Fingerprint) -> KnowledgeBase:
    """Load the YAML (every check runs), then write its compiled form to the user's cache;
    silently not when the cache cannot be written (read-only home, container), nor when the
    files changed since `found` was taken (what was read is then not what the key says)."""
    knowledge = load_knowledge_from(root)
    target = compiled.cache_dir()
    if target is not None and compiled.fingerprint(root) == found:
        compiled.write(target, found.key, parts(knowledge))
    return knowledge


def parts(knowledge: KnowledgeBase) -> dict[str, Any]:
    """What a compiled form holds: one part per country, and the shared part."""
    shared = {
        "jurisdiction_question": knowledge.jurisdiction_question,
        "order": knowledge.order,
        "outlines": [
            {
                "country": found.country,
                "questions": found.questions,
                "always": sorted(found.always),
                "shortcut": found.shortcut,
            }
            for found in knowledge.outlines
        ],
    }
    return {compiled.SHARED: shared, **knowledge.jurisdictions}


def from_compiled(
    root: Path, folder: Path, found: compiled.Fingerprint, shared: dict[str, Any]
) -> KnowledgeBase:
    """The knowledge base of a compiled form; each country is read when first asked about."""
    outlines = tuple(
        shape.Outline(
            item["country"], item["questions"], frozenset(item["always"]), item["shortcut"]
        )
        for item in shared["outlines"]
    )

    def read(jurisdiction_id: str) -> Jurisdiction:
        """One country's compiled law; if it is gone or corrupt, the YAML decides again."""
        law = compiled.read(folder, found.key, jurisdiction_id)
        if isinstance(law, Jurisdiction) and law.id == jurisdiction_id:
            return law
        return compile_knowledge(root, found).get(jurisdiction_id)

    return KnowledgeBase(
        Laws(contract.JURISDICTIONS, read),
        shared["jurisdiction_question"],
        found.version,
        shared["order"],
        outlines,
    )


__all__ = ["Choice", "KnowledgeBase", "KnowledgeError", "load_knowledge", "load_knowledge_from"]
