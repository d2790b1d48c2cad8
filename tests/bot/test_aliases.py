"""Words typed after /verif or /consulter become answers; anything else is counted, not kept."""

from __future__ import annotations

import pytest

from bot.aliases import ALIASES, parse_words
from bot.codec import choices_of


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
    for question, choice in ALIASES.values():
        valid = {c for law in ("fr", "be") for c in choices_of(law, question)}
        assert choice in valid, (question, choice)
