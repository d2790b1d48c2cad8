"""Fixtures shared by every test folder: the paths of the conversation, run once per session."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from knowledge.check import PathsReport, check_paths, enumerate_paths
from knowledge.loader import load_knowledge


def pytest_configure(config: pytest.Config) -> None:
    """Compiled knowledge goes to a temporary cache, never the user's (here and in every command
    the tests run: they inherit XDG_CACHE_HOME)."""
    os.environ.pop("CHAISEVIDE_CACHE_DIR", None)
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="chaisevide-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The temporary cache goes with the test session."""
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def all_paths() -> dict[str, tuple[dict[str, str], ...]]:
    """Every complete path of each country (about 50 000), enumerated once per test session."""
    knowledge = load_knowledge()
    return {
        country: tuple(enumerate_paths(law)) for country, law in knowledge.jurisdictions.items()
    }


@pytest.fixture(scope="session")
def paths_report() -> dict[str, PathsReport]:
    """Each country's paths run through the engine once per test session."""
    knowledge = load_knowledge()
    return {country: check_paths(law) for country, law in knowledge.jurisdictions.items()}
