"""Which time-series storage the database offers: TimescaleDB or native partitioning.

config database.timescaledb: `auto` uses TimescaleDB when the extension can be created,
`on` requires it, `off` never uses it. The market-data tables (a later migration) are
hypertables on TimescaleDB and natively range-partitioned tables otherwise, with the
same columns and queries on both paths.
"""

from __future__ import annotations

from typing import Any, Literal

StorageMode = Literal["timescaledb", "native"]


class StorageUnavailable(Exception):
    pass


def timescaledb_version(cursor: Any) -> str | None:
    cursor.execute("SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'")
    row = cursor.fetchone()
    return str(row[0]) if row else None


def storage_mode(cursor: Any, setting: Literal["auto", "on", "off"]) -> StorageMode:
    if setting == "off":
        return "native"
    available = timescaledb_version(cursor)
    if available:
        return "timescaledb"
    if setting == "on":
        raise StorageUnavailable(
            "database.timescaledb is 'on' but the timescaledb extension is not available on this "
            "PostgreSQL server; install TimescaleDB or set database.timescaledb to auto"
        )
    return "native"
