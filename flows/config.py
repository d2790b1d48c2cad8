"""Configuration read from the environment, as `shared/spec/contract.md` names it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from knowledge import contract


class ConfigError(ValueError):
    """A variable is set to something unusable; the message names it and says what to write."""


@dataclass(frozen=True)
class Settings:
    """Every setting of an instance, with the contract's defaults."""

    token: str | None
    api_base_url: str | None
    admins: frozenset[int]
    db_path: Path
    jurisdictions: tuple[str, ...]
    webhook_url: str | None
    webhook_secret: str | None
    listen: str
    port: int


def default_db_path() -> Path:
    """The statistics file under the user's data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("chaisevide")) / "statistiques.sqlite"


def parse_jurisdictions(value: str | None) -> tuple[str, ...]:
    """`fr,be` → ('fr', 'be'); unknown or empty lists are errors."""
    if value is None or not value.strip():
        return contract.JURISDICTIONS
    items = tuple(item.strip().lower() for item in value.split(",") if item.strip())
    unknown = [item for item in items if item not in contract.JURISDICTIONS]
    if unknown or not items or len(set(items)) != len(items):
        raise ConfigError(
            f"CHAISEVIDE_JURISDICTIONS={value!r} : indiquez des pays parmi "
            f"{', '.join(contract.JURISDICTIONS)}, séparés par des virgules, sans doublon "
            "(le premier est celui par défaut), par exemple « fr,be »."
        )
    return items


def parse_admins(value: str | None) -> frozenset[int]:
    """`123,456` → {123, 456}; anything else than numbers is an error."""
    if not value or not value.strip():
        return frozenset()
    try:
        return frozenset(int(item) for item in value.split(",") if item.strip())
    except ValueError:
        raise ConfigError(
            "CHAISEVIDE_ADMINS doit être une liste d'identifiants Telegram numériques séparés "
            "par des virgules, par exemple « 12345678,23456789 »."
        ) from None


def parse_port(value: str | None) -> int:
    """The webhook port, 8080 by default."""
    if not value:
        return 8080
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise ConfigError(f"CHAISEVIDE_PORT={value!r} : indiquez un numéro de port (1 à 65535).")
    return int(value)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from the environment (or the mapping given)."""
    env = os.environ if environ is None else environ
    db = env.get("CHAISEVIDE_DB")
    return Settings(
        token=env.get("TELEGRAM_BOT_TOKEN") or None,
        api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
        admins=parse_admins(env.get("CHAISEVIDE_ADMINS")),
        db_path=Path(db).expanduser() if db else default_db_path(),
        jurisdictions=parse_jurisdictions(env.get("CHAISEVIDE_JURISDICTIONS")),
        webhook_url=env.get("CHAISEVIDE_WEBHOOK_URL") or None,
        webhook_secret=env.get("CHAISEVIDE_WEBHOOK_SECRET") or None,
        listen=env.get("CHAISEVIDE_LISTEN") or "0.0.0.0",  # noqa: S104 - a webhook listens for Telegram
        port=parse_port(env.get("CHAISEVIDE_PORT")),
    )
