"""Everything that leaves the bot: Telegram calls, statistics events, the worker told of errors.

- Telegram: every press is answered once (`acknowledge`), a call that fails on the network is
  retried once (`with_retry`), "message is not modified" (a double tap) is harmless;
  `present` shows where a consultation stands and reports what the press did.
- Statistics: `report` hands an event to the receiver (any callable, sync or async); its failure
  never reaches the worker.
- Errors: `step` names a handler's failures; `on_error` logs `step=… error=Type at=file:line`
  only, never the update, and tells the worker kindly.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.codec import GROUP, PRIVATE, State
from bot.render import (
    Buttons,
    Page,
    done_page,
    group_question_page,
    group_verdict_pages,
    question_page,
    snapshot,
    verdict_pages,
)
from flows import texts
from flows.consultation import Consultation
from flows.events import ConsultationEvent
from flows.outcome import NextQuestion, Outcome
from flows.tracking import Tracker

if TYPE_CHECKING:
    from bot.app import Context

T = TypeVar("T")
Handler = Callable[[Update, "Context"], Awaitable[None]]
RETRY_DELAY = 0.3
log = logging.getLogger("bot")


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


def deep_link(context: Context, state: State) -> str | None:
    """`https://t.me/<bot>?start=<payload>`: the same answers, opened in a private chat."""
    try:
        username = context.bot.username
    except RuntimeError:  # not initialised: no getMe answer yet
        return None
    private = State(state.kb, state.jurisdiction, state.answers, 0, PRIVATE)
    return f"https://t.me/{username}?start={context.deps.codec.payload(private)}"


async def present(
    context: Context,
    chat_id: int,
    consultation: Consultation,
    outcome: Outcome,
    tracker: Tracker,
    channel: str = PRIVATE,
    owner: str = "",
    query: CallbackQuery | None = None,
    with_help: bool = False,
) -> None:
    """Show the outcome (editing the pressed message when there is one, or sending it), then
    report what the tracker says the press did (progress, completed)."""
    events = tracker.after(consultation, outcome)
    codec = context.deps.codec
    state = snapshot(consultation, codec, channel, owner, tracker.settled)
    buttons = Buttons(codec, state)
    if isinstance(outcome, NextQuestion):
        if channel == GROUP:
            page = group_question_page(outcome, buttons)
        else:
            page = question_page(outcome, consultation.jurisdiction, buttons, with_help)
        if query is not None:
            await edit_page(query, page)
        else:
            await send_pages(context, chat_id, [page])
    else:
        if channel == GROUP:
            pages = group_verdict_pages(outcome, deep_link(context, state))
        else:
            pages = verdict_pages(outcome, buttons)
        if query is not None:  # the question message becomes a recap; the verdict comes below it
            await edit_page(query, done_page(outcome.answers, compact=channel == GROUP))
        await send_pages(context, chat_id, pages)
    for event in events:
        await report(context.deps.events, event)


class ConsultationEvents(Protocol):
    """Receives events; may be sync or async. Statistics implement this."""

    def __call__(self, event: ConsultationEvent) -> Awaitable[None] | None:
        """Record one event."""
        ...


def ignore_events(event: ConsultationEvent) -> None:
    """The default receiver: statistics are off, nothing is recorded."""


async def report(events: ConsultationEvents, event: ConsultationEvent) -> None:
    """Hand an event to the receiver; its failure never reaches the worker (type logged only)."""
    try:
        result = events(event)
        if inspect.isawaitable(result):
            await result
    except Exception as error:
        log.warning("events: %s while reporting a %s event", type(error).__name__, event.kind)


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
