"""Consent is honoured everywhere it is asked: the answer depends on it on every such path."""

from __future__ import annotations

from collections import defaultdict

import pytest

from knowledge.check import PathsReport
from knowledge.engine import decide
from knowledge.loader import load_knowledge


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_every_path_that_asks_consent_depends_on_it(
    jurisdiction: str, all_paths: dict[str, tuple], paths_report: dict[str, PathsReport]
) -> None:
    """For the same other answers, the consent answers reach different rules — or the one rule
    they all reach says, in `consent_note`, why the person's agreement does not change it."""
    assert paths_report[jurisdiction].gap_count == 0
    law = load_knowledge().get(jurisdiction)
    rules: dict[tuple, set[str]] = defaultdict(set)
    for answers in all_paths[jurisdiction]:
        if "consent" in answers:
            rest = tuple(sorted((k, v) for k, v in answers.items() if k != "consent"))
            rules[rest].add(decide(law, answers).id)
    by_id = {rule.id: rule for rule in law.rules}
    ignored = {
        next(iter(found))
        for found in rules.values()
        if len(found) == 1 and not by_id[next(iter(found))].consent_note
    }
    assert not ignored, f"rules that ask consent, ignore it and do not say why: {sorted(ignored)}"
