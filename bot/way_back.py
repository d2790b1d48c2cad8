"""A way back when Telegram keeps failing: « 🔁 Afficher la réponse » where the answer should be.

`deliver` shows what a press shows (`Shown`: the pressed message's new content, then new
messages), each call retried within the budget. When one still fails, `way_back` puts « 🔁 » on
the last message this press delivered, else on the pressed message, else on a short new
message: a button carrying the state the answer's own buttons would have carried, so that one
tap rebuilds it (`buttons.on_again_button`); parts of a verdict already delivered are not sent
again. A worker who blocked the bot, or a chat that is gone, ends the press (raised).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import TelegramError

from bot.calls import edit_markup, edit_page, send_page, shown_or_transient
from bot.render import Page, escape
from bot.retry import gone, transient, with_retry
from flows import texts

if TYPE_CHECKING:
    from bot.app import Context

log = logging.getLogger("bot")


@dataclass(frozen=True)
class Shown:
    """What a press puts on screen: the pressed message's new content, then new messages."""

    here: Page | None = None
    """Replaces the pressed message (a question, or the recap above a verdict)."""
    below: tuple[Page, ...] = ()
    """New messages, in order (the verdict and its parts)."""
    clear_here: bool = False
    """Only take « 🔁 » off the pressed message (a part of the verdict already delivered)."""


AgainKeys = Callable[[int], InlineKeyboardMarkup]
"""The « 🔁 » keyboard for an answer whose new messages are missing from this one on."""


async def deliver(
    context: Context, chat_id: int, query: CallbackQuery | None, shown: Shown, again: AgainKeys
) -> bool:
    """Show what a press shows, each call retried within the budget; when one still fails,
    leave « 🔁 » on the worker's last message instead. True when the worker has the answer or
    that way back."""
    if query is not None and shown.here is not None:
        here_shown = await shown_or_transient(edit_page(context, query, shown.here))
    else:
        here_shown = True
        if query is not None and shown.clear_here:
            await shown_or_transient(edit_markup(context, query, None))  # else 🔁 stays: harmless
    pressed = query if shown.here is not None or shown.clear_here else None
    last: Message | None = None
    for index, page in enumerate(shown.below):
        try:
            last = await send_page(context, chat_id, page)
        except TelegramError as error:
            if not transient(error):
                raise
            return await way_back(context, chat_id, pressed, last, again(index))
    if not here_shown and query is not None and shown.here is not None:
        if not shown.below:  # the edit was the answer
            return await way_back(context, chat_id, query, None, again(0))
        await shown_or_transient(edit_page(context, query, shown.here))  # the old buttons go
    return True


async def way_back(
    context: Context,
    chat_id: int,
    pressed: CallbackQuery | None,
    last: Message | None,
    markup: InlineKeyboardMarkup,
) -> bool:
    """Put « 🔁 » on the last message this press delivered, else on the pressed message, else
    on a short new message; False when Telegram kept failing even that (the press then counts
    as not made: its buttons are still on screen)."""
    policy = context.deps.retry
    try:
        if last is not None:
            await with_retry(
                policy,
                "editMessageReplyMarkup",
                lambda timeout: last.edit_reply_markup(reply_markup=markup, read_timeout=timeout),
            )
            return True
        if pressed is not None:
            await edit_markup(context, pressed, markup)
            return True
    except TelegramError as error:
        if gone(error):
            raise
    try:
        await send_page(context, chat_id, Page(escape(texts.NOT_DELIVERED), markup))
    except TelegramError as error:
        if not transient(error):
            raise
        log.warning("delivery lost: neither the answer nor its way back could be shown")
        return False
    return True
