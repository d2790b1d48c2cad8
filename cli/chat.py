"""`chaisevide chat`: the consultation in the terminal, with the same texts as the bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.card import build_card, card_text, question_text
from flows.consultation import Consultation
from flows.errors import FlowError
from flows.events import ConsultationEvent
from flows.file_note import file_note
from flows.outcome import NextQuestion, Outcome
from flows.tracking import Tracker

if TYPE_CHECKING:
    from stats.recorder import StatsRecorder

WELCOME = (
    "Chaise vide — secret professionnel et partage d'informations.\n"
    "Je vous pose quelques questions, puis je vous donne la règle qui s'applique et ses sources.\n"
    "Ne donnez jamais de nom ni de détail qui permette de reconnaître quelqu'un : je n'en ai pas "
    "besoin.\n"
)
KEYS_QUESTION = (
    "Tapez le numéro d'un choix · r retour · n recommencer · a aide · u urgence · q quitter"
)
KEYS_VERDICT = (
    "m + numéro pour modifier une réponse (ex. m3) · d note pour le dossier · r retour · "
    "n recommencer · q quitter"
)
NOTE = ("d", "dossier", "note")
GOODBYE = "Au revoir. Prenez soin de vous."
INTERRUPTED = "Consultation interrompue. Au revoir."
EXIT_INTERRUPTED = 130
QUIT = ("q", "quitter")
RESTART = ("n", "recommencer")
CLOSE_SECONDS = 1.0
"""At most this long is spent writing statistics when the chat ends (broken file or not)."""


@dataclass
class Recording:
    """What the terminal reports: the same events as Telegram, through the same recorder.

    One `Tracker` (flows/tracking.py) follows the session: progress at each answer, "back" or
    change before a verdict; completed at each verdict (a new verdict after a change replaces
    the row of the previous one); abandoned when the person quits or restarts before any verdict.
    """

    recorder: StatsRecorder | None
    tracker: Tracker | None = None

    def follow(self, consultation: Consultation) -> Tracker:
        """The session's tracker, started where the consultation stands at the first line."""
        if self.tracker is None:
            self.tracker = Tracker.resume("terminal", consultation)
        return self.tracker

    def leave(self, consultation: Consultation) -> None:
        """Quitting or restarting with answers and no verdict yet is an abandoned consultation."""
        self.report(self.follow(consultation).leave(consultation))

    def report(self, events: tuple[ConsultationEvent, ...]) -> None:
        """Hand the events to the recorder, which never raises."""
        if self.recorder is not None:
            for event in events:
                self.recorder(event)

    def close(self) -> None:
        """Write what is queued, waiting at most CLOSE_SECONDS."""
        if self.recorder is not None:
            self.recorder.close(CLOSE_SECONDS)


def help_text(consultation: Consultation, outcome: NextQuestion) -> str:
    """The help of the current question: its explanation, its choices' notes and glossary."""
    question = outcome.question
    lines = [f"❓ {question.text}", question.help]
    lines += [f"  • {c.label} : {c.help}" for c in question.choices if c.help]
    for term_id in question.glossary:
        term = consultation.jurisdiction.term(term_id)
        if term:
            lines.append(f"📖 {term.term} — {term.definition}")
    return "\n".join(lines)


def show(outcome: Outcome) -> str:
    """What the terminal prints for an outcome."""
    if isinstance(outcome, NextQuestion):
        return f"{question_text(outcome)}\n{KEYS_QUESTION}"
    return f"{card_text(build_card(outcome))}\n\n{KEYS_VERDICT}"


def handle(consultation: Consultation, outcome: Outcome, command: str) -> tuple[str, Outcome]:
    """Apply one typed command to the consultation showing `outcome`; return what to print and
    what it shows now."""
    if command in ("r", "retour"):
        return shown(consultation.back())
    if command in RESTART:
        return shown(consultation.restart())
    if command in ("u", "urgence"):
        return shown(consultation.urgence())
    if isinstance(outcome, NextQuestion):
        if command in ("a", "aide", "?"):
            return f"{help_text(consultation, outcome)}\n\n{show(outcome)}", outcome
        count = len(outcome.choices)
        if command.isdigit() and 1 <= int(command) <= count:
            choice = outcome.choices[int(command) - 1]
            return shown(consultation.answer(outcome.question.id, choice.id))
        return f"Je n'ai pas compris. Tapez un numéro de 1 à {count}, ou a pour l'aide.", outcome
    if command in NOTE:
        return f"{file_note(outcome)}\n\n{KEYS_VERDICT}", outcome
    number = command[1:].strip()
    if command.startswith("m") and number.isdigit() and 1 <= int(number) <= len(outcome.answers):
        question_id = outcome.answers[int(number) - 1].question_id
        return shown(consultation.change(question_id))
    return f"Je n'ai pas compris. {KEYS_VERDICT}", outcome


def shown(outcome: Outcome) -> tuple[str, Outcome]:
    """What to print for an outcome, and the outcome."""
    return show(outcome), outcome


def converse(
    consultation: Consultation,
    read: Callable[[str], str],
    recording: Recording,
    outcome: Outcome | None = None,
) -> int:
    """Read lines and answer them until the person quits; each ending is recorded.

    `outcome` is what the consultation shows when the conversation starts (computed if not given).
    """
    tracker = recording.follow(consultation)
    outcome = outcome or consultation.current()
    while True:
        command = read("> ").strip().lower()
        if command in QUIT:
            recording.leave(consultation)
            print(GOODBYE)
            return 0
        if command in RESTART:
            recording.leave(consultation)  # the new consultation has no row until an answer
        reply, outcome = handle(consultation, outcome, command)
        recording.report(tracker.after(consultation, outcome))
        print(f"\n{reply}")


def run_chat(
    served: tuple[str, ...],
    read: Callable[[str], str] = input,
    recorder: StatsRecorder | None = None,
) -> int:
    """Run the consultation until the person quits; end of input and Ctrl-C end it kindly."""
    consultation = Consultation(served)
    recording = Recording(recorder)
    outcome = consultation.current()
    print(WELCOME)
    print(show(outcome))
    try:
        return converse(consultation, read, recording, outcome)
    except EOFError:
        recording.leave(consultation)
        print(f"\n{GOODBYE}")
        return 0
    except KeyboardInterrupt:
        recording.leave(consultation)
        print(f"\n{INTERRUPTED}")
        return EXIT_INTERRUPTED
    except FlowError as error:  # pragma: no cover - handle() only sends valid answers
        print(f"\n{error}")
        return 1
    finally:
        recording.close()
