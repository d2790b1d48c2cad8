"""`chaisevide chat`: the consultation in the terminal, with the same texts as the bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.card import build_card, card_text, question_text
from flows.consultation import Consultation
from flows.errors import FlowError
from flows.events import ConsultationEvent, Previous, event_for, moved, previous_of
from flows.outcome import NextQuestion, Outcome

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
    "m + numéro pour modifier une réponse (ex. m3) · r retour · n recommencer · q quitter"
)
GOODBYE = "Au revoir. Prenez soin de vous."
INTERRUPTED = "Consultation interrompue. Au revoir."
EXIT_INTERRUPTED = 130
QUIT = ("q", "quitter")
RESTART = ("n", "recommencer")
CLOSE_SECONDS = 1.0
"""At most this long is spent writing statistics when the chat ends (broken file or not)."""


BeforeLine = tuple[Previous, dict[str, str], int]
"""Where a consultation stood before a typed line: its row, its answers, its back steps."""


@dataclass
class Recording:
    """What the terminal reports: the same events as Telegram, through the same recorder.

    Progress at each answer, "back" or change before a verdict; completed at each verdict (a
    new verdict after a change replaces the row of the previous one); abandoned when the person
    quits or restarts before any verdict.
    """

    recorder: StatsRecorder | None
    settled: dict[str, str] | None = None
    """The answers of the verdict shown, while the person changes one (None otherwise)."""

    def before(self, consultation: Consultation) -> BeforeLine:
        """Note where the consultation stands before a line is applied."""
        previous = previous_of(consultation, self.settled)
        return previous, dict(consultation.answers), consultation.back_steps

    def after(self, consultation: Consultation, before: BeforeLine) -> None:
        """Report what a line changed: progress before a verdict, completed at one."""
        previous, answers, back_steps = before
        if not moved(consultation, answers, back_steps):
            return
        if consultation.complete:
            self._report(event_for("completed", consultation, "terminal", previous))
            self.settled = None
            return
        self._report(event_for("progress", consultation, "terminal", previous))
        if previous.rule is not None:  # changing an answer after a verdict
            self.settled = dict(previous.answers)

    def leave(self, consultation: Consultation) -> None:
        """Quitting or restarting with answers and no verdict yet is an abandoned consultation."""
        previous = previous_of(consultation, self.settled)
        if previous.rule is None and consultation.answers and not consultation.complete:
            self._report(event_for("abandoned", consultation, "terminal", previous))
        self.settled = None

    def close(self) -> None:
        """Write what is queued, waiting at most CLOSE_SECONDS."""
        if self.recorder is not None:
            self.recorder.close(CLOSE_SECONDS)

    def _report(self, event: ConsultationEvent) -> None:
        """Hand the event to the recorder, which never raises."""
        if self.recorder is not None:
            self.recorder(event)


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


def handle(consultation: Consultation, line: str) -> str | None:
    """Apply one typed line; return what to print, or None to quit."""
    command = line.strip().lower()
    outcome = consultation.current()
    if command in QUIT:
        return None
    if command in ("r", "retour"):
        return show(consultation.back())
    if command in RESTART:
        return show(consultation.restart())
    if command in ("u", "urgence"):
        return show(consultation.urgence())
    if isinstance(outcome, NextQuestion):
        if command in ("a", "aide", "?"):
            return f"{help_text(consultation, outcome)}\n\n{show(outcome)}"
        count = len(outcome.choices)
        if command.isdigit() and 1 <= int(command) <= count:
            choice = outcome.choices[int(command) - 1]
            return show(consultation.answer(outcome.question.id, choice.id))
        return f"Je n'ai pas compris. Tapez un numéro de 1 à {count}, ou a pour l'aide."
    number = command[1:].strip()
    if command.startswith("m") and number.isdigit() and 1 <= int(number) <= len(outcome.answers):
        question_id = outcome.answers[int(number) - 1].question_id
        return show(consultation.change(question_id))
    return f"Je n'ai pas compris. {KEYS_VERDICT}"


def converse(consultation: Consultation, read: Callable[[str], str], recording: Recording) -> int:
    """Read lines and answer them until the person quits; each ending is recorded."""
    while True:
        line = read("> ")
        restart = line.strip().lower() in RESTART
        if restart:
            recording.leave(consultation)  # the new consultation has no row until an answer
        before = recording.before(consultation)
        reply = handle(consultation, line)
        if reply is None:
            recording.leave(consultation)
            print(GOODBYE)
            return 0
        if not restart:
            recording.after(consultation, before)
        print(f"\n{reply}")


def run_chat(
    served: tuple[str, ...],
    read: Callable[[str], str] = input,
    recorder: StatsRecorder | None = None,
) -> int:
    """Run the consultation until the person quits; end of input and Ctrl-C end it kindly."""
    consultation = Consultation(served)
    recording = Recording(recorder)
    print(WELCOME)
    print(show(consultation.current()))
    try:
        return converse(consultation, read, recording)
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
