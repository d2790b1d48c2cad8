"""Show where a consultation stands: the question (edited or sent) or the verdict (sent)."""

from __future__ import annotations

from telegram import CallbackQuery

from bot.codec import GROUP, PRIVATE, State
from bot.context import Context
from bot.delivery import edit_page, send_pages
from bot.events import report
from bot.render import Buttons, done_page, group_question_page, question_page
from bot.session import snapshot
from bot.verdict import group_verdict_pages, verdict_pages
from flows.consultation import Consultation
from flows.outcome import NextQuestion, Outcome
from flows.tracking import Tracker


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
