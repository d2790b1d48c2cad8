"""The registry of stable codes (`knowledge/codes.yaml`): button slots and choice codes as history.

Button data and deep links carry a question by its slot and a choice by its one-char code, never
by position in a list, so that reordering or inserting a choice cannot remap an old button. The
registry remembers every code ever committed; loading the knowledge compares the questions with
it, so a changed or reused code never runs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from knowledge.models import Question
from knowledge.shape import COUNTRY_QUESTION

DATA_DIR = Path(__file__).resolve().parent
REGISTRY = "codes.yaml"
SHARED = "shared"


@dataclass(frozen=True)
class Registry:
    """Slots in button order, and per country and question the code of each choice id."""

    slots: tuple[str, ...]
    choices: dict[str, dict[str, dict[str, str]]]

    def codes(self, country: str, question_id: str) -> dict[str, str]:
        """Choice id → code recorded for one question of one country (the country question is
        shared)."""
        scope = SHARED if question_id == COUNTRY_QUESTION else country
        return self.choices.get(scope, {}).get(question_id, {})


def read_registry(root: Path = DATA_DIR) -> Registry:
    """Read the registry file under a knowledge folder."""
    from knowledge.strict_yaml import read_yaml

    return registry_from(read_yaml(root / REGISTRY))


def registry_from(data: dict) -> Registry:
    """The registry from the file's parsed content."""
    choices = {
        scope: {
            question: {str(choice): str(code) for choice, code in codes.items()}
            for question, codes in questions.items()
        }
        for scope, questions in data["choices"].items()
    }
    return Registry(tuple(data["slots"]), choices)


@functools.cache
def registry() -> Registry:
    """The registry shipped with the package, read once per process."""
    return read_registry()


def question_problems(country: str, question: Question, registry: Registry) -> list[str]:
    """How one question's codes disagree with the registry (empty when they agree)."""
    where = f"question '{question.id}'"
    if question.id not in registry.slots:
        return [f"{where} has no slot: append it to `slots` in knowledge/{REGISTRY}"]
    recorded = registry.codes(country, question.id)
    owner = {code: choice for choice, code in recorded.items()}
    problems = []
    for choice in question.choices:
        if choice.id in recorded and recorded[choice.id] != choice.code:
            problems.append(
                f"{where}: choice '{choice.id}' has code {choice.code!r} but its code is "
                f"{recorded[choice.id]!r} (knowledge/{REGISTRY}): codes never change"
            )
        elif choice.id not in recorded and choice.code in owner:
            problems.append(
                f"{where}: choice '{choice.id}' reuses code {choice.code!r} of "
                f"'{owner[choice.code]}': take a code never used for this question"
            )
        elif choice.id not in recorded:
            problems.append(
                f"{where}: new choice '{choice.id}': record `{choice.id}: \"{choice.code}\"` "
                f"under {country if question.id != COUNTRY_QUESTION else SHARED}.{question.id} "
                f"in knowledge/{REGISTRY}"
            )
    present = set(question.choice_ids)
    for choice_id in recorded:
        if choice_id not in present:
            problems.append(
                f"{where}: choice '{choice_id}' was removed or renamed: that breaks the "
                "contract and the buttons already sent"
            )
    return problems
