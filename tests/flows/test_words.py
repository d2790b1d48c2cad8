"""Words typed after /verif or /consulter become answers; anything else is counted, not kept."""

from __future__ import annotations

import pytest

from flows.words import parse_words, vocabulary
from knowledge.codes import registry
from knowledge.loader import load_knowledge


def aliases() -> list[tuple[str, str]]:
    """(question, choice) of every word of every country (knowledge/<country>/words.yaml)."""
    laws = load_knowledge().jurisdictions.values()
    return [(question, choice) for law in laws for _, question, choice in law.words.pairs()]


@pytest.mark.parametrize(
    ("words", "answers"),
    [
        ("police refus", {"requester": "police", "consent": "refused"}),
        ("Réquisition", {"requester": "requisition"}),
        ("police sans réquisition", {"requester": "police"}),
        ("famille accord aucun", {"requester": "family", "consent": "given", "risk": "none"}),
        ("requester=partner risk=child", {"requester": "partner", "risk": "child"}),
        ("enfant en danger, signaler", {"risk": "child", "requester": "nobody"}),
        ("péril", {"risk": "peril"}),
        ("CHRS infirmière", {"setting": "shelter", "profession": "health"}),
    ],
)
def test_french_words_and_pairs_become_answers(words: str, answers: dict[str, str]) -> None:
    """Aliases and question=choice pairs, accents and case ignored, first answer wins."""
    parsed = parse_words(words.split(), ("fr",))
    assert parsed.answers == answers
    assert parsed.unknown == 0


@pytest.mark.parametrize("words", ["Dupont", "requester=maire", "couleur=bleu", "cpas", "belgique"])
def test_words_not_understood_are_only_counted(words: str) -> None:
    """Unknown words, invalid pairs, another country's choices: counted, never stored."""
    parsed = parse_words(words.split(), ("fr",))
    assert parsed.unknown == 1
    assert parsed.answers == {}


def test_country_words_follow_the_countries_served() -> None:
    """'belgique cpas' works on an instance serving Belgium."""
    parsed = parse_words(["belgique", "cpas"], ("fr", "be"))
    assert parsed.answers == {"jurisdiction": "be", "setting": "cpas"}


def test_every_alias_names_a_contract_choice() -> None:
    """The alias table only uses question and choice ids of the contract."""
    for question, choice in aliases():
        valid = {c for law in ("fr", "be") for c in registry().codes(law, question)}
        assert choice in valid, (question, choice)


@pytest.mark.parametrize(
    ("words", "answers"),
    [
        ("huissier de justice", {"requester": "bailiff"}),
        ("saj enfant", {"setting": "youth_aid", "risk": "child"}),
        ("aide à la jeunesse", {"setting": "youth_aid"}),
        ("CPAS police refus", {"setting": "cpas", "requester": "police", "consent": "refused"}),
    ],
)
def test_belgian_words_in_a_belgian_consultation(words: str, answers: dict[str, str]) -> None:
    """A Belgian instance reads Belgian words (huissier de justice, SAJ, CPAS…)."""
    parsed = parse_words(words.split(), ("be",))
    assert parsed.answers == answers


@pytest.mark.parametrize("word", ["commissaire", "ase", "ccas", "prefecture", "gendarmerie"])
def test_french_only_words_mean_nothing_in_belgium(word: str) -> None:
    """French institutions are not Belgian answers: counted as not understood, never applied."""
    parsed = parse_words([word], ("be",))
    assert parsed.answers == {}
    assert parsed.unknown == 1
    assert word not in vocabulary(load_knowledge(), ("be",), "be").split(", ")


def test_the_reminder_lists_the_countrys_words_and_the_countries_served() -> None:
    """France alone: French words, no country names; France and Belgium: both names at the end."""
    alone = vocabulary(load_knowledge(), ("fr",), "fr")
    assert "commissaire" in alone
    assert "cpas" not in alone
    assert "belgique" not in alone
    both = vocabulary(load_knowledge(), ("fr", "be"), "be")
    assert both.endswith("france, belgique")
    assert "cpas" in both
    assert "commissaire" not in both
