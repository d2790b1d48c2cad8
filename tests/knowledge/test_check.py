"""The knowledge check: no gap, no ambiguity, every rule reachable, sourced and dated."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge.check import PathsReport, check_jurisdiction
from knowledge.loader import load_knowledge
from knowledge.models import VERDICTS

TODAY = dt.date.today()


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_knowledge_check_passes(jurisdiction: str, paths_report: dict[str, PathsReport]) -> None:
    """Every path reaches exactly one rule and every rule is reachable and sourced."""
    law = load_knowledge().get(jurisdiction)
    report = check_jurisdiction(law, TODAY, paths_report[jurisdiction])
    assert report.gap_count == 0, report.gaps
    assert report.ambiguity_count == 0, report.ambiguities
    assert report.unreachable == []
    assert report.unsourced == []
    assert report.future == []
    assert report.urgence_problem == ""


def test_path_count_matches_the_contract(all_paths: dict[str, tuple]) -> None:
    """France: 4 professions × 7 settings × the requester/partner/risk/consent tree."""
    paths = all_paths["fr"]
    risks = 7 + 3  # couple asks serious_danger (3 answers)
    risks_then_consent = 1 + 6 * 4 + 3 * 4  # péril ends; couple: serious_danger then consent
    per_worker = (
        3 * risks  # self: self_request (3), no consent
        + 4 * risks  # requisition, witness, bailiff, mandant: no consent
        + 5 * risks_then_consent  # family, police, authority, other, nobody
        + 2 * 9 * risks_then_consent  # colleague, partner: partner_bound × same_mission
        + 9 * 3 * risks_then_consent  # case_meeting: the same, then legal_basis
    )
    assert len(paths) == 4 * 7 * per_worker


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_every_verdict_is_used(jurisdiction: str) -> None:
    """Each of the four verdicts is the answer to some situation."""
    verdicts = {rule.verdict for rule in load_knowledge().get(jurisdiction).rules}
    assert verdicts == set(VERDICTS)


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_silence_tells_what_to_say_to_the_requester(jurisdiction: str) -> None:
    """Every 'keep silent' answer to someone who asks says what to reply to them."""
    for rule in load_knowledge().get(jurisdiction).rules:
        asks = set(rule.when.get("requester", ())) - {"nobody"}
        if rule.verdict == "must_keep_silent" and (asks or "requester" not in rule.when):
            assert rule.to_requester, f"{rule.id} has no to_requester"


def test_belgian_1867_articles_come_with_their_2024_number() -> None:
    """Every rule citing 458, 458bis, 458ter or 422bis also cites the 2024 Code pénal."""
    law = load_knowledge().get("be")
    renumbered = {"458", "458bis", "458ter", "422bis"}
    for rule in law.rules:
        cited = [law.sources[key] for key in rule.sources]
        if any(s.code == "CP-BE" and s.article in renumbered for s in cited):
            assert any(s.code == "CP-BE-2024" for s in cited), rule.id


def test_future_date_and_stale_rules_are_reported(paths_report: dict[str, PathsReport]) -> None:
    """Checked in the future fails; checked over a year ago is listed but does not fail."""
    law = load_knowledge().get("fr")
    long_before = check_jurisdiction(law, dt.date(2026, 1, 1), paths_report["fr"])
    assert long_before.future
    assert not long_before.ok
    later = check_jurisdiction(law, dt.date(2028, 6, 1), paths_report["fr"])
    assert later.stale
    assert later.ok
