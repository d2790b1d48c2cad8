"""Run the real `chaisevide` console script in a subprocess, as a person or a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("chaisevide")


@pytest.fixture
def run_cli(tmp_path: Path):
    """Return a function running `chaisevide ARGS` with optional stdin and environment."""

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None):
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CHAISEVIDE_", "TELEGRAM_"))
        }
        environment["CHAISEVIDE_DB"] = str(tmp_path / "stats.sqlite")
        environment.update(env or {})
        return subprocess.run(
            [str(SCRIPT), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=environment,
            timeout=60,
            check=False,
        )

    return run
