"""Every scenario case, played question by question through the conversation as a person would."""

from __future__ import annotations

import pytest

from flows.consultation import Consultation
from flows.outcome import NextQuestion, Verdict
from tests.knowledge.test_cases import CASES, NO_ALERT


@pytest.mark.parametrize(("jurisdiction", "case"), CASES)
def test_case_played_through_the_conversation(jurisdiction: str, case: dict) -> None:
    """The buttons asked are exactly the case's answers, and the verdict is the expected one."""
    answers = {key: str(value) for key, value in case["answers"].items()}
    consultation = Consultation(("fr", "be"))
    outcome = consultation.answer("jurisdiction", jurisdiction)
    asked = []
    while isinstance(outcome, NextQuestion):
        question_id = outcome.question.id
        asked.append(question_id)
        outcome = consultation.answer(question_id, answers[question_id])
    assert isinstance(outcome, Verdict)
    assert set(asked) == set(answers)
    assert outcome.verdict == case["verdict"]
    if "alert" in case:
        shown = outcome.alert.verdict if outcome.alert is not None else NO_ALERT
        assert shown == case["alert"]
