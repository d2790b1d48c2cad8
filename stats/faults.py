"""What went wrong with the statistics file, named plainly: in English for the log, in French for
the people who read `/stats` and `chaisevide stats`. Never a path or a value in the log."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

DISK_FULL = "disk-full"
READ_ONLY = "read-only"
CORRUPT = "corrupt"
LOCKED = "locked"
MISSING_FOLDER = "missing-folder"
MISSING = "missing"
FOREIGN = "foreign"

LOG_LINES: dict[str, str] = {
    DISK_FULL: "the disk holding the {file} file is full",
    READ_ONLY: "the {file} file or its folder is read-only",
    CORRUPT: "the {file} file is corrupt (not a readable SQLite database)",
    LOCKED: "the {file} file is locked by another program",
    MISSING_FOLDER: "the folder of the {file} file does not exist and cannot be created",
    MISSING: "the {file} file is missing",
    FOREIGN: "the {file} file is someone else's database",
}
"""How the log says each kind: « statistics: recording paused: the disk holding … is full »."""

FRENCH: dict[str, str] = {
    DISK_FULL: "ne peut plus grandir : le disque est plein. Libérez de la place : "
    "l'enregistrement reprend seul, sans rien perdre de ce qui attend.",
    READ_ONLY: "est en lecture seule (le fichier ou son dossier ne peut pas être modifié). "
    "Vérifiez les droits et le montage du dossier.",
    CORRUPT: "n'est pas une base SQLite lisible (abîmé ?). Restaurez une sauvegarde, ou "
    "déplacez-le : un nouveau fichier sera créé à la prochaine consultation.",
    LOCKED: "est verrouillé par un autre programme. Réessayez dans un instant.",
    MISSING_FOLDER: "est dans un dossier qui n'existe pas et ne peut pas être créé. "
    "Vérifiez CHAISEVIDE_DB.",
    MISSING: "n'existe pas encore : il est créé à la première consultation.",
    FOREIGN: "est une base SQLite qui n'appartient pas à Chaise vide. Vérifiez CHAISEVIDE_DB.",
}
"""What an admin reads after « Le fichier de statistiques … »."""


class StoreError(Exception):
    """The file cannot serve as the statistics file; `kind` says why, for messages and logs."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def kind_of(error: BaseException, path: Path | None = None) -> str:
    """The kind of a failure (the constants above) or the error's type; with the file's path,
    a file that cannot be opened is told apart: missing folder, read-only folder, missing."""
    if isinstance(error, StoreError):
        return error.kind
    text = str(error).lower()
    if "disk is full" in text or (isinstance(error, OSError) and error.errno == errno.ENOSPC):
        return DISK_FULL
    if isinstance(error, sqlite3.OperationalError):
        if "locked" in text or "busy" in text:
            return LOCKED
        if "readonly" in text or "read-only" in text:
            return READ_ONLY
        if "unable to open" in text or "disk i/o" in text:
            return unopened(path)
    if isinstance(error, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text
    ):
        return CORRUPT
    if isinstance(error, NotADirectoryError):
        return MISSING_FOLDER
    if isinstance(error, FileNotFoundError):
        return unopened(path)
    if isinstance(error, PermissionError) or (
        isinstance(error, OSError) and error.errno == errno.EROFS
    ):
        return READ_ONLY
    return type(error).__name__


def unopened(path: Path | None) -> str:
    """Why a file could not be opened: its folder is missing, or read-only, or it is missing."""
    if path is None:
        return MISSING
    folder = path.parent
    if not folder.is_dir():
        return MISSING_FOLDER
    if not writable(folder):
        return READ_ONLY
    return MISSING


def writable(folder: Path) -> bool:
    """True when new files can be made in the folder (a read-only mount counts, root or not)."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def log_line(kind: str, file: str = "CHAISEVIDE_DB") -> str:
    """The kind as the log says it, naming the setting (never the path)."""
    return LOG_LINES.get(kind, "the {file} file is unusable (" + kind + ")").format(file=file)


def french(kind: str) -> str:
    """The kind as an admin reads it, with the next step."""
    return FRENCH.get(
        kind, f"ne peut pas être utilisé ({kind}). Vérifiez CHAISEVIDE_DB et ses droits."
    )
