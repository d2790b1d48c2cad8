"""Calls that must outlast a burst of Telegram failures: a few tries, backoff with jitter, a budget.

Telegram's front ends answer 502/504, reset connections or time out in bursts of a few seconds.
`with_retry` tries a call again on those (`transient`) within a `RetryPolicy`: at most `tries`
tries, a doubling wait with jitter between them, and no try started or left running beyond
`budget` seconds after the first. Flood control (`RetryAfter`) is honoured by python-telegram-bot's
`AIORateLimiter` inside each try; if it still escapes, the next try waits at least as long as
Telegram asked, or is not made when that would overrun the budget. Refusals (`BadRequest`,
`Forbidden`…) are never retried. Each failed try is one log line: the method, the error class,
the try number and the seconds waited, never a person's id, name or text.

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

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

T = TypeVar("T")
log = logging.getLogger("bot")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one Bot API call is tried: tries, waits between them, and the whole budget."""

    tries: int = 3
    budget: float = 10.0
    """Seconds from the start of the first try after which no try is started or kept waiting."""
    first_wait: float = 2.0
    """The wait after the first failure; it doubles after each one (up to `max_wait`)."""
    max_wait: float = 5.0
    try_timeout: float = 5.0
    """The longest one try may wait for Telegram's answer (also capped by the budget left)."""

    def wait(self, failed: int, chance: Callable[[], float] = random.random) -> float:
        """Seconds to wait after `failed` failures: half the doubled wait, plus up to as much
        again at random (so that workers hit by the same burst do not all come back at once)."""
        ceiling = min(self.max_wait, self.first_wait * 2 ** (failed - 1))
        return ceiling / 2 * (1 + chance())


PRODUCTION = RetryPolicy()
"""3 tries within about 10 s: enough to outlast the few seconds of a front end's bad burst."""


def transient(error: BaseException) -> bool:
    """A failure worth another try: a timeout, a reset, a 5xx, or flood control."""
    return isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    )


def gone(error: BaseException) -> bool:
    """The worker cannot be reached any more: the bot was blocked, or the chat is not found."""
    return isinstance(error, Forbidden) or (
        isinstance(error, BadRequest) and "chat not found" in error.message.lower()
    )


def asked_wait(error: TelegramError) -> float:
    """The seconds flood control asked to wait (0 for any other failure)."""
    if isinstance(error, RetryAfter):
        return error._retry_after.total_seconds()  # the public field is deprecated (int)
    return 0.0


async def with_retry(policy: RetryPolicy, method: str, call: Callable[[float], Awaitable[T]]) -> T:
    """Run `call(read_timeout)` until it succeeds, retrying transient failures within the
    policy; the last failure (or any refusal) is raised."""
    started = time.monotonic()
    waited = 0.0
    for attempt in range(1, policy.tries + 1):
        left = policy.budget - (time.monotonic() - started)
        try:
            return await call(max(0.01, min(policy.try_timeout, left)))
        except TelegramError as error:
            if not transient(error):
                raise
            pause = max(policy.wait(attempt), asked_wait(error))
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
