"""Broken knowledge files are refused with a message naming the file, the rule and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import KnowledgeError, load_knowledge, load_knowledge_from


def first_rule_file(root: Path) -> Path:
    """The French rule file that holds fr-peril."""
    return root / "fr" / "rules" / "urgence.yaml"


def test_shipped_knowledge_loads_with_a_version() -> None:
    """Both countries load; the version is a short fingerprint of the data."""
    knowledge = load_knowledge()
    assert set(knowledge.jurisdictions) == {"fr", "be"}
    assert len(knowledge.version) == 8


def test_duplicate_key_names_file_and_line(knowledge_copy: Path) -> None:
    """A key written twice in a rule is an error with the file and the line."""
    path = first_rule_file(knowledge_copy)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  verdict: must_act\n", "  verdict: must_act\n  verdict: may_share\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        KnowledgeError,
        match=r"knowledge/fr/rules/urgence\.yaml: line \d+: key 'verdict' appears twice",
    ):
        load_knowledge_from(knowledge_copy)


def test_unknown_key_names_rule_and_field(knowledge_copy: Path) -> None:
    """A misspelt key is refused, naming the rule and the key."""
    path = first_rule_file(knowledge_copy)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  verdict: must_act\n", "  verdict: must_act\n  verdcit: may_share\n", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match=r"rule 'fr-peril': field 'verdcit': unknown key"):
        load_knowledge_from(knowledge_copy)


def test_missing_source_reference_is_named(knowledge_copy: Path) -> None:
    """A rule citing a source that the catalogue lacks names the rule and the source."""
    path = first_rule_file(knowledge_copy)
    path.write_text(
        path.read_text(encoding="utf-8").replace("sources: [cp-223-6", "sources: [cp-9999", 1),
        encoding="utf-8",
    )
    with pytest.raises(
        KnowledgeError, match=r"rule 'fr-peril': field 'sources': source 1 \('cp-9999'\)"
    ):
        load_knowledge_from(knowledge_copy)


def test_unknown_choice_in_a_condition_lists_the_valid_ones(knowledge_copy: Path) -> None:
    """A condition on a choice that does not exist lists the valid choices."""
    path = first_rule_file(knowledge_copy)
    path.write_text(
        path.read_text(encoding="utf-8").replace("when: {risk: peril}", "when: {risk: fire}", 1),
        encoding="utf-8",
    )
    with pytest.raises(
        KnowledgeError, match=r"field 'when.risk': unknown choice fire \(valid: peril"
    ):
        load_knowledge_from(knowledge_copy)


def test_renamed_contract_choice_is_refused(knowledge_copy: Path) -> None:
    """Renaming a choice id of the contract breaks the load with the expected list."""
    path = knowledge_copy / "fr" / "questions.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("- id: ass\n", "- id: as\n", 1), encoding="utf-8"
    )
    with pytest.raises(
        KnowledgeError, match=r"question 'profession': choice 'ass' was removed or renamed"
    ):
        load_knowledge_from(knowledge_copy)


def test_yaml_syntax_error_names_the_file(knowledge_copy: Path) -> None:
    """Broken YAML syntax is reported with the file name."""
    (knowledge_copy / "be" / "glossary.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"knowledge/be/glossary\.yaml"):
        load_knowledge_from(knowledge_copy)


def test_invalid_article_format_is_refused(knowledge_copy: Path) -> None:
    """Article numbers are written as the code writes them, without 'art.' or dots."""
    path = knowledge_copy / "fr" / "sources.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('article: "226-13"', 'article: "art. 226-13"', 1),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match=r"source 'cp-226-13': field 'article'"):
        load_knowledge_from(knowledge_copy)
