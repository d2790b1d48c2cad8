"""The one seam where consultations are reported (statistics plug in here): no id, ever.

The events themselves live in `flows/events.py` and are decided by `flows/tracking.py`, shared
with the terminal; this module adds what only the bot needs: the receiver protocol, the default
receiver and `report`.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable
from typing import Protocol

from flows.events import (  # re-exported: the seam's names, as the bot and its tests use them
    Channel,
    ConsultationEvent,
    Kind,
    Previous,
)

__all__ = [
    "Channel",
    "ConsultationEvent",
    "ConsultationEvents",
    "Kind",
    "Previous",
    "ignore_events",
    "report",
]

log = logging.getLogger(__name__)


class ConsultationEvents(Protocol):
    """Receives events; may be sync or async. Statistics implement this."""

    def __call__(self, event: ConsultationEvent) -> Awaitable[None] | None:
        """Record one event."""
        ...


def ignore_events(event: ConsultationEvent) -> None:
    """The default receiver: statistics are off, nothing is recorded."""


async def report(events: ConsultationEvents, event: ConsultationEvent) -> None:
    """Hand an event to the receiver; its failure never reaches the worker (type logged only)."""
    try:
        result = events(event)
        if inspect.isawaitable(result):
            await result
    except Exception as error:
        log.warning("events: %s while reporting a %s event", type(error).__name__, event.kind)
