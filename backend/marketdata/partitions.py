"""Native partition maintenance: monthly range partitions, created before they are written.

Only used without TimescaleDB (where chunks are automatic). Creation is idempotent
(IF NOT EXISTS) and remembered per process so the hot path costs nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg import sql

PARTITIONED = ("md_trade", "md_kline")
_NAME = re.compile(r"^md_(?:trade|kline)_y(\d{4})m(\d{2})$")
_known: set[tuple[str, str, str]] = set()
# pg_advisory_xact_lock key serializing partition creation ("qtpart" in ASCII).
_CREATE_LOCK = 0x717470617274


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
        if (dbname, table, name) not in _known and not _exists(cursor, name):
            cursor.execute(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier(name), sql.Identifier(table), sql.Literal(month), sql.Literal(_next_month(month))
                )
            )
            _known.add((dbname, table, name))
        month = _next_month(month)


def _exists(cursor: Any, name: str) -> bool:
    # CREATE .. IF NOT EXISTS would lock the parent table exclusively even when the
    # partition is there; looking it up first takes no lock.
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return bool(cursor.fetchone()[0])


def prepare_partitions(cursor: Any, from_ms: int, to_ms: int, *, dbname: str) -> None:
    """Create the partitions every market-data table needs for [from_ms, to_ms], in the
    caller's own short transaction, before the one that writes.

    Creating a partition locks its parent exclusively. Inside a writing transaction that
    already holds a weaker lock on the parent (every write does), two writers creating
    the same month would wait on each other forever; here they queue on an advisory
    lock instead and hold nothing else.
    """
    if all((dbname, t, f"{t}_y{m:%Y}m{m:%m}") in _known for t in PARTITIONED for m in _months(from_ms, to_ms)):
        return
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CREATE_LOCK])
    for table in PARTITIONED:
        ensure_partitions(cursor, table, from_ms, to_ms, dbname=dbname)


def _months(from_ms: int, to_ms: int) -> list[datetime]:
    months = []
    month, last = _month_start(from_ms), _month_start(to_ms)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def forget_known() -> None:
    """For tests that drop and recreate the tables."""
    _known.clear()


def drop_expired(cursor: Any, table: str, keep_days: int, now_ms: int) -> list[str]:
    """Drop monthly partitions of `table` that end before now - keep_days (0 keeps all)."""
    if keep_days <= 0:
        return []
    horizon = datetime.fromtimestamp(now_ms / 1000, tz=UTC) - timedelta(days=keep_days)
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
        [table],
    )
    dropped = []
    for (name,) in cursor.fetchall():
        match = _NAME.match(name)
        if match is None:
            continue
        start = datetime(int(match.group(1)), int(match.group(2)), 1, tzinfo=UTC)
        if _next_month(start) <= horizon:
            cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
            _known.discard((_dbname(cursor), table, name))
            dropped.append(name)
    return sorted(dropped)


def _dbname(cursor: Any) -> str:
    return str(cursor.connection.info.dbname)
