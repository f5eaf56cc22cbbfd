"""Persisting trades and klines: binary COPY in batches, idempotent, in one transaction.

Trades are COPYed into a session temp table and moved with INSERT .. ON CONFLICT DO
NOTHING RETURNING, so a replayed batch stores nothing twice and the caller learns which
trades are new. Klines are upserted as *deltas* computed from only those new trades
(high = greatest, volume = sum, open/close by trade order), so the stored klines are
exact however batches are replayed, split or reordered, and no in-memory state is
needed to get them right.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import sql

from backend.engine.aggregate.klines import Kline
from backend.engine.market.trade import Side, Trade
from backend.marketdata.partitions import ensure_partitions

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
    # Trades stage with millisecond integers: the text COPY then needs no datetime per
    # row, and the server turns them into timestamps exactly (integer interval math).
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS md_trade_in (exchange text, symbol text, trade_id int8, ts_ms int8,"
        " price numeric, qty numeric, side text, recv_ms int8) ON COMMIT DELETE ROWS"
    )
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS md_kline_in (LIKE md_kline INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
    )


_MS = "timestamptz 'epoch' + {} * interval '1 millisecond'"
_MOVE_TRADES = f"""
INSERT INTO md_trade (exchange, symbol, trade_id, ts, price, qty, side, recv_ts)
SELECT exchange, symbol, trade_id, {_MS.format("ts_ms")}, price, qty, side, {_MS.format("recv_ms")} FROM md_trade_in
ON CONFLICT DO NOTHING RETURNING exchange, symbol, trade_id
"""  # noqa: S608 - constant


def _copy_text(cursor: Any, table: str, data: str) -> None:
    with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table))) as copy:
        copy.write(data)


def _copy_rows(cursor: Any, table: str, columns: Sequence[str], types: Sequence[str], rows: Any) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cursor.copy(statement) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def store_trades(cursor: Any, trades: Sequence[Trade], *, partitioned: bool, dbname: str) -> list[Trade]:
    """Insert trades that are not stored yet; return exactly those (in input order).

    Fast path: look up which of the batch's trades are already stored (an index range
    per market), then COPY the rest straight into the table. COPY cannot skip
    duplicates, so if another writer stored some of them in the meantime the unique key
    refuses the COPY, and the batch goes through the conflict-safe staging path instead.
    """
    if not trades:
        return []
    if partitioned:
        ensure_partitions(cursor, "md_trade", min(t.ts_ms for t in trades), max(t.ts_ms for t in trades), dbname=dbname)
    stored = _stored_keys(cursor, trades)
    new: list[Trade] = []
    for t in trades:
        key = (t.exchange, t.symbol, t.trade_id)
        if key not in stored:
            stored.add(key)  # a trade repeated within the batch is stored once
            new.append(t)
    if not new:
        return []
    cursor.execute("SAVEPOINT md_trade_copy")
    try:
        _copy_text(cursor, "md_trade", _trade_lines(new))
    except psycopg.errors.UniqueViolation:
        cursor.execute("ROLLBACK TO SAVEPOINT md_trade_copy")
        return _store_via_staging(cursor, trades)
    cursor.execute("RELEASE SAVEPOINT md_trade_copy")
    return new


def _stored_keys(cursor: Any, trades: Sequence[Trade]) -> set[tuple[str, str, int]]:
    ranges: dict[tuple[str, str], tuple[int, int]] = {}
    for t in trades:
        market = (t.exchange, t.symbol)
        lo, hi = ranges.get(market, (t.ts_ms, t.ts_ms))
        ranges[market] = (min(lo, t.ts_ms), max(hi, t.ts_ms))
    cursor.execute(
        "SELECT m.exchange, m.symbol, m.trade_id FROM md_trade m"
        " JOIN unnest(%s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[]) AS r(exchange, symbol, lo, hi)"
        " ON m.exchange = r.exchange AND m.symbol = r.symbol AND m.ts BETWEEN r.lo AND r.hi",
        [
            [ex for ex, _ in ranges],
            [sym for _, sym in ranges],
            [datetime_from_ms(lo) for lo, _ in ranges.values()],
            [datetime_from_ms(hi) for _, hi in ranges.values()],
        ],
    )
    return {(row[0], row[1], int(row[2])) for row in cursor.fetchall()}


@lru_cache(maxsize=4096)
def _second_text(second: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(second))


def _ts_text(ms: int) -> str:
    # Trades cluster in few distinct seconds: format each second once.
    second, milli = divmod(ms, 1000)
    return f"{_second_text(second)}.{milli:03d}+00"


def _trade_lines(trades: Sequence[Trade]) -> str:
    # Text COPY built as one string: several times cheaper in Python than binary rows,
    # and every value is text-safe (subject-token names, decimals, integers, timestamps).
    return "".join(
        f"{t.exchange}\t{t.symbol}\t{t.trade_id}\t{_ts_text(t.ts_ms)}\t{t.price}\t{t.qty}\t{t.side.value}"
        f"\t{_ts_text(t.recv_ms)}\n"
        for t in trades
    )


def _store_via_staging(cursor: Any, trades: Sequence[Trade]) -> list[Trade]:
    """Conflict-safe: stage the batch, move it with ON CONFLICT DO NOTHING RETURNING."""
    _ensure_temp_tables(cursor)
    _copy_text(
        cursor,
        "md_trade_in",
        "".join(
            f"{t.exchange}\t{t.symbol}\t{t.trade_id}\t{t.ts_ms}\t{t.price}\t{t.qty}\t{t.side.value}\t{t.recv_ms}\n"
            for t in trades
        ),
    )
    cursor.execute(_MOVE_TRADES)
    inserted = {(row[0], row[1], row[2]) for row in cursor.fetchall()}
    cursor.execute("TRUNCATE md_trade_in")
    new: list[Trade] = []
    for t in trades:
        key = (t.exchange, t.symbol, t.trade_id)
        if key in inserted:
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


KLINE_SELECT = (
    "SELECT exchange, symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades,"
    " first_ts, first_id, last_ts, last_id FROM md_kline"
)


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
