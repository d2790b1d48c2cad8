"""python-telegram-bot's Application without its record of every chat and user it has seen.

After each update, PTB notes its chat id and user id in two sets, for its persistence to save
their `chat_data` and `user_data` later; only a save empties them. This bot has no persistence
(it keeps nothing per person), so nothing ever emptied them: every person who ever wrote stayed
in memory as two ids — a few hundred bytes each, for as long as the process lived (the soak run
of `docs/bot.md` found it). `StatelessApplication` notes nothing when there is no persistence.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, Job


class StatelessApplication(Application[Any, Any, Any, Any, Any, Any]):
    """An Application that, without persistence, keeps no chat or user id after an update."""

    __slots__ = ()

    def _mark_for_persistence_update(
        self, *, update: object | None = None, job: Job[Any] | None = None
    ) -> None:
        """Note the update's chat and user for the persistence — only when there is one."""
        if self.persistence is not None:
            super()._mark_for_persistence_update(update=update, job=job)
