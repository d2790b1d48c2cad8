"""One consultation: its answers, its place in the conversation, and what to show next."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flows import texts
from flows.errors import (
    JurisdictionNotServedError,
    NotCurrentQuestionError,
    UnknownChoiceError,
    UnknownQuestionError,
)
from flows.machine import ASKS, COUNTRY, VERDICT, fire, place
from flows.outcome import AnswerShown, NextQuestion, Outcome, Verdict
from knowledge import contract, shape
from knowledge.engine import decide, decide_alert, status_sources, worker_status
from knowledge.loader import KnowledgeBase, load_knowledge
from knowledge.models import Jurisdiction, Question


class Consultation:
    """A consultation as the state machine's model; its state derives from its answers."""

    state: str

    def __init__(
        self,
        served: tuple[str, ...] = contract.JURISDICTIONS,
        answers: Mapping[str, str] | None = None,
        back_steps: int = 0,
        knowledge: KnowledgeBase | None = None,
    ) -> None:
        self.knowledge = knowledge or load_knowledge()
        self.served = tuple(served)
        self.answers: dict[str, str] = {}
        self.path: list[str] = []
        self.back_steps = back_steps
        self.note = ""
        self._laws: dict[str, Jurisdiction] = {}
        self._lines: list[AnswerShown] = []  # 'Vos réponses' so far; emptied with the path
        for question_id, choice_id in (answers or {}).items():
            self._validate(question_id, choice_id, answers or {})
            self.answers[question_id] = choice_id
        self.dropped = self._walk()

    # Conditions of the machine's transitions (see flows/machine.py).

    def __getattr__(self, name: str) -> Callable[[], bool]:
        """`asks_<question>`: the machine's guard, True when these answers ask that question.
        Made a method of the class on first use, so the machine's next look-ups find it at once."""
        if not name.startswith(ASKS) or "knowledge" not in self.__dict__:
            raise AttributeError(name)
        question_id = name[len(ASKS) :]

        def guard(self: Consultation) -> bool:
            return shape.is_asked(self.jurisdiction, question_id, self.answers)

        guard.__name__ = guard.__qualname__ = name
        guard.__doc__ = f"True when these answers ask '{question_id}'."
        setattr(Consultation, name, guard)
        return getattr(self, name)

    def takes_shortcut(self) -> bool:
        """The shortcut (péril) was answered: act now, nothing else matters."""
        return shape.takes_shortcut(self.jurisdiction, self.answers)

    def serves_several_jurisdictions(self) -> bool:
        """This instance serves more than one country, so the country is asked first."""
        return len(self.served) > 1

    # What the consultation knows.

    @property
    def jurisdiction(self) -> Jurisdiction:
        """The country's law this consultation follows (the first served by default)."""
        country = self.answers.get(COUNTRY, self.served[0])
        law = self._laws.get(country)
        if law is None:
            law = self._laws[country] = self.knowledge.get(country)
        return law

    @property
    def complete(self) -> bool:
        """True when the verdict is reached."""
        return self.state == VERDICT

    def question(self, question_id: str) -> Question:
        """A question of this consultation's jurisdiction (the country question included)."""
        if question_id == COUNTRY:
            return self.knowledge.jurisdiction_question
        found = self.jurisdiction.question(question_id)
        if found is None:
            raise UnknownQuestionError(question_id, self._question_ids())
        return found

    def legal_answers(self) -> dict[str, str]:
        """The answers the rules look at (the country is not one of them)."""
        return {key: value for key, value in self.answers.items() if key != "jurisdiction"}

    # What a person can do.

    def answer(self, question_id: str, choice_id: str) -> Outcome:
        """Answer the question being asked and move on."""
        if question_id != self.state:
            if question_id not in self._question_ids():
                raise UnknownQuestionError(question_id, self._question_ids())
            raise NotCurrentQuestionError(question_id)
        self._validate(question_id, choice_id, self.answers)
        self.answers[question_id] = choice_id
        self.note = ""
        if choice_id == contract.UNSURE:
            self.note = texts.UNSURE_NOTE.format(help=self.question(question_id).help)
        if question_id == "jurisdiction":
            self._drop_answers_invalid_in(self.jurisdiction)
            self._walk()
        else:
            self._walk(from_start=False)  # earlier answers are unchanged: go on from here
        return self.current()

    def back(self) -> Outcome:
        """Go back one step: the previous question is asked again."""
        self.note = ""
        if not self.path:
            self.note = texts.ALREADY_FIRST
            return self.current()
        del self.answers[self.path[-1]]
        self.back_steps += 1
        self._walk()
        return self.current()

    def change(self, question_id: str) -> Outcome:
        """Ask an earlier question again; later answers that still apply are kept."""
        self.note = ""
        if question_id not in self.path:
            raise NotCurrentQuestionError(question_id)
        del self.answers[question_id]
        self._walk()
        return self.current()

    def restart(self) -> Outcome:
        """Start again from the first question: a new consultation (no answer, no back step)."""
        self.answers.clear()
        self.back_steps = 0
        self.note = ""
        self.path, self._lines = [], []
        fire(self, self.knowledge, "restart")
        return self.current()

    def urgence(self) -> Outcome:
        """Péril, from any step: go straight to what to do now."""
        found = shape.shortcut(self.jurisdiction)
        if found is not None:
            self.answers[found[0]] = found[1]
        self.note = ""
        self._walk()
        return self.current()

    def current(self) -> Outcome:
        """The next question, or the verdict when every question on the path is answered."""
        lines = self._lines  # the path only grew since they were made
        lines += [self._shown(question_id) for question_id in self.path[len(lines) :]]
        shown = tuple(lines)
        if self.state != VERDICT:
            return NextQuestion(self.question(self.state), len(self.path) + 1, self.note, shown)
        law = self.jurisdiction
        answers = self.legal_answers()
        unsure = tuple(key for key, value in answers.items() if value == contract.UNSURE)
        others = ()
        if "jurisdiction" not in self.answers:
            others = tuple(self.knowledge.get(j) for j in self.served if j != law.id)
        status = worker_status(law, answers)
        rule = decide(law, answers)
        alert = None if rule.verdict == "must_act" else decide_alert(law, answers)
        bound_by = status_sources(law, answers)
        return Verdict(rule, law, shown, unsure, status, others, alert, bound_by, answers)

    def ignored(self) -> list[str]:
        """Given answers that this path does not ask: dropped, or provably never asked."""
        pending = [key for key in self.answers if key not in self.path and key != self.state]
        return self.dropped + [key for key in pending if self._never_asked(key)]

    # Inside.

    def _walk(self, from_start: bool = True) -> list[str]:
        """Replay the answers through the machine; at the verdict, drop those off the path."""
        if from_start:
            first = COUNTRY if self.serves_several_jurisdictions() else self.knowledge.order[0]
            place(self, self.knowledge, first)
            self.path, self._lines = [], []
        while self.state != VERDICT and self.state in self.answers:
            self.path.append(self.state)
            fire(self, self.knowledge, "advance")
        found = shape.shortcut(self.jurisdiction) if self.state != VERDICT else None
        if found is not None and self.answers.get(found[0]) == found[1]:  # the shortcut given
            fire(self, self.knowledge, "urgence")
            self.path.append(found[0])
        if self.state != VERDICT:
            return []
        dropped = [key for key in self.answers if key not in self.path]
        for key in dropped:
            del self.answers[key]
        return dropped

    def _never_asked(self, question_id: str) -> bool:
        """True when the answers already known rule this question out."""
        if question_id == COUNTRY:
            return not self.serves_several_jurisdictions()
        return shape.never_asked(self.jurisdiction, question_id, self.answers)

    def _question_ids(self) -> list[str]:
        """Every question id a consultation may answer, the country first."""
        return [COUNTRY, *self.knowledge.order]

    def _validate(self, question_id: str, choice_id: str, answers: Mapping[str, str]) -> None:
        """Check the question exists and the choice is valid for it in this jurisdiction."""
        if question_id == COUNTRY:
            if choice_id not in contract.JURISDICTIONS:
                raise UnknownChoiceError(question_id, choice_id, list(self.served))
            if choice_id not in self.served:
                raise JurisdictionNotServedError(choice_id, self.served)
            return
        country = answers.get(COUNTRY, self.served[0])
        law = self._laws.get(country) or self.knowledge.get(country)
        question = law.question(question_id)
        if question is None:
            raise UnknownQuestionError(question_id, self._question_ids())
        if question.choice(choice_id) is None:
            raise UnknownChoiceError(question_id, choice_id, list(question.choice_ids))

    def _drop_answers_invalid_in(self, law: Jurisdiction) -> None:
        """After a change of country, forget answers whose choice does not exist there."""
        for key, value in list(self.answers.items()):
            question = law.question(key)
            if key != COUNTRY and (question is None or question.choice(value) is None):
                del self.answers[key]

    def _shown(self, question_id: str) -> AnswerShown:
        """How one answer appears in 'Vos réponses' (the same value each time: made once)."""
        question = self.question(question_id)
        choice_id = self.answers[question_id]
        key = (id(question), choice_id)
        known = _SHOWN.get(key)
        if known is None or known[0] is not question:
            choice = question.choice(choice_id)
            label = choice.label if choice else ""
            known = _SHOWN[key] = (
                question,
                AnswerShown(question_id, question.short, choice_id, label),
            )
        return known[1]


_SHOWN: dict[tuple[int, str], tuple[Question, AnswerShown]] = {}
"""Answers as 'Vos réponses' shows them, by question and choice (frozen values, made once)."""
