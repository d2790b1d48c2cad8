"""A broken knowledge file stops the command with a French message naming it, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli.main import main
from knowledge import loader


@pytest.fixture
def broken_knowledge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the loader at a copy of the knowledge base whose French rules file is broken."""
    target = tmp_path / "knowledge"
    shutil.copytree(loader.DATA_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target / "fr" / "rules" / "urgence.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", target)
    loader.load_knowledge.cache_clear()
    yield target
    loader.load_knowledge.cache_clear()


@pytest.mark.usefixtures("broken_knowledge")
@pytest.mark.parametrize("argv", [["ask", "--json"], ["knowledge", "check"]])
def test_broken_file_is_named_with_the_next_step(argv: list[str], capsys) -> None:
    """Exit 3, the file named, and what to do next."""
    assert main(argv) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "knowledge/fr/rules/urgence.yaml" in captured.err
    assert "chaisevide knowledge check" in captured.err
