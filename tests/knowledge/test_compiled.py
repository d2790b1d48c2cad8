"""The compiled knowledge: the same values as the YAML, never stale, rebuilt when corrupt, skipped
when it cannot be written, and read one country at a time."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from flows.consultation import Consultation
from flows.machine import transitions
from flows.outcome import Verdict
from knowledge import compiled
from knowledge.base import Laws
from knowledge.loader import DATA_DIR, load_knowledge_from, open_knowledge

FAMILY = {"profession": "ass", "setting": "shelter", "requester": "family", "risk": "none",
          "consent": "refused"}  # fmt: skip


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder for compiled knowledge; returns where the files go."""
    monkeypatch.setenv("CHAISEVIDE_CACHE_DIR", str(tmp_path / "cache"))
    folder = compiled.cache_dir()
    assert folder is not None
    return folder


def verdict(knowledge, answers: dict[str, str]) -> Verdict:
    """The verdict of a French consultation with these answers."""
    outcome = Consultation(("fr", "be"), {"jurisdiction": "fr", **answers}, knowledge=knowledge)
    found = outcome.current()
    assert isinstance(found, Verdict)
    return found


@pytest.mark.usefixtures("cache")
def test_compiled_knowledge_holds_the_same_values_as_the_yaml() -> None:
    """Every country, the country question, the order, the outlines, the version and the machine
    are identical whether read from the YAML or from the compiled form."""
    from_yaml = load_knowledge_from(DATA_DIR)
    open_knowledge(DATA_DIR)  # writes the compiled form
    from_cache = open_knowledge(DATA_DIR)
    assert isinstance(from_cache.jurisdictions, Laws)
    assert from_cache.version == from_yaml.version
    assert from_cache.order == from_yaml.order
    assert from_cache.outlines == from_yaml.outlines
    assert from_cache.jurisdiction_question == from_yaml.jurisdiction_question
    for country in ("fr", "be"):
        assert from_cache.get(country) == from_yaml.get(country)
    assert transitions(from_cache) == transitions(from_yaml)


@pytest.mark.usefixtures("cache")
def test_a_question_for_one_country_reads_only_that_country() -> None:
    """A French consultation never reads Belgium's compiled law, and a Belgian one France's."""
    open_knowledge(DATA_DIR)
    french = open_knowledge(DATA_DIR)
    verdict(french, FAMILY)
    assert isinstance(french.jurisdictions, Laws)
    assert french.jurisdictions.read() == ("fr",)
    belgian = open_knowledge(DATA_DIR)
    Consultation(("fr", "be"), {"jurisdiction": "be"}, knowledge=belgian).current()
    assert isinstance(belgian.jurisdictions, Laws)
    assert belgian.jurisdictions.read() == ("be",)


def test_an_edited_rule_is_answered_at_once(knowledge_copy: Path, cache: Path) -> None:
    """Never stale: after a rule is edited in the YAML, the next load answers with the edit."""
    first = verdict(open_knowledge(knowledge_copy), FAMILY)
    assert (cache / "fr.json").is_file()
    again = open_knowledge(knowledge_copy)
    assert isinstance(again.jurisdictions, Laws)  # read from the compiled form
    assert verdict(again, FAMILY).rule.title == first.rule.title
    path = next(
        path
        for path in (knowledge_copy / "fr" / "rules").glob("*.yaml")
        if f"id: {first.rule.id}\n" in path.read_text(encoding="utf-8")
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(first.rule.title, "Titre modifié pour le test", 1), "utf-8")
    edited = open_knowledge(knowledge_copy)
    assert verdict(edited, FAMILY).rule.title == "Titre modifié pour le test"
    assert edited.version != again.version
    assert (
        verdict(open_knowledge(knowledge_copy), FAMILY).rule.title == "Titre modifié pour le test"
    )


def test_knowledge_edited_while_a_process_runs_is_never_compiled_under_the_old_key(
    knowledge_copy: Path, cache: Path
) -> None:
    """A process that started before an edit and reads a country afterwards gets it from the
    YAML, but never writes the edited law under the key of the law it started with."""
    open_knowledge(knowledge_copy)  # compiled
    running = open_knowledge(knowledge_copy)  # started: nothing read yet
    before = compiled.fingerprint(knowledge_copy)
    path = knowledge_copy / "fr" / "rules" / "urgence.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (cache / "fr.json").write_bytes(b"gone")  # another process is rewriting the cache
    assert running.get("fr").rules
    assert compiled.read(cache, before.key, "fr") is None


@pytest.mark.parametrize("damage", ["truncated", "edited", "garbage"])
def test_a_corrupt_compiled_file_is_ignored_and_rebuilt(
    cache: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A truncated, edited or unreadable file is logged in one line, and the YAML decides."""
    open_knowledge(DATA_DIR)
    path = cache / "fr.json"
    raw = path.read_bytes()
    broken = {
        "truncated": raw[: len(raw) // 2],
        "edited": raw.replace(b"Code p\xc3\xa9nal", b"Code civil", 1),
        "garbage": b"\x00\xff not json",
    }[damage]
    assert broken != raw
    path.write_bytes(broken)
    with caplog.at_level(logging.WARNING, logger="chaisevide.knowledge"):
        knowledge = open_knowledge(DATA_DIR)
        assert knowledge.get("fr") == load_knowledge_from(DATA_DIR).get("fr")
    assert len(caplog.records) == 1
    assert "fr.json" in caplog.records[0].getMessage()
    assert path.read_bytes() == raw  # rebuilt
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="chaisevide.knowledge"):
        open_knowledge(DATA_DIR).get("fr")
    assert caplog.records == []


def test_a_cache_that_cannot_be_written_falls_back_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache folder that cannot be made (read-only home, container): the YAML, no message."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("CHAISEVIDE_CACHE_DIR", str(blocker))
    with caplog.at_level(logging.DEBUG, logger="chaisevide.knowledge"):
        knowledge = open_knowledge(DATA_DIR)
        assert verdict(knowledge, FAMILY).rule.id
    assert caplog.records == []
    assert isinstance(knowledge.jurisdictions, dict)


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """CHAISEVIDE_CACHE_DIR set to nothing: no cache folder is used."""
    monkeypatch.setenv("CHAISEVIDE_CACHE_DIR", "")
    assert compiled.cache_dir() is None
    assert compiled.folders() == [compiled.PACKAGED]


def test_the_cache_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without CHAISEVIDE_CACHE_DIR, the user's XDG cache folder (a relative one is ignored)."""
    monkeypatch.delenv("CHAISEVIDE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert compiled.cache_dir() == tmp_path / "chaisevide" / "knowledge"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    assert compiled.cache_dir() == Path.home() / ".cache" / "chaisevide" / "knowledge"


def test_a_file_written_for_other_knowledge_is_not_read(cache: Path) -> None:
    """The key of the header must be this knowledge's: another key reads as absent."""
    open_knowledge(DATA_DIR)
    key = compiled.fingerprint(DATA_DIR).key
    assert compiled.read(cache, key, compiled.SHARED) is not None
    assert compiled.read(cache, "0" * 64, compiled.SHARED) is None
