"""`chaisevide matrix` refuses kindly when it cannot start: a French line, exit 3, no traceback."""

from __future__ import annotations

from pathlib import Path


def test_without_a_homeserver_it_says_what_to_set(run_cli) -> None:
    """Like `run` without a token: the variables to set, and the terminal as a way round."""
    result = run_cli("matrix", env={"MATRIX_HOMESERVER": "", "MATRIX_USER_ID": ""})
    assert result.returncode == 3
    assert "MATRIX_HOMESERVER" in result.stderr
    assert "MATRIX_USER_ID" in result.stderr
    assert "chaisevide chat" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_homeserver_is_named_without_a_traceback(run_cli, tmp_path: Path) -> None:
    """Nothing listens on the port: one French message pointing to the doctor."""
    env = {
        "MATRIX_HOMESERVER": "http://127.0.0.1:9",
        "MATRIX_USER_ID": "@chaisevide:example.org",
        "MATRIX_PASSWORD": "un-mot-de-passe-de-test",
        "CHAISEVIDE_MATRIX_STORE": str(tmp_path / "store"),
        "CHAISEVIDE_MATRIX_STORE_KEY": "une-cle-de-test-assez-longue",
    }
    result = run_cli("matrix", env=env)
    assert result.returncode == 3
    assert "ne répond pas" in result.stderr
    assert "chaisevide doctor" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Unclosed" not in result.stderr
    assert env["MATRIX_PASSWORD"] not in result.stderr
