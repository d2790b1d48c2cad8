"""How updates arrive: webhook guarded by its secret, polling, and `chaisevide run` itself."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from bot import webhook
from bot.app import ALLOWED_UPDATES, run
from tests.bot.conftest import WORKER, Launch, make_settings
from tests.bot.fakeapi import TOKEN, FakeBotApi
from tests.bot.updates import text_message

SECRET = "s3cret-for_the-webhook"  # noqa: S105 - a test secret
SCRIPT = Path(sys.executable).with_name("chaisevide")


def end(process: subprocess.Popen) -> None:
    """Make sure a bot process started by a test is gone, whatever happened."""
    if process.poll() is None:
        process.kill()
        process.wait()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_for(condition: Callable[[], object], seconds: float = 5.0) -> None:
    """Wait until the condition holds (the update is processed in the background)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


async def test_webhook_answers_403_without_the_secret_and_200_with_it(
    api: FakeBotApi, launch: Launch
) -> None:
    """Missing or wrong secret → 403 and nothing handled; the right one → 200; /healthz → ok."""
    port = free_port()
    settings = make_settings(
        api,
        webhook_url="https://bot.example.org/chaisevide/hook",
        webhook_secret=SECRET,
        port=port,
    )
    bot = await launch(settings)
    await bot.app.bot.set_webhook(
        url=settings.webhook_url, secret_token=SECRET, allowed_updates=ALLOWED_UPDATES
    )
    await bot.app.start()
    server = webhook.start_web_server(bot.app, settings)
    try:
        url = f"http://127.0.0.1:{port}/chaisevide/hook"
        body = json.dumps({"update_id": 1, **text_message(WORKER, "/start")})
        headers = {"Content-Type": "application/json"}
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, content=body, headers=headers)
            wrong_headers = {**headers, "X-Telegram-Bot-Api-Secret-Token": "nope"}
            wrong = await client.post(url, content=body, headers=wrong_headers)
            assert api.calls_to("sendMessage") == []
            right_headers = {**headers, "X-Telegram-Bot-Api-Secret-Token": SECRET}
            right = await client.post(url, content=body, headers=right_headers)
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 200)
        assert (health.status_code, health.text) == (200, "ok")
        await wait_for(lambda: len(api.calls_to("sendMessage")) == 2)
    finally:
        server.stop()
        await server.close_all_connections()
        await bot.app.stop()
    (registered,) = api.calls_to("setWebhook")
    assert registered["url"] == "https://bot.example.org/chaisevide/hook"
    assert registered["secret_token"] == SECRET
    assert registered["allowed_updates"] == ALLOWED_UPDATES


async def test_polling_fetches_updates_and_answers_them(api: FakeBotApi, launch: Launch) -> None:
    """getUpdates long polling: a /start typed by the worker is answered."""
    bot = await launch()
    api.push_update(text_message(WORKER, "/start"))
    await bot.app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await bot.app.start()
    try:
        await wait_for(lambda: len(api.calls_to("sendMessage")) == 2)
    finally:
        await bot.app.updater.stop()
        await bot.app.stop()
    assert api.calls_to("getUpdates")
    assert api.calls_to("sendMessage")[1]["reply_markup"]["inline_keyboard"]


@pytest.mark.parametrize(
    ("secret", "expected"),
    [(None, "CHAISEVIDE_WEBHOOK_SECRET est obligatoire"), ("with spaces!", "ne peut contenir")],
)
def test_webhook_mode_refuses_to_start_without_a_valid_secret(
    api: FakeBotApi, capsys: pytest.CaptureFixture[str], secret: str | None, expected: str
) -> None:
    """A webhook without a secret (or with an unusable one) never starts: a French message."""
    settings = make_settings(api, webhook_url="https://bot.example.org/hook", webhook_secret=secret)
    assert run(settings) == 3
    assert expected in capsys.readouterr().err
    assert api.calls == []


def test_run_without_a_token_suggests_the_terminal(
    api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    """No token: a clear message suggesting `chaisevide chat`."""
    assert run(make_settings(api, token=None)) == 3
    assert "chaisevide chat" in capsys.readouterr().err


def test_chaisevide_run_polls_answers_and_never_logs_the_token(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """The real `chaisevide run` process: answers a /start, stops on Ctrl-C, logs no token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAISEVIDE_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        CHAISEVIDE_JURISDICTIONS="fr",
        CHAISEVIDE_DB=str(tmp_path / "stats.sqlite"),
        HOME=str(tmp_path),
    )
    api.push_update(text_message(WORKER, "/start"))
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([str(SCRIPT), "run"], env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 20
            while len(api.calls_to("sendMessage")) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
        finally:
            end(process)
    output = log_path.read_text()
    assert len(api.calls_to("sendMessage")) == 2
    assert process.returncode == 0, output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    assert "HTTP Request" not in output  # httpx logs request URLs, token included: silenced
    assert "polling" in output


def test_webhook_process_is_healthy_and_stops_gracefully_on_sigterm(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """`chaisevide run` in webhook mode: `chaisevide health` says ok; SIGTERM ends it cleanly."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAISEVIDE_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        CHAISEVIDE_JURISDICTIONS="fr",
        CHAISEVIDE_DB=str(tmp_path / "stats.sqlite"),
        CHAISEVIDE_WEBHOOK_URL="https://bot.example.org/hook",
        CHAISEVIDE_WEBHOOK_SECRET=SECRET,
        CHAISEVIDE_LISTEN="127.0.0.1",
        CHAISEVIDE_PORT=str(port),
        HOME=str(tmp_path),
    )
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen([str(SCRIPT), "run"], env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 20
            health = None
            while time.monotonic() < deadline:
                health = subprocess.run(
                    [str(SCRIPT), "health"], env=env, capture_output=True, text=True, check=False
                )
                if health.returncode == 0:
                    break
                time.sleep(0.1)
            assert health is not None
            assert health.returncode == 0, health.stdout
            assert health.stdout.strip() == "ok"
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
        finally:
            end(process)
    output = log_path.read_text()
    assert process.returncode == 0, output
    assert "stopped" in output
    assert TOKEN not in output
    (registered,) = api.calls_to("setWebhook")
    assert registered["secret_token"] == SECRET
    down = subprocess.run(
        [str(SCRIPT), "health"], env=env, capture_output=True, text=True, check=False
    )
    assert down.returncode == 1
    assert "ne répond pas" in down.stdout


def test_a_port_already_taken_is_explained_not_a_traceback(
    api: FakeBotApi, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Webhook mode on a busy port: exit 3 with a French message naming CHAISEVIDE_PORT."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        settings = make_settings(
            api,
            webhook_url="https://bot.example.org/hook",
            webhook_secret=SECRET,
            port=busy.getsockname()[1],
            db_path=tmp_path / "stats.sqlite",
        )
        assert run(settings) == 3
    assert "CHAISEVIDE_PORT" in capsys.readouterr().err


def test_telegram_unreachable_at_start_is_explained(
    api: FakeBotApi, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No Bot API at the configured address: exit 3 with a French message, no traceback."""
    settings = make_settings(
        api, api_base_url=f"http://127.0.0.1:{free_port()}/bot", db_path=tmp_path / "stats.sqlite"
    )
    assert run(settings) == 3
    assert "Telegram ne répond pas" in capsys.readouterr().err
