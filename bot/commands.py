"""Commands and typed text: a full consultation in private, quick checks in team groups.

In private: /start (opened from a deep link, prefilled), /consulter and /verif (words may
follow), /urgence, /aide, /sources, /apropos, and a reply to typed text — a warning with 🗑️ when
it looks like personal data, never repeating it. In groups: /verif (a compact check only the
member who started it may press), /urgence, /aide; private commands point to a private chat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import pages
from bot.buttons import StaleButtonError, restore
from bot.calls import send_pages
from bot.codec import (
    CHANNELS,
    GROUP,
    INLINE,
    MAX_BACK_STEPS,
    PRIVATE,
    Action,
    BadButtonError,
    to_base36,
)
from bot.delivery import present
from bot.messages import blank, escape
from bot.render import Buttons, Page
from flows import texts
from flows.consultation import Consultation
from flows.personal_data import personal_data_kinds
from flows.tracking import Tracker
from flows.words import prefilled

if TYPE_CHECKING:
    from bot.app import Context


async def post(
    context: Context, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send one short HTML message."""
    await send_pages(context, chat_id, [Page(text, markup)])


async def open_consultation(
    context: Context,
    chat_id: int,
    consultation: Consultation,
    channel: str = PRIVATE,
    user_id: int | None = None,
) -> None:
    """Post a new consultation's question or verdict (in a group, only `user_id` may press its
    buttons); a gap in the knowledge gets a kind message."""
    try:
        outcome = consultation.current()
    except LookupError:
        await post(context, chat_id, escape(texts.NO_RULE))
        return
    owner = context.deps.codec.owner_tag(user_id) if user_id is not None else ""
    tracker = Tracker(CHANNELS[channel], MAX_BACK_STEPS)  # just opened: no row until an answer
    await present(context, chat_id, consultation, outcome, tracker, channel, owner)


async def start(update: Update, context: Context) -> None:
    """/start: welcome, then a consultation, prefilled when opened from a deep link."""
    deps = context.deps
    chat_id = update.effective_chat.id
    consultation = Consultation(deps.served, knowledge=deps.knowledge)
    channel, note = PRIVATE, ""
    if context.args:
        try:
            state = deps.codec.read_payload(context.args[0])
            restored = restore(state, deps.codec, deps.served, deps.knowledge)
            consultation = restored.consultation
            channel = INLINE if state.channel == INLINE else PRIVATE
            note = texts.KB_UPDATED if restored.updated else ""
        except BadButtonError:
            note = pages.BAD_LINK
        except StaleButtonError:
            note = texts.KB_UPDATED_RESTART
    welcome = pages.WELCOME + (f"\n\n<i>{escape(note)}</i>" if note else "")
    await post(context, chat_id, welcome)
    await open_consultation(context, chat_id, consultation, channel)


async def consult(update: Update, context: Context) -> None:
    """/consulter [mots] (or /verif in private): a new consultation, prefilled with the words."""
    deps = context.deps
    chat_id = update.effective_chat.id
    consultation, some_unknown = prefilled(context.args or [], deps.served, deps.knowledge)
    if some_unknown:  # say so, then start with what was understood
        law = consultation.jurisdiction.id
        await post(context, chat_id, pages.words_unknown(deps.knowledge, deps.served, law))
    await open_consultation(context, chat_id, consultation)


async def urgence(update: Update, context: Context) -> None:
    """/urgence: the emergency card straight away (what to do now, numbers to call)."""
    deps = context.deps
    consultation = Consultation(deps.served, knowledge=deps.knowledge)
    consultation.urgence()
    await open_consultation(context, update.effective_chat.id, consultation)


async def help_page(update: Update, context: Context) -> None:
    """/aide: how the consultation works and the commands."""
    username = escape(context.bot.username or "")
    await post(context, update.effective_chat.id, pages.HELP_PRIVATE.format(username=username))


async def sources(update: Update, context: Context) -> None:
    """/sources: the texts the rules cite, with links to the official versions."""
    deps = context.deps
    texts_pages = [Page(text) for text in pages.sources(deps.knowledge, deps.served)]
    await send_pages(context, update.effective_chat.id, texts_pages)


async def about(update: Update, context: Context) -> None:
    """/apropos: what the bot is, its promise to keep nothing, its knowledge version."""
    deps = context.deps
    await post(context, update.effective_chat.id, pages.about(deps.knowledge, deps.served))


async def typed_text(update: Update, context: Context) -> None:
    """Typed text: a reminder to use the buttons, or a warning when it looks like personal data."""
    message = update.effective_message
    buttons = Buttons(context.deps.codec, blank(context.deps.codec, context.deps.served))
    start_button = buttons.button(texts.BUTTONS["start"], Action.START)
    kinds = personal_data_kinds(message.text or message.caption or "")
    if not kinds:
        reminder = InlineKeyboardMarkup([[start_button]])
        await post(context, message.chat_id, escape(texts.FREE_TEXT_REMINDER), reminder)
        return
    named = ", ".join(texts.PERSONAL_DATA_KINDS[kind] for kind in kinds)
    delete = buttons.button(texts.BUTTONS["delete"], Action.DELETE, to_base36(message.message_id))
    warning = escape(texts.PERSONAL_DATA_WARNING.format(kinds=named))
    await post(context, message.chat_id, warning, InlineKeyboardMarkup([[delete], [start_button]]))


async def verif(update: Update, context: Context) -> None:
    """/verif [mots] in a group: a compact consultation in one message, prefilled with the words."""
    deps = context.deps
    chat_id = update.effective_chat.id
    consultation, some_unknown = prefilled(context.args or [], deps.served, deps.knowledge)
    if some_unknown:  # say so, then start with what was understood (as /consulter does)
        law = consultation.jurisdiction.id
        await post(context, chat_id, pages.words_unknown(deps.knowledge, deps.served, law))
    await open_consultation(context, chat_id, consultation, GROUP, update.effective_user.id)


async def group_urgence(update: Update, context: Context) -> None:
    """/urgence in a group: the emergency card, posted for the team."""
    deps = context.deps
    consultation = Consultation(deps.served, knowledge=deps.knowledge)
    consultation.urgence()
    chat_id, user_id = update.effective_chat.id, update.effective_user.id
    await open_consultation(context, chat_id, consultation, GROUP, user_id)


async def group_help(update: Update, context: Context) -> None:
    """/aide in a group: how quick checks work."""
    await post(context, update.effective_chat.id, pages.HELP_GROUP)


async def private_only(update: Update, context: Context) -> None:
    """A private-chat command used in a group: point to /verif and to a private chat."""
    markup = None
    try:
        link = f"https://t.me/{context.bot.username}"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTONS["full"], url=link)]])
    except RuntimeError:  # pragma: no cover - the bot is always initialised when handling
        pass
    await post(context, update.effective_chat.id, escape(pages.PRIVATE_ONLY), markup)
