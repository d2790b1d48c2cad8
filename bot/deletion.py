"""🗑️ under the warning about personal data: delete the worker's own message, as they asked.

The deletion is retried within the budget (`bot/retry.py`); when Telegram still fails, or refuses
(a message too old), an alert says how to delete it by hand and 🗑️ stays for one more tap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import CallbackQuery
from telegram.error import BadRequest, TelegramError

from bot.calls import acknowledge, edit_page, shown_or_transient
from bot.codec import BadButtonError, Press, from_base36
from bot.render import Buttons, notice_page
from bot.retry import transient, with_retry
from flows import texts

if TYPE_CHECKING:
    from bot.app import Context


async def delete_typed_message(query: CallbackQuery, context: Context, press: Press) -> None:
    """Delete the worker's own message that looked like personal data, as they asked."""
    message = query.message
    try:
        if message is None or message.chat.type != "private":
            raise BadButtonError("nothing to delete here")
        message_id = from_base36(press.argument)
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
        return
    failed: list[TelegramError] = []

    async def delete(timeout: float) -> bool:
        """One try; 'not found' after a try that timed out means that try did delete it."""
        try:
            return await context.bot.delete_message(
                message.chat.id, message_id, read_timeout=timeout
            )
        except BadRequest as error:
            if failed and "not found" in error.message.lower():
                return True
            raise
        except TelegramError as error:
            failed.append(error)
            raise

    try:
        await with_retry(context.deps.retry, "deleteMessage", delete)
    except TelegramError as error:  # too old, or Telegram kept failing: 🗑️ stays, one more tap
        if not transient(error) and not isinstance(error, BadRequest):
            raise
        await acknowledge(query, context, texts.MESSAGE_NOT_DELETED, alert=True)
        return
    await acknowledge(query, context)
    page = notice_page(texts.MESSAGE_DELETED, Buttons(context.deps.codec, press.state))
    await shown_or_transient(edit_page(context, query, page))  # deleted: the notice is a comfort
