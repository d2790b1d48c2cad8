"""Hostile traffic at the webhook: refused before it is read, never a 5xx, never a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from bot import webhook
from tests.bot.conftest import WORKER, Harness, Launch, make_settings
from tests.bot.fakeapi import FakeBotApi
from tests.bot.test_transport import SECRET, free_port, wait_for
from tests.bot.updates import text_message

PATH = "/chaisevide/hook"


@pytest.fixture
async def hook(api: FakeBotApi, launch: Launch) -> AsyncIterator[tuple[str, Harness]]:
    """The real webhook server in front of the real bot, on a free port of 127.0.0.1."""
    port = free_port()
    settings = make_settings(
        api, webhook_url=f"https://bot.example.org{PATH}", webhook_secret=SECRET, port=port
    )
    bot = await launch(settings)
    await bot.app.start()
    server = webhook.start_web_server(bot.app, settings)
    yield f"http://127.0.0.1:{port}{PATH}", bot
    server.stop()
    await server.close_all_connections()
    await bot.app.stop()


def with_secret(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Headers of a request that knows the secret."""
    return {"Content-Type": "application/json", webhook.SECRET_HEADER: SECRET, **(extra or {})}


@pytest.mark.parametrize(
    "body",
    [b"null", b"[1,2,3]", b'"hello"', b"{not json", b'{"message": {}}', b"\xff\xfe"],
    ids=["null", "list", "string", "broken", "no-update-id", "not-utf8"],
)
async def test_bodies_of_the_wrong_shape_get_400_and_one_line(
    hook: tuple[str, Harness], body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    """With the right secret, a body that is not an update gets 400 and one plain log line."""
    url, _ = hook
    caplog.set_level(logging.DEBUG)
    async with httpx.AsyncClient() as client:
        answer = await client.post(url, content=body, headers=with_secret())
    assert answer.status_code == 400
    refused = [r.getMessage() for r in caplog.records if "webhook: refused" in r.getMessage()]
    assert len(refused) == 1
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)


async def test_an_update_of_an_unknown_kind_is_acknowledged_and_dropped(
    hook: tuple[str, Harness], api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    """{"update_id": 1010, "chat_boost": {"foo": 1}}: 200 so Telegram does not redeliver it,
    one log line, nothing sent, and the bot goes on answering."""
    url, _ = hook
    caplog.set_level(logging.DEBUG)
    body = json.dumps({"update_id": 1010, "chat_boost": {"foo": 1}})
    async with httpx.AsyncClient() as client:
        answer = await client.post(url, content=body, headers=with_secret())
        assert answer.status_code == 200
        good = json.dumps({"update_id": 1011, **text_message(WORKER, "/start")})
        assert (await client.post(url, content=good, headers=with_secret())).status_code == 200
    await wait_for(lambda: len(api.calls_to("sendMessage")) == 2)  # welcome + first question
    assert "Traceback" not in caplog.text
    assert all(r.exc_info is None for r in caplog.records)
    assert any("webhook: dropped an update" in r.getMessage() for r in caplog.records)


async def test_an_oversized_body_is_refused_before_it_is_read(
    hook: tuple[str, Harness], caplog: pytest.LogCaptureFixture
) -> None:
    """A 90 MB POST: without the secret 403, with it 413 — answered right after the headers,
    the connection closed, the body never read whole."""
    url, _ = hook
    caplog.set_level(logging.WARNING)
    host, port = url.split("//")[1].split("/")[0].split(":")
    for headers, status in (
        (f"{webhook.SECRET_HEADER}: nope\r\n", 403),
        (f"{webhook.SECRET_HEADER}: {SECRET}\r\n", 413),
    ):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            (
                f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{headers}"
                f"Content-Length: {90 * 1024 * 1024}\r\n\r\n"
            ).encode()
        )
        await writer.drain()  # only the headers: the answer must come before any body byte
        status_line = await asyncio.wait_for(reader.readline(), 5)
        assert status_line.split()[1] == str(status).encode()
        try:
            rest = await asyncio.wait_for(reader.read(), 5)  # the server closes: read ends
            assert b"Connection: close" in rest
        except ConnectionResetError:
            pass  # closed all the same
        writer.close()
    assert "Traceback" not in caplog.text


async def test_a_chunked_body_growing_past_the_cap_is_cut_off(hook: tuple[str, Harness]) -> None:
    """No Content-Length (chunked): the body is read up to the cap, then 413."""
    url, _ = hook

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b" " * 65536

    async with httpx.AsyncClient() as client:
        try:
            answer = await client.post(url, content=chunks(), headers=with_secret())
            assert answer.status_code == 413
        except (httpx.RemoteProtocolError, httpx.WriteError, httpx.ReadError):
            pass  # the server closed mid-upload: refused all the same
