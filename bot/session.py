"""A consultation rebuilt from what a button carries, and the state a button should carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.codec import PRIVATE, BadButtonError, Codec, State
from flows.consultation import Consultation
from flows.errors import FlowError
from knowledge.loader import KnowledgeBase


class StaleButtonError(Exception):
    """The knowledge base changed since the button was sent and its answers no longer fit."""


@dataclass(frozen=True)
class Restored:
    """A consultation rebuilt from a button, and whether the knowledge changed meanwhile."""

    consultation: Consultation
    updated: bool


def restore(state: State, codec: Codec, served: tuple[str, ...], kb: KnowledgeBase) -> Restored:
    """Rebuild the consultation a button belongs to, replaying its answers on today's base."""
    updated = state.kb != codec.kb
    try:
        consultation = Consultation(served, state.answers, state.back_steps, kb)
    except FlowError:
        if updated:
            raise StaleButtonError from None
        raise BadButtonError("answers do not fit this consultation") from None
    if consultation.jurisdiction.id != state.jurisdiction:
        raise StaleButtonError  # the instance now serves other countries
    return Restored(consultation, updated)


def snapshot(
    consultation: Consultation,
    codec: Codec,
    channel: str,
    owner: str = "",
    settled: Mapping[str, str] | None = None,
) -> State:
    """The state a button of this consultation carries.

    While the person changes an answer after a verdict, the question buttons also carry that
    verdict's answers (`settled`, from the tracker), so that the next verdict replaces its row.
    """
    return State(
        kb=codec.kb,
        jurisdiction=consultation.jurisdiction.id,
        answers=dict(consultation.answers),
        back_steps=consultation.back_steps,
        channel=channel,
        owner=owner,
        settled=dict(settled) if settled is not None else None,
    )


def blank(codec: Codec, served: tuple[str, ...], channel: str = PRIVATE, owner: str = "") -> State:
    """The state of a consultation not started yet (a 'start' button carries it)."""
    return State(codec.kb, served[0], {}, 0, channel, owner)
