"""Webhook mode: a small HTTP server with Telegram's route (guarded by its secret) and /healthz."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import socket
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler, stream_request_body

from flows.config import Settings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
MAX_BODY_BYTES = 1_000_000
"""Telegram's updates are a few kilobytes; anything over a megabyte is not one."""
HEALTH_PATH = "/healthz"
log = logging.getLogger("bot")


@stream_request_body
class TelegramRoute(RequestHandler):
    """Receives updates from Telegram, refusing early and plainly what is not one.

    The secret header and the announced size are checked as soon as the headers arrive, before
    any byte of the body is read (403, 413, and the connection closed); a body that grows past
    the cap while it streams is cut off (413). What is not JSON of an update's shape gets 400;
    an update of a kind this bot does not know is acknowledged (200) and dropped, so Telegram
    does not redeliver it for hours. No path answers 5xx for bad input, and each refusal is one
    log line saying what and why — never a traceback, a header value or the body.
    """

    def initialize(self, bot_application: Application, secret: str) -> None:
        """Bind the route to the bot and its secret."""
        self.bot_application = bot_application
        self.secret = secret
        self.chunks: list[bytes] = []
        self.size = 0
        self.refused = False

    def prepare(self) -> None:
        """Before the body: the secret, then the size Telegram announces."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.refuse(403, "wrong or missing secret")
            return
        announced = self.request.headers.get("Content-Length", "")
        if announced.isdigit() and int(announced) > MAX_BODY_BYTES:
            self.refuse(413, f"body of {int(announced)} bytes announced, over {MAX_BODY_BYTES}")

    def data_received(self, chunk: bytes) -> None:
        """Keep the body while it stays under the cap; past it, refuse and stop reading."""
        if self.refused:
            return
        self.size += len(chunk)
        if self.size > MAX_BODY_BYTES:
            self.chunks.clear()
            self.refuse(413, f"body over {MAX_BODY_BYTES} bytes")
            return
        self.chunks.append(chunk)

    async def post(self) -> None:
        """Queue the update for the bot, or refuse what is not an update."""
        if self.refused:
            return
        update = self.read_update(b"".join(self.chunks))
        if update is not None:
            await self.bot_application.update_queue.put(update)

    def read_update(self, body: bytes) -> Update | None:
        """The update in the body; None when refused (400) or dropped (an unknown kind, 200)."""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            self.refuse(400, "not JSON", close=False)
            return None
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            self.refuse(400, "not an update (an object with an integer update_id)", close=False)
            return None
        try:
            update = Update.de_json(data, self.bot_application.bot)
        except Exception as error:  # any malformed part: never a 5xx, never a traceback
            log.warning(
                "webhook: dropped an update that could not be read (%s)", type(error).__name__
            )
            return None
        return update

    def refuse(self, status: int, why: str, close: bool = True) -> None:
        """Answer `status` at once, log one line, and (before the body) close the connection."""
        self.refused = True
        log.warning("webhook: refused a request with %s: %s", status, why)
        self.set_status(status)
        if close:
            self.set_header("Connection", "close")
        self.finish()
        if close and self.request.connection is not None:
            self.request.connection.close()


class HealthRoute(RequestHandler):
    """Says the process is up and serving: 200 'ok'."""

    def get(self) -> None:
        """Answer the health probe."""
        self.write("ok")


def webhook_path(settings: Settings) -> str:
    """The path Telegram posts to, taken from CHAISEVIDE_WEBHOOK_URL."""
    return urlparse(settings.webhook_url or "").path or "/"


def make_web_app(application: Application, settings: Settings) -> WebApplication:
    """The two routes; no access log (request lines are not needed and never kept)."""
    return WebApplication(
        [
            (
                webhook_path(settings),
                TelegramRoute,
                {"bot_application": application, "secret": settings.webhook_secret or ""},
            ),
            (HEALTH_PATH, HealthRoute),
        ],
        log_function=lambda _handler: None,
    )


def listening_socket(address: str, port: int) -> socket.socket:
    """A bound, listening, non-blocking socket; closed again if the port cannot be had."""
    family, kind, proto, _, where = socket.getaddrinfo(
        address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(where)
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def start_web_server(application: Application, settings: Settings) -> HTTPServer:
    """Listen on CHAISEVIDE_LISTEN:CHAISEVIDE_PORT (inside a running event loop)."""
    sock = listening_socket(settings.listen, settings.port)
    server = HTTPServer(
        make_web_app(application, settings), xheaders=True, max_body_size=2 * MAX_BODY_BYTES
    )
    server.add_sockets([sock])
    return server


async def serve(application: Application, settings: Settings, allowed_updates: list[str]) -> None:
    """Run the bot in webhook mode until SIGINT or SIGTERM, then stop gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with application:  # initialize, and shut down on the way out
        if application.post_init:
            await application.post_init(application)
        server = start_web_server(application, settings)  # a busy port fails here, cleanly
        try:
            await application.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=settings.webhook_secret,
                allowed_updates=allowed_updates,
            )
            await application.start()
            log.info("Chaise vide: webhook mode, listening on port %s", settings.port)
            try:
                await stop.wait()
            finally:
                await application.stop()
        finally:
            server.stop()
            await server.close_all_connections()
    log.info("Chaise vide: stopped")
