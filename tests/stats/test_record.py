"""A record holds only a day, contract ids and small counts; anything else is refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal, get_args, get_origin, get_type_hints

import pytest

from flows import texts
from flows.consultation import Consultation
from flows.events import ConsultationEvent
from stats.record import (
    ANSWER_COLUMNS,
    FEEDBACKS,
    REASONS,
    RecordError,
    from_answers,
    from_consultation,
    stopped_at,
)
from tests.stats.conftest import record


def test_reasons_are_the_texts_feedback_reasons() -> None:
    """The reasons the table accepts are exactly the ones the bot offers."""
    assert tuple(texts.FEEDBACK_REASONS) == REASONS


def test_feedbacks_are_the_values_events_carry() -> None:
    """👍/👎 as the table accepts them are exactly the values a feedback event can carry."""
    hint = get_type_hints(ConsultationEvent)["feedback"]
    literal = next(arg for arg in get_args(hint) if get_origin(arg) is Literal)
    assert get_args(literal) == FEEDBACKS


@pytest.mark.parametrize(
    "changes",
    [
        {"requester": "Jean Dupont"},
        {"requester": "police "},
        {"profession": "as"},  # a Belgian id in a French consultation
        {"channel": "email"},
        {"verdict": "maybe"},
        {"rule": "Règle de Jean"},
        {"kb_version": "v 1"},
        {"day": dt.datetime(2025, 3, 12, 10, 30)},
        {"back_steps": -1},
        {"debated": 1},
        {"feedback": "bof"},
        {"stopped_at": "name"},
    ],
)
def test_anything_but_contract_ids_is_refused(changes: dict[str, object]) -> None:
    """Free text, foreign ids, a timestamp or a negative count never make a record."""
    with pytest.raises(RecordError):
        record(**changes)


def test_answers_are_kept_by_question_and_the_row_has_a_column_for_each() -> None:
    """The answers given, read-only; the row has every question's column, None when not asked."""
    kept = record(consent=None)
    assert dict(kept.answers) == {"profession": "ass", "setting": "shelter",
                                  "requester": "family", "risk": "none"}  # fmt: skip
    with pytest.raises(TypeError):
        kept.answers["risk"] = "peril"  # type: ignore[index]
    row = kept.row()
    assert [column for column in row if column in ANSWER_COLUMNS] == list(ANSWER_COLUMNS)
    assert (row["requester"], row["consent"]) == ("family", None)
    with pytest.raises(RecordError):
        replace(kept, answers={"name": "jean"})


def test_stopped_at_is_the_first_unanswered_question_of_the_path() -> None:
    """The question waiting when a consultation was left, following the path's conditions."""
    assert stopped_at({}) == "profession"
    assert stopped_at({"profession": "ass", "setting": "shelter"}) == "requester"
    partner = {"profession": "ass", "setting": "shelter", "requester": "partner"}
    assert stopped_at(partner) == "partner_bound"
    assert stopped_at({**partner, "partner_bound": "yes", "same_mission": "no"}) == "risk"
    family = {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none"}
    assert stopped_at(family) == "consent"


def test_unknown_question_in_answers_is_refused() -> None:
    """Answers can only be the contract's questions."""
    with pytest.raises(RecordError):
        from_answers(
            {"name": "x"}, jurisdiction="fr", channel="private", outcome="abandoned", kb_version="k"
        )


def test_a_consultation_at_its_verdict_is_completed_with_its_rule() -> None:
    """At the verdict: outcome completed, the rule, its verdict, the answers, the back steps."""
    consultation = Consultation(("fr",))
    for question, choice in [
        ("profession", "ass"),
        ("setting", "shelter"),
        ("requester", "family"),
        ("risk", "none"),
    ]:
        consultation.answer(question, choice)
    consultation.back()
    consultation.answer("risk", "none")
    consultation.answer("consent", "refused")
    row = from_consultation(consultation, "terminal", dt.date(2025, 1, 2))
    assert row.outcome == "completed"
    assert row.rule == "fr-famille-sans-accord"
    assert row.verdict == "must_keep_silent"
    assert row.back_steps == 1
    assert row.answers.get("consent") == "refused"
    assert row.stopped_at is None
    assert row.row()["day"] == "2025-01-02"


def test_a_consultation_before_its_verdict_is_abandoned_where_it_stopped() -> None:
    """Before the verdict: abandoned, no rule, the question it stopped at."""
    consultation = Consultation(("fr", "be"))
    consultation.answer("jurisdiction", "be")
    consultation.answer("profession", "as")
    row = from_consultation(consultation, "terminal")
    assert (row.outcome, row.jurisdiction, row.answers.get("profession")) == (
        "abandoned",
        "be",
        "as",
    )
    assert row.rule is None
    assert row.stopped_at == "setting"
