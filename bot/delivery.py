"""Everything that leaves the bot: what a press shows, statistics events, the worker told of errors.

- Telegram: `present` shows where a consultation stands (through `bot.way_back.deliver`, every
  call retried within the budget of `bot/retry.py`, « 🔁 » left where an answer could not be
  shown) and reports what the press did — only once the answer or its « 🔁 » is on screen, so
  statistics count a press once either way.
- Statistics: `report` hands an event to the receiver (any callable, sync or async); its failure
  never reaches the worker.
- Errors: `step` names a handler's failures; `on_error` logs `step=… error=Type at=file:line`
  only, never the update, and tells the worker kindly; a worker who blocked the bot (or a chat
  that is gone) ends quietly on that one line.
"""

from __future__ import annotations

import functools
import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.calls import acknowledge
from bot.codec import GROUP, PRIVATE, State
from bot.messages import snapshot
from bot.render import (
    Buttons,
    again_keyboard,
    done_page,
    group_question_page,
    group_verdict_pages,
    question_page,
    verdict_pages,
)
from bot.retry import gone
from bot.way_back import Shown, deliver
from flows import texts
from flows.consultation import Consultation
from flows.events import ConsultationEvent, ConsultationEvents
from flows.outcome import NextQuestion, Outcome
from flows.tracking import Events, Tracker

if TYPE_CHECKING:
    from bot.app import Context

Handler = Callable[[Update, "Context"], Awaitable[None]]
log = logging.getLogger("bot")


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
    first_part: int = 0,
    earlier: Events = (),
) -> bool:
    """Show the outcome (editing the pressed message when there is one, or sending it), then
    report the `earlier` events and what the tracker says the press did (progress, completed).

    `first_part` > 0 (« 🔁 » on a verdict delivered in part) sends the verdict from that part.
    False when neither the outcome nor its way back reached the worker: nothing is reported.
    """
    events = (*earlier, *tracker.after(consultation, outcome))
    codec = context.deps.codec
    state = snapshot(consultation, codec, channel, owner, tracker.settled)
    buttons = Buttons(codec, state)
    if isinstance(outcome, NextQuestion):
        if channel == GROUP:
            page = group_question_page(outcome, buttons)
        else:
            page = question_page(outcome, consultation.jurisdiction, buttons, with_help)
        shown = Shown(here=page) if query is not None else Shown(below=(page,))
        first_part = 0
    else:
        if channel == GROUP:
            pages = group_verdict_pages(outcome, deep_link(context, state))
        else:
            pages = verdict_pages(outcome, buttons)
        first_part = min(first_part, len(pages) - 1)
        if first_part > 0:  # « 🔁 » on the last part delivered: the rest comes below it
            shown = Shown(below=tuple(pages[first_part:]), clear_here=True)
        else:  # the question message becomes a recap; the verdict comes below it
            recap = done_page(outcome.answers, compact=channel == GROUP) if query else None
            shown = Shown(here=recap, below=tuple(pages))
    delivered = await deliver(
        context, chat_id, query, shown, lambda index: again_keyboard(buttons, first_part + index)
    )
    if delivered:
        for event in events:
            await report(context.deps.events, event)
    return delivered


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
    if gone(error) or not isinstance(update, Update):
        return  # the worker blocked the bot or the chat is gone, or there is nobody to tell
    try:
        if update.callback_query and not context.answered:
            await acknowledge(update.callback_query, context, texts.TECHNICAL_PROBLEM, alert=True)
        elif update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, texts.TECHNICAL_PROBLEM)
    except TelegramError as second:
        log.warning("step=%s error=%s while telling the worker", step_name, type(second).__name__)
