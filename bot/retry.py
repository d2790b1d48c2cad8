"""Telegram's failures read for the shared retry discipline (`bot/retrying.py`).

Flood control (`RetryAfter`) is honoured by python-telegram-bot's `AIORateLimiter` inside each
try; if it still escapes, the next try waits at least as long as Telegram asked. Refusals
(`BadRequest`, `Forbidden`…) are never retried.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.retrying import PRODUCTION, Judge, RetryPolicy, retry

T = TypeVar("T")
__all__ = ["PRODUCTION", "RetryPolicy", "asked_wait", "gone", "transient", "with_retry"]


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


def asked_wait(error: BaseException) -> float:
    """The seconds flood control asked to wait (0 for any other failure)."""
    if isinstance(error, RetryAfter):
        return error._retry_after.total_seconds()  # the public field is deprecated (int)
    return 0.0


TELEGRAM = Judge((TelegramError,), transient, asked_wait)


async def with_retry(policy: RetryPolicy, method: str, call: Callable[[float], Awaitable[T]]) -> T:
    """Run a Bot API call within the policy (`bot.retrying.retry` with Telegram's judge)."""
    return await retry(policy, TELEGRAM, method, call)
