"""The conversation's shape, read from the questions' data: their order and when each is asked.

Each country's `questions.yaml` lists its questions in the order they are asked; a question's
`asked` says on which paths (`when` / `unless`, the contract's "When asked" column) and a choice
marked `shortcut` (péril) ends the questions from wherever it is given. The machine
(`flows/machine.py`), the path check, the statistics and the tests all read it from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from knowledge.models import Jurisdiction, Question

COUNTRY_QUESTION = "jurisdiction"
"""Asked first, and only when an instance serves several countries."""


class ShapeError(ValueError):
    """The questions' data cannot make a conversation (the message says where and why)."""


def shortcut(law: Jurisdiction) -> tuple[str, str] | None:
    """The (question, choice) that ends the questions from anywhere (péril), if any."""
    return compiled(law).shortcut


def takes_shortcut(law: Jurisdiction, answers: Mapping[str, str]) -> bool:
    """True when one of the answers is the shortcut choice."""
    found = shortcut(law)
    return found is not None and answers.get(found[0]) == found[1]


def is_asked(law: Jurisdiction, question_id: str, answers: Mapping[str, str]) -> bool:
    """True when this country has the question and these answers ask it."""
    step = step_of(law, question_id)
    return step is not None and asked(step, answers)


def never_asked(law: Jurisdiction, question_id: str, answers: Mapping[str, str]) -> bool:
    """True when the answers known so far rule the question out, whatever is answered next."""
    question = law.question(question_id)
    return question is None or question.asked.ruled_out(answers)


@dataclass(frozen=True)
class Step:
    """One question as the walk reads it: its conditions as plain tuples, and its shortcut."""

    question: str
    when: tuple[tuple[str, tuple[str, ...]], ...]
    unless: tuple[tuple[str, tuple[str, ...]], ...]
    shortcut: str | None


@dataclass(frozen=True)
class Shape:
    """A country's questions read once for the walks: steps in order and what depends on what."""

    steps: tuple[Step, ...]
    by_question: dict[str, Step]
    dependents: dict[str, tuple[Step, ...]]
    """For each question, the later steps whose `asked` looks at its answer."""
    openers: frozenset[str]
    """The questions whose answer decides whether another is asked (or ends the questions)."""
    shortcut: tuple[str, str] | None

    @classmethod
    def of(cls, law: Jurisdiction) -> Shape:
        """Read a country's questions."""
        steps = tuple(
            Step(
                question.id,
                tuple(question.asked.when.items()),
                tuple(question.asked.unless.items()),
                next((choice.id for choice in question.choices if choice.shortcut), None),
            )
            for question in law.questions
        )
        dependents: dict[str, list[Step]] = {}
        for step in steps:
            for key in dict.fromkeys(key for key, _ in (*step.when, *step.unless)):
                dependents.setdefault(key, []).append(step)
        openers = set(dependents)
        openers.update(step.question for step in steps if step.shortcut is not None)
        shortcuts = [(step.question, step.shortcut) for step in steps if step.shortcut]
        return cls(
            steps,
            {step.question: step for step in steps},
            {key: tuple(found) for key, found in dependents.items()},
            frozenset(openers),
            shortcuts[0] if shortcuts else None,
        )


_SHAPES: dict[int, tuple[Jurisdiction, Shape]] = {}


def compiled(law: Jurisdiction) -> Shape:
    """The shape of a country, read once per knowledge base (kept with it: ids never clash)."""
    known = _SHAPES.get(id(law))
    if known is None or known[0] is not law:
        known = _SHAPES[id(law)] = (law, Shape.of(law))
    return known[1]


def plan(law: Jurisdiction) -> tuple[Step, ...]:
    """The questions of a country as steps of the walk."""
    return compiled(law).steps


def openers(law: Jurisdiction) -> frozenset[str]:
    """The questions whose answer decides whether another is asked (or ends the questions)."""
    return compiled(law).openers


def dropped_after_change(
    law: Jurisdiction, answers: Mapping[str, str], question_id: str, choice_id: str
) -> tuple[str, ...] | None:
    """On a complete path, after one answer changed: the questions no longer asked (none: the
    same path), or None when a question nobody answered would be asked. Exact when no dropped
    question decides another's `asked` (`openers`); otherwise walk again."""
    dropped: list[str] = []
    for step in compiled(law).dependents.get(question_id, ()):
        was, now = step.question in answers, asked_if(step, answers, question_id, choice_id)
        if now and not was:
            return None
        if was and not now:
            dropped.append(step.question)
    return tuple(dropped)


def asked_if(step: Step, answers: Mapping[str, str], question_id: str, choice_id: str) -> bool:
    """`asked` with one answer replaced, without copying the answers."""
    get = answers.get
    for key, allowed in step.when:
        if (choice_id if key == question_id else get(key)) not in allowed:
            return False
    for key, allowed in step.unless:
        if (choice_id if key == question_id else get(key)) in allowed:
            return False
    return True


def step_of(law: Jurisdiction, question_id: str) -> Step | None:
    """The step of one question (None when the country does not ask it)."""
    return compiled(law).by_question.get(question_id)


def asked(step: Step, answers: Mapping[str, str]) -> bool:
    """True when these answers ask the step's question (plain loops: this runs very often)."""
    get = answers.get
    for key, allowed in step.when:
        if get(key) not in allowed:
            return False
    for key, allowed in step.unless:  # noqa: SIM110 - a loop is faster than any() here
        if get(key) in allowed:
            return False
    return True


def walk(
    law: Jurisdiction, answers: Mapping[str, str], start: int = 0, path: Sequence[str] = ()
) -> tuple[list[str], str | None]:
    """The questions answered along the path, and the next one to ask (None: the verdict).

    This is what the machine does step by step, as one pure function: questions in order,
    those not asked skipped, stopping at the first unanswered one — unless the shortcut was
    answered, which ends the questions there. `start` and `path` resume a walk at a step whose
    earlier questions are known to give `path` (conditions only look at earlier questions).
    """
    path = list(path)
    steps = plan(law)
    for index in range(start, len(steps)):
        step = steps[index]
        if (step.when or step.unless) and not asked(step, answers):
            continue
        choice = answers.get(step.question)
        if choice is None:
            found = shortcut(law) if takes_shortcut(law, answers) else None
            if found is None:
                return path, step.question
            return [*path, found[0]], None
        path.append(step.question)
        if choice == step.shortcut:
            return path, None
    return path, None


def paths(law: Jurisdiction) -> Iterator[dict[str, str]]:
    """Every complete set of answers the conversation can produce, shortcut included."""

    def extend(answers: dict[str, str]) -> Iterator[dict[str, str]]:
        _, next_id = walk(law, answers)
        if next_id is None:
            yield answers
            return
        question = law.question(next_id)
        assert question is not None  # noqa: S101 - walk only returns this country's questions
        for choice in question.choices:
            yield from extend({**answers, next_id: choice.id})

    yield from extend({})


@dataclass(frozen=True)
class Outline:
    """What the conversation machine needs of one country, without its texts: its questions in
    order, those asked on every path, and the question holding the shortcut choice."""

    country: str
    questions: tuple[str, ...]
    always: frozenset[str]
    shortcut: str | None


def outline(law: Jurisdiction) -> Outline:
    """The outline of one country's questions."""
    found = shortcut(law)
    return Outline(
        law.id,
        tuple(question.id for question in law.questions),
        frozenset(question.id for question in law.questions if question.asked.always),
        found[0] if found else None,
    )


def order(laws: Iterable[Jurisdiction]) -> tuple[str, ...]:
    """Every country's questions in one order that respects each country's own order."""
    return merged_order(outline(law) for law in laws)


def merged_order(outlines: Iterable[Outline]) -> tuple[str, ...]:
    """`order`, from the countries' outlines."""
    merged: list[str] = []
    for found in outlines:
        place = 0
        for question_id in found.questions:
            if question_id in merged:
                index = merged.index(question_id)
                if index < place:
                    before = merged[place - 1]
                    raise ShapeError(
                        f"knowledge/{found.country}/questions.yaml: '{question_id}' comes after "
                        f"'{before}' there but before it in another country: keep one order"
                    )
                place = index + 1
            else:
                merged.insert(place, question_id)
                place += 1
    return tuple(merged)


def check_conditions(law: Jurisdiction) -> list[str]:
    """Problems with the `asked` data of one country: unknown or later questions, bad choices."""
    problems = []
    seen: dict[str, Question] = {}
    shortcuts = 0
    for question in law.questions:
        where = f"knowledge/{law.id}/questions.yaml: question '{question.id}'"
        for part in ("when", "unless"):
            for key, values in getattr(question.asked, part).items():
                earlier = seen.get(key)
                if earlier is None:
                    problems.append(
                        f"{where}: field 'asked.{part}.{key}': not a question asked before it"
                    )
                    continue
                unknown = [value for value in values if earlier.choice(value) is None]
                if unknown:
                    problems.append(
                        f"{where}: field 'asked.{part}.{key}': unknown choice "
                        f"{', '.join(unknown)} (valid: {', '.join(earlier.choice_ids)})"
                    )
        shortcuts += sum(choice.shortcut for choice in question.choices)
        seen[question.id] = question
    if shortcuts > 1:
        problems.append(f"knowledge/{law.id}/questions.yaml: only one choice may be a shortcut")
    return problems


def always_asked(laws: Sequence[Jurisdiction], question_id: str) -> bool:
    """True when every country has the question and asks it on every path."""
    found = [law.question(question_id) for law in laws]
    return all(question is not None and question.asked.always for question in found)


def asked_everywhere(outlines: Sequence[Outline], question_id: str) -> bool:
    """`always_asked`, from the countries' outlines."""
    return all(question_id in found.always for found in outlines)


def answer_columns(laws: Iterable[Jurisdiction]) -> tuple[str, ...]:
    """Every question a consultation can answer, in conversation order (the country excluded)."""
    return order(laws)
