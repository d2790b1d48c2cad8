"""A worker's side of a Matrix consultation: read the question, answer it, reach the verdict."""

from __future__ import annotations

from typing import Any

from bot.matrix.content import STATE_KEY
from bot.matrix.texts import KEYCAPS
from knowledge.loader import load_knowledge
from knowledge.models import Question
from tests.matrix.people import Person, Received

MAX_STEPS = 15


def body(event: Received) -> str:
    """The plain body of a message ("" for anything else)."""
    return str(getattr(event, "body", "") or "")


def content(event: Received) -> dict[str, Any]:
    """The (decrypted) content of an event."""
    return dict(getattr(event, "source", {}).get("content", {}) or {})


def from_bot(bot_user_id: str, thread: str = "") -> Any:
    """A predicate: a message of the bot carrying a consultation state (in the thread given)."""

    def matches(event: Received) -> bool:
        relates = content(event).get("m.relates_to") or {}
        in_thread = relates.get("event_id", "") if relates.get("rel_type") == "m.thread" else ""
        return event.sender == bot_user_id and STATE_KEY in content(event) and in_thread == thread

    return matches


def said(bot_user_id: str, piece: str) -> Any:
    """A predicate: a message of the bot whose body contains the piece."""
    return lambda event: event.sender == bot_user_id and piece in body(event)


def question_shown(text: str) -> Question | None:
    """The question a bot message asks (None at a verdict)."""
    kb = load_knowledge()
    candidates = [kb.jurisdiction_question]
    for country in ("fr", "be"):
        candidates += list(kb.get(country).questions)
    for question in candidates:
        if f"— {question.text}" in text:
            return question
    return None


def number_of(text: str, label: str) -> int:
    """The number of the line `N. label` in a question's body."""
    for line in text.splitlines():
        number, _, rest = line.partition(". ")
        if number.isdigit() and rest == label:
            return int(number)
    raise AssertionError(f"no line for {label!r} in:\n{text}")


async def answer_until_verdict(
    worker: Person,
    room_id: str,
    bot_user_id: str,
    answers: dict[str, str],
    by_reaction: bool = False,
    thread: str = "",
    first: Received | None = None,
) -> Received:
    """Answer each question the bot asks (typed number or keycap) until its verdict."""
    event = first or await worker.wait_for(room_id, from_bot(bot_user_id, thread))
    for _ in range(MAX_STEPS):
        question = question_shown(body(event))
        if question is None:
            return event
        choice = question.choice(answers[question.id])
        assert choice is not None, (question.id, answers[question.id])
        number = number_of(body(event), choice.label)
        if by_reaction:
            await worker.react(room_id, event.event_id, KEYCAPS[number - 1])
        else:
            await worker.send_text(room_id, str(number), thread or None)
        event = await worker.wait_for(room_id, from_bot(bot_user_id, thread))
    raise AssertionError(f"no verdict after {MAX_STEPS} answers")
