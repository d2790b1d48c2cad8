"""The Matrix settings, read from the environment as `shared/spec/contract.md` names them."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flows.config import ConfigError

USER_ID = re.compile(r"^@[^:\s]+:[A-Za-z0-9.\-]+(:[0-9]{1,5})?$")


@dataclass(frozen=True)
class MatrixSettings:
    """Where the bot's account lives, how it signs in, and who may invite it."""

    homeserver: str | None
    user_id: str | None
    password: str | None
    access_token: str | None
    device_id: str | None
    store: Path
    store_key: str | None
    allowed_servers: tuple[str, ...]
    admins: frozenset[str]

    @property
    def server(self) -> str:
        """The bot's own server name (the part of its user id after the first colon)."""
        return server_of(self.user_id or "")


def server_of(user_id: str) -> str:
    """`@worker:agent.tchap.gouv.fr` → `agent.tchap.gouv.fr`."""
    return user_id.partition(":")[2].lower()


def allowed(user_id: str, patterns: tuple[str, ...]) -> bool:
    """True when the user's server is one of the patterns (`*.x` accepts any sub-domain of x)."""
    server = server_of(user_id)
    for pattern in patterns:
        if pattern.startswith("*."):
            if server.endswith(pattern[1:]):
                return True
        elif server == pattern:
            return True
    return False


def default_store() -> Path:
    """The device and crypto store under the user's data directory."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("chaisevide")) / "matrix"


def parse_list(value: str | None) -> tuple[str, ...]:
    """`a, b,,c` → ('a', 'b', 'c')."""
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def parse_admins(value: str | None) -> frozenset[str]:
    """Full Matrix user ids; anything else is an error that says what to write."""
    admins = parse_list(value)
    wrong = [item for item in admins if not USER_ID.match(item)]
    if wrong:
        raise ConfigError(
            "CHAISEVIDE_MATRIX_ADMINS doit lister des identifiants Matrix complets séparés par "
            "des virgules, par exemple « @marie.dupont:agent.tchap.gouv.fr »."
        )
    return frozenset(admins)


def parse_servers(value: str | None, own: str) -> tuple[str, ...]:
    """Server names or `*.suffix` patterns; the bot's own server by default."""
    servers = tuple(item.lower() for item in parse_list(value)) or ((own,) if own else ())
    for item in servers:
        name = item[2:] if item.startswith("*.") else item
        if not re.fullmatch(r"[a-z0-9.\-]+(:[0-9]{1,5})?", name):
            raise ConfigError(
                f"CHAISEVIDE_MATRIX_ALLOWED_SERVERS : « {item} » n'est pas un nom de serveur. "
                "Écrivez des noms séparés par des virgules ; *. devant un nom accepte ses "
                "sous-domaines, par exemple « *.tchap.gouv.fr »."
            )
    return servers


def load_matrix_settings(environ: Mapping[str, str] | None = None) -> MatrixSettings:
    """Read the Matrix settings from the environment (or the mapping given)."""
    env = os.environ if environ is None else environ
    user_id = env.get("MATRIX_USER_ID") or None
    if user_id and not USER_ID.match(user_id):
        raise ConfigError(
            f"MATRIX_USER_ID={user_id!r} : indiquez l'identifiant complet du compte du bot, "
            "par exemple « @chaisevide:agent.tchap.gouv.fr »."
        )
    store = env.get("CHAISEVIDE_MATRIX_STORE")
    return MatrixSettings(
        homeserver=(env.get("MATRIX_HOMESERVER") or "").rstrip("/") or None,
        user_id=user_id,
        password=env.get("MATRIX_PASSWORD") or None,
        access_token=env.get("MATRIX_ACCESS_TOKEN") or None,
        device_id=env.get("MATRIX_DEVICE_ID") or None,
        store=Path(store).expanduser() if store else default_store(),
        store_key=env.get("CHAISEVIDE_MATRIX_STORE_KEY") or None,
        allowed_servers=parse_servers(
            env.get("CHAISEVIDE_MATRIX_ALLOWED_SERVERS"), server_of(user_id or "")
        ),
        admins=parse_admins(env.get("CHAISEVIDE_MATRIX_ADMINS")),
    )
