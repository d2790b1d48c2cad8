"""Each command imports what it uses: neither Telegram nor the statistics stack for `ask`,
`diagram` and `knowledge check`, and `ask` reads the compiled knowledge without YAML or pydantic."""

from __future__ import annotations

import subprocess
import sys

import pytest

REPORT = (
    "import sys\n"
    "from cli.main import main\n"
    "status = main(sys.argv[1:])\n"
    "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
)
ASK = ["ask", "profession=ass", "setting=shelter", "requester=family", "risk=none",
       "consent=refused", "--json"]  # fmt: skip


def modules(*args: str, stdin: str = "") -> set[str]:
    """The top-level packages a `chaisevide` command has imported when it ends."""
    result = subprocess.run(
        [sys.executable, "-c", REPORT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {line.split(".")[0] for line in result.stderr.splitlines() if line}


@pytest.mark.parametrize(
    "args", [ASK, ["diagram", "--output", "-"], ["knowledge", "check"]], ids=lambda a: a[0]
)
def test_commands_without_telegram_or_statistics(args: list[str]) -> None:
    """`ask`, `diagram` and `knowledge check` load neither Telegram nor the statistics."""
    loaded = modules(*args)
    assert not loaded & {"telegram", "httpx", "sqlite_utils", "stats", "bot"}


def test_chat_does_not_load_telegram() -> None:
    """`chat` records statistics, but never loads Telegram."""
    loaded = modules("chat", stdin="q\n")
    assert not loaded & {"telegram", "httpx", "bot"}


def test_ask_reads_compiled_knowledge_without_yaml_or_pydantic() -> None:
    """Once the knowledge is compiled, `ask` imports neither PyYAML nor pydantic."""
    modules(*ASK)  # the first run compiles (into the tests' cache)
    loaded = modules(*ASK)
    assert not loaded & {"yaml", "pydantic", "pydantic_core"}
