"""The machine's structure: every state reachable, every outcome reached forward and back."""

from __future__ import annotations

import random

import pytest

from flows.consultation import Consultation
from flows.machine import VERDICT, machine_for, states
from flows.outcome import NextQuestion, Verdict
from knowledge.check import PathsReport
from knowledge.loader import load_knowledge


def test_machine_has_no_automatic_transitions() -> None:
    """Only the declared triggers exist: no to_<state> shortcuts."""
    assert set(machine_for(load_knowledge()).events) == {"advance", "urgence", "restart"}


def test_every_state_is_reached_by_some_path(all_paths: dict[str, tuple]) -> None:
    """Walking French paths through the machine (one per question at least) visits every state."""
    seen: set[str] = set()
    covering: dict[str, dict[str, str]] = {}
    for answers in all_paths["fr"]:
        for question_id in answers:
            covering.setdefault(question_id, answers)
    for answers in covering.values():
        consultation = Consultation(("fr", "be"), {"jurisdiction": "fr", **answers})
        seen.update(consultation.path)
        seen.add(consultation.state)
    assert seen == set(states(load_knowledge()))


def replay_forward_and_back(served: tuple[str, ...], answers: dict[str, str]) -> None:
    """Answer a path question by question, then go back to the start and forward again."""
    consultation = Consultation(served)
    for _ in range(2):
        outcome = consultation.current()
        while isinstance(outcome, NextQuestion):
            outcome = consultation.answer(outcome.question.id, answers[outcome.question.id])
        assert consultation.state == VERDICT
        expected = Consultation(served, answers).current()
        assert isinstance(expected, Verdict)
        assert outcome.rule.id == expected.rule.id
        while consultation.path:
            consultation.back()
        assert consultation.answers == {}


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_each_outcome_is_reached_forward_and_back(
    jurisdiction: str, paths_report: dict[str, PathsReport]
) -> None:
    """For every rule, one path reaching it works forward, all the way back, and forward again."""
    law = load_knowledge().get(jurisdiction)
    by_rule = paths_report[jurisdiction].first_path
    assert set(by_rule) == {rule.id for rule in law.rules}
    for rule_id, answers in by_rule.items():
        assert Consultation((jurisdiction,), answers).current().rule.id == rule_id
        replay_forward_and_back((jurisdiction,), answers)


def test_random_edits_keep_the_consultation_consistent(all_paths: dict[str, tuple]) -> None:
    """After any sequence of answers, backs and changes, the state matches a fresh replay."""
    rng = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets
    paths = all_paths["fr"]
    for _ in range(300):
        consultation = Consultation(("fr",))
        for _ in range(12):
            outcome = consultation.current()
            action = rng.random()
            if isinstance(outcome, NextQuestion) and action < 0.6:
                consultation.answer(outcome.question.id, rng.choice(outcome.choices).id)
            elif action < 0.8:
                consultation.back()
            elif consultation.path:
                consultation.change(rng.choice(consultation.path))
            fresh = Consultation(("fr",), dict(consultation.answers))
            assert fresh.state == consultation.state
            assert fresh.path == consultation.path
        if consultation.state == VERDICT:
            assert (
                dict(consultation.answers) in paths or consultation.answers.get("risk") == "peril"
            )
