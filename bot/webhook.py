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
from tornado.web import RequestHandler

from flows.config import Settings

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
HEALTH_PATH = "/healthz"
log = logging.getLogger("bot")


class TelegramRoute(RequestHandler):
    """Receives updates from Telegram; anything without the right secret gets 403."""

    def initialize(self, bot_application: Application, secret: str) -> None:
        """Bind the route to the bot and its secret."""
        self.bot_application = bot_application
        self.secret = secret

    async def post(self) -> None:
        """Queue the update for the bot, or refuse it."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.set_status(403)
            return
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.bot_application.bot)
        except (ValueError, TypeError, KeyError):
            self.set_status(400)
            return
        await self.bot_application.update_queue.put(update)


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
    server = HTTPServer(make_web_app(application, settings), xheaders=True)
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
