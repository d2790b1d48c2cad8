"""Common situations are data per country; the flows answer each for every worker."""

from __future__ import annotations

import pytest

from flows.situations import answer, catalogue, matching
from knowledge.loader import load_knowledge
from knowledge.vocabulary import Situation


@pytest.mark.parametrize("jurisdiction", ["fr", "be"])
def test_every_situation_of_a_country_reaches_a_verdict(jurisdiction: str) -> None:
    """No card silently disappears: each situation of the file is answered by the flows."""
    kb = load_knowledge()
    answered = catalogue(kb, (jurisdiction,))[jurisdiction]
    assert [item.situation.id for item in answered] == [
        situation.id for situation in kb.get(jurisdiction).situations
    ]
    assert all(item.headlines for item in answered)


def test_belgian_cards_use_belgian_terms() -> None:
    """The Belgian bailiff is « huissier de justice », never the French « commissaire »."""
    kb = load_knowledge()
    belgian = {item.situation.id: item.situation for item in catalogue(kb, ("be",))["be"]}
    assert belgian["bailiff"].title == "Un huissier de justice demande"
    assert all("commissaire" not in s.title.lower() for s in belgian.values())
    assert all("commissaire" not in s.keywords for s in belgian.values())


def test_words_find_the_matching_cards_or_all_of_them() -> None:
    """`police` finds the police cards; a word that finds none offers every card."""
    answered = catalogue(load_knowledge(), ("fr",))["fr"]
    assert {item.situation.id for item in matching(answered, ["police"])} == {
        "police",
        "requisition",
    }
    assert matching(answered, ["xyz"]) == answered


def test_a_situation_with_an_authority_to_alert_carries_the_alert_line() -> None:
    """A third party asking about a child in danger: the inline card's alert line is the CRIP's."""
    kb = load_knowledge()
    situation = Situation(
        id="school",
        title="L'école demande pourquoi un enfant est placé",
        answers={"requester": "other", "risk": "child", "consent": "refused"},
        keywords=("ecole",),
    )
    found = answer(situation, "fr", kb)
    assert found is not None
    assert any(line.startswith("À la CRIP") for line in found.alerts)
