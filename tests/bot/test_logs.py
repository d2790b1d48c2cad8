"""Library logs lose their values and secrets; statistics failures never reach the worker."""

from __future__ import annotations

import logging
from types import MappingProxyType

import pytest

from bot.delivery import report
from bot.logs import MASK, MaskValues, OneLineFormatter, quiet_libraries
from flows.events import ConsultationEvent


def record(name: str, message: str, *args: object) -> logging.LogRecord:
    """A log record as a library would emit it."""
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)


def test_library_records_keep_their_message_but_lose_their_values() -> None:
    """'Processing update %s' keeps its words; the update (names, text) is masked."""
    entry = record("telegram.ext.Application", "Processing update %s after %.1f s", "Zoé", 1.5)
    MaskValues().filter(entry)
    assert entry.getMessage() == f"Processing update {MASK} after {MASK} s"


def test_the_rate_limiters_delays_and_counts_stay_readable() -> None:
    """'Retrying after 1.1 seconds' helps an operator and names nobody: the number is shown;
    the same message given anything but a number is masked, and so is any other number."""
    limiter = "telegram.ext.AIORateLimiter"
    waiting = record(limiter, "Rate limit hit. Retrying after %f seconds", 1.1)
    given_up = record(limiter, "Rate limit hit after maximum of %d retries", 3)
    odd = record(limiter, "Rate limit hit. Retrying after %f seconds", "Zoé")
    other = record("telegram.ext.Application", "Processing chat %d", 987654321)
    for entry in (waiting, given_up, odd, other):
        MaskValues().filter(entry)
    assert waiting.getMessage() == "Rate limit hit. Retrying after 1.100000 seconds"
    assert given_up.getMessage() == "Rate limit hit after maximum of 3 retries"
    assert odd.getMessage() == f"Rate limit hit. Retrying after {MASK} seconds"
    assert other.getMessage() == f"Processing chat {MASK}"


def test_secrets_are_masked_in_any_record_and_its_traceback() -> None:
    """The token never reaches a handler, even inside an exception message."""
    secret = "123:abc-secret"  # noqa: S105 - a fake token
    try:
        raise ValueError(f"The token `{secret}` was rejected")
    except ValueError as error:
        entry = logging.LogRecord("bot", logging.ERROR, __file__, 1, "failed %s", (secret,), None)
        entry.exc_info = (type(error), error, error.__traceback__)
    MaskValues((secret,)).filter(entry)
    assert secret not in entry.getMessage()
    assert secret not in (entry.exc_text or "")


def test_chatty_loggers_are_quieted() -> None:
    """httpx (request URLs with the token), PTB and transitions debug logs are cut at the source."""
    names = ("httpx", "telegram", "transitions")
    for name in names:
        logging.getLogger(name).setLevel(logging.NOTSET)  # as an operator asking for DEBUG would
    quiet_libraries()
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("telegram").level == logging.INFO
    assert logging.getLogger("transitions").level == logging.WARNING


async def test_a_failing_event_receiver_is_logged_by_type_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Statistics that raise do not break the consultation; only the error type is logged."""

    def broken(event: ConsultationEvent) -> None:
        """A receiver that fails with a message containing data."""
        raise RuntimeError("disk full at /home/zoé")

    event = ConsultationEvent("completed", "private", "fr", "v1", MappingProxyType({}))
    await report(broken, event)
    assert "RuntimeError" in caplog.text
    assert "zoé" not in caplog.text


async def test_an_async_event_receiver_is_awaited() -> None:
    """Receivers may be coroutines (a statistics writer off the event loop, for instance)."""
    seen: list[str] = []

    async def receiver(event: ConsultationEvent) -> None:
        """Record the kind."""
        seen.append(event.kind)

    await report(receiver, ConsultationEvent("abandoned", "group", "fr", "v1"))
    assert seen == ["abandoned"]


def test_a_traceback_stays_on_one_line() -> None:
    """An error with its traceback is one log line, so collectors never split an event."""
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "bot",
            logging.ERROR,
            __file__,
            1,
            "step=%s",
            ("x",),
            exc_info=__import__("sys").exc_info(),
        )
    line = OneLineFormatter("%(levelname)s %(name)s: %(message)s").format(record)
    assert "\n" not in line
    assert line.startswith("ERROR bot: step=x")
    assert "ValueError: boom" in line
