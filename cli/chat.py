"""`chaisevide chat`: the consultation in the terminal, with the same texts as the bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.card import build_card, card_text, question_text
from flows.consultation import Consultation
from flows.errors import FlowError
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


@dataclass
class Recording:
    """When a terminal consultation counts: at each verdict reached, or when left before one."""

    recorder: StatsRecorder | None
    reached: bool = False
    """A verdict was reached since the consultation (re)started."""

    def after(self, consultation: Consultation, was_complete: bool) -> None:
        """A verdict newly shown is a completed consultation."""
        if consultation.complete and not was_complete:
            self.reached = True
            self._save(consultation)

    def leave(self, consultation: Consultation) -> None:
        """Quitting or restarting with answers and no verdict yet is an abandoned consultation."""
        if not consultation.complete and not self.reached and consultation.answers:
            self._save(consultation)
        self.reached = False

    def close(self) -> None:
        """Write what is queued, waiting at most CLOSE_SECONDS."""
        if self.recorder is not None:
            self.recorder.close(CLOSE_SECONDS)

    def _save(self, consultation: Consultation) -> None:
        """Queue the consultation as the terminal channel; the recorder never raises."""
        if self.recorder is not None:
            self.recorder.consultation(consultation, "terminal")


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
        if line.strip().lower() in RESTART:
            recording.leave(consultation)
        was_complete = consultation.complete
        reply = handle(consultation, line)
        if reply is None:
            recording.leave(consultation)
            print(GOODBYE)
            return 0
        recording.after(consultation, was_complete)
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
