"""`chaisevide doctor` explains every misconfiguration it meets, and never prints the token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.doctor import run_doctor
from tests.bot.fakeapi import TOKEN, FakeBotApi

SECRET = "s3cret-webhook_token"  # noqa: S105 - a test value for the fake setup


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Bot API on 127.0.0.1 that knows TOKEN."""
    fake = FakeBotApi().start()
    yield fake
    fake.stop()


def diagnose(env: dict[str, str], db: Path) -> tuple[int, str]:
    """Run the doctor, returning its status and what it printed."""
    lines: list[str] = []
    status = run_doctor(env, db, lines.append)
    return status, "\n".join(lines)


def test_a_good_configuration_is_ready(api: FakeBotApi, tmp_path: Path) -> None:
    """Token accepted by the API, webhook in https with a secret, admins: ready, status 0."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "CHAISEVIDE_ADMINS": "12345",
        "CHAISEVIDE_WEBHOOK_URL": "https://chaisevide.example.org/telegram",
        "CHAISEVIDE_WEBHOOK_SECRET": SECRET,
    }
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 0, text
    assert "Telegram reconnaît le bot" in text
    assert "Tout est prêt" in text
    assert TOKEN not in text
    assert [call for call in api.calls if call.method == "getMe"]


def test_a_token_refused_by_telegram_blocks_without_showing_it(api, tmp_path: Path) -> None:
    """A well-shaped but unknown token: blocking, advice to ask BotFather, token hidden."""
    other = TOKEN[:-4] + "ZZZZ"
    env = {"TELEGRAM_BOT_TOKEN": other, "TELEGRAM_API_BASE_URL": api.base_url}
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 1
    assert "Telegram refuse ce jeton" in text
    assert "@BotFather" in text
    assert other not in text


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "TELEGRAM_BOT_TOKEN n'est pas défini"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "n'a pas la forme d'un jeton"),
        ({"CHAISEVIDE_WEBHOOK_URL": "http://example.org/hook"}, "adresse https complète"),
        (
            {"CHAISEVIDE_WEBHOOK_URL": "https://example.org/hook"},
            "CHAISEVIDE_WEBHOOK_SECRET est absent",
        ),
        ({"CHAISEVIDE_ADMINS": "alice"}, "CHAISEVIDE_ADMINS doit être une liste"),
        ({"CHAISEVIDE_JURISDICTIONS": "fr,xx"}, "CHAISEVIDE_JURISDICTIONS"),
    ],
)
def test_each_blocking_problem_is_explained(env, expected, tmp_path: Path) -> None:
    """Every blocking misconfiguration gets its own message and a non-zero status."""
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 1
    assert expected in text
    assert "→" in text  # a next step is always given


def test_corrupt_statistics_file_is_a_warning_with_a_next_step(tmp_path: Path) -> None:
    """A damaged statistics file never blocks the bot but is reported with what to do."""
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    status, text = diagnose({"TELEGRAM_BOT_TOKEN": "x"}, corrupt)
    assert "⚠️  Le fichier de statistiques" in text
    assert "est abîmé" in text
    assert "restaurez une sauvegarde" in text
    assert status == 1
    assert "1 problème(s)" in text  # only the malformed token blocks
