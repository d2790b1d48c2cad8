"""Button presses: read the state a button carries, check it, rebuild the consultation, act.

Presses are routed by the action char that leads callback data of format 2 (`bot.app`): one
handler for the buttons that walk a consultation (`CONSULTATION`), one for a verdict's own
buttons (`VERDICT`), one for deleting a worker's message (`DELETE`), one for « 🔁 Afficher la
réponse » (`AGAIN`, left when Telegram failed to deliver an answer), and a last one for anything
else — buttons of format 1 (they start with '1', their action comes later) take the same way as
today's, and forged or unknown data gets the kind alert. Nothing is kept between presses but a
few seconds of salted hashes against double taps (`RecentPresses`).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, Update

from bot.calls import acknowledge, edit_markup, edit_page, send_page, shown_or_transient
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
from bot.deletion import delete_typed_message
from bot.delivery import present, report
from bot.messages import Restored, StaleButtonError, blank, restore, snapshot
from bot.render import (
    ASK,
    REASONS,
    THANKS,
    WHY,
    Buttons,
    change_keyboard,
    note_page,
    notice_page,
    verdict_keyboard,
)
from flows import texts
from flows.consultation import Consultation
from flows.outcome import Verdict
from flows.tracking import Events, Tracker

if TYPE_CHECKING:
    from bot.app import Context

CONSULTATION = (
    *(Action.ANSWER, Action.BACK, Action.CHANGE, Action.RESTART, Action.URGENCE),
    *(Action.HELP, Action.QUESTION, Action.START, Action.VARIANT),
)
"""Buttons that walk a consultation: answer, back, change, restart, urgence, help, start, and
the jump to a variant (« 🔀 Si … »)."""
VERDICT = (
    *(Action.FEEDBACK, Action.REASON, Action.CHANGE_MENU, Action.VERDICT_KEYS, Action.NOTHING),
    Action.NOTE,
)
"""A verdict's own buttons: 👍/👎, a reason, ✏️ and its cancel, « Merci », 📝 the note."""
DELETE = (Action.DELETE,)
"""🗑️ under the warning about personal data."""
AGAIN = (Action.AGAIN,)
"""« 🔁 Afficher la réponse », left where Telegram failed to deliver an answer."""
GROUP_ACTIONS = frozenset(
    {Action.ANSWER, Action.BACK, Action.RESTART, Action.URGENCE, Action.START, Action.AGAIN}
)
"""What a group check offers (to the member who started it only)."""
CHANGING_ACTIONS = frozenset(
    {
        *(Action.ANSWER, Action.BACK, Action.RESTART, Action.CHANGE, Action.FEEDBACK),
        *(Action.REASON, Action.VARIANT, Action.NOTE, Action.AGAIN),
    }
)
"""Presses that move a consultation on: a repeat of one would send or count things twice."""
WINDOW_SECONDS = 5.0
MAX_KEPT = 10_000


class RecentPresses:
    """Presses just handled, as salted hashes of (message, button data), for WINDOW_SECONDS.

    Nothing that names a person, nothing on disk. A second process behind the same webhook does
    not see them; the statistics then match rows by their values (see docs/stats.md).
    """

    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self.salt = os.urandom(16)
        self.seen: OrderedDict[bytes, float] = OrderedDict()

    def key(self, message_key: str, data: str) -> bytes:
        """The salted hash kept for a press."""
        return hashlib.blake2b(
            f"{message_key}|{data}".encode(), key=self.salt, digest_size=12
        ).digest()

    def first_time(self, message_key: str, data: str) -> bool:
        """True the first time this press is seen within the window; False for a repeat."""
        now = time.monotonic()
        while self.seen and (
            len(self.seen) > MAX_KEPT or now - next(iter(self.seen.values())) > self.window
        ):
            self.seen.popitem(last=False)
        key = self.key(message_key, data)
        if key in self.seen:
            return False
        self.seen[key] = now
        return True

    def forget(self, message_key: str, data: str) -> None:
        """Telegram lost what this press showed: pressing it again is no double tap."""
        self.seen.pop(self.key(message_key, data), None)


async def on_consultation_button(update: Update, context: Context) -> None:
    """Answer, back, change, restart, urgence, help, start: the consultation moves on."""
    query = update.callback_query
    press = await checked(query, context)
    if press is not None:
        await on_restored(query, context, press, walk)


async def on_verdict_button(update: Update, context: Context) -> None:
    """👍/👎, a reason, ✏️ and its cancel on a verdict: only the verdict's buttons change."""
    query = update.callback_query
    press = await checked(query, context)
    if press is not None:
        await verdict_button(query, context, press)


async def on_delete_button(update: Update, context: Context) -> None:
    """🗑️: delete the worker's own message that looked like personal data."""
    query = update.callback_query
    press = await checked(query, context)
    if press is not None:
        await delete_typed_message(query, context, press)


async def on_again_button(update: Update, context: Context) -> None:
    """🔁: show the answer Telegram failed to deliver, rebuilt from the answers it carries."""
    query = update.callback_query
    press = await checked(query, context)
    if press is not None:
        await on_restored(query, context, press, show_again)


async def on_other_button(update: Update, context: Context) -> None:
    """Buttons of format 1 take the way of today's; forged or unknown data gets a kind alert."""
    query = update.callback_query
    press = await checked(query, context)
    if press is None:
        return
    if press.action in CONSULTATION:
        await on_restored(query, context, press, walk)
    elif press.action in VERDICT:
        await verdict_button(query, context, press)
    elif press.action in DELETE:
        await delete_typed_message(query, context, press)
    elif press.action in AGAIN:
        await on_restored(query, context, press, show_again)
    else:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)


async def checked(query: CallbackQuery, context: Context) -> Press | None:
    """What the button asks, when it is ours, its owner's and not a double tap; else None, the
    press answered (forged, stale or foreign presses get a kind alert, never a crash)."""
    deps = context.deps
    try:
        press = deps.codec.unpack(query.data)
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
        return None
    if press.state.channel == GROUP:
        if press.state.owner != deps.codec.owner_tag(query.from_user.id):
            await acknowledge(query, context, texts.NOT_YOUR_CHECK, alert=True)
            return None
        if press.action not in GROUP_ACTIONS:
            await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
            return None
    if press.action in CHANGING_ACTIONS and not deps.recent.first_time(pressed(query), query.data):
        await acknowledge(query, context)  # a double tap: the first press is being handled
        return None
    return press


def pressed(query: CallbackQuery) -> str:
    """Which message a press was made on (chat and message ids, kept only as a salted hash)."""
    message = query.message
    return str(f"{message.chat.id}:{message.message_id}" if message else query.inline_message_id)


def lost(query: CallbackQuery, context: Context) -> None:
    """Telegram lost the answer and its way back: the same button may be pressed again."""
    context.deps.recent.forget(pressed(query), query.data or "")


Act = Callable[[CallbackQuery, "Context", Press, Restored], Awaitable[None]]


async def on_restored(query: CallbackQuery, context: Context, press: Press, act: Act) -> None:
    """Rebuild the consultation the button carries, then act on it; a button from an older
    knowledge base that no longer fits offers a fresh start."""
    deps = context.deps
    try:
        restored = restore(press.state, deps.codec, deps.served, deps.knowledge)
    except StaleButtonError:
        await acknowledge(query, context)
        fresh = blank(deps.codec, deps.served, press.state.channel, press.state.owner)
        page = notice_page(texts.KB_UPDATED_RESTART, Buttons(deps.codec, fresh))
        await edit_page(context, query, page)
        return
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
        return
    try:
        await act(query, context, press, restored)
    except BadButtonError:
        await acknowledge(query, context, texts.BAD_BUTTON, alert=True)
    except LookupError:  # no rule for these answers: a gap in the knowledge base
        await acknowledge(query, context, texts.NO_RULE, alert=True)


async def walk(query: CallbackQuery, context: Context, press: Press, restored: Restored) -> None:
    """Apply one step to the consultation, show what follows, report it."""
    deps = context.deps
    state, action, argument = press.state, press.action, press.argument
    consultation = restored.consultation
    shown = consultation.current()  # what the pressed message shows (a gap: LookupError)
    channel = CHANNELS[state.channel]
    tracker = Tracker.resume(channel, consultation, shown, state.settled, MAX_BACK_STEPS)
    at_verdict = isinstance(shown, Verdict)
    show_here = query if not at_verdict else None  # a verdict stays; what follows comes below
    left: Events = ()
    if action == Action.ANSWER:
        question_id, choice_id = read_answer(state.jurisdiction, argument)
        if question_id != consultation.state:
            raise BadButtonError("not the question asked")
        outcome = consultation.answer(question_id, choice_id)
    elif action == Action.BACK:
        outcome = consultation.back()
    elif action == Action.RESTART:
        left = tracker.leave(consultation)  # no verdict reached yet: abandoned
        outcome = consultation.restart()
    elif action == Action.URGENCE:
        outcome = consultation.urgence()
        show_here = query
    elif action == Action.CHANGE:
        question_id = question_of(argument[:1])
        if question_id not in consultation.path:
            raise BadButtonError("not an answer of this consultation")
        outcome = consultation.change(question_id)
    elif action == Action.VARIANT and at_verdict:
        consultation = variant_of(shown, read_answer(state.jurisdiction, argument), restored)
        outcome = consultation.current()
    elif action == Action.START:
        consultation = Consultation(deps.served, knowledge=deps.knowledge)
        tracker = Tracker(channel, MAX_BACK_STEPS)  # a new consultation: no row yet
        outcome = consultation.current()
        show_here = query
    elif action in (Action.HELP, Action.QUESTION) and not at_verdict:
        outcome = shown
    else:
        raise BadButtonError("unknown action")
    chat_id = query.message.chat.id if query.message else query.from_user.id
    showing = present(
        context,
        chat_id,
        consultation,
        outcome,
        tracker,
        state.channel,
        state.owner,
        show_here,
        with_help=action == Action.HELP,
        earlier=left,
    )
    await answering(query, context, restored.updated, showing)


async def answering(
    query: CallbackQuery, context: Context, updated: bool, showing: Coroutine[Any, Any, bool]
) -> None:
    """Show what the press shows while answering the press, so that an answer Telegram is slow
    to take never delays what the worker waits for; when neither that nor its « 🔁 » could be
    shown, the same button may be pressed again at once."""
    answer = asyncio.create_task(acknowledge(query, context, texts.KB_UPDATED if updated else None))
    try:
        shown = await showing
    finally:
        await answer
    if not shown:
        lost(query, context)


async def show_again(
    query: CallbackQuery, context: Context, press: Press, restored: Restored
) -> None:
    """« 🔁 »: show what the button's state shows (a question, or a verdict from the part not
    delivered); the tracker resumes at that very state, so nothing is reported twice."""
    state, consultation = press.state, restored.consultation
    shown = consultation.current()  # a gap in the knowledge: LookupError
    channel = CHANNELS[state.channel]
    tracker = Tracker.resume(channel, consultation, shown, state.settled, MAX_BACK_STEPS)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    first_part = from_base36(press.argument[:1] or "0")
    showing = present(
        context,
        chat_id,
        consultation,
        shown,
        tracker,
        state.channel,
        state.owner,
        query,
        first_part=first_part,
    )
    await answering(query, context, restored.updated, showing)


def variant_of(verdict: Verdict, pick: tuple[str, str], restored: Restored) -> Consultation:
    """The consultation of one variant the verdict offers (« 🔀 Si … »); any other is refused."""
    for variant in verdict.what_if:
        if (variant.question, variant.choice) == pick:
            current = restored.consultation
            answers = dict(variant.answers)
            if "jurisdiction" in current.answers:
                answers["jurisdiction"] = current.answers["jurisdiction"]
            return Consultation(current.served, answers, current.back_steps, current.knowledge)
    raise BadButtonError("not a variant of this verdict")


async def verdict_button(query: CallbackQuery, context: Context, press: Press) -> None:
    """« Merci » is only answered; the others act on the verdict the button carries."""
    if press.action == Action.NOTHING:
        await acknowledge(query, context)
        return
    await on_restored(query, context, press, answer_verdict)


async def answer_verdict(
    query: CallbackQuery, context: Context, press: Press, restored: Restored
) -> None:
    """Feedback and 'change an answer' on a verdict: only its buttons change, never its text."""
    consultation = restored.consultation
    verdict = consultation.current()
    if not isinstance(verdict, Verdict):
        raise BadButtonError("verdict buttons on a question")
    codec, events = context.deps.codec, context.deps.events
    buttons = Buttons(codec, snapshot(consultation, codec, press.state.channel))
    tracker = Tracker(CHANNELS[press.state.channel], MAX_BACK_STEPS)
    if press.action == Action.CHANGE_MENU:
        await acknowledge(query, context, texts.CHANGE_WHICH)
        keys = change_keyboard(verdict, buttons, stage_of(press.argument))
        await edit_markup(context, query, keys)
    elif press.action == Action.VERDICT_KEYS:
        await acknowledge(query, context)
        keys = verdict_keyboard(buttons, stage_of(press.argument), verdict)
        await edit_markup(context, query, keys)
    elif press.action == Action.NOTE:
        chat_id = query.message.chat.id if query.message else query.from_user.id
        if await shown_or_transient(send_page(context, chat_id, note_page(verdict))):
            await acknowledge(query, context, texts.NOTE_SENT)
        else:  # 📝 stays under the verdict: one more tap sends it
            lost(query, context)
            await acknowledge(query, context, texts.NOTE_NOT_SENT, alert=True)
    elif press.action == Action.FEEDBACK:
        liked = press.argument == "1"
        await report(events, tracker.feedback(consultation, verdict, "up" if liked else "down"))
        await acknowledge(query, context, texts.FEEDBACK_THANKS if liked else texts.FEEDBACK_WHY)
        stage = THANKS if liked else WHY
        await edit_markup(context, query, verdict_keyboard(buttons, stage, verdict))
    else:
        index = from_base36(press.argument[:1] or "z")
        if index >= len(REASONS):
            raise BadButtonError("unknown reason")
        await report(events, tracker.reason(consultation, verdict, REASONS[index]))
        await acknowledge(query, context, texts.FEEDBACK_THANKS)
        await edit_markup(context, query, verdict_keyboard(buttons, THANKS, verdict))


def stage_of(argument: str) -> str:
    """The feedback stage a keyboard was in (ask by default)."""
    return argument if argument in (ASK, WHY, THANKS) else ASK
