"""Fixtures of the knowledge tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.loader import DATA_DIR


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge base to break."""
    target = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target
