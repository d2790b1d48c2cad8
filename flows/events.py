"""What front ends report about a consultation: categorical values only, never who or what was said.

Telegram and the terminal build the same events here (through one `flows.tracking.Tracker`), so
that the statistics see both channels alike. Neither keeps anything per person: an event says
where the consultation stood before the press (`previous`) and where it stands now, and the
statistics recorder finds the row to continue by those values alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol

from flows.consultation import Consultation
from flows.errors import FlowError
from flows.outcome import Outcome, Verdict
from knowledge.models import Rule

Kind = Literal["progress", "completed", "abandoned", "feedback", "feedback_reason"]
Channel = Literal["private", "group", "inline", "terminal", "matrix", "matrix_room"]


def frozen(answers: Mapping[str, str]) -> Mapping[str, str]:
    """A read-only copy of categorical answers."""
    return MappingProxyType(dict(answers))


@dataclass(frozen=True)
class Previous:
    """Where a consultation stood before a press: the values of the row the press continues.

    Before any verdict it is the consultation itself (its answers and back steps): that row is
    'open'. Once a verdict was shown, it is that verdict (`rule` set): the row is the completed
    one, and it stays so while the person changes answers, until a new verdict replaces it.
    """

    jurisdiction: str
    answers: Mapping[str, str] = field(default_factory=lambda: frozen({}))
    back_steps: int = 0
    rule: str | None = None
    """The rule of the verdict already shown; None before any verdict."""

    @property
    def outcome(self) -> str:
        """'completed' when a verdict was shown (its row is continued), else 'open'."""
        return "open" if self.rule is None else "completed"


@dataclass(frozen=True)
class ConsultationEvent:
    """What happened to a consultation, with only categorical answers: never a user or chat id.

    - progress: an answer, a "back" or a change left the consultation before its verdict;
    - completed: a verdict was shown (also a new verdict after changing an answer at one);
    - abandoned: the person restarted (or, in the terminal, quit) before any verdict;
    - feedback: 👍 ("up") or 👎 ("down") on a verdict;
    - feedback_reason: the reason chosen after a 👎 (a key of `texts.FEEDBACK_REASONS`).

    `previous` is the row the event continues (None: a consultation with no row yet, such as one
    opened by a command); `stopped_at` is the question asked now, for progress and abandons.
    """

    kind: Kind
    channel: Channel
    jurisdiction: str
    kb_version: str
    answers: Mapping[str, str] = field(default_factory=lambda: frozen({}))
    back_steps: int = 0
    rule: str | None = None
    verdict: str | None = None
    debated: bool = False
    feedback: Literal["up", "down"] | None = None
    reason: str | None = None
    previous: Previous | None = None
    stopped_at: str | None = None


def rule_of(consultation: Consultation, outcome: Outcome | None = None) -> Rule | None:
    """The rule of the verdict the consultation shows, or None before it; `outcome` is what it
    shows when the caller has it (computed otherwise, at a verdict only)."""
    if not consultation.complete:
        return None
    shown = outcome if outcome is not None else consultation.current()
    return shown.rule if isinstance(shown, Verdict) else None


def settled_rule(consultation: Consultation, settled: Mapping[str, str]) -> str | None:
    """The rule of the verdict reached earlier with these answers (None if none any more)."""
    try:
        earlier = Consultation(consultation.served, settled, knowledge=consultation.knowledge)
        rule = rule_of(earlier)
    except (FlowError, LookupError):  # answers of another knowledge base, or a gap in it
        return None
    return rule.id if rule else None


def previous_of(
    consultation: Consultation,
    settled: Mapping[str, str] | None = None,
    back_cap: int | None = None,
    outcome: Outcome | None = None,
) -> Previous:
    """Where the consultation stands, as the row its next press continues.

    At a verdict: that verdict. After one (`settled` holds the answers of the verdict shown, while
    the person changes answers): still that verdict, with the back steps counted since. Before
    any verdict: the consultation itself. `back_cap` is the most back steps a front end carries;
    `outcome` what the consultation shows, when the caller has it.
    """
    back_steps = capped(consultation.back_steps, back_cap)
    jurisdiction = consultation.jurisdiction.id
    if consultation.complete:
        rule = rule_of(consultation, outcome)
        answers = frozen(consultation.answers)
        return Previous(jurisdiction, answers, back_steps, rule.id if rule else None)
    if settled is not None:
        rule_id = settled_rule(consultation, settled)
        if rule_id is not None:
            settled_in = settled.get("jurisdiction", jurisdiction)
            return Previous(settled_in, frozen(settled), back_steps, rule_id)
    return Previous(jurisdiction, frozen(consultation.answers), back_steps)


def capped(back_steps: int, cap: int | None) -> int:
    """Back steps as a front end can carry them."""
    return back_steps if cap is None else min(back_steps, cap)


def event_for(
    kind: Kind,
    consultation: Consultation,
    channel: str,
    previous: Previous | None = None,
    back_cap: int | None = None,
    outcome: Outcome | None = None,
    **details: object,
) -> ConsultationEvent:
    """An event describing this consultation (its verdict when it has one); `outcome` is what
    the consultation shows, when the caller has it."""
    rule = rule_of(consultation, outcome)
    return ConsultationEvent(
        kind=kind,
        channel=channel,  # type: ignore[arg-type]
        jurisdiction=consultation.jurisdiction.id,
        kb_version=consultation.knowledge.version,
        answers=frozen(consultation.answers),
        back_steps=capped(consultation.back_steps, back_cap),
        rule=rule.id if rule else None,
        verdict=rule.verdict if rule else None,
        debated=rule.debated if rule else False,
        previous=previous,
        stopped_at=None if consultation.complete else consultation.state,
        **details,  # type: ignore[arg-type]
    )


class ConsultationEvents(Protocol):
    """Receives events; may be sync or async. Statistics implement this."""

    def __call__(self, event: ConsultationEvent) -> Awaitable[None] | None:
        """Record one event."""
        ...


def ignore_events(event: ConsultationEvent) -> None:
    """The default receiver: statistics are off, nothing is recorded."""
