"""The terminal reports what Telegram reports: one row per consultation, open until it ends.

`chaisevide chat` is driven line by line through `converse`, its events going to the real
recorder and writer, whose clock the tests move forward instead of waiting.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import redirect_stdout, suppress
from pathlib import Path
from typing import Any

import pytest

from cli.chat import Recording, converse
from flows.consultation import Consultation
from knowledge.loader import load_knowledge
from stats.recorder import StatsRecorder
from stats.store import TABLE, open_reader
from stats.writer import StatsWriter

DAY = dt.date(2025, 3, 12)
FRANCE = load_knowledge().get("fr")
FAMILY = {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none",
          "consent": "refused"}  # fmt: skip
SHOWN = ("day", "channel", "outcome", "profession", "setting", "requester", "risk", "consent",
         "rule", "back_steps", "stopped_at")  # fmt: skip


class NothingTypedError(Exception):
    """No more line for now: the chat waits (walked away, or about to type more)."""


class Clock:
    """The statistics' today, moved forward by the test."""

    def __init__(self) -> None:
        self.day = DAY

    def __call__(self) -> dt.date:
        return self.day


def number(question_id: str, choice_id: str) -> str:
    """What to type to choose this answer."""
    choices = [choice.id for choice in FRANCE.question(question_id).choices]
    return str(choices.index(choice_id) + 1)


def path_of(answers: dict[str, str], *questions: str) -> list[str]:
    """The lines answering these questions from the answers."""
    return [number(question, answers[question]) for question in questions]


class Terminal:
    """Terminal consultations recorded to one file (several may run side by side)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.clock = Clock()
        self.recorder = self.start()

    def start(self) -> StatsRecorder:
        """A recorder on the test's clock (its writer sweeps when it starts)."""
        return StatsRecorder(StatsWriter(self.path, retry_seconds=0.05, today=self.clock))

    def restart(self) -> None:
        """The next `chaisevide chat` starts a new writer."""
        assert self.recorder.close(timeout=5)
        self.recorder = self.start()

    def session(self) -> Session:
        """A new chat, in the terminal."""
        return Session(Consultation(("fr",)), Recording(self.recorder))

    def rows(self, columns: tuple[str, ...] = SHOWN) -> list[dict[str, Any]]:
        """The rows as the file holds them now."""
        assert self.recorder.writer.flush(timeout=5)
        if not self.path.exists():
            return []
        db = open_reader(self.path)
        try:
            sql = f"SELECT {', '.join(columns)} FROM {TABLE} ORDER BY id"  # noqa: S608
            return [dict(row) for row in db.query(sql)]
        finally:
            db.close()


class Session:
    """One terminal chat, fed a few lines at a time."""

    def __init__(self, consultation: Consultation, recording: Recording) -> None:
        self.consultation = consultation
        self.recording = recording

    def type(self, *lines: str) -> str:
        """Type the lines; the chat then waits for more (the person is still there)."""
        queued = iter(lines)

        def read(prompt: str) -> str:
            """The next line, then the end of this batch."""
            try:
                return next(queued)
            except StopIteration:
                raise NothingTypedError from None

        with redirect_stdout(io.StringIO()) as out, suppress(NothingTypedError):
            converse(self.consultation, read, self.recording)
        return out.getvalue()


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """Terminal chats recording to a file in tmp_path, on DAY."""
    started = Terminal(tmp_path / "statistiques.sqlite")
    yield started
    assert started.recorder.close(timeout=5)


def row(**values: Any) -> dict[str, Any]:
    """A terminal row as `Terminal.rows` shows it, today, nothing but the values given."""
    return dict.fromkeys(SHOWN) | {"day": DAY.isoformat(), "channel": "terminal",
                                   "back_steps": 0} | values  # fmt: skip


def test_walking_away_leaves_one_open_row_abandoned_the_next_day(terminal: Terminal) -> None:
    """Three answers, then the terminal is left: one open row stopped at the 4th question; the
    next writer, a day later, sweeps it to abandoned."""
    chat = terminal.session()
    chat.type(*path_of(FAMILY, "profession", "setting", "requester"))
    answered = {"profession": "ass", "setting": "shelter", "requester": "family"}
    assert terminal.rows() == [row(outcome="open", stopped_at="risk", **answered)]
    terminal.clock.day += dt.timedelta(days=1)
    terminal.restart()
    assert terminal.rows() == [row(outcome="abandoned", stopped_at="risk", **answered)]


def test_quitting_before_the_verdict_abandons_the_row_at_once(terminal: Terminal) -> None:
    """q after two answers: the same row, abandoned now (the terminal knows the person left)."""
    chat = terminal.session()
    chat.type(*path_of(FAMILY, "profession", "setting"), "q")
    assert terminal.rows() == [
        row(outcome="abandoned", profession="ass", setting="shelter", stopped_at="requester")
    ]


def test_back_and_a_new_answer_keep_one_row(terminal: Terminal) -> None:
    """r and another answer, twice: one open row, two back steps, where it stands."""
    chat = terminal.session()
    chat.type(*path_of(FAMILY, "profession", "setting"), "r", number("setting", "social_aid"))
    chat.type(number("requester", "family"), "r", number("requester", "colleague"))
    assert terminal.rows() == [
        row(outcome="open", profession="ass", setting="social_aid", requester="colleague",
            back_steps=2, stopped_at="partner_bound")
    ]  # fmt: skip


def test_a_change_at_the_verdict_leaves_one_completed_row(terminal: Terminal) -> None:
    """m3 at the verdict then a new verdict: the row takes the new answers; leaving while
    changing keeps the verdict shown; restarting after it is no abandon."""
    chat = terminal.session()
    output = chat.type(*path_of(FAMILY, *FAMILY))
    assert "Vous devez garder le secret" in output
    chat.type("m3", number("requester", "police"))
    rows = terminal.rows()
    assert len(rows) == 1
    assert rows[0]["outcome"] == "completed"
    assert rows[0]["requester"] == "police"
    assert rows[0]["rule"] != "fr-famille-sans-accord"
    police = rows[0]
    chat.type("m3", "r")  # changing again, then back: the verdict stands, one more back step
    assert terminal.rows() == [police | {"back_steps": 1}]
    chat.type("n", *path_of(FAMILY, "profession"), "q")
    assert [r["outcome"] for r in terminal.rows()] == ["completed", "abandoned"]


def test_two_identical_chats_interleaved_count_as_two(terminal: Terminal) -> None:
    """Two terminals answering the same in turn: two rows; one finishes, one is left."""
    first, second = terminal.session(), terminal.session()
    for question in ("profession", "setting", "requester", "risk"):
        first.type(*path_of(FAMILY, question))
        second.type(*path_of(FAMILY, question))
    second.type(*path_of(FAMILY, "consent"))
    outcomes = sorted(r["outcome"] for r in terminal.rows())
    assert outcomes == ["completed", "open"]
    terminal.clock.day += dt.timedelta(days=1)
    terminal.restart()
    assert sorted(r["outcome"] for r in terminal.rows()) == ["abandoned", "completed"]


def test_urgence_from_the_first_question_is_one_completed_row(terminal: Terminal) -> None:
    """u with no answer yet: a verdict, one completed row (no open row before it)."""
    chat = terminal.session()
    chat.type("u")
    assert [(r["outcome"], r["risk"]) for r in terminal.rows()] == [("completed", "peril")]
