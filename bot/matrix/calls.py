"""Matrix calls under the shared retry discipline: rate limits, 5xx and timeouts tried again.

nio is set to return at once (`max_limit_exceeded=0`, `max_timeouts=0`); each error response
becomes a `MatrixCallError` that the `MATRIX` judge reads: `M_LIMIT_EXCEEDED` waits at least its
`retry_after_ms`, a 5xx or a lost connection is tried again within `bot/retrying.py`'s budget, a
refusal (forbidden, unknown room) is not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import ClientConnectionError
from nio import ErrorResponse

from bot.retrying import Judge, RetryPolicy, retry

T = TypeVar("T")
RATE_LIMITED = "M_LIMIT_EXCEEDED"


class MatrixCallError(Exception):
    """A homeserver's error answer: its `errcode`, HTTP status and the wait it asked for."""

    def __init__(self, errcode: str, status: int, retry_after_ms: int | None) -> None:
        super().__init__(errcode)
        self.errcode = errcode
        self.status = status
        self.retry_after_ms = retry_after_ms


def checked(response: Any) -> Any:
    """The response, or a `MatrixCallError` raised for an error answer."""
    if isinstance(response, ErrorResponse):
        transport = getattr(response, "transport_response", None)
        status = getattr(transport, "status", 0) or 0
        raise MatrixCallError(
            str(response.status_code or "M_UNKNOWN"), status, response.retry_after_ms
        )
    return response


def transient(error: BaseException) -> bool:
    """Worth another try: flood control, a 5xx, a timeout or a lost connection."""
    if isinstance(error, MatrixCallError):
        return error.errcode == RATE_LIMITED or error.status == 429 or error.status >= 500
    return isinstance(error, (ClientConnectionError, TimeoutError))


def asked_wait(error: BaseException) -> float:
    """The seconds the homeserver asked to wait (`retry_after_ms`), 0 otherwise."""
    if isinstance(error, MatrixCallError) and error.retry_after_ms:
        return error.retry_after_ms / 1000
    return 0.0


MATRIX = Judge(
    (MatrixCallError, ClientConnectionError, TimeoutError),
    transient,
    asked_wait,
)


async def call(policy: RetryPolicy, method: str, make: Callable[[], Awaitable[Any]]) -> Any:
    """One homeserver call within the policy; the last failure (or a refusal) is raised."""

    async def attempt(timeout: float) -> Any:
        return checked(await asyncio.wait_for(make(), timeout))

    return await retry(policy, MATRIX, method, attempt)
