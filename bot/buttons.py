"""Button presses: read the state a button carries, check it, apply the action, show the result."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.codec import (
    CHANNELS,
    GROUP,
    MAX_BACK_STEPS,
    Action,
    BadButtonError,
    Press,
    from_base36,
    question_of,
    read_answer,
)
from bot.context import Context
from bot.delivery import acknowledge, edit_markup, edit_page, with_retry
from bot.events import report
from bot.present import present
from bot.render import Buttons, notice_page
from bot.session import StaleButtonError, blank, restore, snapshot
from bot.verdict import ASK, REASONS, THANKS, WHY, change_keyboard, verdict_keyboard
from flows import texts
from flows.consultation import Consultation
from flows.events import Channel
from flows.outcome import Outcome, Verdict
from flows.tracking import Tracker

GROUP_ACTIONS = frozenset(
    {Action.ANSWER, Action.BACK, Action.RESTART, Action.URGENCE, Action.START}
)
CHANGING_ACTIONS = frozenset(
    {Action.ANSWER, Action.BACK, Action.RESTART, Action.CHANGE, Action.FEEDBACK, Action.REASON}
)
"""Presses that move a consultation on: a repeat of one would send or count things twice."""


async def on_button(update: Update, context: Context) -> None:
    """Any button of ours: forged, stale or foreign presses get a kind alert, never a crash."""
    query = update.callback_query
    deps = context.deps
    try:
        press = deps.codec.unpack(query.data)
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
        return
    if press.state.channel == GROUP:
        if press.state.owner != deps.codec.owner_tag(query.from_user.id):
            await acknowledge(query, context, texts.NOT_YOUR_CHECK, alert=True)
            return
        if press.action not in GROUP_ACTIONS:
            await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
            return
    if press.action == Action.DELETE:
        await delete_typed_message(query, context, press)
        return
    if press.action == Action.NOTHING:
        await acknowledge(query, context)
        return
    message = query.message
    where = f"{message.chat.id}:{message.message_id}" if message else query.inline_message_id
    if press.action in CHANGING_ACTIONS and not deps.recent.first_time(str(where), query.data):
        await acknowledge(query, context)  # a double tap: the first press is being handled
        return
    try:
        restored = restore(press.state, deps.codec, deps.served, deps.knowledge)
    except StaleButtonError:
        await acknowledge(query, context)
        fresh = blank(deps.codec, deps.served, press.state.channel, press.state.owner)
        await edit_page(query, notice_page(texts.KB_UPDATED_RESTART, Buttons(deps.codec, fresh)))
        return
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
        return
    try:
        await apply(query, context, press, restored.consultation, restored.updated)
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
    except LookupError:  # no rule for these answers: a gap in the knowledge base
        await acknowledge(query, context, texts.NO_RULE, alert=True)


async def apply(
    query: CallbackQuery, context: Context, press: Press, consultation: Consultation, updated: bool
) -> None:
    """Apply one action to the consultation and show what follows."""
    deps = context.deps
    state, action, argument = press.state, press.action, press.argument
    channel = CHANNELS[state.channel]
    shown = consultation.current()  # what the pressed message shows (a gap: LookupError)
    if action in (Action.FEEDBACK, Action.REASON, Action.CHANGE_MENU, Action.VERDICT_KEYS):
        await verdict_buttons(query, context, press, consultation, shown, channel)
        return
    tracker = Tracker.resume(channel, consultation, shown, state.settled, MAX_BACK_STEPS)
    on_verdict = isinstance(shown, Verdict)
    show_here = query if not on_verdict else None  # a verdict stays; what follows comes below
    chat_id = query.message.chat.id if query.message else query.from_user.id
    if action == Action.ANSWER:
        question_id, choice_id = read_answer(state.jurisdiction, argument)
        if question_id != consultation.state:
            raise BadButtonError("not the question asked")
        outcome = consultation.answer(question_id, choice_id)
    elif action == Action.BACK:
        outcome = consultation.back()
    elif action == Action.RESTART:
        for event in tracker.leave(consultation):  # no verdict reached yet: abandoned
            await report(deps.events, event)
        outcome = consultation.restart()
    elif action == Action.URGENCE:
        outcome = consultation.urgence()
        show_here = query
    elif action == Action.CHANGE:
        question_id = question_of(argument[:1])
        if question_id not in consultation.path:
            raise BadButtonError("not an answer of this consultation")
        outcome = consultation.change(question_id)
    elif action == Action.START:
        consultation = Consultation(deps.served, knowledge=deps.knowledge)
        tracker = Tracker(channel, MAX_BACK_STEPS)  # a new consultation: no row yet
        outcome = consultation.current()
        show_here = query
    elif action in (Action.HELP, Action.QUESTION) and not on_verdict:
        outcome = shown
    else:
        raise BadButtonError("unknown action")
    await acknowledge(query, context, texts.KB_UPDATED if updated else None)
    await present(
        context,
        chat_id,
        consultation,
        outcome,
        tracker,
        state.channel,
        state.owner,
        show_here,
        with_help=action == Action.HELP,
    )


async def verdict_buttons(
    query: CallbackQuery,
    context: Context,
    press: Press,
    consultation: Consultation,
    shown: Outcome,
    channel: Channel,
) -> None:
    """Feedback and 'change an answer' on a verdict: only its buttons change, never its text."""
    if not isinstance(shown, Verdict):
        raise BadButtonError("verdict buttons on a question")
    buttons = Buttons(
        context.deps.codec, snapshot(consultation, context.deps.codec, press.state.channel)
    )
    events = context.deps.events
    tracker = Tracker(channel, MAX_BACK_STEPS)
    if press.action == Action.CHANGE_MENU:
        await acknowledge(query, context, texts.CHANGE_WHICH)
        await edit_markup(query, change_keyboard(shown, buttons, stage_of(press.argument)))
    elif press.action == Action.VERDICT_KEYS:
        await acknowledge(query, context)
        await edit_markup(query, verdict_keyboard(buttons, stage_of(press.argument)))
    elif press.action == Action.FEEDBACK:
        liked = press.argument == "1"
        await report(events, tracker.feedback(consultation, shown, "up" if liked else "down"))
        await acknowledge(query, context, texts.FEEDBACK_THANKS if liked else texts.FEEDBACK_WHY)
        await edit_markup(query, verdict_keyboard(buttons, THANKS if liked else WHY))
    else:
        index = from_base36(press.argument[:1] or "z")
        if index >= len(REASONS):
            raise BadButtonError("unknown reason")
        await report(events, tracker.reason(consultation, shown, REASONS[index]))
        await acknowledge(query, context, texts.FEEDBACK_THANKS)
        await edit_markup(query, verdict_keyboard(buttons, THANKS))


def stage_of(argument: str) -> str:
    """The feedback stage a keyboard was in (ask by default)."""
    return argument if argument in (ASK, WHY, THANKS) else ASK


async def delete_typed_message(query: CallbackQuery, context: Context, press: Press) -> None:
    """Delete the worker's own message that looked like personal data, as they asked."""
    message = query.message
    if message is None or message.chat.type != "private" or not press.argument:
        raise BadButtonError("nothing to delete here")
    message_id = from_base36(press.argument)
    try:
        await with_retry(lambda: context.bot.delete_message(message.chat.id, message_id))
    except TelegramError:
        await acknowledge(query, context, texts.MESSAGE_NOT_DELETED, alert=True)
        return
    await acknowledge(query, context)
    await edit_page(
        query, notice_page(texts.MESSAGE_DELETED, Buttons(context.deps.codec, press.state))
    )
