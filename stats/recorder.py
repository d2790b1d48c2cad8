"""What front ends call: an event in (bot or terminal), a record queued, never a failure."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from stats.record import (
    ConsultationRecord,
    FeedbackRecord,
    Record,
    RecordError,
    StepRecord,
    from_answers,
    from_consultation,
)
from stats.writer import StatsWriter

if TYPE_CHECKING:
    from flows.config import Settings
    from flows.consultation import Consultation

log = logging.getLogger("chaisevide.stats")


class Before(Protocol):
    """What `flows.events.Previous` carries: the values of the row an event continues."""

    jurisdiction: str
    answers: Mapping[str, str]
    back_steps: int
    rule: str | None


class Event(Protocol):
    """What `flows.events.ConsultationEvent` carries (read by attribute, so stats stay apart)."""

    kind: str
    channel: str
    jurisdiction: str
    kb_version: str
    answers: Mapping[str, str]
    back_steps: int
    rule: str | None
    verdict: str | None
    debated: bool
    feedback: str | None
    reason: str | None
    previous: Before | None
    stopped_at: str | None


OUTCOME_OF = {
    "progress": "open",
    "completed": "completed",
    "abandoned": "abandoned",
    "feedback": "completed",
    "feedback_reason": "completed",
}
"""The outcome of the row each kind of event (`flows.events.Kind`) writes; a test checks that
every kind has one, so that a new kind is never counted by mistake."""


def continued(event: Event, day: dt.date) -> ConsultationRecord | None:
    """The values of the row an event continues (None: the consultation has no row yet)."""
    before = getattr(event, "previous", None)
    if before is None:
        return None
    return from_answers(
        before.answers,
        jurisdiction=before.jurisdiction,
        channel=event.channel,
        outcome="open" if before.rule is None else "completed",
        kb_version=event.kb_version,
        day=day,
        rule=before.rule,
        back_steps=before.back_steps,
    )


def record_for(event: Event, day: dt.date | None = None) -> Record | None:
    """What an event writes: a step continuing a row, or feedback for an earlier row.

    None when there is nothing to count: a restart after a verdict was shown (the consultation
    is completed, whatever the person does next).
    """
    kind = event.kind
    if kind not in OUTCOME_OF:
        raise RecordError("kind: unknown event")
    day = day or dt.date.today()
    outcome = OUTCOME_OF[kind]
    verdict = outcome == "completed"
    row = from_answers(
        event.answers,
        jurisdiction=event.jurisdiction,
        channel=event.channel,
        outcome=outcome,
        kb_version=event.kb_version,
        day=day,
        rule=event.rule if verdict else None,
        verdict=event.verdict if verdict else None,
        debated=bool(event.debated) if verdict else False,
        back_steps=event.back_steps,
        asked=getattr(event, "stopped_at", None),
    )
    if kind == "feedback":
        return FeedbackRecord(row, feedback=event.feedback)
    if kind == "feedback_reason":
        return FeedbackRecord(row, reason=event.reason)
    match = continued(event, day)
    if kind == "abandoned" and match is not None and match.outcome == "completed":
        return None
    return StepRecord(row, match)


class StatsRecorder:
    """Turns events (and one-off consultations) into records for the writer; never raises."""

    def __init__(self, writer: StatsWriter) -> None:
        self.writer = writer
        self._refused_logged = False

    def __call__(self, event: Event) -> None:
        """Receive one event (Telegram's or the terminal's): queue it, never raise."""
        try:
            item = record_for(event, self.writer.today())
            if item is not None:
                self.writer.submit(item)
        except Exception as error:
            self._refused(error)

    def consultation(self, consultation: Consultation, channel: str) -> None:
        """Queue a consultation as a row of its own: completed at its verdict, abandoned before.

        For a one-off record (the benchmark); front ends report events instead.
        """
        try:
            self.writer.submit(from_consultation(consultation, channel, self.writer.today()))
        except Exception as error:
            self._refused(error)

    def close(self, timeout: float = 2.0) -> bool:
        """Write what is queued and stop the writer (graceful shutdown)."""
        return self.writer.close(timeout)

    def _refused(self, error: Exception) -> None:
        """Log the first refused record by error type only (values may not be logged)."""
        if not self._refused_logged:
            self._refused_logged = True
            log.warning("statistics: a record was not kept (%s)", type(error).__name__)


def path_category(path: Path) -> str:
    """How logs name the file without its path: configured or default."""
    from flows.config import default_db_path

    return "default" if path == default_db_path() else "CHAISEVIDE_DB"


def start_recorder(settings: Settings, **options: float) -> StatsRecorder:
    """A recorder writing to `settings.db_path` in a background thread."""
    path = settings.db_path
    return StatsRecorder(StatsWriter(path, category=path_category(path), **options))  # type: ignore[arg-type]
