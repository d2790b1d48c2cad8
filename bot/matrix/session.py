"""The bot's Matrix device: its store folder (0700), its sign-in kept across restarts.

The first start signs in with `MATRIX_PASSWORD` (or takes `MATRIX_ACCESS_TOKEN` +
`MATRIX_DEVICE_ID`) and writes the device to `device.json` (0600) in the store; later starts
reuse it, so there is one device and one crypto store for the life of the bot (each sign-in
would make a new device). The crypto store is nio's, protected by `CHAISEVIDE_MATRIX_STORE_KEY`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, LoginResponse, WhoamiResponse

from bot.matrix.settings import MatrixSettings

DEVICE_FILE = "device.json"
DEVICE_NAME = "Chaise vide"
REQUEST_TIMEOUT = 60.0
"""Seconds one request may take: above the 30 s long poll of `/sync`."""
log = logging.getLogger("bot.matrix")


class SessionError(Exception):
    """The bot cannot sign in; the message says in French what to do."""


@dataclass(frozen=True)
class Device:
    """A signed-in device: who, which device, its token (kept only in the store folder)."""

    user_id: str
    device_id: str
    access_token: str


def prepare_store(path: Path) -> Path:
    """The store folder, created and kept at mode 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def read_device(store: Path, user_id: str) -> Device | None:
    """The device stored by an earlier start for this account, if any."""
    try:
        data = json.loads((store / DEVICE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("user_id") != user_id:
        return None
    try:
        return Device(data["user_id"], data["device_id"], data["access_token"])
    except KeyError:
        return None


def write_device(store: Path, device: Device) -> None:
    """Keep the device for the next starts (mode 0600, written whole or not at all)."""
    target = store / DEVICE_FILE
    temporary = store / f".{DEVICE_FILE}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(device.__dict__, file)
    temporary.replace(target)


def new_client(settings: MatrixSettings, device_id: str | None = None) -> AsyncClient:
    """A client with encryption on, its store in the store folder, retries left to us."""
    config = AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=True,
        pickle_key=settings.store_key or "",
        max_limit_exceeded=0,
        max_timeouts=0,
        request_timeout=REQUEST_TIMEOUT,
    )
    return AsyncClient(
        settings.homeserver or "",
        settings.user_id or "",
        device_id=device_id,
        store_path=str(prepare_store(settings.store)),
        config=config,
    )


async def sign_in(settings: MatrixSettings) -> AsyncClient:
    """A signed-in client with its crypto store loaded; the device reused when stored.

    A client that fails to sign in is closed before the failure is raised."""
    clients: list[AsyncClient] = []
    try:
        return await signed_in(settings, clients)
    except BaseException:
        for client in clients:
            await client.close()
        raise


async def signed_in(settings: MatrixSettings, clients: list[AsyncClient]) -> AsyncClient:
    """Reuse the stored (or given) device, else log in with the password."""
    user_id = settings.user_id or ""
    device = read_device(settings.store, user_id)
    if device is None and settings.access_token and settings.device_id:
        device = Device(user_id, settings.device_id, settings.access_token)
    if device is not None:
        client = new_client(settings, device.device_id)
        clients.append(client)
        client.restore_login(device.user_id, device.device_id, device.access_token)
        who = await client.whoami()
        if isinstance(who, WhoamiResponse):
            write_device(settings.store, device)
            return client
        await client.close()
        if not settings.password:
            raise SessionError(
                "Le serveur Matrix refuse le jeton du bot : donnez MATRIX_PASSWORD pour une "
                "nouvelle connexion, ou un nouveau MATRIX_ACCESS_TOKEN et MATRIX_DEVICE_ID."
            )
        log.warning("matrix step=sign_in token=refused password=used")
    if not settings.password:
        raise SessionError(
            "Aucun appareil Matrix enregistré : définissez MATRIX_PASSWORD (utilisé une fois, "
            "au premier démarrage) ou MATRIX_ACCESS_TOKEN et MATRIX_DEVICE_ID."
        )
    client = new_client(settings)
    clients.append(client)
    response = await client.login(settings.password, device_name=DEVICE_NAME)
    if not isinstance(response, LoginResponse):
        await client.close()
        raise SessionError(
            "Le serveur Matrix refuse la connexion du bot : vérifiez MATRIX_USER_ID et "
            "MATRIX_PASSWORD."
        )
    write_device(settings.store, Device(user_id, response.device_id, response.access_token))
    return client
