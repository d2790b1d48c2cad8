"""One tracker for every front end: kept for a session or rebuilt at each press, same events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from flows.consultation import Consultation
from flows.events import ConsultationEvent, Previous
from flows.outcome import Outcome, Verdict
from flows.tracking import Tracker

FAMILY = {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none",
          "consent": "refused"}  # fmt: skip
Press = Callable[[Consultation], Outcome]


def answer(question_id: str, choice_id: str) -> Press:
    """Answer the question asked."""
    return lambda consultation: consultation.answer(question_id, choice_id)


def back(consultation: Consultation) -> Outcome:
    """↩️"""
    return consultation.back()


def urgence(consultation: Consultation) -> Outcome:
    """🚨"""
    return consultation.urgence()


def change(question_id: str) -> Press:
    """✏️ on an earlier answer."""
    return lambda consultation: consultation.change(question_id)


def restart(consultation: Consultation) -> Outcome:
    """🔄"""
    return consultation.restart()


def path(answers: dict[str, str], *questions: str) -> list[Press]:
    """Answering these questions from the answers."""
    return [answer(question, answers[question]) for question in questions]


SESSION: list[Press] = [
    *path(FAMILY, "profession", "setting"),
    back,
    *path(FAMILY, "setting", "requester", "risk", "consent"),  # the verdict
    change("requester"),
    back,  # while changing: still the verdict's row
    *path({**FAMILY, "requester": "police"}, "setting", "requester"),  # risk, consent kept
    restart,  # after a verdict: no abandon
    *path(FAMILY, "profession"),
    restart,  # before any verdict: abandoned
    urgence,  # a verdict from the first question
]


@dataclass
class Session:
    """A consultation pressed through, its events kept."""

    consultation: Consultation
    events: list[ConsultationEvent]


def kept_for_the_session(presses: list[Press]) -> Session:
    """The terminal's way: one tracker follows the whole session."""
    consultation = Consultation(("fr",))
    tracker = Tracker.resume("terminal", consultation)
    events: list[ConsultationEvent] = []
    for press in presses:
        if press is restart:
            events += tracker.leave(consultation)
        events += tracker.after(consultation, press(consultation))
    return Session(consultation, events)


def rebuilt_at_each_press(presses: list[Press]) -> Session:
    """Telegram's way: nothing kept but what the buttons carry (answers, back steps, settled)."""
    consultation = Consultation(("fr",))
    settled = None
    events: list[ConsultationEvent] = []
    for press in presses:
        carried = Consultation(("fr",), consultation.answers, consultation.back_steps)
        tracker = Tracker.resume("terminal", carried, carried.current(), settled, 35)
        if press is restart:
            events += tracker.leave(carried)
        events += tracker.after(carried, press(carried))
        consultation, settled = carried, tracker.settled
    return Session(consultation, events)


def test_a_tracker_rebuilt_from_each_button_reports_what_one_kept_for_the_session_does() -> None:
    """The same presses give the same events, whether the front end keeps the tracker or not."""
    kept = kept_for_the_session(SESSION)
    rebuilt = rebuilt_at_each_press(SESSION)
    assert rebuilt.events == kept.events
    assert [(event.kind, event.stopped_at) for event in kept.events] == [
        *[("progress", "setting"), ("progress", "requester"), ("progress", "setting")],
        *[("progress", "requester"), ("progress", "risk"), ("progress", "consent")],
        ("completed", None),  # the first verdict
        *[("progress", "requester"), ("progress", "setting"), ("progress", "requester")],
        ("completed", None),  # the second, after ✏️: it replaces the first's row
        ("progress", "setting"),  # 🔄 after a verdict was no abandon; a new consultation
        ("abandoned", "setting"),
        ("completed", None),  # 🚨 from the first question
    ]
    completed = [event for event in kept.events if event.kind == "completed"]
    assert [event.answers["requester"] for event in completed[:2]] == ["family", "police"]
    assert completed[1].previous is not None
    assert completed[1].previous.answers == FAMILY  # the second verdict replaces the first's row


def test_changing_at_a_verdict_keeps_that_verdicts_row_and_carries_its_answers() -> None:
    """✏️ then ↩️: both continue the verdict's row; the buttons carry its answers meanwhile."""
    consultation = Consultation(("fr",), FAMILY)
    verdict = consultation.current()
    assert isinstance(verdict, Verdict)
    tracker = Tracker.resume("private", consultation, verdict)
    assert tracker.settled is None  # at the verdict itself, nothing to carry
    (changed,) = tracker.after(consultation, consultation.change("requester"))
    at_verdict = Previous("fr", FAMILY, 0, verdict.rule.id)
    assert changed.kind == "progress"
    assert changed.previous == at_verdict
    assert tracker.settled == FAMILY
    (stepped_back,) = tracker.after(consultation, consultation.back())
    assert stepped_back.previous == at_verdict
    assert tracker.row == Previous("fr", FAMILY, 1, verdict.rule.id)
    assert tracker.leave(consultation) == ()  # restarting mid-change is no abandon


def test_a_press_that_moves_nothing_reports_nothing() -> None:
    """Help, or ↩️ at the first question: no event."""
    consultation = Consultation(("fr",), {"profession": "ass"})
    tracker = Tracker.resume("private", consultation)
    assert tracker.after(consultation, consultation.current()) == ()
    assert [event.kind for event in tracker.after(consultation, consultation.back())] == [
        "progress"
    ]
    assert tracker.after(consultation, consultation.back()) == ()  # already at the first


def test_a_consultation_just_opened_has_no_row_until_an_answer() -> None:
    """Opened blank: nothing; opened with answers (typed words): progress, with no previous."""
    blank = Consultation(("fr",))
    assert Tracker("group").after(blank, blank.current()) == ()
    prefilled = Consultation(("fr",), {"requester": "family"})
    (event,) = Tracker("group").after(prefilled, prefilled.current())
    assert (event.kind, event.previous, event.stopped_at) == ("progress", None, "profession")


def test_the_outcome_given_is_used_never_computed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The front end computed what the press shows; the tracker does not run the rules again."""
    before = {key: value for key, value in FAMILY.items() if key != "consent"}
    consultation = Consultation(("fr",), before)
    tracker = Tracker.resume("private", consultation, consultation.current())
    verdict = consultation.answer("consent", "refused")
    assert isinstance(verdict, Verdict)

    def no_more(self: Consultation) -> Outcome:
        """Computing the outcome again is what the tracker must not do."""
        raise AssertionError("current() called again")

    monkeypatch.setattr(Consultation, "current", no_more)
    (done,) = tracker.after(consultation, verdict)
    assert (done.kind, done.rule, done.verdict) == ("completed", verdict.rule.id, verdict.verdict)
    assert tracker.row == Previous("fr", FAMILY, 0, verdict.rule.id)
    again = Tracker.resume("private", consultation, verdict)  # at a verdict, from its outcome
    assert again.row == tracker.row
