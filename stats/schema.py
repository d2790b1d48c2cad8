"""The schema every migration leads to, as committed in `stats/schema.sql`.

Run `python -m stats.schema` after adding a migration to write the snapshot again; a test fails
while it is stale, so a change of schema is always a reviewed diff of that file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlite_utils import Database

from stats.migrations import migrations

SNAPSHOT = Path(__file__).with_name("schema.sql")
HEADER = (
    "-- The statistics file after every migration of stats/migrations.py (sqlite_master).\n"
    "-- Written by `python -m stats.schema`; tests/stats/test_schema.py compares a new file.\n"
)
OURS = f"tbl_name != '{migrations.migrations_table}' AND name NOT LIKE 'sqlite_%'"
"""sqlite-utils' record of migrations is left out: its shape follows the installed sqlite-utils."""


def schema_of(db: Database) -> str:
    """Our tables, then their indexes, by name: the SQL SQLite keeps, one statement each."""
    rows = db.execute(
        f"SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND {OURS} "  # noqa: S608 - fixed text
        "ORDER BY type != 'table', name"
    ).fetchall()
    return HEADER + "".join(f"\n{sql.strip()};\n" for (sql,) in rows)


def migrated() -> Database:
    """A new in-memory file with every migration applied."""
    db = Database(memory=True)
    migrations.apply(db)
    return db


@cache
def columns() -> tuple[str, ...]:
    """The columns of `consultations`, in order, as the migrations leave them."""
    db = migrated()
    try:
        return tuple(db["consultations"].columns_dict)
    finally:
        db.close()


def fresh_schema() -> str:
    """The schema of a new file, in the snapshot's form."""
    db = migrated()
    try:
        return schema_of(db)
    finally:
        db.close()


def main() -> None:
    """Write `stats/schema.sql` from a new file."""
    SNAPSHOT.write_text(fresh_schema(), encoding="utf-8")
    print("stats/schema.sql written")


if __name__ == "__main__":
    main()
