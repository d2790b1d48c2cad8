"""stats/ sits beside flows/: it never imports Telegram, the bot or the command line."""

from __future__ import annotations

from pathlib import Path

from tests.test_layering import imported_roots

ROOT = Path(__file__).resolve().parents[2]


def test_stats_imports_neither_telegram_nor_bot_nor_cli() -> None:
    """The statistics package works without python-telegram-bot."""
    for path in (ROOT / "stats").rglob("*.py"):
        bad = imported_roots(path) & {"telegram", "bot", "cli"}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
