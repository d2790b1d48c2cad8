"""What every handler needs, reached through a typed context (no per-user or per-chat data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.codec import Codec
from bot.events import ConsultationEvents
from bot.presses import RecentPresses
from flows.situations import Answer
from knowledge.loader import KnowledgeBase

DEPS_KEY = "chaisevide"


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


class Context(CallbackContext[ExtBot[None], dict, dict, dict]):
    """The context of one update; `answered` records whether its button press was answered."""

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
