"""Native partition maintenance: monthly range partitions, created before they are written.

Only used without TimescaleDB (where chunks are automatic). Creation is idempotent
(IF NOT EXISTS) and remembered per process so the hot path costs nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from psycopg import sql

PARTITIONED = ("md_trade", "md_kline")
_known: set[tuple[str, str, str]] = set()


def _month_start(ts_ms: int) -> datetime:
    moment = datetime.fromtimestamp(ts_ms / 1000, tz=UTC)
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def ensure_partitions(cursor: Any, table: str, from_ms: int, to_ms: int, *, dbname: str) -> None:
    """Make sure monthly partitions of `table` cover [from_ms, to_ms]."""
    if table not in PARTITIONED:
        raise ValueError(f"{table} is not a partitioned market-data table")
    month = _month_start(from_ms)
    last = _month_start(to_ms)
    while month <= last:
        name = f"{table}_y{month:%Y}m{month:%m}"
        if (dbname, table, name) not in _known:
            cursor.execute(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier(name), sql.Identifier(table), sql.Literal(month), sql.Literal(_next_month(month))
                )
            )
            _known.add((dbname, table, name))
        month = _next_month(month)


def forget_known() -> None:
    """For tests that drop and recreate the tables."""
    _known.clear()
