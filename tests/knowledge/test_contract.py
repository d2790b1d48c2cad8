"""The questions, choices and "when asked" of the knowledge are those of shared/spec/contract.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.diagram import describe
from knowledge.loader import load_knowledge

CONTRACT = Path(__file__).resolve().parents[3] / "shared" / "spec" / "contract.md"
TICKED = re.compile(r"`([a-z_]+)`")


FOLLOW_UPS = "### Follow-up questions"


def contract_rows() -> dict[str, tuple[str, list[str]]]:
    """Each question's table ('main' or 'follow_up') and the cells of its row, by question id."""
    rows: dict[str, tuple[str, list[str]]] = {}
    table = "main"
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.startswith(FOLLOW_UPS):
            table = "follow_up"
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 3:
            found = TICKED.fullmatch(cells[0])
            if found:
                rows[found.group(1)] = (table, cells[1:])
    return rows


def for_country(cell: str, country: str) -> str:
    """The parts of a "when asked" cell that apply to a country ("…; … in Belgium")."""
    parts = [part for part in cell.split(";") if country == "be" or "in Belgium" not in part]
    return ";".join(parts)


pytestmark = pytest.mark.skipif(not CONTRACT.is_file(), reason="shared/spec/contract.md absent")


def test_every_question_and_choice_id_is_the_contracts() -> None:
    """Each country's questions and choice ids are exactly those the contract lists."""
    rows = contract_rows()
    knowledge = load_knowledge()
    for country, law in knowledge.jurisdictions.items():
        for question in law.questions:
            assert question.id in rows, f"{question.id} is not in the contract"
            table, cells = rows[question.id]
            if table == "main":  # when asked, choices in France, choices in Belgium
                cell = cells[1] if country == "fr" or cells[2].startswith("same") else cells[2]
            else:  # follow-up questions: when asked, the same choices in both countries
                cell = cells[1]
            assert list(question.choice_ids) == TICKED.findall(cell), (country, question.id)


def test_when_asked_names_the_contracts_answers() -> None:
    """A question's `asked` data names the same choices as the contract's "when asked" column."""
    rows = contract_rows()
    knowledge = load_knowledge()
    for law in knowledge.jurisdictions.values():
        for question in law.questions:
            said = for_country(rows[question.id][1][0], law.id)
            if question.asked.always:
                assert said == "always", question.id
                continue
            choices = set(TICKED.findall(said)) - set(knowledge.order)
            assert set(TICKED.findall(describe(question.asked))) == choices, question.id
