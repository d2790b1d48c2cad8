"""What one consultation leaves behind: categorical values and a day, never who or what was said."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TYPE_CHECKING, get_args

from flows.events import Channel
from flows.texts import FEEDBACK_REASONS
from knowledge import contract, shape
from knowledge.loader import load_knowledge
from knowledge.models import VERDICTS

if TYPE_CHECKING:
    from flows.consultation import Consultation

# The closed lists a row holds. Those of flows and knowledge are read where they are declared;
# the table's CHECK constraints list them literally (`stats/migrations.py`), and
# `tests/stats/test_schema.py` fails when one of them grows without a migration.
CHANNELS: tuple[str, ...] = get_args(Channel)
REASONS = tuple(FEEDBACK_REASONS)
"""Why a verdict got a 👎: the keys of `flows.texts.FEEDBACK_REASONS`."""
OUTCOMES = ("completed", "abandoned", "open")
"""'open': a consultation under way today (it becomes 'abandoned' if it is still open tomorrow)."""
BEFORE_VERDICT = ("abandoned", "open")
FEEDBACKS = ("up", "down")
"""👍 and 👎 (`flows.events.ConsultationEvent.feedback`, checked by a test)."""
ANSWER_COLUMNS: tuple[str, ...] = load_knowledge().order
"""One column per categorical answer, in conversation order (`knowledge/shape.py`)."""
ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""Rule ids and knowledge versions: short lowercase ids, so no free text can ever pass."""


class RecordError(ValueError):
    """A value that is not one of the contract's categorical ids (nothing is recorded)."""


def check(value: str | None, allowed: tuple[str, ...], field: str) -> None:
    """Raise unless the value is None or one of the allowed ids."""
    if value is not None and value not in allowed:
        raise RecordError(f"{field}: not a known id")


def check_id(value: str | None, field: str) -> None:
    """Raise unless the value is None or a short lowercase id."""
    if value is not None and (not isinstance(value, str) or not ID.fullmatch(value)):
        raise RecordError(f"{field}: not a short lowercase id")


def stopped_at(answers: Mapping[str, str], jurisdiction: str = "fr") -> str:
    """The question a consultation was waiting on: the first one of its path not answered yet."""
    law = load_knowledge().jurisdictions.get(jurisdiction)
    if law is None:
        raise RecordError("jurisdiction: not a known id")
    path, next_question = shape.walk(law, answers)
    return next_question or path[-1]


def choices(jurisdiction: str, question_id: str) -> tuple[str, ...]:
    """The choice ids a question accepts in a jurisdiction (none if it has no such question)."""
    question = load_knowledge().get(jurisdiction).question(question_id)
    return question.choice_ids if question else ()


@dataclass(frozen=True, slots=True)
class ConsultationRecord:
    """One row of `consultations`: a day, the categorical answers and what the bot answered."""

    day: dt.date
    jurisdiction: str
    channel: str
    outcome: str
    kb_version: str
    answers: Mapping[str, str | None] = field(default_factory=dict, hash=False)
    """The choice made at each question asked, keyed by `ANSWER_COLUMNS` (None: not asked)."""
    rule: str | None = None
    verdict: str | None = None
    debated: bool = False
    back_steps: int = 0
    stopped_at: str | None = None
    feedback: str | None = None
    feedback_reason: str | None = None

    def __post_init__(self) -> None:
        """Refuse anything that is not a date, a contract id or a small count."""
        if type(self.day) is not dt.date:
            raise RecordError("day: a date without time is required")
        check(self.jurisdiction, contract.JURISDICTIONS, "jurisdiction")
        if self.jurisdiction is None:
            raise RecordError("jurisdiction: required")
        for name, allowed in (("channel", CHANNELS), ("outcome", OUTCOMES)):
            value = getattr(self, name)
            check(value, allowed, name)
            if value is None:
                raise RecordError(f"{name}: required")
        if not isinstance(self.answers, Mapping) or not set(self.answers) <= set(ANSWER_COLUMNS):
            raise RecordError("answers: unknown question")
        for question in ANSWER_COLUMNS:
            check(self.answers.get(question), choices(self.jurisdiction, question), question)
        answered = {q: self.answers[q] for q in ANSWER_COLUMNS if self.answers.get(q) is not None}
        object.__setattr__(self, "answers", MappingProxyType(answered))
        check(self.verdict, VERDICTS, "verdict")
        check(self.stopped_at, ANSWER_COLUMNS, "stopped_at")
        check(self.feedback, FEEDBACKS, "feedback")
        check(self.feedback_reason, REASONS, "feedback_reason")
        check_id(self.rule, "rule")
        check_id(self.kb_version, "kb_version")
        if self.kb_version is None:
            raise RecordError("kb_version: required")
        if type(self.debated) is not bool:
            raise RecordError("debated: a boolean is required")
        if type(self.back_steps) is not int or not 0 <= self.back_steps <= 10_000:
            raise RecordError("back_steps: a small count is required")

    def row(self) -> dict[str, object]:
        """The row as the table stores it: every column (ISO day, 0/1 flag, None when not asked)."""
        values: dict[str, object] = {}
        for name in RECORD_FIELDS:
            if name == "answers":
                values.update({question: self.answers.get(question) for question in ANSWER_COLUMNS})
            else:
                values[name] = getattr(self, name)
        values["day"] = self.day.isoformat()
        values["debated"] = int(self.debated)
        return values


RECORD_FIELDS = tuple(item.name for item in fields(ConsultationRecord))
"""The record's fields, in order (read directly: `asdict` deep-copies every value)."""


@dataclass(frozen=True, slots=True)
class StepRecord:
    """A consultation moved on: the row it continues (`match`) takes its new values (`row`).

    `match` holds the values of that row as the consultation left it (day, channel, country,
    knowledge version, outcome, answers, back steps, and the rule of a completed one); None when
    the consultation has no row yet. The store updates one row with exactly those values, or
    inserts `row` when there is none (see `stats.store.step`).
    """

    row: ConsultationRecord
    match: ConsultationRecord | None = None

    def __post_init__(self) -> None:
        """A row continues an open row of the same day and channel, or a completed one."""
        match = self.match
        if match is None:
            return
        if match.outcome not in ("open", "completed"):
            raise RecordError("step: only an open or a completed row is continued")
        if (match.day, match.channel) != (self.row.day, self.row.channel):
            raise RecordError("step: a row is continued on its own day and channel")

    @property
    def revising(self) -> bool:
        """After a verdict, before the next one: the completed row keeps its verdict."""
        return (
            self.match is not None
            and self.match.outcome == "completed"
            and (self.row.outcome == "open")
        )


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """👍/👎 or the reason after 👎, to attach to a completed row with the same values."""

    match: ConsultationRecord
    feedback: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        """Exactly one of feedback and reason, each from its list."""
        check(self.feedback, FEEDBACKS, "feedback")
        check(self.reason, REASONS, "feedback_reason")
        if (self.feedback is None) == (self.reason is None):
            raise RecordError("feedback: give either the 👍/👎 or the reason")


Record = ConsultationRecord | StepRecord | FeedbackRecord


def from_answers(
    answers: Mapping[str, str],
    *,
    jurisdiction: str,
    channel: str,
    outcome: str,
    kb_version: str,
    day: dt.date | None = None,
    rule: str | None = None,
    verdict: str | None = None,
    debated: bool = False,
    back_steps: int = 0,
    asked: str | None = None,
) -> ConsultationRecord:
    """A record from categorical answers (the country answer is the jurisdiction column).

    Before a verdict (open or abandoned), `stopped_at` is the question asked (`asked`, when it is
    one of the columns), else the first question of the path not answered yet.
    """
    given = {key: answers[key] for key in ANSWER_COLUMNS if key in answers}
    unknown = set(answers) - set(ANSWER_COLUMNS) - {"jurisdiction"}
    if unknown:
        raise RecordError("answers: unknown question")
    stopped = None
    if outcome in BEFORE_VERDICT:
        stopped = asked if asked in ANSWER_COLUMNS else stopped_at(given, jurisdiction)
    return ConsultationRecord(
        day=day or dt.date.today(),
        jurisdiction=jurisdiction,
        channel=channel,
        outcome=outcome,
        kb_version=kb_version,
        answers=given,
        rule=rule,
        verdict=verdict,
        debated=debated,
        back_steps=min(back_steps, 10_000),
        stopped_at=stopped,
    )


def from_consultation(
    consultation: Consultation, channel: str, day: dt.date | None = None
) -> ConsultationRecord:
    """A completed record at the verdict, an abandoned one before it."""
    from flows.outcome import Verdict

    outcome = consultation.current() if consultation.complete else None
    rule = outcome.rule if isinstance(outcome, Verdict) else None
    return from_answers(
        consultation.answers,
        jurisdiction=consultation.jurisdiction.id,
        channel=channel,
        outcome="completed" if rule else "abandoned",
        kb_version=consultation.knowledge.version,
        day=day,
        rule=rule.id if rule else None,
        verdict=rule.verdict if rule else None,
        debated=rule.debated if rule else False,
        back_steps=consultation.back_steps,
    )
