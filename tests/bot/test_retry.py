"""The retry policy itself: doubling waits with jitter, a budget never overrun, refusals left
alone, flood control's wait honoured. A stand-in for Telegram raises what PTB would."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.retry import PRODUCTION, RetryPolicy, gone, transient, with_retry


@pytest.fixture(autouse=True)
def timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """As the bot does (`build_application`): RetryAfter carries a timedelta, no warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


INSTANT = RetryPolicy(tries=3, budget=5.0, first_wait=0.001, max_wait=0.002, try_timeout=1.0)


class Telegram:
    """Fails with the given errors in turn, then answers 'ok'; remembers the timeouts given."""

    def __init__(self, *errors: TelegramError) -> None:
        self.errors = list(errors)
        self.timeouts: list[float] = []

    async def __call__(self, timeout: float) -> str:
        """One try."""
        self.timeouts.append(timeout)
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_waits_double_with_up_to_as_much_again_at_random_and_stop_growing() -> None:
    """Production: 1–2 s after the first failure, 2–4 s after the second, never over 5 s."""
    assert (PRODUCTION.tries, PRODUCTION.budget) == (3, 10.0)
    assert [PRODUCTION.wait(n, lambda: 0.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 2.5, 2.5]
    assert [PRODUCTION.wait(n, lambda: 1.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 5.0, 5.0]


def test_only_timeouts_resets_server_errors_and_flood_control_are_tried_again() -> None:
    """A refusal (bad request, blocked bot) is final; the network's failures are not."""
    assert transient(TimedOut())
    assert transient(NetworkError("Bad Gateway"))
    assert transient(RetryAfter(1))
    assert not transient(BadRequest("Message is not modified"))
    assert not transient(Forbidden("Forbidden: bot was blocked by the user"))
    assert gone(Forbidden("Forbidden: bot was blocked by the user"))
    assert gone(BadRequest("Bad Request: chat not found"))
    assert not gone(BadRequest("Bad Request: message to edit not found"))


async def test_a_burst_shorter_than_the_tries_is_outlasted() -> None:
    """Two failures, three tries: the third answers."""
    telegram = Telegram(NetworkError("Bad Gateway"), TimedOut())
    assert await with_retry(INSTANT, "sendMessage", telegram) == "ok"
    assert len(telegram.timeouts) == 3


async def test_a_refusal_is_raised_at_once() -> None:
    """A bad request is not tried again."""
    telegram = Telegram(BadRequest("Bad Request: message to edit not found"))
    with pytest.raises(BadRequest):
        await with_retry(INSTANT, "editMessageText", telegram)
    assert len(telegram.timeouts) == 1


async def test_no_try_is_started_that_the_budget_cannot_hold(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """When the next wait would end past the budget, the failure is final (and said so)."""
    policy = RetryPolicy(tries=3, budget=0.5, first_wait=2.0, max_wait=2.0, try_timeout=5.0)
    telegram = Telegram(NetworkError("Bad Gateway"))
    with pytest.raises(NetworkError):
        await with_retry(policy, "sendMessage", telegram)
    assert telegram.timeouts == [pytest.approx(0.5, abs=0.05)]  # never longer than the budget
    assert "try=1/3 waited=0.00s gave_up" in caplog.text


async def test_flood_control_that_escapes_the_rate_limiter_is_still_waited_for(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """RetryAfter past the rate limiter's own tries: the next try waits what Telegram asked."""
    telegram = Telegram(RetryAfter(0.05))
    assert await with_retry(INSTANT, "sendMessage", telegram) == "ok"
    assert "error=RetryAfter try=1/3 waited=0.00s retry_in=0.05s" in caplog.text
