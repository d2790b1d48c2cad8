"""Deployment files refer only to files and commands that exist, and the unit is valid."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def subcommands() -> set[str]:
    """The subcommands `chaisevide` knows."""
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)


def test_dockerfile_copies_existing_paths_and_calls_existing_commands() -> None:
    """Every COPY source exists; CMD and HEALTHCHECK call real subcommands."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for sources in re.findall(r"^COPY (.+) \S+$", text, re.MULTILINE):
        for source in sources.split():
            assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    called = re.findall(r'\["chaisevide", "([a-z]+)"', text)
    assert called, "the image runs chaisevide"
    assert set(called) <= subcommands()


def test_compose_builds_from_the_dockerfile_and_mounts_existing_files() -> None:
    """The compose file's build context, Dockerfile and bind mounts exist."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    build = compose["services"]["bot"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert (context / build["dockerfile"]).is_file()
    assert (DEPLOY / compose["services"]["bot"]["env_file"]).with_suffix(".example").exists() or (
        DEPLOY / ".env.example"
    ).exists()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).resolve().exists(), f"compose mounts missing {source}"


UNITS = {"chaisevide.service": "run", "chaisevide-matrix.service": "matrix"}
"""Each systemd unit and the subcommand it runs."""


@pytest.mark.parametrize(("unit", "command"), UNITS.items())
def test_systemd_unit_calls_existing_commands(unit: str, command: str) -> None:
    """ExecStart and ExecStartPre run chaisevide subcommands that exist."""
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    called = re.findall(r"^Exec\w+=\S+/chaisevide (\w+)$", text, re.MULTILINE)
    assert command in called
    assert set(called) <= subcommands()


def test_compose_runs_the_matrix_bot_from_the_same_image() -> None:
    """The `matrix` service runs `chaisevide matrix` with its store on the state volume."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    matrix = compose["services"]["matrix"]
    assert matrix["command"] == ["chaisevide", "matrix"]
    assert matrix["command"][1] in subcommands()
    assert matrix["build"] == compose["services"]["bot"]["build"]
    store = matrix["environment"]["CHAISEVIDE_MATRIX_STORE"]
    assert any(store.startswith(volume.split(":")[1]) for volume in matrix["volumes"])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_unit_passes_systemd_analyze(tmp_path: Path, name: str) -> None:
    """`systemd-analyze verify` accepts the unit (pointed at this checkout's console script)."""
    script = Path(sys.executable).with_name("chaisevide")
    unit = tmp_path / name
    text = (DEPLOY / name).read_text(encoding="utf-8")
    unit.write_text(text.replace("/opt/chaisevide/.venv/bin/chaisevide", str(script)), "utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_env_example_documents_every_contract_variable() -> None:
    """Each configuration variable of the contract appears in deploy/.env.example."""
    text = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    for variable in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "CHAISEVIDE_ADMINS",
        "CHAISEVIDE_DB",
        "CHAISEVIDE_JURISDICTIONS",
        "CHAISEVIDE_WEBHOOK_URL",
        "CHAISEVIDE_WEBHOOK_SECRET",
        "CHAISEVIDE_LISTEN",
        "CHAISEVIDE_PORT",
        "MATRIX_HOMESERVER",
        "MATRIX_USER_ID",
        "MATRIX_PASSWORD",
        "MATRIX_ACCESS_TOKEN",
        "MATRIX_DEVICE_ID",
        "CHAISEVIDE_MATRIX_STORE",
        "CHAISEVIDE_MATRIX_STORE_KEY",
        "CHAISEVIDE_MATRIX_ALLOWED_SERVERS",
        "CHAISEVIDE_MATRIX_ADMINS",
    ):
        assert variable in text, variable


def test_reverse_proxy_forwards_to_the_bot_port() -> None:
    """The Caddy example forwards the webhook path to the port the bot listens on."""
    text = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy 127.0.0.1:8080" in text
