"""Which statistics row a consultation continues, and what each press reports: one `Tracker` for
Telegram and the terminal.

A tracker knows where the consultation stood before a press (`row`, the values of the row the
press continues) and, after it, says what to report: progress before a verdict, completed at one,
abandoned when the person restarts or leaves before any verdict. While an answer is being
changed after a verdict, the row stays that verdict's (`settled` holds its answers).

The terminal keeps one tracker for a whole session. Telegram keeps nothing between presses: it
rebuilds a tracker from what the pressed button carries (`Tracker.resume` with the button's
answers and settled answers) and puts `tracker.settled` into the next buttons. Both get the same
events from the same presses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from flows.consultation import Consultation
from flows.events import (
    Channel,
    ConsultationEvent,
    Kind,
    Previous,
    capped,
    event_for,
    previous_of,
)
from flows.outcome import Outcome, Verdict

Events = tuple[ConsultationEvent, ...]


@dataclass
class Tracker:
    """The statistics row of one consultation, followed press after press.

    Built bare (`Tracker(channel)`) it follows a consultation just opened, which has no row until
    it has an answer; `Tracker.resume` follows one already under way.
    """

    channel: Channel
    back_cap: int | None = None
    """The most back steps the front end carries (Telegram's buttons: 35)."""
    row: Previous | None = None
    """The row the next press continues; None for a consultation just opened."""
    settled: Mapping[str, str] | None = None
    """The answers of the verdict shown, while one of them is being changed (None otherwise):
    Telegram's next buttons carry them, so that the next verdict replaces that verdict's row."""
    answers: dict[str, str] = field(default_factory=dict)
    """The answers before the press, to tell whether it moved the consultation."""
    back_steps: int = 0
    """The back steps before the press."""

    @classmethod
    def resume(
        cls,
        channel: Channel,
        consultation: Consultation,
        outcome: Outcome | None = None,
        settled: Mapping[str, str] | None = None,
        back_cap: int | None = None,
    ) -> Tracker:
        """Follow a consultation as it stands before a press: `outcome` is what it shows (needed
        at a verdict, computed when not given), `settled` what Telegram's button carries."""
        row = previous_of(consultation, settled, back_cap, outcome)
        tracker = cls(channel, back_cap)
        changing = row.rule is not None and not consultation.complete  # a verdict's row still
        tracker.follow(consultation, row, changing)
        return tracker

    def after(self, consultation: Consultation, outcome: Outcome) -> Events:
        """What a press reports, now that the consultation shows `outcome`; then follow it.

        Nothing when the press moved nothing (help, a double tap); completed at a verdict;
        progress before one — except for a consultation just opened with no answer yet.
        """
        previous = self.row
        moved = (
            previous is None
            or dict(consultation.answers) != self.answers
            or consultation.back_steps != self.back_steps
        )
        verdict = outcome if isinstance(outcome, Verdict) else None
        events: Events = ()
        if moved and verdict is not None:
            events = (self.event("completed", consultation, previous, verdict),)
        elif moved and (previous is not None or consultation.answers):
            events = (self.event("progress", consultation, previous, None),)
        if previous is not None and previous.rule is not None and verdict is None:
            back_steps = capped(consultation.back_steps, self.back_cap)  # changing at a verdict:
            row = Previous(previous.jurisdiction, previous.answers, back_steps, previous.rule)
            self.follow(consultation, row, changing=True)  # still that verdict's row
        else:
            row = previous_of(consultation, None, self.back_cap, outcome)
            self.follow(consultation, row, changing=False)
        return events

    def leave(self, consultation: Consultation) -> Events:
        """Restarting or leaving: abandoned when no verdict was reached; what follows (a new
        consultation) has no row until it has an answer."""
        previous = self.row
        events: Events = ()
        if previous is not None and previous.rule is None and consultation.answers:
            events = (self.event("abandoned", consultation, previous, None),)
        self.row, self.settled = None, None
        return events

    def feedback(
        self, consultation: Consultation, verdict: Verdict, liked: Literal["up", "down"]
    ) -> ConsultationEvent:
        """👍 ("up") or 👎 ("down") on the verdict shown."""
        return self.event("feedback", consultation, None, verdict, feedback=liked)

    def reason(
        self, consultation: Consultation, verdict: Verdict, reason: str
    ) -> ConsultationEvent:
        """The reason given after a 👎 (a key of `texts.FEEDBACK_REASONS`)."""
        return self.event("feedback_reason", consultation, None, verdict, reason=reason)

    def event(
        self,
        kind: Kind,
        consultation: Consultation,
        previous: Previous | None,
        verdict: Verdict | None,
        **details: object,
    ) -> ConsultationEvent:
        """An event of this channel about the consultation as it stands (its verdict, if any)."""
        return event_for(
            kind, consultation, self.channel, previous, self.back_cap, verdict, **details
        )

    def follow(self, consultation: Consultation, row: Previous, changing: bool) -> None:
        """Note where the consultation stands: the row its next press continues."""
        self.row = row
        self.settled = dict(row.answers) if changing else None
        self.answers = dict(consultation.answers)
        self.back_steps = consultation.back_steps
