"""A country's vocabulary as data: words workers type for answers, situations they meet often.

`knowledge/<country>/words.yaml` maps the words a worker may type (`/verif police refus`) to the
answers they stand for; `knowledge/<country>/situations.yaml` lists the common situations offered
as inline cards. Both name questions and choices of their own country only: the loader checks
them against its questions (`problems`), so a Belgian worker never meets a French-only term.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING, Annotated

from knowledge.constraints import Check, Length, frozen

if TYPE_CHECKING:
    from knowledge.models import Jurisdiction

WORD_PATTERN = re.compile(r"^[a-z0-9]+$")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def plain_word(value: str) -> str:
    """Reject a word that typed text could never match: one word, lowercase, no accents."""
    if not WORD_PATTERN.match(value):
        raise ValueError(f"word {value!r} must be one word in lowercase, without accents")
    return value


def identifier(value: str) -> str:
    """Reject an id that is not lowercase ASCII."""
    if not ID_PATTERN.match(value):
        raise ValueError(f"id {value!r} must be lowercase ASCII")
    return value


Word = Annotated[str, Check(plain_word)]


@frozen
class Words:
    """Words a worker may type, and the answer each stands for."""

    country: tuple[Word, ...] = ()
    """Words naming this country, understood when an instance serves several."""
    answers: dict[str, dict[str, tuple[Word, ...]]] = field(default_factory=dict)
    """Question id → choice id → the words standing for that choice."""

    def pairs(self) -> Iterator[tuple[str, str, str]]:
        """Every (word, question, choice), in the file's order."""
        for question_id, choices in self.answers.items():
            for choice_id, words in choices.items():
                for word in words:
                    yield word, question_id, choice_id

    def meaning(self, word: str) -> tuple[str, str] | None:
        """The (question, choice) a word stands for, or None."""
        for known, question_id, choice_id in self.pairs():
            if known == word:
                return question_id, choice_id
        return None

    def by_question(self) -> list[list[str]]:
        """The words, grouped by the question they answer."""
        groups = []
        for choices in self.answers.values():
            groups.append([word for words in choices.values() for word in words])
        return groups


@frozen
class Situation:
    """A situation workers meet often: a title, the answers it stands for, words that find it."""

    id: Annotated[str, Check(identifier)]
    title: Annotated[str, Length(1, 80)]
    answers: Annotated[dict[str, str], Length(min=1)]
    """Answers common to every worker (profession and setting are tried one by one)."""
    keywords: Annotated[tuple[Word, ...], Length(min=1)]


def word_problems(law: Jurisdiction, where: str) -> list[str]:
    """What is wrong with a country's words: unknown questions or choices, a word used twice."""
    problems = []
    for question_id, choices in law.words.answers.items():
        question = law.question(question_id)
        if question is None:
            known = ", ".join(q.id for q in law.questions)
            problems.append(
                f"{where}: field 'answers.{question_id}': unknown question (known: {known})"
            )
            continue
        for choice_id in choices:
            if question.choice(choice_id) is None:
                problems.append(
                    f"{where}: field 'answers.{question_id}.{choice_id}': unknown choice "
                    f"(valid: {', '.join(question.choice_ids)})"
                )
    seen: dict[str, str] = dict.fromkeys(law.words.country, "country")
    for word, question_id, choice_id in law.words.pairs():
        field = f"answers.{question_id}.{choice_id}"
        if word in seen:
            problems.append(f"{where}: field '{field}': word {word!r} is also in '{seen[word]}'")
        seen.setdefault(word, field)
    return problems


def situation_problems(law: Jurisdiction, where: str) -> list[str]:
    """What is wrong with a country's situations: a repeated id, unknown questions or choices."""
    problems = []
    ids = [situation.id for situation in law.situations]
    for repeated in sorted({situation_id for situation_id in ids if ids.count(situation_id) > 1}):
        problems.append(f"{where}: situation {repeated!r}: field 'id': listed twice")
    for situation in law.situations:
        for question_id, choice_id in situation.answers.items():
            field = f"{where}: situation {situation.id!r}: field 'answers.{question_id}'"
            question = law.question(question_id)
            if question is None:
                problems.append(f"{field}: unknown question")
            elif question.choice(choice_id) is None:
                problems.append(
                    f"{field}: unknown choice {choice_id!r} "
                    f"(valid: {', '.join(question.choice_ids)})"
                )
    return problems
