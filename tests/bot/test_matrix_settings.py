"""The Matrix settings and the way homeserver failures are retried."""

from __future__ import annotations

import pytest

from bot.matrix.calls import MATRIX, MatrixCallError, asked_wait, transient
from bot.matrix.settings import allowed, load_matrix_settings
from bot.retrying import RetryPolicy, retry
from flows.config import ConfigError

QUICK = RetryPolicy(tries=3, budget=5.0, first_wait=0.001, max_wait=0.002, try_timeout=1.0)


def test_the_bots_own_server_is_allowed_by_default() -> None:
    """Without CHAISEVIDE_MATRIX_ALLOWED_SERVERS only the bot's server may invite it."""
    settings = load_matrix_settings({"MATRIX_USER_ID": "@chaisevide:agent.dinum.tchap.gouv.fr"})
    assert settings.allowed_servers == ("agent.dinum.tchap.gouv.fr",)
    assert allowed("@a:agent.dinum.tchap.gouv.fr", settings.allowed_servers)
    assert not allowed("@a:agent.interieur.tchap.gouv.fr", settings.allowed_servers)


def test_a_suffix_pattern_accepts_every_tchap_server_and_nothing_else() -> None:
    """`*.tchap.gouv.fr` takes every Tchap server, not a look-alike domain."""
    patterns = load_matrix_settings(
        {
            "MATRIX_USER_ID": "@bot:example.org",
            "CHAISEVIDE_MATRIX_ALLOWED_SERVERS": "*.tchap.gouv.fr, matrix.asso.be",
        }
    ).allowed_servers
    assert allowed("@x:agent.education.tchap.gouv.fr", patterns)
    assert allowed("@x:matrix.asso.be", patterns)
    assert not allowed("@x:eviltchap.gouv.fr", patterns)
    assert not allowed("@x:tchap.gouv.fr.example.com", patterns)


@pytest.mark.parametrize(
    "environment",
    [
        {"MATRIX_USER_ID": "chaisevide"},
        {"MATRIX_USER_ID": "@bot:example.org", "CHAISEVIDE_MATRIX_ADMINS": "marie"},
        {"MATRIX_USER_ID": "@bot:example.org", "CHAISEVIDE_MATRIX_ALLOWED_SERVERS": "a b"},
    ],
)
def test_wrong_values_are_refused_with_what_to_write(environment: dict[str, str]) -> None:
    """A user id without its server, an admin that is not an id, a server with a space."""
    with pytest.raises(ConfigError, match="par exemple"):
        load_matrix_settings(environment)


def test_flood_control_5xx_and_timeouts_are_tried_again_refusals_are_not() -> None:
    """M_LIMIT_EXCEEDED waits as asked; 502 and a timeout are transient; 403 is final."""
    limited = MatrixCallError("M_LIMIT_EXCEEDED", 429, 1500)
    assert transient(limited)
    assert asked_wait(limited) == 1.5
    assert transient(MatrixCallError("M_UNKNOWN", 502, None))
    assert transient(TimeoutError())
    assert not transient(MatrixCallError("M_FORBIDDEN", 403, None))


async def test_a_burst_of_502_is_outlasted_within_the_budget() -> None:
    """Two 502 answers then a success: the call returns; a refusal is raised at once."""
    answers = [MatrixCallError("M_UNKNOWN", 502, None)] * 2

    async def flaky(timeout: float) -> str:
        if answers:
            raise answers.pop()
        return "$sent"

    assert await retry(QUICK, MATRIX, "send", flaky) == "$sent"

    async def refused(timeout: float) -> str:
        raise MatrixCallError("M_FORBIDDEN", 403, None)

    with pytest.raises(MatrixCallError):
        await retry(QUICK, MATRIX, "send", refused)
