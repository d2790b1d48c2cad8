"""Words and situations are a country's data: checked against its own questions at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import KnowledgeError, load_knowledge, load_knowledge_from


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first occurrence of `old` in a knowledge file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_word_for_a_choice_of_another_country_names_file_and_field(
    knowledge_copy: Path,
) -> None:
    """A French setting in the Belgian words is refused, with the valid choices."""
    edit(knowledge_copy / "be" / "words.yaml", "    cpas: [cpas]", "    child_protection: [ase]")
    with pytest.raises(
        KnowledgeError,
        match=r"knowledge/be/words\.yaml: field 'answers\.setting\.child_protection': "
        r"unknown choice \(valid: cpas",
    ):
        load_knowledge_from(knowledge_copy)


def test_a_word_for_an_unknown_question_is_refused(knowledge_copy: Path) -> None:
    """A misspelt question id in words.yaml names the field."""
    edit(knowledge_copy / "fr" / "words.yaml", "  consent:\n", "  consnet:\n")
    with pytest.raises(
        KnowledgeError,
        match=r"knowledge/fr/words\.yaml: field 'answers\.consnet': unknown question",
    ):
        load_knowledge_from(knowledge_copy)


def test_a_word_typed_text_cannot_match_is_refused(knowledge_copy: Path) -> None:
    """Words are stored as typed text is read: lowercase, no accents, one word."""
    edit(knowledge_copy / "fr" / "words.yaml", "[peril]", "[péril]")
    with pytest.raises(KnowledgeError, match=r"knowledge/fr/words\.yaml: .*lowercase"):
        load_knowledge_from(knowledge_copy)


def test_a_word_standing_for_two_answers_is_refused(knowledge_copy: Path) -> None:
    """One word, one answer: a word listed under two choices names both places."""
    edit(knowledge_copy / "fr" / "words.yaml", "[arme]", "[arme, police]")
    with pytest.raises(
        KnowledgeError,
        match=r"field 'answers\.risk\.weapon': word 'police' is also in "
        r"'answers\.requester\.police'",
    ):
        load_knowledge_from(knowledge_copy)


def test_a_situation_with_an_unknown_choice_names_file_situation_and_field(
    knowledge_copy: Path,
) -> None:
    """A Belgian situation answering with a choice Belgium does not have is refused."""
    edit(knowledge_copy / "be" / "situations.yaml", "requester: bailiff", "requester: huissier")
    with pytest.raises(
        KnowledgeError,
        match=r"knowledge/be/situations\.yaml: situation 'bailiff': field 'answers\.requester': "
        r"unknown choice 'huissier'",
    ):
        load_knowledge_from(knowledge_copy)


def test_an_unknown_key_in_a_situation_is_refused(knowledge_copy: Path) -> None:
    """Situations are strict like every knowledge file."""
    edit(knowledge_copy / "fr" / "situations.yaml", "  keywords: [temoin", "  keyword: [temoin")
    with pytest.raises(
        KnowledgeError, match=r"situation 'witness': .*field 'keyword': unknown key"
    ):
        load_knowledge_from(knowledge_copy)


FRENCH_ONLY = ("commissaire", "ase", "crip", "ccas", "caf", "prefecture", "mairie", "gendarmerie")


def test_belgian_vocabulary_holds_no_french_only_term() -> None:
    """Belgian workers never meet French institutions in words, cards or their keywords."""
    belgium = load_knowledge().get("be")
    words = {word for word, _, _ in belgium.words.pairs()}
    assert words.isdisjoint(FRENCH_ONLY)
    for situation in belgium.situations:
        assert set(situation.keywords).isdisjoint(FRENCH_ONLY), situation.id
        assert "commissaire" not in situation.title.lower(), situation.id
    assert {"huissier", "cpas", "saj", "spj", "jeunesse"} <= words
