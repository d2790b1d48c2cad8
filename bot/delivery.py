"""Talking to Telegram: answer every press, retry a failed call once, ignore harmless errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.context import Context
from bot.render import Page

T = TypeVar("T")
RETRY_DELAY = 0.3
log = logging.getLogger(__name__)


async def with_retry(call: Callable[[], Awaitable[T]]) -> T:
    """Run a Bot API call; on a timeout or network error (not a refusal) try once more."""
    try:
        return await call()
    except BadRequest:
        raise
    except NetworkError:  # TimedOut, connection errors, Telegram's 5xx
        await asyncio.sleep(RETRY_DELAY)
        return await call()


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
        await with_retry(lambda: query.answer(text, show_alert=alert))
    except TelegramError as error:  # "query is too old", or Telegram unreachable twice
        log.info("answer_callback_query: %s", type(error).__name__)


async def edit_page(query: CallbackQuery, page: Page) -> None:
    """Edit the pressed message in place; identical content is not an error."""
    try:
        await with_retry(lambda: query.edit_message_text(page.text, reply_markup=page.markup))
    except BadRequest as error:
        if not not_modified(error):
            raise


async def edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    """Change only the buttons of the pressed message; identical buttons are not an error."""
    try:
        await with_retry(lambda: query.edit_message_reply_markup(reply_markup=markup))
    except BadRequest as error:
        if not not_modified(error):
            raise


async def send_pages(context: Context, chat_id: int, pages: list[Page]) -> list[Message]:
    """Send pages as new messages, in order, each retried once on a network error."""
    sent = []
    for page in pages:
        message = await with_retry(
            lambda page=page: context.bot.send_message(chat_id, page.text, reply_markup=page.markup)
        )
        sent.append(message)
    return sent
