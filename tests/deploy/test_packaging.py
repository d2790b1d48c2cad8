"""The wheel carries everything: installed in a fresh virtualenv elsewhere, it works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it into a new virtualenv; return its bin folder."""
    work = tmp_path_factory.mktemp("packaging")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(dist.glob("chaisevide-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return bin_dir


def run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed command from a folder outside the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAISEVIDE_", "TELEGRAM_"))}
    env["CHAISEVIDE_DB"] = str(cwd / "stats.sqlite")
    return subprocess.run(
        [str(bin_dir / "chaisevide"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_installed_wheel_answers_help_ask_and_doctor(installed: Path, tmp_path: Path) -> None:
    """--help, a full `ask` (knowledge shipped in the wheel) and `doctor` work from elsewhere."""
    assert run(installed, "--help", cwd=tmp_path).returncode == 0
    result = run(
        installed,
        "ask",
        "profession=ass",
        "setting=shelter",
        "requester=family",
        "risk=none",
        "consent=refused",
        "--json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["complete"] is True
    assert data["verdict"] == "must_keep_silent"
    doctor = run(installed, "doctor", cwd=tmp_path)
    assert doctor.returncode == 1  # no token configured: blocking, explained
    assert "TELEGRAM_BOT_TOKEN" in doctor.stdout
    assert "base de connaissances vérifiée" in doctor.stdout


def test_installed_wheel_answers_from_the_knowledge_compiled_into_it(
    installed: Path, tmp_path: Path
) -> None:
    """The wheel carries the compiled knowledge, readable by all: a fresh install's first `ask`
    reads it and writes no cache of its own."""
    shipped = sorted(installed.parent.glob("lib/python*/site-packages/knowledge/compiled/*.json"))
    assert [path.name for path in shipped] == ["be.json", "fr.json", "shared.json"]
    assert all(path.stat().st_mode & 0o444 == 0o444 for path in shipped)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHAISEVIDE_", "TELEGRAM_"))}
    env |= {"CHAISEVIDE_DB": str(tmp_path / "stats.sqlite"), "XDG_CACHE_HOME": str(tmp_path)}
    result = subprocess.run(
        [str(installed / "chaisevide"), "ask", "jurisdiction=be", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["jurisdiction"] == "be"
    assert not (tmp_path / "chaisevide").exists()
