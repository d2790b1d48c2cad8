"""Events in, records out: each kind of event writes the step or the feedback it stands for."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest

from flows.consultation import Consultation
from flows.events import ConsultationEvent, Kind, Previous, event_for, previous_of
from stats.record import FeedbackRecord, RecordError, StepRecord
from stats.recorder import OUTCOME_OF, record_for
from tests.stats.conftest import DAY

FAMILY = [("profession", "ass"), ("setting", "shelter"), ("requester", "family"),
          ("risk", "none"), ("consent", "refused")]  # fmt: skip


def consultation(answered: int) -> Consultation:
    """A French consultation with its first answers given."""
    started = Consultation(("fr",))
    for question, choice in FAMILY[:answered]:
        started.answer(question, choice)
    return started


def test_the_first_answer_inserts_an_open_row_where_the_next_question_waits() -> None:
    """progress from nothing: no row to continue (previous has no answer), an open row."""
    started = consultation(0)
    previous = previous_of(started)
    started.answer("profession", "ass")
    item = record_for(event_for("progress", started, "private", previous), DAY)
    assert isinstance(item, StepRecord)
    assert (item.row.outcome, item.row.answers.get("profession"), item.row.stopped_at) == (
        "open",
        "ass",
        "setting",
    )
    assert item.row.day == DAY
    assert item.match is not None
    assert (item.match.outcome, item.match.answers.get("profession"), item.match.back_steps) == (
        "open",
        None,
        0,
    )


def test_a_verdict_continues_the_open_row_it_came_from() -> None:
    """completed: the row to continue is the open one with the answers before the press."""
    started = consultation(4)
    previous = previous_of(started)
    started.answer("consent", "refused")
    item = record_for(event_for("completed", started, "terminal", previous), DAY)
    assert isinstance(item, StepRecord)
    assert (item.row.outcome, item.row.rule, item.row.stopped_at) == (
        "completed",
        "fr-famille-sans-accord",
        None,
    )
    assert item.match is not None
    assert (
        item.match.outcome,
        item.match.answers.get("risk"),
        item.match.answers.get("consent"),
    ) == ("open", "none", None)


def test_changing_an_answer_at_the_verdict_continues_the_completed_row() -> None:
    """After a verdict, the row to continue is the verdict's, with its rule, until the next one."""
    done = consultation(5)
    at_verdict = previous_of(done)
    assert at_verdict.rule == "fr-famille-sans-accord"
    done.change("requester")
    item = record_for(event_for("progress", done, "private", at_verdict), DAY)
    assert isinstance(item, StepRecord)
    assert item.revising
    assert item.match is not None
    assert (item.match.outcome, item.match.rule, item.match.answers.get("consent")) == (
        "completed",
        "fr-famille-sans-accord",
        "refused",
    )
    settled = dict(at_verdict.answers)
    still = previous_of(done, settled)  # the next press: the button carries the verdict's answers
    assert still == at_verdict
    done.answer("requester", "police")
    item = record_for(event_for("completed", done, "private", still), DAY)
    assert isinstance(item, StepRecord)
    assert not item.revising
    assert item.row.answers.get("requester") == "police"


def test_a_restart_after_a_verdict_is_not_an_abandon() -> None:
    """abandoned is only recorded before any verdict; after one, nothing is written."""
    done = consultation(5)
    at_verdict = previous_of(done)
    done.change("requester")
    assert record_for(event_for("abandoned", done, "private", at_verdict), DAY) is None
    left = consultation(2)
    item = record_for(event_for("abandoned", left, "private", previous_of(left)), DAY)
    assert isinstance(item, StepRecord)
    assert (item.row.outcome, item.row.stopped_at) == ("abandoned", "requester")


def test_a_consultation_opened_with_answers_has_no_row_to_continue() -> None:
    """previous None (a command or a link with answers): the step inserts."""
    opened = Consultation(("fr",), {"requester": "police"})
    item = record_for(event_for("progress", opened, "group"), DAY)
    assert isinstance(item, StepRecord)
    assert item.match is None
    assert item.row.answers.get("requester") == "police"


def test_feedback_events_still_attach_to_a_completed_row() -> None:
    """👍/👎 and reasons are unchanged: feedback records matching the verdict's values."""
    done = consultation(5)
    item = record_for(event_for("feedback", done, "private", feedback="down"), DAY)
    assert isinstance(item, FeedbackRecord)
    assert (item.feedback, item.match.rule) == ("down", "fr-famille-sans-accord")


@pytest.mark.parametrize(
    "previous",
    [
        Previous("fr", {"requester": "Jean Dupont"}),
        Previous("fr", {"name": "x"}),
        Previous("fr", {}, -1),
        Previous("zz", {}),
        Previous("fr", {}, 0, "Une phrase"),
    ],
)
def test_a_previous_state_with_anything_but_ids_is_refused(previous: Previous) -> None:
    """The values matched are checked like the row's: no free text can reach a query."""
    event = ConsultationEvent("progress", "private", "fr", "95eb12cd", previous=previous)
    with pytest.raises(RecordError):
        record_for(event, DAY)


def test_a_step_is_written_on_the_days_of_the_clock() -> None:
    """The row and the row it continues carry the day given (the writer's clock)."""
    started = consultation(1)
    previous = previous_of(started)
    started.answer("setting", "shelter")
    later = dt.date(2031, 5, 6)
    item = record_for(event_for("progress", started, "private", previous), later)
    assert isinstance(item, StepRecord)
    assert item.row.day == later
    assert item.match is not None
    assert item.match.day == later


@pytest.mark.parametrize("kind", get_args(Kind))
def test_every_kind_of_event_says_which_row_it_writes(kind: str) -> None:
    """A kind added to `flows.events.Kind` is never counted until the recorder says how."""
    assert kind in OUTCOME_OF, (
        f"event kind {kind!r} is not recorded: say in stats/recorder.py OUTCOME_OF which "
        "outcome its row has, and test what it writes"
    )
