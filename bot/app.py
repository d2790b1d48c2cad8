"""The Telegram application: its typed context, every handler wired in match order, polling or
webhook; nothing kept per person.

As in python-telegram-bot's `contexttypesbot.py`, every handler receives a `Context` whose `deps`
are the process-wide tools (codec, knowledge, statistics receiver, inline cards); `add_handlers`
wires every handler in the order updates are matched — button presses by the action char their
callback data starts with.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackContext,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import buttons, commands, inline, webhook
from bot.buttons import RecentPresses
from bot.codec import Codec
from bot.delivery import on_error, step
from bot.logs import configure_logging, quiet_libraries
from bot.retry import PRODUCTION, RetryPolicy
from bot.stateless import StatelessApplication
from bot.stats_command import register as register_stats
from flows.config import Settings
from flows.events import ConsultationEvents, ignore_events
from flows.situations import Answer, catalogue
from knowledge.loader import KnowledgeBase, load_knowledge
from stats.recorder import start_recorder

EXIT_BROKEN = 3
ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "chosen_inline_result"]
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_LIMITER: Any = object()
DEPS_KEY = "chaisevide"
log = logging.getLogger("bot")
PRIVATE_COMMANDS = (
    BotCommand("start", "Commencer"),
    BotCommand("consulter", "Nouvelle consultation"),
    BotCommand("urgence", "Péril : que faire maintenant"),
    BotCommand("aide", "Comment ça marche"),
    BotCommand("sources", "Les textes de loi"),
    BotCommand("apropos", "Ce que fait ce bot, ce qu'il garde (rien)"),
)
GROUP_COMMANDS = (
    BotCommand("verif", "Vérification rapide, ex. /verif police refus"),
    BotCommand("urgence", "Péril : que faire maintenant"),
    BotCommand("aide", "Comment ça marche dans un groupe"),
)


@dataclass(frozen=True)
class Deps:
    """The process-wide tools of the bot: codec, knowledge, countries served, event receiver."""

    codec: Codec
    knowledge: KnowledgeBase
    served: tuple[str, ...]
    events: ConsultationEvents
    situations: dict[str, tuple[Answer, ...]]
    """Inline cards per country, computed once from the flows at start-up."""
    recent: RecentPresses = field(default_factory=RecentPresses)
    """Presses just handled (salted hashes, a few seconds): double taps are ignored."""
    retry: RetryPolicy = PRODUCTION
    """How hard each Bot API call is tried (`bot/retry.py`): 3 tries within 10 s by default."""


class Context(CallbackContext[ExtBot[None], dict, dict, dict]):
    """The context of one update; `answered` records whether its button press was answered.

    No per-user or per-chat data: `user_data` and `chat_data` stay empty (a test checks it).
    """

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self.answered = False

    @property
    def deps(self) -> Deps:
        """The bot's tools (set once by `build_application`)."""
        return self.bot_data[DEPS_KEY]


@dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for each part of a Bot API call, and for a long poll."""

    connect: float = 5.0
    read: float = 10.0
    write: float = 10.0
    pool: float = 5.0
    long_poll: int = 30


def leading(actions: tuple[str, ...]) -> re.Pattern[str]:
    """Callback data starting with one of these action chars (format 2 leads with its action)."""
    return re.compile(f"^[{''.join(re.escape(action) for action in actions)}]")


def add_handlers(application: Application) -> None:
    """Wire every handler, in the order updates are matched (`/stats`, when statistics are on,
    runs before all of them: `bot/stats_command.py`)."""
    private_chat = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handlers(
        [
            CommandHandler("start", step(commands.start), filters=private_chat),
            CommandHandler(["consulter", "verif"], step(commands.consult), filters=private_chat),
            CommandHandler("urgence", step(commands.urgence), filters=private_chat),
            CommandHandler("aide", step(commands.help_page), filters=private_chat),
            CommandHandler("sources", step(commands.sources), filters=private_chat),
            CommandHandler("apropos", step(commands.about), filters=private_chat),
            CommandHandler("verif", step(commands.verif), filters=groups),
            CommandHandler("urgence", step(commands.group_urgence), filters=groups),
            CommandHandler("aide", step(commands.group_help), filters=groups),
            CommandHandler(
                ["start", "consulter", "sources", "apropos"],
                step(commands.private_only),
                filters=groups,
            ),
            CallbackQueryHandler(
                step(buttons.on_consultation_button), pattern=leading(buttons.CONSULTATION)
            ),
            CallbackQueryHandler(step(buttons.on_verdict_button), pattern=leading(buttons.VERDICT)),
            CallbackQueryHandler(step(buttons.on_delete_button), pattern=leading(buttons.DELETE)),
            CallbackQueryHandler(step(buttons.on_again_button), pattern=leading(buttons.AGAIN)),
            CallbackQueryHandler(step(buttons.on_other_button)),  # format 1, forged, unknown
            InlineQueryHandler(step(inline.on_inline_query)),
            ChosenInlineResultHandler(step(inline.on_chosen_card)),
            MessageHandler(private_chat, step(commands.typed_text)),  # text, photos, unknown /x
        ]
    )
    application.add_error_handler(on_error)


async def register_commands(application: Application) -> None:
    """Publish the French command menus for private chats and for groups (at start-up)."""
    bot = application.bot
    try:
        await bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
        await bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    except TelegramError as error:  # the menus are a comfort: start anyway
        log.warning("step=register_commands error=%s", type(error).__name__)


def build_application(
    settings: Settings,
    knowledge: KnowledgeBase | None = None,
    events: ConsultationEvents = ignore_events,
    timeouts: Timeouts = Timeouts(),
    rate_limiter: BaseRateLimiter | None = DEFAULT_LIMITER,
    retry: RetryPolicy = PRODUCTION,
) -> Application:
    """The bot, ready to initialise: handlers, rate limiter, timeouts, retries, the Bot API URL."""
    if not settings.token:
        raise ValueError("a bot token is required")
    # Opt in to PTB's timedelta time periods: otherwise building a RetryAfter (Telegram's flood
    # control) emits a deprecation warning, which `-W error` turns into a lost button press.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    quiet_libraries((settings.token,))
    kb = knowledge or load_knowledge()
    builder = (
        ApplicationBuilder()
        .application_class(StatelessApplication)  # no chat or user id kept after an update
        .token(settings.token)
        .context_types(ContextTypes(context=Context))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            AIORateLimiter(max_retries=3) if rate_limiter is DEFAULT_LIMITER else rate_limiter
        )
        .connect_timeout(timeouts.connect)
        .read_timeout(timeouts.read)
        .write_timeout(timeouts.write)
        .pool_timeout(timeouts.pool)
        .get_updates_read_timeout(timeouts.read)
        .concurrent_updates(64)
        .job_queue(None)
        .post_init(register_commands)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
    application = builder.build()
    application.bot_data[DEPS_KEY] = Deps(
        codec=Codec(settings.token, kb.version),
        knowledge=kb,
        served=settings.jurisdictions,
        events=events,
        situations=catalogue(kb, settings.jurisdictions),
        retry=replace(retry, try_timeout=min(retry.try_timeout, timeouts.read)),
    )
    add_handlers(application)
    quiet_libraries((settings.token,))  # again: the Bot's own loggers exist only now
    return application


def refuse(message: str) -> int:
    """Print why the bot cannot start, in French, and return the 'broken setup' status."""
    print(message, file=sys.stderr)
    return EXIT_BROKEN


def run(settings: Settings, events: ConsultationEvents = ignore_events) -> int:
    """Run the bot until stopped: webhook when CHAISEVIDE_WEBHOOK_URL is set, polling otherwise."""
    if not settings.token:
        return refuse(
            "Aucun jeton Telegram : définissez TELEGRAM_BOT_TOKEN.\n"
            "Pour consulter sans Telegram : chaisevide chat"
        )
    if settings.webhook_url and not settings.webhook_secret:
        return refuse(
            "Mode webhook : CHAISEVIDE_WEBHOOK_SECRET est obligatoire (sans lui, n'importe qui "
            "pourrait envoyer de fausses mises à jour). Choisissez 32 caractères ou plus parmi "
            "A-Z, a-z, 0-9, _ et -."
        )
    if settings.webhook_secret and not SECRET_PATTERN.match(settings.webhook_secret):
        return refuse(
            "CHAISEVIDE_WEBHOOK_SECRET ne peut contenir que A-Z, a-z, 0-9, _ et - "
            "(256 caractères au plus)."
        )
    configure_logging(settings.token)
    recorder = start_recorder(settings) if events is ignore_events else None
    application = build_application(settings, events=recorder or events)
    if recorder is not None:
        register_stats(application, settings, recorder)
    try:
        if settings.webhook_url:
            asyncio.run(webhook.serve(application, settings, ALLOWED_UPDATES))
        else:
            log.info("Chaise vide: polling mode")
            # SIGINT and SIGTERM stop polling gracefully (PTB's default stop signals).
            application.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=Timeouts().long_poll)
    except InvalidToken:
        return refuse(
            "Telegram refuse ce jeton : vérifiez TELEGRAM_BOT_TOKEN (donné par @BotFather)."
        )
    except TelegramError as error:
        return refuse(
            f"Telegram ne répond pas au démarrage ({type(error).__name__}). Vérifiez la connexion "
            "de cette machine (ou TELEGRAM_API_BASE_URL), puis relancez ; « chaisevide doctor » "
            "aide à trouver la cause."
        )
    except OSError as error:
        return refuse(
            f"Impossible d'écouter sur {settings.listen}:{settings.port} "
            f"({type(error).__name__}) : le port est peut-être déjà pris. "
            "Changez CHAISEVIDE_PORT ou arrêtez l'autre service."
        )
    finally:
        if recorder is not None:
            recorder.close(timeout=5)  # pending statistics are written before exiting
    return 0
