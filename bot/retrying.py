"""Calls that must outlast a burst of a messenger's failures: a few tries, backoff, a budget.

Telegram's front ends and Matrix homeservers answer 5xx, reset connections, time out or ask to
slow down in bursts of a few seconds. `retry` tries a call again on what the messenger's `Judge`
calls transient, within a `RetryPolicy`: at most `tries` tries, a doubling wait with jitter
between them, and no try started or left running beyond `budget` seconds after the first. A wait
the server asked for (Telegram's `RetryAfter`, Matrix's `retry_after_ms`) is honoured: the next
try waits at least as long, or is not made when that would overrun the budget. Refusals are never
retried. Each failed try is one log line: the method, the error class, the try number and the
seconds waited, never a person's id, name or text. Written once for both messengers.

Waiting is `asyncio.sleep` inside the update's own task: other workers' updates go on.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger("bot")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one call is tried: tries, waits between them, and the whole budget."""

    tries: int = 3
    budget: float = 10.0
    """Seconds from the start of the first try after which no try is started or kept waiting."""
    first_wait: float = 2.0
    """The wait after the first failure; it doubles after each one (up to `max_wait`)."""
    max_wait: float = 5.0
    try_timeout: float = 5.0
    """The longest one try may wait for the server's answer (also capped by the budget left)."""

    def wait(self, failed: int, chance: Callable[[], float] = random.random) -> float:
        """Seconds to wait after `failed` failures: half the doubled wait, plus up to as much
        again at random (so that workers hit by the same burst do not all come back at once)."""
        ceiling = min(self.max_wait, self.first_wait * 2 ** (failed - 1))
        return ceiling / 2 * (1 + chance())


PRODUCTION = RetryPolicy()
"""3 tries within about 10 s: enough to outlast the few seconds of a front end's bad burst."""


@dataclass(frozen=True)
class Judge:
    """How one messenger's failures are read: which exceptions are failures of a call, which
    of them deserve another try, and how long the server asked to wait."""

    errors: tuple[type[BaseException], ...]
    transient: Callable[[BaseException], bool]
    asked_wait: Callable[[BaseException], float]


async def retry(
    policy: RetryPolicy, judge: Judge, method: str, call: Callable[[float], Awaitable[T]]
) -> T:
    """Run `call(read_timeout)` until it succeeds, retrying transient failures within the
    policy; the last failure (or any refusal) is raised."""
    started = time.monotonic()
    waited = 0.0
    for attempt in range(1, policy.tries + 1):
        left = policy.budget - (time.monotonic() - started)
        try:
            return await call(max(0.01, min(policy.try_timeout, left)))
        except judge.errors as error:
            if not judge.transient(error):
                raise
            pause = max(policy.wait(attempt), judge.asked_wait(error))
            elapsed = time.monotonic() - started
            last = attempt == policy.tries or elapsed + pause >= policy.budget
            log.warning(
                "delivery method=%s error=%s try=%d/%d waited=%.2fs %s",
                method,
                type(error).__name__,
                attempt,
                policy.tries,
                waited,
                "gave_up" if last else f"retry_in={pause:.2f}s",
            )
            if last:
                raise
            await asyncio.sleep(pause)
            waited = pause
    raise AssertionError("unreachable: the last try returns or raises")  # pragma: no cover
