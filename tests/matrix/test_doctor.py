"""`chaisevide doctor` for a Matrix instance, against the real test homeserver."""

from __future__ import annotations

import secrets
from pathlib import Path

from cli.doctor import run_doctor
from tests.matrix.synapse import Synapse


def diagnose(env: dict[str, str], db: Path) -> tuple[int, str]:
    """Run the doctor, returning its status and what it printed."""
    lines: list[str] = []
    status = run_doctor(env, db, lines.append)
    return status, "\n".join(lines)


def matrix_env(synapse: Synapse, tmp_path: Path, **changes: str) -> dict[str, str]:
    """A Matrix-only instance on the test homeserver, with an existing device's token."""
    account = synapse.register(f"doctor-{secrets.token_hex(3)}", secrets.token_hex(8))
    env = {
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": account.user_id,
        "MATRIX_ACCESS_TOKEN": account.access_token,
        "MATRIX_DEVICE_ID": account.device_id,
        "CHAISEVIDE_MATRIX_STORE": str(tmp_path / "store"),
        "CHAISEVIDE_MATRIX_STORE_KEY": secrets.token_urlsafe(16),
    }
    return env | changes


def test_a_matrix_only_instance_is_ready_without_a_telegram_token(
    synapse: Synapse, tmp_path: Path
) -> None:
    """Homeserver answering, token accepted, store writable: ready for `chaisevide matrix`."""
    env = matrix_env(synapse, tmp_path)
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 0, text
    assert "Telegram non configuré" in text
    assert "le serveur" in text
    assert "jeton du bot est accepté" in text
    assert "« chaisevide matrix » peut démarrer" in text
    assert env["MATRIX_ACCESS_TOKEN"] not in text


def test_a_refused_token_and_an_unreachable_server_say_what_to_do(
    synapse: Synapse, tmp_path: Path
) -> None:
    """A revoked token names the variables to give; a dead address names MATRIX_HOMESERVER."""
    env = matrix_env(synapse, tmp_path, MATRIX_ACCESS_TOKEN="syt_revoked")  # noqa: S106
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 1
    assert "refuse le jeton" in text
    assert "MATRIX_PASSWORD" in text
    env = matrix_env(synapse, tmp_path, MATRIX_HOMESERVER="http://127.0.0.1:9")
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 1
    assert "ne répond pas" in text
    assert "MATRIX_HOMESERVER" in text


def test_a_missing_store_key_blocks(synapse: Synapse, tmp_path: Path) -> None:
    """Without CHAISEVIDE_MATRIX_STORE_KEY the bot would not start: the doctor says so first."""
    env = matrix_env(synapse, tmp_path)
    del env["CHAISEVIDE_MATRIX_STORE_KEY"]
    status, text = diagnose(env, tmp_path / "stats.sqlite")
    assert status == 1
    assert "CHAISEVIDE_MATRIX_STORE_KEY" in text
