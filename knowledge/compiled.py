"""The validated knowledge, compiled once into JSON and read back without YAML or pydantic.

The YAML stays what people edit and review; the loader validates it (`knowledge/loader.py`) and
writes what it built here, one file per country and one shared file, so that the next process
reads only the country it is asked about, in a few milliseconds. Every file starts with a header
line holding the key it was written for and the SHA-256 of the rest; the key is a hash of every
knowledge file's bytes, of the code that validates them and of the package version, so a file
written for other knowledge is never read (never stale), and a corrupt or truncated one is
ignored and rebuilt. JSON only: nothing read from a cache can run code.

Where: the folder shipped inside the wheel (`knowledge/compiled/`, written at build time), then
the user's cache (`$CHAISEVIDE_CACHE_DIR`, else `$XDG_CACHE_HOME/chaisevide`, else
`~/.cache/chaisevide`); `CHAISEVIDE_CACHE_DIR=` (empty) turns the cache off.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import knowledge
from knowledge import models, vocabulary

FORMAT = 1
"""Changes whenever the layout of the files below changes."""
CODE_DIR = Path(__file__).resolve().parent
PACKAGED = CODE_DIR / "compiled"
"""Compiled at build time into the wheel (absent from a source checkout)."""
SHARED = "shared"
CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        models.Choice,
        models.Asked,
        models.Question,
        models.Term,
        models.Source,
        models.Position,
        models.Rule,
        models.StatusRule,
        models.AlertRule,
        models.EmergencyNumber,
        models.Jurisdiction,
        vocabulary.Words,
        vocabulary.Situation,
    )
}
"""Every model a compiled file holds, by the tag it is written with."""
TAG = "$"
DATES = frozenset({"checked_on"})
"""Fields holding a date (written as ISO text)."""

log = logging.getLogger("chaisevide.knowledge")


class CorruptError(ValueError):
    """A compiled file that cannot be trusted (truncated, edited, of another format)."""


@dataclass(frozen=True)
class Fingerprint:
    """The knowledge's version (as buttons and statistics carry it) and the compiled files' key."""

    version: str
    key: str


def fingerprint(root: Path) -> Fingerprint:
    """Hash every YAML file under `root` (its path and bytes: the version, unchanged from before
    compiled files existed), then the code that validates them and the package version (the
    key)."""
    data = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        data.update(path.relative_to(root).as_posix().encode())
        data.update(path.read_bytes())
    key = hashlib.sha256(f"{FORMAT}:{knowledge.__version__}:".encode())
    key.update(data.digest())
    for path in sorted(CODE_DIR.glob("*.py")):
        key.update(path.name.encode())
        key.update(path.read_bytes())
    return Fingerprint(data.hexdigest()[:8], key.hexdigest())


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The user's cache folder for compiled knowledge, or None when turned off."""
    env = os.environ if environ is None else environ
    explicit = env.get("CHAISEVIDE_CACHE_DIR")
    if explicit is not None:
        return Path(explicit).expanduser() / "knowledge" if explicit else None
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chaisevide" / "knowledge"


def folders(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Where compiled knowledge is looked for, in order: the wheel's, then the user's cache."""
    found = [PACKAGED]
    user = cache_dir(environ)
    if user is not None:
        found.append(user)
    return found


def encode(value: Any) -> Any:
    """A model as JSON data: tagged objects, fields left at their default omitted."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found: dict[str, Any] = {TAG: type(value).__name__}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if field.default is not dataclasses.MISSING and item == field.default:
                continue
            if field.default_factory is not dataclasses.MISSING and item == field.default_factory():
                continue
            found[field.name] = encode(item)
        return found
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if TAG in value:
            raise ValueError(f"a key {TAG!r} cannot be compiled")
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decode_object(data: dict[str, Any]) -> Any:
    """One JSON object back as it was built: lists are tuples, tagged objects are models."""
    name = data.pop(TAG, None)
    for key, item in data.items():
        if type(item) is list:
            data[key] = tuple(item)
    if name is None:
        return data
    for key in DATES.intersection(data):
        data[key] = dt.date.fromisoformat(data[key])
    return CLASSES[name](**data)


def dumps(key: str, payload: Any) -> bytes:
    """A compiled file: a header line (format, key, SHA-256 of the rest), then the JSON."""
    body = json.dumps(encode(payload), ensure_ascii=False, separators=(",", ":")).encode()
    header = {"format": FORMAT, "key": key, "sha256": hashlib.sha256(body).hexdigest()}
    return json.dumps(header).encode() + b"\n" + body


def loads(key: str, raw: bytes) -> Any:
    """The payload of a compiled file written for `key`; CorruptError when it cannot be trusted,
    LookupError when it was written for other knowledge."""
    head, newline, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        raise CorruptError("unreadable header") from None
    if not newline or not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CorruptError("not a compiled knowledge file of this format")
    if header.get("key") != key:
        raise LookupError("written for other knowledge")
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise CorruptError("its content does not match its checksum (truncated or edited)")
    try:
        return json.loads(body, object_hook=_decode_object)
    except (ValueError, TypeError, KeyError) as error:
        raise CorruptError(f"undecodable content ({type(error).__name__})") from None


def path_of(folder: Path, part: str) -> Path:
    """The file of one part (`shared`, `fr`, `be`) in a folder."""
    return folder / f"{part}.json"


def read(folder: Path, key: str, part: str) -> Any | None:
    """One part read from a folder; None when absent, for other knowledge, or corrupt (logged)."""
    path = path_of(folder, part)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        return loads(key, raw)
    except LookupError:
        return None
    except CorruptError as error:
        log.warning("compiled knowledge %s ignored and rebuilt: %s", path, error)
        return None


def write(folder: Path, key: str, parts: Mapping[str, Any], public: bool = False) -> bool:
    """Write every part atomically (the shared part last: it is what readers look for first);
    False, silently, when the folder cannot be written (read-only home, container). The user's
    cache is private to them; a `public` folder (the wheel's) is readable by everyone."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o755 if public else 0o700)
        names = [name for name in parts if name != SHARED] + [SHARED]
        for name in names:
            data = dumps(key, parts[name])
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                if public:
                    os.chmod(temporary, 0o644)
                os.replace(temporary, path_of(folder, name))
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
    except OSError:
        return False
    return True
