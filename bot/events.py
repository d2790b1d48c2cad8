"""The one seam where consultations are reported (statistics plug in here): no id, ever."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol

from flows.consultation import Consultation
from flows.outcome import Verdict

Kind = Literal["completed", "abandoned", "feedback", "feedback_reason"]
Channel = Literal["private", "group", "inline"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsultationEvent:
    """What happened to a consultation, with only categorical answers: never a user or chat id.

    - completed: a verdict was delivered (also after changing an answer at the verdict);
    - abandoned: the person restarted before reaching a verdict;
    - feedback: 👍 ("up") or 👎 ("down") on a verdict;
    - feedback_reason: the reason chosen after a 👎 (a key of `texts.FEEDBACK_REASONS`).
    """

    kind: Kind
    channel: Channel
    jurisdiction: str
    kb_version: str
    answers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    back_steps: int = 0
    rule: str | None = None
    verdict: str | None = None
    debated: bool = False
    feedback: Literal["up", "down"] | None = None
    reason: str | None = None


class ConsultationEvents(Protocol):
    """Receives events; may be sync or async. Statistics implement this."""

    def __call__(self, event: ConsultationEvent) -> Awaitable[None] | None:
        """Record one event."""
        ...


def ignore_events(event: ConsultationEvent) -> None:
    """The default receiver: statistics are off, nothing is recorded."""


def event_for(
    kind: Kind, consultation: Consultation, channel: str, **details: object
) -> ConsultationEvent:
    """An event describing this consultation (its verdict when it has one)."""
    outcome = consultation.current()
    rule = outcome.rule if isinstance(outcome, Verdict) else None
    return ConsultationEvent(
        kind=kind,
        channel=channel,  # type: ignore[arg-type]
        jurisdiction=consultation.jurisdiction.id,
        kb_version=consultation.knowledge.version,
        answers=MappingProxyType(dict(consultation.answers)),
        back_steps=consultation.back_steps,
        rule=rule.id if rule else None,
        verdict=rule.verdict if rule else None,
        debated=rule.debated if rule else False,
        **details,  # type: ignore[arg-type]
    )


async def report(events: ConsultationEvents, event: ConsultationEvent) -> None:
    """Hand an event to the receiver; its failure never reaches the worker (type logged only)."""
    try:
        result = events(event)
        if inspect.isawaitable(result):
            await result
    except Exception as error:
        log.warning("events: %s while reporting a %s event", type(error).__name__, event.kind)
