"""Private chat: the commands of a full consultation and the reply to typed text."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import pages
from bot.codec import CHANNELS, INLINE, MAX_BACK_STEPS, PRIVATE, Action, BadButtonError, to_base36
from bot.context import Context
from bot.delivery import send_pages
from bot.present import present
from bot.render import Buttons, Page, escape
from bot.session import StaleButtonError, blank, restore
from flows import texts
from flows.consultation import Consultation
from flows.personal_data import personal_data_kinds
from flows.tracking import Tracker
from flows.words import prefilled


async def say(context: Context, chat_id: int, text: str) -> None:
    """Send one short HTML message."""
    await send_pages(context, chat_id, [Page(text)])


async def begin(
    context: Context, chat_id: int, consultation: Consultation, channel: str = PRIVATE
) -> None:
    """Post a consultation's question or verdict; a gap in the knowledge gets a kind message."""
    try:
        outcome = consultation.current()
    except LookupError:
        await say(context, chat_id, escape(texts.NO_RULE))
        return
    tracker = Tracker(CHANNELS[channel], MAX_BACK_STEPS)  # just opened: no row until an answer
    await present(context, chat_id, consultation, outcome, tracker, channel)


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
    await say(context, chat_id, welcome)
    await begin(context, chat_id, consultation, channel)


async def consult(update: Update, context: Context) -> None:
    """/consulter [mots]: a new consultation, prefilled with the answers typed after it."""
    deps = context.deps
    chat_id = update.effective_chat.id
    consultation, some_unknown = prefilled(context.args or [], deps.served, deps.knowledge)
    if some_unknown:
        law = consultation.jurisdiction.id
        await say(context, chat_id, pages.words_unknown(deps.knowledge, deps.served, law))
    await begin(context, chat_id, consultation)


async def urgence(update: Update, context: Context) -> None:
    """/urgence: the emergency card straight away (what to do now, numbers to call)."""
    deps = context.deps
    consultation = Consultation(deps.served, knowledge=deps.knowledge)
    consultation.urgence()
    await begin(context, update.effective_chat.id, consultation)


async def help_page(update: Update, context: Context) -> None:
    """/aide: how the consultation works and the commands."""
    username = escape(context.bot.username or "")
    await say(context, update.effective_chat.id, pages.HELP_PRIVATE.format(username=username))


async def sources(update: Update, context: Context) -> None:
    """/sources: the texts the rules cite, with links to the official versions."""
    deps = context.deps
    texts_pages = [Page(text) for text in pages.sources(deps.knowledge, deps.served)]
    await send_pages(context, update.effective_chat.id, texts_pages)


async def about(update: Update, context: Context) -> None:
    """/apropos: what the bot is, its promise to keep nothing, its knowledge version."""
    deps = context.deps
    await say(context, update.effective_chat.id, pages.about(deps.knowledge, deps.served))


async def typed_text(update: Update, context: Context) -> None:
    """Typed text: a reminder to use the buttons, or a warning when it looks like personal data."""
    message = update.effective_message
    buttons = Buttons(context.deps.codec, blank(context.deps.codec, context.deps.served))
    start_button = buttons.button(texts.BUTTONS["start"], Action.START)
    kinds = personal_data_kinds(message.text or message.caption or "")
    if not kinds:
        reminder = Page(escape(texts.FREE_TEXT_REMINDER), InlineKeyboardMarkup([[start_button]]))
        await send_pages(context, message.chat_id, [reminder])
        return
    named = ", ".join(texts.PERSONAL_DATA_KINDS[kind] for kind in kinds)
    delete = buttons.button(texts.BUTTONS["delete"], Action.DELETE, to_base36(message.message_id))
    warning = Page(
        escape(texts.PERSONAL_DATA_WARNING.format(kinds=named)),
        InlineKeyboardMarkup([[delete], [start_button]]),
    )
    await send_pages(context, message.chat_id, [warning])
