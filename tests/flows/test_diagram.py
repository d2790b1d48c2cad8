"""The committed flow diagram is the one the machine generates today."""

from __future__ import annotations

from pathlib import Path

from flows.diagram import markdown, mermaid, with_diagram

ROOT = Path(__file__).resolve().parents[2]


def test_committed_diagram_is_up_to_date() -> None:
    """docs/flow.md matches the machine; run `chaisevide diagram` after changing the flow."""
    assert (ROOT / "docs" / "flow.md").read_text(encoding="utf-8") == markdown(), (
        "docs/flow.md is stale: run `chaisevide diagram` (it also refreshes the README)"
    )


def test_readme_shows_the_same_diagram() -> None:
    """The README embeds the generated Mermaid block."""
    assert mermaid() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_diagram_shows_the_guards() -> None:
    """The conditions that decide which questions are asked appear on the arrows."""
    text = mermaid()
    for guard in ("asks_partner_bound", "asks_consent", "takes_shortcut"):
        assert f"[{guard}]" in text


def test_with_diagram_replaces_only_the_first_mermaid_block() -> None:
    """`chaisevide diagram` refreshes the README's picture and leaves the rest of the page."""
    page = "# T\n\n```mermaid\nold\n```\n\ntext\n\n```mermaid\nother\n```\n"
    assert (
        with_diagram(page, "new\n")
        == "# T\n\n```mermaid\nnew\n```\n\ntext\n\n```mermaid\nother\n```\n"
    )
    assert with_diagram("no diagram", "new\n") == "no diagram"
