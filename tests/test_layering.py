"""Arrows point one way (bot → flows → knowledge) and Telegram stays out of ask and chat."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "knowledge": {"telegram", "nio", "flows", "bot", "cli"},
    "flows": {"telegram", "nio", "bot", "cli"},
}


def imported_roots(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_upper_ones(package: str) -> None:
    """knowledge imports neither flows nor bot; flows never imports telegram or bot."""
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_roots(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_ask_and_chat_do_not_load_telegram() -> None:
    """A cold `ask` never pays for importing python-telegram-bot or matrix-nio."""
    code = (
        "import sys, cli.main, cli.ask, cli.chat; "
        "from cli.ask import run_ask; run_ask(['risk=peril'], True, ('fr',)); "
        "assert 'telegram' not in sys.modules, 'telegram imported'; "
        "assert 'nio' not in sys.modules, 'nio imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


def test_the_matrix_adapter_never_imports_telegram_modules_of_bot() -> None:
    """bot/matrix/ uses what both messengers share, never the Telegram adapter's own modules."""
    telegram_only = {"app", "buttons", "calls", "commands", "delivery", "inline", "render"}
    telegram_only |= {"retry", "way_back", "deletion", "webhook", "stats_command"}
    for path in (ROOT / "bot" / "matrix").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
                module = node.module.split(".")[1]
                assert module not in telegram_only, f"{path.name} imports bot.{module}"
