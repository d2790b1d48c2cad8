"""Settings read from the environment, with the contract's defaults and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.config import ConfigError, load_settings


def test_defaults_serve_france_then_belgium_in_polling_mode() -> None:
    """Nothing set: both countries (France first), no token, polling, a data-dir database."""
    settings = load_settings({})
    assert settings.jurisdictions == ("fr", "be")
    assert settings.token is None
    assert settings.webhook_url is None
    assert settings.admins == frozenset()
    assert settings.db_path.name.endswith(".sqlite")


def test_values_are_read_and_cleaned() -> None:
    """Lists are split and trimmed; the database path is taken as given."""
    settings = load_settings(
        {
            "CHAISEVIDE_JURISDICTIONS": " be , fr ",
            "CHAISEVIDE_ADMINS": "12, 34",
            "CHAISEVIDE_DB": "/tmp/x.sqlite",  # noqa: S108 - only parsed, never opened
            "CHAISEVIDE_PORT": "8443",
        }
    )
    assert settings.jurisdictions == ("be", "fr")
    assert settings.admins == frozenset({12, 34})
    assert settings.db_path == Path("/tmp/x.sqlite")  # noqa: S108
    assert settings.port == 8443


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CHAISEVIDE_JURISDICTIONS", "fr,de"),
        ("CHAISEVIDE_JURISDICTIONS", "fr,fr"),
        ("CHAISEVIDE_ADMINS", "alice"),
        ("CHAISEVIDE_PORT", "99999"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str) -> None:
    """A bad value is refused with a French message naming the variable."""
    with pytest.raises(ConfigError, match=variable):
        load_settings({variable: value})
