"""The Bot API calls of a consultation, each retried within the budget (`bot/retry.py`).

Every press is answered once (`acknowledge`); an edit that changes nothing ("message is not
modified", a double tap) is harmless; `shown_or_transient` tells a call that Telegram kept
failing (False) from one it refused (raised).
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, TelegramError

from bot.render import Page
from bot.retry import transient, with_retry

if TYPE_CHECKING:
    from bot.app import Context

log = logging.getLogger("bot")


def not_modified(error: BadRequest) -> bool:
    """Telegram refused an edit because nothing changed (a double tap): harmless."""
    return "not modified" in error.message.lower()


async def acknowledge(
    query: CallbackQuery, context: Context, text: str | None = None, alert: bool = False
) -> None:
    """Answer a button press once (stops the spinner); a press too old to answer is ignored."""
    if context.answered:
        return
    context.answered = True
    try:
        await with_retry(
            context.deps.retry,
            "answerCallbackQuery",
            lambda timeout: query.answer(text, show_alert=alert, read_timeout=timeout),
        )
    except TelegramError as error:  # "query is too old", or Telegram unreachable (logged)
        if not transient(error):
            log.info("answer_callback_query: %s", type(error).__name__)


async def edit_page(context: Context, query: CallbackQuery, page: Page) -> None:
    """Edit the pressed message in place; identical content is not an error."""
    try:
        await with_retry(
            context.deps.retry,
            "editMessageText",
            lambda timeout: query.edit_message_text(
                page.text, reply_markup=page.markup, read_timeout=timeout
            ),
        )
    except BadRequest as error:
        if not not_modified(error):
            raise


async def edit_markup(
    context: Context, query: CallbackQuery, markup: InlineKeyboardMarkup | None
) -> None:
    """Change only the buttons of the pressed message; identical buttons are not an error."""
    try:
        await with_retry(
            context.deps.retry,
            "editMessageReplyMarkup",
            lambda timeout: query.edit_message_reply_markup(
                reply_markup=markup, read_timeout=timeout
            ),
        )
    except BadRequest as error:
        if not not_modified(error):
            raise


async def send_page(context: Context, chat_id: int, page: Page) -> Message:
    """Send one page as a new message, retried within the budget."""
    return await with_retry(
        context.deps.retry,
        "sendMessage",
        lambda timeout: context.bot.send_message(
            chat_id, page.text, reply_markup=page.markup, read_timeout=timeout
        ),
    )


async def send_pages(context: Context, chat_id: int, pages: Sequence[Page]) -> list[Message]:
    """Send pages as new messages, in order, each retried within the budget."""
    return [await send_page(context, chat_id, page) for page in pages]


async def shown_or_transient(action: Coroutine[Any, Any, object]) -> bool:
    """Run a retried call: True once done, False when Telegram kept failing (refusals raise)."""
    try:
        await action
    except TelegramError as error:
        if not transient(error):
            raise
        return False
    return True
