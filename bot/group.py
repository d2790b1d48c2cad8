"""Team groups: `/verif` quick checks owned by the member who started them, posted for the team."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import pages
from bot.codec import CHANNELS, GROUP, MAX_BACK_STEPS
from bot.context import Context
from bot.delivery import send_pages
from bot.present import present
from bot.render import Page, escape
from flows import texts
from flows.consultation import Consultation
from flows.tracking import Tracker
from flows.words import prefilled


async def reply(
    context: Context, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Post one short HTML message in the group."""
    await send_pages(context, chat_id, [Page(text, markup)])


async def start_check(
    context: Context, chat_id: int, user_id: int, consultation: Consultation
) -> None:
    """Post the check's question (or its verdict) with buttons only its owner may press."""
    owner = context.deps.codec.owner_tag(user_id)
    try:
        outcome = consultation.current()
    except LookupError:
        await reply(context, chat_id, escape(texts.NO_RULE))
        return
    tracker = Tracker(CHANNELS[GROUP], MAX_BACK_STEPS)  # just opened: no row until an answer
    await present(context, chat_id, consultation, outcome, tracker, GROUP, owner)


async def verif(update: Update, context: Context) -> None:
    """/verif [mots]: a compact consultation in one message, prefilled with the words typed."""
    deps = context.deps
    chat_id = update.effective_chat.id
    consultation, some_unknown = prefilled(context.args or [], deps.served, deps.knowledge)
    law = consultation.jurisdiction.id
    if some_unknown:  # say so, then start with what was understood (as /consulter does)
        await reply(context, chat_id, pages.words_unknown(deps.knowledge, deps.served, law))
    await start_check(context, chat_id, update.effective_user.id, consultation)


async def group_urgence(update: Update, context: Context) -> None:
    """/urgence in a group: the emergency card, posted for the team."""
    deps = context.deps
    consultation = Consultation(deps.served, knowledge=deps.knowledge)
    consultation.urgence()
    await start_check(context, update.effective_chat.id, update.effective_user.id, consultation)


async def group_help(update: Update, context: Context) -> None:
    """/aide in a group: how quick checks work."""
    await reply(context, update.effective_chat.id, pages.HELP_GROUP)


async def private_only(update: Update, context: Context) -> None:
    """A private-chat command used in a group: point to /verif and to a private chat."""
    markup = None
    try:
        link = f"https://t.me/{context.bot.username}"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTONS["full"], url=link)]])
    except RuntimeError:  # pragma: no cover - the bot is always initialised when handling
        pass
    await reply(context, update.effective_chat.id, escape(pages.PRIVATE_ONLY), markup)
