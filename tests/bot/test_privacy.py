"""Private by construction: a whole session leaves no id, name or typed text anywhere."""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.codec import Action
from tests.bot.conftest import FAMILY_PATH, Harness, Launch, make_settings
from tests.bot.fakeapi import TOKEN, FakeBotApi
from tests.bot.updates import Person, chosen_result, inline_query

WORKER = Person(987654321987, "Zéphyrine", "Quillebœuf", "zquillebeuf_secret")
COLLEAGUE = Person(555666777888, "Barnabé", "Tournesol", "btournesol_secret")
TEAM = -1009876543210
PHONE, EMAIL = "06 98 76 54 32", "zephyrine.q@example.org"
NIR, ADDRESS = "2 85 05 78 006 084 36", "17 rue des Capucines"
TYPED = f"Mme Quillebœuf {PHONE} {EMAIL} NIR {NIR}, {ADDRESS}, née le 3 mars 1985"
INLINE_QUERY = "police Quillebœuf Capucines"
SECRETS = (
    str(WORKER.id),
    WORKER.first_name,
    WORKER.last_name,
    WORKER.username,
    str(COLLEAGUE.id),
    COLLEAGUE.first_name,
    COLLEAGUE.last_name,
    COLLEAGUE.username,
    str(TEAM),
    PHONE,
    PHONE.replace(" ", ""),
    EMAIL,
    NIR,
    ADDRESS,
    "Capucines",
    TOKEN,
    TOKEN.split(":")[1],
)


@pytest.fixture
def root_log() -> Iterator[io.StringIO]:
    """Everything logged anywhere, at DEBUG, through a handler on the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


async def whole_session(bot: Harness, api: FakeBotApi) -> None:
    """Everything a worker and a team do: consult, feedback, typed text, inline, group, and
    Telegram failing (retries, « 🔁 », a blocked bot, a chat gone)."""
    await bot.command("/start", WORKER)
    await bot.answer_all(FAMILY_PATH, WORKER)
    verdict = bot.messages(WORKER.id)[-1]
    await bot.press(verdict, bot.find(verdict, Action.FEEDBACK, "0"), WORKER)
    await bot.command(TYPED, WORKER)
    warning = bot.messages(WORKER.id)[-1]
    await bot.press(warning, bot.find(warning, Action.DELETE), WORKER)
    await bot.send(inline_query(WORKER, INLINE_QUERY))
    await bot.send(chosen_result(WORKER, "fr-police", INLINE_QUERY))
    await bot.command("/verif police", WORKER, TEAM)
    question = bot.question_message(TEAM)
    await bot.press(question, bot.find(question, Action.ANSWER), COLLEAGUE, TEAM)
    api.fail("editMessageText", "500", times=3)  # past its tries: « 🔁 » is left instead
    await bot.press(question, bot.find(question, Action.ANSWER), WORKER, TEAM)
    await bot.again(WORKER, TEAM)
    await bot.press(question, "forged-data", COLLEAGUE, TEAM)
    api.fail("sendMessage", "reset", times=2)
    await bot.command("/apropos", WORKER)
    api.fail("sendMessage", "403")
    await bot.command("/apropos", COLLEAGUE)
    api.fail("sendMessage", "chat_not_found")
    await bot.command("/aide", COLLEAGUE, TEAM)


def leaks(text: str) -> list[str]:
    """The secrets found in a text."""
    return [secret for secret in SECRETS if secret in text]


async def test_a_whole_session_leaves_no_trace_in_logs_or_files(
    api: FakeBotApi,
    launch: Launch,
    caplog: pytest.LogCaptureFixture,
    root_log: io.StringIO,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ids, names, usernames, typed personal data, the inline query and the token: nowhere."""
    for variable in ("HOME", "TMPDIR", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.setenv("CHAISEVIDE_DB", str(tmp_path / "stats.sqlite"))
    monkeypatch.setattr(tempfile, "tempdir", None)
    caplog.set_level(logging.DEBUG)
    settings = make_settings(api, db_path=tmp_path / "stats.sqlite")
    bot = await launch(settings)
    await whole_session(bot, api)
    assert bot.app.user_data == {}  # nothing kept per user…
    assert bot.app.chat_data == {}  # …or per chat, even in memory
    await bot.app.shutdown()

    logged = [root_log.getvalue()]
    for record in caplog.records:
        logged.append(record.getMessage())
        if record.exc_info:
            logged.append(logging.Formatter().formatException(record.exc_info))
    assert caplog.records, "the session should have logged something (errors, start-up)"
    for expected in (
        "delivery method=editMessageText error=NetworkError try=3/3",
        "delivery method=sendMessage error=NetworkError try=2/3",
        "step=about error=Forbidden",
        "step=group_help error=BadRequest",
    ):
        assert any(expected in line for line in logged), expected  # failures are logged…
    assert leaks("\n".join(logged)) == []  # …without any of the secrets
    assert leaks(repr(bot.events)) == []
    for path in tmp_path.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", errors="replace")
            assert leaks(content) == [], path
