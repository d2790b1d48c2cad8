"""`chaisevide matrix`: check the settings, sign in, then sync until stopped."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.codec import Codec
from bot.logs import configure_logging, quiet_libraries
from bot.matrix import content as build
from bot.matrix.app import MatrixBot
from bot.matrix.session import SessionError, sign_in
from bot.matrix.settings import MatrixSettings
from bot.matrix.turns import Turns
from bot.retrying import PRODUCTION, RetryPolicy
from flows.config import Settings
from flows.events import ConsultationEvents, ignore_events
from knowledge.loader import KnowledgeBase, load_knowledge

if TYPE_CHECKING:
    from stats.recorder import StatsRecorder

EXIT_BROKEN = 3
FLUSH_SECONDS = 2.0
"""At most this long is spent writing queued statistics before `!stats` reads them."""
log = logging.getLogger("bot.matrix")


def problems(settings: MatrixSettings) -> list[str]:
    """What keeps the bot from starting, in French, each with what to do (empty: ready)."""
    found = []
    if not settings.homeserver or not settings.user_id:
        found.append(
            "Matrix : définissez MATRIX_HOMESERVER (par exemple "
            "https://matrix.agent.dinum.tchap.gouv.fr) et MATRIX_USER_ID (l'identifiant complet "
            "du compte du bot, @nom:serveur).\nPour consulter sans messagerie : chaisevide chat"
        )
    if not settings.store_key:
        found.append(
            "CHAISEVIDE_MATRIX_STORE_KEY est obligatoire : elle protège le magasin de clés de "
            "chiffrement du bot. Choisissez une longue phrase secrète et gardez-la : sans elle, "
            "le bot ne relit plus ses clés."
        )
    if settings.homeserver and not settings.homeserver.startswith(("https://", "http://")):
        found.append("MATRIX_HOMESERVER doit commencer par https:// (ou http:// en local).")
    return found


def codec_for(settings: MatrixSettings, kb: KnowledgeBase) -> Codec:
    """The codec signing states in messages, keyed by the store key (stable across restarts)."""
    secret = hashlib.sha256(f"chaisevide/matrix/{settings.store_key}".encode()).hexdigest()
    return Codec(secret, kb.version)


def admin_summary(
    db_settings: Settings, recorder: StatsRecorder | None
) -> Callable[[], Awaitable[build.Content]]:
    """`!stats`: the summary of the statistics file (what is queued written first), or why
    there is none (in French) — read as `/stats` reads it."""
    from stats.bundle import SUMMARY_LIMIT, read_bundle

    async def summary() -> build.Content:
        if recorder is not None:  # the latest consultations count too
            await asyncio.to_thread(recorder.writer.flush, FLUSH_SECONDS)
        bundle = await asyncio.to_thread(read_bundle, db_settings.db_path, dt.date.today())
        if isinstance(bundle, str):
            return build.notice(bundle)
        text = bundle.summary[:SUMMARY_LIMIT]
        return build.message(text, f"<pre>{build.escape(text)}</pre>")

    return summary


async def serve(
    settings: MatrixSettings,
    db_settings: Settings,
    recorder: StatsRecorder | None = None,
    policy: RetryPolicy = PRODUCTION,
    knowledge: KnowledgeBase | None = None,
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
) -> MatrixBot:
    """Sign in and sync until `stop` is set; return the stopped bot (`ready` set once syncing)."""
    kb = knowledge or load_knowledge()
    client = await sign_in(settings)
    quiet_libraries((client.access_token or "",))
    turns = Turns(codec_for(settings, kb), kb, db_settings.jurisdictions)
    events: ConsultationEvents = recorder if recorder is not None else ignore_events
    summary = admin_summary(db_settings, recorder)
    bot = MatrixBot(client, settings, turns, events, policy, summary)
    if stop is not None:
        bot.stopping = stop
    bot.wire()
    if client.should_upload_keys:
        await client.keys_upload()
    sync = asyncio.create_task(bot.sync_forever())
    try:
        synced = asyncio.create_task(bot.synced.wait())
        stopped = asyncio.create_task(bot.stopping.wait())
        await asyncio.wait({synced, stopped}, return_when=asyncio.FIRST_COMPLETED)
        synced.cancel()
        if bot.synced.is_set():
            log.info("Chaise vide: Matrix mode, syncing")
            if ready is not None:
                ready.set()
        await stopped
    finally:
        sync.cancel()
        await asyncio.gather(sync, return_exceptions=True)
        await bot.drain()
        await client.close()
    return bot


def run_matrix(settings: MatrixSettings, db_settings: Settings) -> int:
    """Run the Matrix bot until SIGINT or SIGTERM; refuse kindly when it cannot start."""
    found = problems(settings)
    if found:
        print("\n".join(found), file=sys.stderr)
        return EXIT_BROKEN
    configure_logging(settings.password or settings.access_token or "")
    from stats.recorder import start_recorder

    recorder = start_recorder(db_settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(settings, db_settings, recorder, stop=stop)

    try:
        asyncio.run(main())
    except SessionError as error:
        print(str(error), file=sys.stderr)
        return EXIT_BROKEN
    except OSError as error:
        print(
            f"Le serveur Matrix ne répond pas ({type(error).__name__}) : vérifiez "
            "MATRIX_HOMESERVER et la connexion de cette machine ; « chaisevide doctor » aide à "
            "trouver la cause.",
            file=sys.stderr,
        )
        return EXIT_BROKEN
    finally:
        recorder.close(timeout=5)
    return 0
