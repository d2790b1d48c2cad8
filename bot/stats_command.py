"""`/stats`: the summary, the CSV export and a weekly chart for admins; a kind refusal for others.

Wired by `register(application, settings, recorder)`. The handler runs before the others (group
-1) and stops there, so `/stats` never reaches the typed-text reply. In a group an admin gets the
statistics in private (the team does not see them) and a short note in the group.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import InputFile, Update
from telegram.error import Forbidden
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler

from bot.calls import send_page
from bot.delivery import step
from bot.render import Page, escape
from bot.retry import with_retry
from flows.config import Settings
from stats.bundle import SUMMARY_LIMIT, Bundle, read_bundle
from stats.recorder import StatsRecorder

if TYPE_CHECKING:
    from bot.app import Context

HANDLER_GROUP = -1
FLUSH_SECONDS = 2.0
REFUSAL = (
    "Désolé, les statistiques sont réservées aux responsables de ce service désignés dans la "
    "configuration du bot. Si vous en avez besoin, demandez-les à la personne qui l'administre."
)
SENT_PRIVATELY = "📊 Je vous ai envoyé les statistiques en message privé."
START_PRIVATELY = (
    "📊 Je ne peux pas vous écrire en privé : ouvrez une conversation avec moi (bouton "
    "« Démarrer »), puis relancez /stats ici ou là-bas."
)
log = logging.getLogger("bot")


class StatsCommand:
    """The `/stats` handler, bound to the admins, the file and the recorder of one instance."""

    def __init__(self, admins: frozenset[int], db_path: Path, recorder: StatsRecorder | None):
        self.admins = admins
        self.db_path = db_path
        self.recorder = recorder

    async def stats(self, update: Update, context: Context) -> None:
        """/stats: admins get the statistics (in private), anyone else a polite refusal."""
        chat = update.effective_chat
        user = update.effective_user
        if user is None or user.id not in self.admins:
            await send_page(context, chat.id, Page(escape(REFUSAL)))
            return
        text, bundle = await self.read()
        try:
            await send(context, user.id, text, bundle)
        except Forbidden:  # an admin asking in a group who never opened a private chat
            await send_page(context, chat.id, Page(escape(START_PRIVATELY)))
            return
        if chat.id != user.id:
            await send_page(context, chat.id, Page(escape(SENT_PRIVATELY)))

    async def read(self) -> tuple[str, Bundle | None]:
        """The summary as HTML and the files, or a message saying why there are none."""
        if self.recorder is not None:  # the latest consultations count too
            await asyncio.to_thread(self.recorder.writer.flush, FLUSH_SECONDS)
        bundle = await asyncio.to_thread(read_bundle, self.db_path, dt.date.today())
        if isinstance(bundle, str):
            return escape(bundle), None
        # Cut before escaping, so an entity such as &lt; is never split.
        return f"<pre>{escape(bundle.summary[:SUMMARY_LIMIT])}</pre>", bundle


async def send(context: Context, chat_id: int, text: str, bundle: Bundle | None) -> None:
    """The summary, then the CSV as a document and the chart as a photo."""
    await send_page(context, chat_id, Page(text))
    if bundle is None:
        return
    name = f"statistiques-{dt.date.today().isoformat()}.csv"
    await with_retry(
        context.deps.retry,
        "sendDocument",
        lambda timeout: context.bot.send_document(
            chat_id,
            InputFile(bundle.csv, filename=name),
            caption="Comptes par semaine ; « <5 » : moins de 5, masqué.",
            parse_mode=None,
            read_timeout=timeout,
        ),
    )
    await with_retry(
        context.deps.retry,
        "sendPhoto",
        lambda timeout: context.bot.send_photo(
            chat_id,
            InputFile(bundle.chart, filename="consultations.png"),
            caption=bundle.caption,
            parse_mode=None,
            read_timeout=timeout,
        ),
    )


def stop_after(handler: object) -> object:
    """Run the handler, then stop: no other handler sees this `/stats` update."""

    async def stats(update: Update, context: Context) -> None:
        """/stats, then no other handler."""
        await handler(update, context)  # type: ignore[operator]
        raise ApplicationHandlerStop

    return stats


def register(
    application: Application, settings: Settings, recorder: StatsRecorder | None = None
) -> StatsCommand:
    """Add `/stats` (private chats and groups) ahead of every other handler."""
    command = StatsCommand(settings.admins, settings.db_path, recorder)
    handler = stop_after(step(command.stats))
    application.add_handler(CommandHandler("stats", handler), group=HANDLER_GROUP)  # type: ignore[arg-type]
    return command
