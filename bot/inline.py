"""Inline mode: `@bot police` offers cards for common situations; the query is never kept."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)

from bot import pages
from bot.codec import INLINE, State
from bot.delivery import report
from bot.retry import with_retry
from flows import texts
from flows.events import ConsultationEvent
from flows.situations import Answer, matching
from flows.words import normalize, parse_words

if TYPE_CHECKING:
    from bot.app import Context

CACHE_SECONDS = 300
"""The cards are the same for everyone: Telegram may cache them (nothing personal in them)."""


def card_link(context: Context, item: Answer) -> str:
    """The deep link opening the full consultation in private, with the situation's answers."""
    deps = context.deps
    answers = dict(item.situation.answers)
    if len(deps.served) > 1:
        answers["jurisdiction"] = item.jurisdiction
    state = State(deps.codec.kb, item.jurisdiction, answers, 0, INLINE)
    return f"https://t.me/{context.bot.username}?start={deps.codec.payload(state)}"


def result(context: Context, item: Answer) -> InlineQueryResultArticle:
    """One inline card: the situation, its verdict from the flows, a button to the full one."""
    law = context.deps.knowledge.get(item.jurisdiction)
    short, text = pages.inline_card(item, law.disclaimer)
    button = InlineKeyboardButton(texts.BUTTONS["full"], url=card_link(context, item))
    return InlineQueryResultArticle(
        id=f"{item.jurisdiction}-{item.situation.id}",
        title=item.situation.title,
        description=short,
        input_message_content=InputTextMessageContent(text),
        reply_markup=InlineKeyboardMarkup([[button]]),
    )


async def on_inline_query(update: Update, context: Context) -> None:
    """Answer `@bot <words>` with the matching situation cards (all of them for no words)."""
    query = update.inline_query
    deps = context.deps
    words = [normalize(word) for word in query.query.split()][:12]
    jurisdiction = parse_words(words, deps.served, deps.knowledge).answers.get(
        "jurisdiction", deps.served[0]
    )
    found = matching(deps.situations.get(jurisdiction, ()), words)
    results = [result(context, item) for item in found]
    await with_retry(
        context.deps.retry,
        "answerInlineQuery",
        lambda timeout: query.answer(
            results, cache_time=CACHE_SECONDS, is_personal=False, read_timeout=timeout
        ),
    )


async def on_chosen_card(update: Update, context: Context) -> None:
    """A card was posted (when inline feedback is on): report it as an inline consultation."""
    chosen = update.chosen_inline_result
    deps = context.deps
    jurisdiction, _, situation_id = chosen.result_id.partition("-")
    for item in deps.situations.get(jurisdiction, ()):
        if item.situation.id == situation_id:
            rule = item.rules[0] if len(item.headlines) == 1 else None
            event = ConsultationEvent(
                kind="completed",
                channel="inline",
                jurisdiction=jurisdiction,
                kb_version=deps.knowledge.version,
                answers=MappingProxyType(dict(item.situation.answers)),
                rule=rule.id if rule and len(item.rules) == 1 else None,
                verdict=rule.verdict if rule else None,
                debated=bool(rule and rule.debated),
            )
            await report(deps.events, event)
            return
