"""Persisting trades and klines: binary COPY in batches, idempotent, in one transaction.

Trades are COPYed into a session temp table and moved with INSERT .. ON CONFLICT DO
NOTHING RETURNING, so a replayed batch stores nothing twice and the caller learns which
trades are new. Klines are upserted as *deltas* computed from only those new trades
(high = greatest, volume = sum, open/close by trade order), so the stored klines are
exact however batches are replayed, split or reordered, and no in-memory state is
needed to get them right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from psycopg import sql

from backend.engine.aggregate.klines import Kline
from backend.engine.market.trade import Side, Trade
from backend.marketdata.partitions import ensure_partitions

_TRADE_COLUMNS = ("exchange", "symbol", "trade_id", "ts", "price", "qty", "side", "recv_ts")
_TRADE_TYPES = ("text", "text", "int8", "timestamptz", "numeric", "numeric", "text", "timestamptz")
_KLINE_COLUMNS = (
    "exchange", "symbol", "interval", "open_time", "open", "high", "low", "close", "volume",
    "quote_volume", "trades", "first_ts", "first_id", "last_ts", "last_id",
)  # fmt: skip
_KLINE_TYPES = (
    "text", "text", "text", "timestamptz", "numeric", "numeric", "numeric", "numeric", "numeric",
    "numeric", "int8", "int8", "int8", "int8", "int8",
)  # fmt: skip


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)


def datetime_from_ms(ms: int) -> datetime:
    # Integer arithmetic: a float detour can land a microsecond short and shift the ms.
    return _EPOCH + timedelta(milliseconds=ms)


def _ms(moment: datetime) -> int:
    return (moment - _EPOCH) // _ONE_MS


def _ensure_temp_tables(cursor: Any) -> None:
    # ON COMMIT DELETE ROWS: the staging rows never outlive the transaction that wrote them.
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS md_trade_in (LIKE md_trade INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS md_kline_in (LIKE md_kline INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )


def _copy_rows(cursor: Any, table: str, columns: Sequence[str], types: Sequence[str], rows: Any) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def store_trades(cursor: Any, trades: Sequence[Trade], *, partitioned: bool, dbname: str) -> list[Trade]:
    """Insert trades that are not stored yet; return exactly those (in input order)."""
    if not trades:
        return []
    _ensure_temp_tables(cursor)
    if partitioned:
        ensure_partitions(cursor, "md_trade", min(t.ts_ms for t in trades), max(t.ts_ms for t in trades), dbname=dbname)
    rows = (
        (
            t.exchange,
            t.symbol,
            t.trade_id,
            datetime_from_ms(t.ts_ms),
            t.price,
            t.qty,
            t.side.value,
            datetime_from_ms(t.recv_ms),
        )
        for t in trades
    )
    _copy_rows(cursor, "md_trade_in", _TRADE_COLUMNS, _TRADE_TYPES, rows)
    cursor.execute(
        "INSERT INTO md_trade SELECT * FROM md_trade_in ON CONFLICT DO NOTHING RETURNING exchange, symbol, trade_id"
    )
    inserted = {(row[0], row[1], row[2]) for row in cursor.fetchall()}
    cursor.execute("TRUNCATE md_trade_in")
    new: list[Trade] = []
    for t in trades:
        key = (t.exchange, t.symbol, t.trade_id)
        if key in inserted:
            # A trade repeated within the batch was inserted once; report it once.
            inserted.discard(key)
            new.append(t)
    return new


# "earlier"/"later" compare (ts, trade id) of the delta's first/last trade with the
# stored ones: they decide open, close and the bounds kept for the next delta.
_EARLIER = "(EXCLUDED.first_ts, EXCLUDED.first_id) < (k.first_ts, k.first_id)"
_LATER = "(EXCLUDED.last_ts, EXCLUDED.last_id) > (k.last_ts, k.last_id)"
_UPSERT_KLINES = f"""
INSERT INTO md_kline AS k ({{columns}}) SELECT {{columns}} FROM md_kline_in
ON CONFLICT (exchange, symbol, interval, open_time) DO UPDATE SET
    open = CASE WHEN {_EARLIER} THEN EXCLUDED.open ELSE k.open END,
    close = CASE WHEN {_LATER} THEN EXCLUDED.close ELSE k.close END,
    high = GREATEST(k.high, EXCLUDED.high),
    low = LEAST(k.low, EXCLUDED.low),
    volume = k.volume + EXCLUDED.volume,
    quote_volume = k.quote_volume + EXCLUDED.quote_volume,
    trades = k.trades + EXCLUDED.trades,
    first_id = CASE WHEN {_EARLIER} THEN EXCLUDED.first_id ELSE k.first_id END,
    first_ts = LEAST(k.first_ts, EXCLUDED.first_ts),
    last_id = CASE WHEN {_LATER} THEN EXCLUDED.last_id ELSE k.last_id END,
    last_ts = GREATEST(k.last_ts, EXCLUDED.last_ts),
    revision = k.revision + 1
RETURNING {{columns}}, revision
"""  # noqa: S608 - assembled only from the constants above


def _stage_klines(cursor: Any, klines: Sequence[Kline], *, partitioned: bool, dbname: str) -> None:
    """COPY klines into the session's staging table (partitions made first when native)."""
    _ensure_temp_tables(cursor)
    if partitioned:
        times = [k.open_time for k in klines]
        ensure_partitions(cursor, "md_kline", min(times), max(times), dbname=dbname)
    rows = (
        (
            k.exchange, k.symbol, k.interval, datetime_from_ms(k.open_time), k.open, k.high, k.low, k.close,
            k.volume, k.quote_volume, k.trades, *k.first_key, *k.last_key,
        )
        for k in klines
    )  # fmt: skip
    _copy_rows(cursor, "md_kline_in", _KLINE_COLUMNS, _KLINE_TYPES, rows)


def upsert_kline_deltas(
    cursor: Any, deltas: Sequence[Kline], *, partitioned: bool, dbname: str
) -> list[tuple[Kline, int]]:
    """Add delta klines to the stored ones; return the resulting full klines with revisions."""
    if not deltas:
        return []
    _stage_klines(cursor, deltas, partitioned=partitioned, dbname=dbname)
    cursor.execute(_UPSERT_KLINES.format(columns=", ".join(_KLINE_COLUMNS)))
    rows = cursor.fetchall()
    cursor.execute("TRUNCATE md_kline_in")
    return [(kline_from_row(row), int(row[-1])) for row in rows]


def kline_from_row(row: Sequence[Any]) -> Kline:
    (exchange, symbol, interval, open_time, o, h, lo, c, v, qv, n, first_ts, first_id, last_ts, last_id) = row[:15]
    return Kline(
        exchange, symbol, interval, _ms(open_time), Decimal(o), Decimal(h), Decimal(lo), Decimal(c),
        Decimal(v), Decimal(qv), int(n), (int(first_ts), int(first_id)), (int(last_ts), int(last_id)),
    )  # fmt: skip


def trade_from_row(row: Sequence[Any]) -> Trade:
    exchange, symbol, trade_id, ts, price, qty, side, recv_ts = row
    return Trade(exchange, symbol, int(trade_id), _ms(ts), Decimal(price), Decimal(qty), Side(side), _ms(recv_ts))


_REPLACE_KLINES = f"""
INSERT INTO md_kline AS k ({{columns}}) SELECT {{columns}} FROM md_kline_in
ON CONFLICT (exchange, symbol, interval, open_time) DO UPDATE SET
{", ".join(f"{c} = EXCLUDED.{c}" for c in _KLINE_COLUMNS[4:])}, revision = k.revision + 1
"""  # noqa: S608 - assembled only from the constants above


def replace_klines(cursor: Any, klines: Sequence[Kline], *, partitioned: bool, dbname: str) -> int:
    """Store complete klines (imports, seeded history), replacing any stored for the same window."""
    if not klines:
        return 0
    _stage_klines(cursor, klines, partitioned=partitioned, dbname=dbname)
    cursor.execute(_REPLACE_KLINES.format(columns=", ".join(_KLINE_COLUMNS)))
    cursor.execute("TRUNCATE md_kline_in")
    return len(klines)
