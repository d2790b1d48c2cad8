"""Project promises: the README opens with the two commands, CI runs the second, ruff is clean."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    """The lines of the README's first code block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.DOTALL)
    assert block, "the README has no ```sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands() -> None:
    """One sets up and starts the terminal consultation, the other sets up and runs the tests."""
    commands = readme_commands()
    assert len(commands) == 2
    main_job, tests = commands
    assert main_job.startswith("python3 -m venv .venv")
    assert main_job.endswith("chaisevide chat")
    assert tests.startswith("python3 -m venv .venv")
    assert tests.endswith("-m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run picks the README's second command, so CI and README cannot drift apart."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pattern = re.search(r"grep -m1 -A0 '(.*?)' README.md", ci).group(1)
    assert re.search(pattern, readme_commands()[1])


def test_ruff_is_clean() -> None:
    """The code passes the linter configured in pyproject.toml."""
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--quiet", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
