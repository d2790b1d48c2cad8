"""Show where a consultation stands: the question (edited or sent) or the verdict (sent)."""

from __future__ import annotations

from telegram import CallbackQuery

from bot.codec import CHANNELS, GROUP, MAX_BACK_STEPS, PRIVATE, State
from bot.context import Context
from bot.delivery import edit_page, send_pages
from bot.events import Previous, event_for, report
from bot.render import Buttons, done_page, group_question_page, question_page
from bot.session import snapshot
from bot.verdict import group_verdict_pages, verdict_pages
from flows.consultation import Consultation
from flows.outcome import NextQuestion


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
    channel: str = PRIVATE,
    owner: str = "",
    query: CallbackQuery | None = None,
    with_help: bool = False,
    previous: Previous | None = None,
    changed: bool = True,
) -> None:
    """Show the current question (editing the pressed message when there is one) or the verdict.

    Then report it: a verdict is a completed consultation; a question after a press that changed
    something (`changed`) is progress, from `previous` (where the consultation stood before the
    press; None for a consultation just opened, which needs no row until it has an answer).
    """
    outcome = consultation.current()  # a gap in the knowledge raises LookupError here
    codec = context.deps.codec
    state = snapshot(consultation, codec, channel, owner, previous)
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
        if changed and (previous is not None or consultation.answers):
            progress = event_for(
                "progress", consultation, CHANNELS[channel], previous, MAX_BACK_STEPS
            )
            await report(context.deps.events, progress)
        return
    if channel == GROUP:
        pages = group_verdict_pages(outcome, deep_link(context, state))
    else:
        pages = verdict_pages(outcome, buttons)
    if query is not None:  # the question message becomes a recap; the verdict comes below it
        await edit_page(query, done_page(outcome.answers, compact=channel == GROUP))
    await send_pages(context, chat_id, pages)
    completed = event_for("completed", consultation, CHANNELS[channel], previous, MAX_BACK_STEPS)
    await report(context.deps.events, completed)
