"""« Ce qui changerait la réponse »: computed by replay, complete, and never a hand-written list."""

from __future__ import annotations

import random

import pytest

from flows.card import build_card, card_text
from flows.consultation import Consultation
from flows.outcome import Verdict
from flows.what_if import WORKER_QUESTIONS
from knowledge import contract
from knowledge.check import PathsReport

FAMILY = {
    "profession": "ass",
    "setting": "shelter",
    "requester": "family",
    "risk": "none",
    "consent": "refused",
}


def verdict_of(country: str, answers: dict[str, str]) -> Verdict:
    """The verdict of a complete consultation."""
    outcome = Consultation((country,), answers).current()
    assert isinstance(outcome, Verdict)
    return outcome


def brute_force(country: str, answers: dict[str, str]) -> set[tuple[str, str, str]]:
    """Every single other answer that changes the verdict, found by replaying consultations."""
    found = set()
    base = verdict_of(country, answers)
    law = base.jurisdiction
    for question_id in answers:
        if question_id in WORKER_QUESTIONS:
            continue
        for choice in law.question(question_id).choices:
            if choice.id in (answers[question_id], contract.UNSURE) or choice.shortcut:
                continue
            replay = Consultation((country,), {**answers, question_id: choice.id})
            if not replay.complete:
                continue  # the change opens a question nobody answered
            outcome = replay.current()
            if outcome.verdict != base.verdict:
                found.add((question_id, choice.id, outcome.rule.id))
    return found


def test_consent_given_is_what_would_change_a_refusal() -> None:
    """The contract's example: a family, consent refused → keep silent; given → may share."""
    verdict = verdict_of("fr", FAMILY)
    first = verdict.what_if[0]
    assert (first.question, first.choice, first.verdict) == ("consent", "given", "may_share")
    assert first.as_contract() == {
        "question": "consent",
        "choice": "given",
        "verdict": "may_share",
        "rule": verdict_of("fr", {**FAMILY, "consent": "given"}).rule.id,
    }


@pytest.mark.parametrize("country", ["fr", "be"])
def test_variants_are_exactly_the_changes_a_replay_finds(
    country: str, all_paths: dict[str, tuple], paths_report: dict[str, PathsReport]
) -> None:
    """On one path per rule and 150 random paths, the variants equal a brute-force replay."""
    rng = random.Random(9)  # noqa: S311 - reproducible sample, not secrets
    sample = [*paths_report[country].first_path.values(), *rng.sample(all_paths[country], 150)]
    for answers in sample:
        verdict = verdict_of(country, answers)
        listed = {(v.question, v.choice, v.rule) for v in verdict.what_if}
        assert listed == (set() if verdict.verdict == "must_act" else brute_force(country, answers))
        for variant in verdict.what_if:
            assert verdict_of(country, dict(variant.answers)).rule.id == variant.rule


def test_the_card_shows_at_most_three_changes_consent_first() -> None:
    """« Ce qui changerait la réponse » lists at most three lines, the checkable facts first."""
    text = card_text(build_card(verdict_of("fr", FAMILY)))
    section = text.split("Ce qui changerait la réponse\n", 1)[1].split("\n\n", 1)[0]
    lines = section.splitlines()
    assert 1 <= len(lines) <= 3
    assert lines[0] == (
        "• Si « Oui, informée et d'accord » (Accord de la personne) : "
        "vous pourriez partager, sous conditions."
    )
    assert "Demandeur" not in section  # who asks is not something the worker can change


def test_peril_has_no_what_if() -> None:
    """At péril nothing else matters: no variant is offered."""
    assert verdict_of("fr", {"risk": "peril"}).what_if == ()
