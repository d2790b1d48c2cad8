"""The Datasette metadata shipped with the package, keyed by the name of the database file."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

DEFAULT_NAME = "statistiques"


def metadata() -> dict[str, Any]:
    """The packaged metadata.yaml as data."""
    text = resources.files("stats").joinpath("metadata.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def metadata_yaml(database: str = DEFAULT_NAME) -> str:
    """The metadata as YAML, with its database renamed to match the file Datasette opens."""
    data = metadata()
    data["databases"] = {database: data["databases"][DEFAULT_NAME]}
    header = f"# datasette {database}.sqlite -m metadata.yaml\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
