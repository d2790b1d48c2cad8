"""One worker's message or reaction, read against the state of the bot message it answers.

Pure: no Matrix I/O, so every turn is tested without a homeserver. A turn rebuilds the
consultation from the signed state of the bot's last question (or verdict), applies what was
typed — a choice's number or keycap, `r`, `n`, `a`, `u`, and at a verdict `d` or `m<N>` — and
returns the messages to send, the last one carrying the new state, with the statistics events.
Typed text that is none of these gets a reminder, or the personal-data warning (never repeated).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.codec import GROUP, PRIVATE, Action, BadButtonError, Codec, State
from bot.matrix import content as build
from bot.matrix import texts as matrix_texts
from bot.matrix.content import ANSWERS_KEY, STATE_KEY, Content
from bot.messages import StaleButtonError, restore, snapshot
from flows import texts
from flows.consultation import Consultation
from flows.events import Channel
from flows.outcome import NextQuestion, Outcome, Verdict
from flows.personal_data import personal_data_kinds
from flows.tracking import Events, Tracker
from knowledge.loader import KnowledgeBase

BACK = ("r", "retour")
RESTART = ("n", "recommencer")
HELP = ("a", "aide", "?")
URGENCE = ("u", "urgence")
NOTE = ("d", "dossier", "note")
STATS_CHANNELS: dict[str, Channel] = {PRIVATE: "matrix", GROUP: "matrix_room"}
"""The statistics channel of a direct chat and of a quick check in a room's thread."""


@dataclass(frozen=True)
class Turn:
    """What the bot sends for one message (in order) and the statistics events it makes."""

    contents: tuple[Content, ...]
    events: Events = ()


@dataclass(frozen=True)
class Turns:
    """Plays turns for one bot: its codec, knowledge and the countries it serves."""

    codec: Codec
    knowledge: KnowledgeBase
    served: tuple[str, ...]
    keycaps: tuple[str, ...] = field(default=matrix_texts.KEYCAPS)

    def read(self, packed: object) -> State | None:
        """The state a bot message carries, when it is ours and intact (else None)."""
        if not isinstance(packed, str):
            return None
        try:
            return self.codec.unpack(packed).state
        except BadButtonError:
            return None

    def opening(
        self, consultation: Consultation, channel: str = PRIVATE, owner: str = "", after: str = ""
    ) -> Turn:
        """A consultation just opened (maybe prefilled): its first question, or its verdict."""
        tracker = Tracker(STATS_CHANNELS[channel])
        try:
            outcome = consultation.current()
        except LookupError:
            return Turn((build.no_rule(),))
        return self.show(consultation, outcome, tracker, channel, owner, after)

    def urgence(self, channel: str = PRIVATE, owner: str = "", after: str = "") -> Turn:
        """What to do now, from nothing: the emergency card of every country served."""
        consultation = Consultation(self.served, knowledge=self.knowledge)
        consultation.urgence()
        return self.opening(consultation, channel, owner, after)

    def play(self, state: State, typed: str, after: str = "") -> Turn:
        """Apply what the worker typed to the consultation the state holds."""
        try:
            restored = restore(state, self.codec, self.served, self.knowledge)
        except StaleButtonError:
            fresh = Consultation(self.served, knowledge=self.knowledge)
            turn = self.opening(fresh, state.channel, state.owner, after)
            return Turn((build.notice(texts.KB_UPDATED_RESTART), *turn.contents), turn.events)
        except BadButtonError:
            return Turn((build.notice(matrix_texts.NOTHING_TO_ANSWER),))
        consultation = restored.consultation
        channel = STATS_CHANNELS[state.channel]
        outcome = consultation.current()
        tracker = Tracker.resume(channel, consultation, outcome, state.settled)
        command = typed.strip().lower()
        if command in NOTE and isinstance(outcome, Verdict):
            return Turn((build.note_message(outcome),))
        moved = self.command(consultation, outcome, tracker, command)
        if moved is None:
            return Turn((self.not_understood(outcome, typed, state.channel),))
        earlier, outcome, with_help = moved
        turn = self.show(
            consultation, outcome, tracker, state.channel, state.owner, after, with_help
        )
        note = (build.notice(texts.KB_UPDATED),) if restored.updated else ()
        return Turn((*note, *turn.contents), (*earlier, *turn.events))

    def feedback(self, state: State, reaction: str) -> Turn:
        """👍 or 👎 on a verdict: thanks, and the feedback counted on that verdict's row."""
        liked = next(
            (value for emoji, value in matrix_texts.FEEDBACK.items() if reaction.startswith(emoji)),
            None,
        )
        if liked is None:
            return Turn(())
        try:
            consultation = restore(state, self.codec, self.served, self.knowledge).consultation
        except (StaleButtonError, BadButtonError):
            return Turn(())
        outcome = consultation.current()
        if not isinstance(outcome, Verdict):
            return Turn(())
        tracker = Tracker.resume(STATS_CHANNELS[state.channel], consultation, outcome)
        event = tracker.feedback(consultation, outcome, liked)  # type: ignore[arg-type]
        return Turn((build.notice(texts.FEEDBACK_THANKS),), (event,))

    def command(
        self, consultation: Consultation, outcome: Outcome, tracker: Tracker, command: str
    ) -> tuple[Events, Outcome, bool] | None:
        """The consultation moved by one typed command: earlier events, outcome, help shown;
        None when the command means nothing here."""
        if command in BACK:
            return (), consultation.back(), False
        if command in RESTART:
            earlier = tracker.leave(consultation)
            return earlier, consultation.restart(), False
        if command in URGENCE:
            return (), consultation.urgence(), False
        if isinstance(outcome, NextQuestion):
            if command in HELP:
                return (), outcome, True
            number = self.number(command)
            if number is not None and 1 <= number <= len(outcome.choices):
                choice = outcome.choices[number - 1]
                return (), consultation.answer(outcome.question.id, choice.id), False
            return None
        digits = command[1:].strip()
        if (
            command.startswith("m")
            and digits.isdigit()
            and 1 <= int(digits) <= len(outcome.answers)
        ):
            return (), consultation.change(outcome.answers[int(digits) - 1].question_id), False
        return None

    def number(self, command: str) -> int | None:
        """A choice's number, typed or as its keycap emoji (None for anything else)."""
        if command.isdigit() and len(command) <= 2:
            return int(command)
        keycap = command.replace("\ufe0f", "")
        for index, cap in enumerate(self.keycaps, start=1):
            if keycap == cap.replace("\ufe0f", ""):
                return index
        return None

    def show(
        self,
        consultation: Consultation,
        outcome: Outcome,
        tracker: Tracker,
        channel: str,
        owner: str,
        after: str = "",
        with_help: bool = False,
    ) -> Turn:
        """The messages for an outcome, the last carrying the state; the tracker's events."""
        events = tracker.after(consultation, outcome)
        state = snapshot(consultation, self.codec, channel, owner, tracker.settled)
        in_thread = channel == GROUP
        if isinstance(outcome, NextQuestion):
            keys = matrix_texts.KEYS_THREAD if in_thread else ""
            law = consultation.jurisdiction
            contents = [build.question_message(outcome, law, with_help, keys)]
        else:
            keys = matrix_texts.KEYS_THREAD if in_thread else ""
            contents = build.verdict_messages(outcome, compact=in_thread, keys=keys)
        last = dict(contents[-1])
        last[STATE_KEY] = self.codec.pack(state, Action.QUESTION)
        if after:
            last[ANSWERS_KEY] = after
        return Turn((*contents[:-1], last), events)

    def not_understood(self, outcome: Outcome, typed: str, channel: str) -> Content:
        """A kind reminder, or the personal-data warning when the text looks like some."""
        kinds = personal_data_kinds(typed)
        if kinds:
            named = ", ".join(texts.PERSONAL_DATA_KINDS[kind] for kind in kinds)
            return build.notice(texts.PERSONAL_DATA_WARNING.format(kinds=named))
        if isinstance(outcome, NextQuestion):
            return build.notice(matrix_texts.NOT_UNDERSTOOD.format(count=len(outcome.choices)))
        keys = matrix_texts.KEYS_THREAD if channel == GROUP else matrix_texts.KEYS_VERDICT
        return build.notice(matrix_texts.NOT_UNDERSTOOD_VERDICT.format(keys=keys))
