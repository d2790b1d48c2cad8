"""The Datasette metadata describes every table and every column of the real schema, in French."""

from __future__ import annotations

from pathlib import Path

import yaml

from stats.metadata import DEFAULT_NAME, metadata, metadata_yaml
from stats.store import open_store


def test_every_table_and_column_is_documented(db_path: Path) -> None:
    """After all migrations, each table and column has a description (none extra, none missing)."""
    db = open_store(db_path)
    schema = {name: set(db[name].columns_dict) for name in db.table_names()}
    db.close()
    tables = metadata()["databases"][DEFAULT_NAME]["tables"]
    assert set(tables) == set(schema), "document (or remove) these tables in stats/metadata.yaml"
    for name, columns in schema.items():
        described = tables[name].get("columns", {})
        missing = columns - set(described)
        assert not missing, f"stats/metadata.yaml: table {name}: describe columns {missing}"
        assert set(described) <= columns, f"{name}: described columns that do not exist"
        assert tables[name].get("description")
        assert all(isinstance(text, str) and len(text) > 10 for text in described.values())


def test_the_instance_has_a_title_a_description_and_a_license_note() -> None:
    """What Datasette shows on its home page."""
    data = metadata()
    assert data["title"]
    assert data["description"]
    assert data["license"]


def test_metadata_can_be_written_for_another_file_name() -> None:
    """`chaisevide stats metadata` keys the database by the file's name."""
    data = yaml.safe_load(metadata_yaml("stats"))
    assert list(data["databases"]) == ["stats"]
    assert "consultations" in data["databases"]["stats"]["tables"]
