"""Stable choice codes: the questions agree with the registry, which only ever grows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.codes import read_registry
from knowledge.loader import KnowledgeError, load_knowledge, load_knowledge_from


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact passage of a knowledge file (the test fails if it is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_shipped_choice_has_its_recorded_code() -> None:
    """The shipped questions and the shipped registry agree, country by country."""
    knowledge, registry = load_knowledge(), read_registry()
    for country, law in knowledge.jurisdictions.items():
        for question in law.questions:
            recorded = registry.codes(country, question.id)
            assert {c.id: c.code for c in question.choices} == recorded, question.id
    assert set(registry.slots) >= {"jurisdiction", *knowledge.order}


def test_reordering_choices_keeps_their_codes(knowledge_copy: Path) -> None:
    """Moving a choice to another place in its list changes nothing a button carries."""
    path = knowledge_copy / "fr" / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"    - id: nobody\n(      .*\n)+", text)
    assert block is not None
    moved = text.replace(block.group(0), "")
    moved = moved.replace("    - id: self\n", block.group(0) + "    - id: self\n", 1)
    path.write_text(moved, encoding="utf-8")
    law = load_knowledge_from(knowledge_copy).get("fr")
    requester = law.question("requester")
    assert requester.choice_ids[0] == "nobody"
    assert requester.choice("nobody").code == "c"
    assert requester.by_code("6").id == "police"


def test_a_new_choice_in_the_middle_needs_a_new_recorded_code(knowledge_copy: Path) -> None:
    """Inserting a choice with an unrecorded code is refused with the line to add."""
    path = knowledge_copy / "fr" / "questions.yaml"
    edit(
        path,
        "    - id: family\n",
        '    - id: neighbour\n      code: "d"\n      label: Voisin·e\n    - id: family\n',
    )
    with pytest.raises(KnowledgeError, match=r"new choice 'neighbour': record `neighbour: \"d\"`"):
        load_knowledge_from(knowledge_copy)
    edit(knowledge_copy / "codes.yaml", 'nobody: "c"}', 'nobody: "c", neighbour: "d"}')
    law = load_knowledge_from(knowledge_copy).get("fr")
    assert law.question("requester").by_code("6").id == "police"


def test_a_changed_code_is_refused(knowledge_copy: Path) -> None:
    """A choice whose code differs from the registry's never loads."""
    path = knowledge_copy / "fr" / "questions.yaml"
    edit(path, '- id: police\n      code: "6"', '- id: police\n      code: "z"')
    with pytest.raises(KnowledgeError, match=r"choice 'police' has code 'z' but its code is '6'"):
        load_knowledge_from(knowledge_copy)


def test_a_reused_code_is_refused(knowledge_copy: Path) -> None:
    """A choice put in the place of a recorded one may not take its code."""
    edit(knowledge_copy / "be" / "questions.yaml", "    - id: police\n", "    - id: neighbour\n")
    with pytest.raises(KnowledgeError, match=r"'neighbour' reuses code '6' of 'police'"):
        load_knowledge_from(knowledge_copy)


def test_a_question_without_a_slot_is_refused(knowledge_copy: Path) -> None:
    """A question must have its place in button data before it can be asked."""
    edit(knowledge_copy / "codes.yaml", " risk, consent,\n", " risk,\n")
    with pytest.raises(KnowledgeError, match=r"question 'consent' has no slot: append it"):
        load_knowledge_from(knowledge_copy)
