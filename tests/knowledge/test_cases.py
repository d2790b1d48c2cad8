"""Every scenario case in tests/cases reaches the expected verdict, rule and articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import shape
from knowledge.engine import decide, decide_alert
from knowledge.loader import load_knowledge
from knowledge.strict_yaml import read_yaml

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
CASE_KEYS = {
    "description",
    "answers",
    "verdict",
    "rule",
    "debated",
    "articles",
    "alert",
    "alert_rule",
    "alert_to_contains",
    "alert_debated",
    "alert_articles",
    "unverified_contains",
}
ALERT_KEYS = {"alert_rule", "alert_to_contains", "alert_debated", "alert_articles"}
NO_ALERT = "none"


def load_cases() -> list:
    """All cases, as pytest params named after their file and position."""
    params = []
    for path in sorted(CASES_DIR.glob("*/*.yaml")):
        jurisdiction = path.parent.name
        for index, case in enumerate(read_yaml(path)):
            case_id = f"{jurisdiction}/{path.stem}#{index + 1}"
            params.append(pytest.param(jurisdiction, case, id=case_id))
    return params


CASES = load_cases()


def is_complete_path(jurisdiction: str, answers: dict[str, str]) -> bool:
    """True when the answers are exactly those the conversation asks on that path."""
    path, next_question = shape.walk(load_knowledge().get(jurisdiction), answers)
    return next_question is None and set(path) == set(answers)


def test_there_are_enough_cases() -> None:
    """At least 60 cases across both jurisdictions, each jurisdiction with its share."""
    per_jurisdiction = {j: sum(1 for p in CASES if p.values[0] == j) for j in ("fr", "be")}
    assert sum(per_jurisdiction.values()) >= 60, per_jurisdiction
    assert min(per_jurisdiction.values()) >= 25, per_jurisdiction


@pytest.mark.parametrize(("jurisdiction", "case"), CASES)
def test_case_reaches_expected_answer(jurisdiction: str, case: dict) -> None:
    """The case's answers form a real path and reach its verdict, rule and articles."""
    assert set(case) <= CASE_KEYS, f"unknown keys: {set(case) - CASE_KEYS}"
    assert "M." not in case["description"], "no names in cases"
    assert "Mme" not in case["description"], "no names in cases"
    answers = {key: str(value) for key, value in case["answers"].items()}
    assert is_complete_path(jurisdiction, answers), f"not a complete path: {answers}"
    law = load_knowledge().get(jurisdiction)
    rule = decide(law, answers)
    assert rule.verdict == case["verdict"], f"{rule.id} gives {rule.verdict}"
    if "rule" in case:
        assert rule.id == case["rule"]
    assert rule.debated is case.get("debated", False), f"{rule.id} debated={rule.debated}"
    cited = {f"{law.sources[key].code} {law.sources[key].article}" for key in rule.sources}
    missing = set(case["articles"]) - cited
    assert not missing, f"{rule.id} does not cite {missing} (cites {sorted(cited)})"
    alert = decide_alert(law, answers)
    check_alert(case, law, alert)
    if "unverified_contains" in case:
        notes = rule.unverified + (alert.unverified if alert else ())
        assert any(case["unverified_contains"] in note for note in notes), notes


def check_alert(case: dict, law, alert) -> None:
    """The case's `alert` keys: the alert's verdict (or `none`), rule, addressee, debate, texts."""
    assert "alert" in case or not set(case) & ALERT_KEYS, "alert_* keys need `alert`"
    if "alert" not in case:
        return
    if case["alert"] == NO_ALERT:
        assert alert is None, f"unexpected alert {alert.id if alert else None}"
        assert not set(case) & ALERT_KEYS, "alert_* keys with `alert: none`"
        return
    assert alert is not None, "an alert was expected"
    assert alert.verdict == case["alert"], f"{alert.id} gives {alert.verdict}"
    if "alert_rule" in case:
        assert alert.id == case["alert_rule"]
    if "alert_to_contains" in case:
        assert case["alert_to_contains"] in alert.to, alert.to
    assert alert.debated is case.get("alert_debated", False), f"{alert.id} debated={alert.debated}"
    cited = {f"{law.sources[key].code} {law.sources[key].article}" for key in alert.sources}
    missing = set(case.get("alert_articles", ())) - cited
    assert not missing, f"{alert.id} does not cite {missing} (cites {sorted(cited)})"
