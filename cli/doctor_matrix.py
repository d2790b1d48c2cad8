"""`chaisevide doctor`, Matrix part: settings, homeserver reachable, token valid, store writable."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from cli.doctor import Finding
from flows.config import ConfigError


def configured(env: Mapping[str, str]) -> bool:
    """True when the instance is meant to speak Matrix."""
    return bool(env.get("MATRIX_HOMESERVER") or env.get("MATRIX_USER_ID"))


def check_matrix(env: Mapping[str, str], timeout: float = 5.0) -> list[Finding]:
    """Every Matrix check, in the order a person fixes things."""
    from bot.matrix.run import problems
    from bot.matrix.settings import load_matrix_settings

    try:
        settings = load_matrix_settings(env)
    except ConfigError as error:
        return [Finding("blocking", str(error), "Corrigez cette variable puis relancez.")]
    findings = [Finding("blocking", problem.split("\n")[0]) for problem in problems(settings)]
    if findings:
        return findings
    findings.append(check_store(settings.store))
    findings.append(check_homeserver(settings.homeserver or "", timeout))
    if findings[-1].level == "ok":
        findings.append(check_sign_in(env, settings.store, settings.user_id or "", timeout))
    servers = ", ".join(settings.allowed_servers)
    findings.append(Finding("ok", f"Matrix : invitations acceptées depuis {servers}."))
    return findings


def check_store(store: Path) -> Finding:
    """The store folder exists (or can be made) with mode 0700 and is writable."""
    folder = store
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK):
        return Finding(
            "blocking",
            f"Matrix : le dossier du magasin de clés {store} n'est pas accessible en écriture.",
            "Donnez-le au compte du service, ou changez CHAISEVIDE_MATRIX_STORE.",
        )
    if store.exists() and store.stat().st_mode & 0o077:
        return Finding(
            "warning",
            f"Matrix : le dossier {store} est lisible par d'autres comptes.",
            f"Lancez « chmod 700 {store} » (le bot le fait aussi à chaque démarrage).",
        )
    return Finding("ok", f"Matrix : magasin de clés dans {store} (accessible en écriture).")


def check_homeserver(homeserver: str, timeout: float) -> Finding:
    """The homeserver answers its client API's version list."""
    import httpx

    try:
        response = httpx.get(f"{homeserver}/_matrix/client/versions", timeout=timeout)
        versions = response.json().get("versions")
    except (httpx.HTTPError, ValueError, AttributeError) as error:
        return Finding(
            "blocking",
            f"Matrix : le serveur {homeserver} ne répond pas ({type(error).__name__}).",
            "Vérifiez MATRIX_HOMESERVER (l'adresse de l'API client, par exemple "
            "https://matrix.agent.dinum.tchap.gouv.fr) et l'accès réseau de cette machine.",
        )
    if not versions:
        return Finding(
            "blocking",
            f"Matrix : {homeserver} ne se présente pas comme un serveur Matrix.",
            "Vérifiez MATRIX_HOMESERVER : c'est l'adresse de l'API client du serveur.",
        )
    return Finding("ok", f"Matrix : le serveur {homeserver} répond.")


def check_sign_in(env: Mapping[str, str], store: Path, user_id: str, timeout: float) -> Finding:
    """The stored device's token (or MATRIX_ACCESS_TOKEN) is accepted; a password is enough."""
    import httpx

    token = env.get("MATRIX_ACCESS_TOKEN") or ""
    try:
        stored = json.loads((store / "device.json").read_text(encoding="utf-8"))
        if stored.get("user_id") == user_id:
            token = stored.get("access_token") or token
    except (OSError, ValueError, AttributeError):
        pass
    if not token:
        if env.get("MATRIX_PASSWORD"):
            return Finding(
                "ok",
                "Matrix : pas encore d'appareil ; MATRIX_PASSWORD servira une fois, au premier "
                "démarrage.",
            )
        return Finding(
            "blocking",
            "Matrix : ni appareil enregistré, ni MATRIX_PASSWORD, ni MATRIX_ACCESS_TOKEN.",
            "Donnez MATRIX_PASSWORD pour le premier démarrage (ou MATRIX_ACCESS_TOKEN et "
            "MATRIX_DEVICE_ID d'un appareil existant).",
        )
    homeserver = env.get("MATRIX_HOMESERVER", "").rstrip("/")
    try:
        response = httpx.get(
            f"{homeserver}/_matrix/client/v3/account/whoami",
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
    except httpx.HTTPError as error:
        return Finding("warning", f"Matrix : whoami sans réponse ({type(error).__name__}).")
    if response.status_code != 200:
        return Finding(
            "blocking",
            "Matrix : le serveur refuse le jeton du bot.",
            "Donnez MATRIX_PASSWORD (une nouvelle connexion sera faite) ou un nouveau "
            "MATRIX_ACCESS_TOKEN avec son MATRIX_DEVICE_ID.",
        )
    return Finding("ok", "Matrix : le jeton du bot est accepté (il n'est jamais affiché).")
