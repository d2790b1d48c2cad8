"""What front ends call: a consultation or a bot event in, a record queued, never a failure."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from stats.record import FeedbackRecord, Record, RecordError, from_answers, from_consultation
from stats.writer import StatsWriter

if TYPE_CHECKING:
    from flows.config import Settings
    from flows.consultation import Consultation

log = logging.getLogger("chaisevide.stats")


class Event(Protocol):
    """What `bot.events.ConsultationEvent` carries (read by attribute; stats never import bot)."""

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


def record_for(event: Event, day: dt.date | None = None) -> Record:
    """The row an event adds, or the feedback it attaches to an earlier row."""
    kind = event.kind
    outcome = "abandoned" if kind == "abandoned" else "completed"
    if kind not in ("completed", "abandoned", "feedback", "feedback_reason"):
        raise RecordError("kind: unknown event")
    row = from_answers(
        event.answers,
        jurisdiction=event.jurisdiction,
        channel=event.channel,
        outcome=outcome,
        kb_version=event.kb_version,
        day=day,
        rule=event.rule if outcome == "completed" else None,
        verdict=event.verdict if outcome == "completed" else None,
        debated=bool(event.debated) if outcome == "completed" else False,
        back_steps=event.back_steps,
    )
    if kind == "feedback":
        return FeedbackRecord(row, feedback=event.feedback)
    if kind == "feedback_reason":
        return FeedbackRecord(row, reason=event.reason)
    return row


class StatsRecorder:
    """Turns consultations and bot events into records for the writer; any problem is swallowed."""

    def __init__(self, writer: StatsWriter) -> None:
        self.writer = writer
        self._refused_logged = False

    def __call__(self, event: Event) -> None:
        """Receive one bot event (`bot.events.ConsultationEvents`): queue it, never raise."""
        try:
            self.writer.submit(record_for(event))
        except Exception as error:
            self._refused(error)

    def consultation(self, consultation: Consultation, channel: str) -> None:
        """Queue a consultation as it stands: completed at its verdict, abandoned before it."""
        try:
            self.writer.submit(from_consultation(consultation, channel))
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
