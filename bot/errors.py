"""The error handler: log the error type and the step, never the update; tell the worker kindly."""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.context import Context
from bot.delivery import acknowledge
from flows import texts

Handler = Callable[[Update, Context], Awaitable[None]]
log = logging.getLogger("bot")


class StepFailedError(Exception):
    """A handler failed; carries its name (the step) and whether the press was answered."""

    def __init__(self, step: str, answered: bool) -> None:
        super().__init__(step)
        self.step = step
        self.answered = answered


def step(handler: Handler) -> Handler:
    """Wrap a handler so that its failures reach the error handler with its name as the step."""

    @functools.wraps(handler)
    async def run(update: Update, context: Context) -> None:
        try:
            await handler(update, context)
        except Exception as error:
            raise StepFailedError(handler.__name__, context.answered) from error

    return run


def where(error: BaseException) -> str:
    """The file and line that raised, without any value: 'bot/buttons.py:42'."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"


async def on_error(update: object, context: Context) -> None:
    """Log `step=… error=Type at=file:line` only, then give the worker an answer or a message."""
    error = context.error
    step_name = "polling" if update is None else "dispatch"
    if isinstance(error, StepFailedError):
        step_name = error.step
        context.answered = error.answered
        error = error.__cause__ or error
    log.warning("step=%s error=%s at=%s", step_name, type(error).__name__, where(error))
    if isinstance(error, Forbidden) or not isinstance(update, Update):
        return  # the worker blocked the bot, or there is nobody to tell
    try:
        if update.callback_query and not context.answered:
            await acknowledge(update.callback_query, context, texts.TECHNICAL_PROBLEM, alert=True)
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, texts.TECHNICAL_PROBLEM)
    except TelegramError as second:
        log.warning("step=%s error=%s while telling the worker", step_name, type(second).__name__)
