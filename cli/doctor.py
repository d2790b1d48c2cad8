"""`chaisevide doctor`: check an instance's configuration and say what to do about each problem."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from flows.config import (
    ConfigError,
    parse_admins,
    parse_jurisdictions,
    parse_port,
)

TOKEN_SHAPE = re.compile(r"^\d{5,12}:[A-Za-z0-9_-]{30,50}$")
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_API = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class Finding:
    """One line of the diagnosis: its level, what was found and what to do."""

    level: str  # "ok", "warning" or "blocking"
    message: str
    advice: str = ""

    def line(self) -> str:
        """The finding as printed: a mark, the message and the next step."""
        mark = {"ok": "✅", "warning": "⚠️ ", "blocking": "❌"}[self.level]
        return f"{mark} {self.message}" + (f"\n   → {self.advice}" if self.advice else "")


def redact(text: str, token: str | None) -> str:
    """Remove the token from any text before it is printed."""
    return text.replace(token, "<jeton>") if token else text


def check_token(env: Mapping[str, str]) -> Finding:
    """The token is present and has the shape BotFather gives."""
    token = env.get("TELEGRAM_BOT_TOKEN", "")
    if not token:
        return Finding(
            "blocking",
            "TELEGRAM_BOT_TOKEN n'est pas défini : le bot ne peut pas démarrer.",
            "Créez le bot avec @BotFather et copiez son jeton dans TELEGRAM_BOT_TOKEN "
            "(voir docs/deploy.md). Sans Telegram, « chaisevide chat » fonctionne déjà.",
        )
    if not TOKEN_SHAPE.match(token):
        return Finding(
            "blocking",
            "TELEGRAM_BOT_TOKEN n'a pas la forme d'un jeton Telegram (chiffres, deux-points, "
            "puis une trentaine de lettres).",
            "Recopiez-le depuis @BotFather, sans espace ni guillemets.",
        )
    return Finding("ok", "Le jeton a la forme attendue (il n'est jamais affiché).")


def check_get_me(env: Mapping[str, str], timeout: float = 5.0) -> Finding:
    """Ask the Bot API who the bot is, when the token looks right."""
    import httpx

    token = env.get("TELEGRAM_BOT_TOKEN", "")
    base = env.get("TELEGRAM_API_BASE_URL") or DEFAULT_API
    try:
        response = httpx.post(f"{base}{token}/getMe", timeout=timeout)
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        return Finding(
            "warning",
            f"L'API Telegram ne répond pas ({type(error).__name__}).",
            "Vérifiez l'accès à Internet (ou TELEGRAM_API_BASE_URL) depuis cette machine, "
            "puis relancez « chaisevide doctor ».",
        )
    if response.status_code == 401 or data.get("ok") is False:
        description = redact(str(data.get("description", response.status_code)), token)
        return Finding(
            "blocking",
            f"Telegram refuse ce jeton ({description}).",
            "Le jeton a peut-être été révoqué : demandez-en un nouveau à @BotFather (/token).",
        )
    username = data.get("result", {}).get("username", "?")
    return Finding("ok", f"Telegram reconnaît le bot @{username}.")


def check_admins(env: Mapping[str, str]) -> Finding:
    """Admin ids are numbers; none means nobody can read /stats."""
    try:
        admins = parse_admins(env.get("CHAISEVIDE_ADMINS"))
    except ConfigError as error:
        return Finding("blocking", str(error), "Corrigez CHAISEVIDE_ADMINS.")
    if not admins:
        return Finding(
            "warning",
            "CHAISEVIDE_ADMINS est vide : personne ne pourra lire /stats dans Telegram.",
            "Ajoutez les identifiants numériques des responsables (ils peuvent l'obtenir "
            "auprès de @userinfobot), séparés par des virgules.",
        )
    return Finding("ok", f"{len(admins)} administrateur·rice(s) des statistiques.")


def check_database(path: Path) -> Finding:
    """The statistics file can be created or written."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the bot creates missing folders: the first existing one decides
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return Finding(
            "warning",
            f"Les statistiques ne peuvent pas être écrites dans {path}.",
            "Donnez ce fichier et son dossier en écriture au compte du service, ou changez "
            "CHAISEVIDE_DB. Le bot répond quand même, sans enregistrer.",
        )
    if path.exists():
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
                status = connection.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError:
            status = "illisible"
        if status != "ok":
            return Finding(
                "warning",
                f"Le fichier de statistiques {path} est abîmé.",
                "Mettez-le de côté (ou restaurez une sauvegarde) : un nouveau fichier sera créé.",
            )
    return Finding("ok", f"Statistiques : {path} (accessible en écriture).")


def check_webhook(env: Mapping[str, str]) -> Finding:
    """Webhook mode needs an https URL and a secret token."""
    url = env.get("CHAISEVIDE_WEBHOOK_URL")
    if not url:
        return Finding("ok", "Mode polling (pas de CHAISEVIDE_WEBHOOK_URL) : rien à ouvrir.")
    if urlparse(url).scheme != "https" or not urlparse(url).hostname:
        return Finding(
            "blocking",
            "CHAISEVIDE_WEBHOOK_URL doit être une adresse https complète.",
            "Telegram n'envoie les mises à jour qu'en https, par exemple "
            "https://chaisevide.example.org/telegram (voir deploy/Caddyfile).",
        )
    secret = env.get("CHAISEVIDE_WEBHOOK_SECRET", "")
    if not SECRET_SHAPE.match(secret):
        return Finding(
            "blocking",
            "CHAISEVIDE_WEBHOOK_SECRET est absent ou invalide : il est obligatoire en webhook.",
            "Générez-le avec « python3 -c 'import secrets; print(secrets.token_urlsafe(32))' » "
            "(lettres, chiffres, _ et - seulement).",
        )
    try:
        port = parse_port(env.get("CHAISEVIDE_PORT"))
    except ConfigError as error:
        return Finding("blocking", str(error), "Corrigez CHAISEVIDE_PORT.")
    return Finding("ok", f"Webhook {urlparse(url).hostname}, écoute sur le port {port}.")


def check_jurisdictions(env: Mapping[str, str]) -> Finding:
    """The countries are known and the knowledge base passes its check."""
    from knowledge.check import check_knowledge
    from knowledge.loader import KnowledgeError, load_knowledge

    try:
        served = parse_jurisdictions(env.get("CHAISEVIDE_JURISDICTIONS"))
        reports = check_knowledge(load_knowledge(), dt.date.today())
    except (ConfigError, KnowledgeError) as error:
        return Finding("blocking", str(error), "Corrigez ce point puis relancez le doctor.")
    broken = [report.jurisdiction for report in reports if not report.ok]
    if broken:
        return Finding(
            "blocking",
            f"La base de connaissances a des trous ({', '.join(broken)}).",
            "Lancez « chaisevide knowledge check » pour le détail.",
        )
    return Finding("ok", f"Pays servis : {', '.join(served)} ; base de connaissances vérifiée.")


def diagnose(env: Mapping[str, str], db_path: Path) -> list[Finding]:
    """Every check, in the order a person fixes things: Telegram, Matrix when configured, then
    what both share. A Matrix-only instance needs no Telegram token."""
    from cli.doctor_matrix import check_matrix, configured

    findings: list[Finding] = []
    matrix = configured(env)
    if env.get("TELEGRAM_BOT_TOKEN") or not matrix:
        findings.append(check_token(env))
        if findings[0].level == "ok":
            findings.append(check_get_me(env))
        findings += [check_webhook(env), check_admins(env)]
    else:
        findings.append(Finding("ok", "Telegram non configuré : seul le bot Matrix démarrera."))
    if matrix:
        findings += check_matrix(env)
    findings += [check_database(db_path), check_jurisdictions(env)]
    return findings


def run_doctor(env: Mapping[str, str], db_path: Path, out: Callable[[str], None] = print) -> int:
    """Print the diagnosis; exit 1 when something blocks startup."""
    token = env.get("TELEGRAM_BOT_TOKEN")
    findings = diagnose(env, db_path)
    for finding in findings:
        out(redact(finding.line(), token))
    blocking = sum(finding.level == "blocking" for finding in findings)
    if blocking:
        out(f"\n{blocking} problème(s) empêche(nt) le démarrage du bot.")
        return 1
    ready = (
        "« chaisevide run » peut" if env.get("TELEGRAM_BOT_TOKEN") else "« chaisevide matrix » peut"
    )
    if env.get("TELEGRAM_BOT_TOKEN") and env.get("MATRIX_HOMESERVER"):
        ready = "« chaisevide run » et « chaisevide matrix » peuvent"
    out(f"\nTout est prêt : {ready} démarrer.")
    return 0
