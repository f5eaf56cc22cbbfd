"""Reads of stored market data (plain SQL over the partitioned tables / hypertables)."""

from __future__ import annotations

from typing import Any

from django.db import connection

from backend.engine.aggregate.klines import Kline
from backend.engine.market.intervals import DAY_MS, duration_ms
from backend.engine.market.trade import Trade
from backend.marketdata.writer import KLINE_SELECT, datetime_from_ms, kline_from_row, trade_from_row


def klines(
    *, exchange: str, symbol: str, interval: str, start_ms: int | None, end_ms: int | None, limit: int
) -> list[Kline]:
    """Ascending; from start when given, else the latest `limit` up to end."""
    where = ["exchange = %s", "symbol = %s", "interval = %s"]
    params: list[Any] = [exchange, symbol, interval]
    if start_ms is not None:
        where.append("open_time >= %s")
        params.append(datetime_from_ms(start_ms))
    if end_ms is not None:
        where.append("open_time <= %s")
        params.append(datetime_from_ms(end_ms))
    order = "ASC" if start_ms is not None else "DESC"
    query = f"{KLINE_SELECT} WHERE {' AND '.join(where)} ORDER BY open_time {order} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, limit])
        rows = [kline_from_row(row) for row in cursor.fetchall()]
    return rows if start_ms is not None else rows[::-1]


_BINANCE_ROW = (
    "SELECT (extract(epoch FROM open_time) * 1000)::bigint, open::text, high::text, low::text, close::text,"
    " volume::text, (extract(epoch FROM open_time) * 1000)::bigint + %s - 1, quote_volume::text, trades"
    " FROM md_kline"
)


def kline_rows(
    *, exchange: str, symbol: str, interval: str, start_ms: int | None, end_ms: int | None, limit: int, floor_ms: int
) -> list[list[Any]]:
    """Binance-compatible kline rows, ascending, none opening before floor_ms.

    The API's hot path: PostgreSQL formats the decimals as text (plain notation), so no
    Decimal or Kline object is built per row.
    """
    where = ["exchange = %s", "symbol = %s", "interval = %s", "open_time >= %s"]
    params: list[Any] = [exchange, symbol, interval, datetime_from_ms(max(floor_ms, start_ms or floor_ms))]
    if end_ms is not None:
        where.append("open_time <= %s")
        params.append(datetime_from_ms(end_ms))
    order = "ASC" if start_ms is not None else "DESC"
    query = f"{_BINANCE_ROW} WHERE {' AND '.join(where)} ORDER BY open_time {order} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(query, [duration_ms(interval), *params, limit])
        rows = [list(row) for row in cursor.fetchall()]
    return rows if start_ms is not None else rows[::-1]


def trades(*, exchange: str, symbol: str, start_ms: int | None, limit: int) -> list[Trade]:
    columns = "exchange, symbol, trade_id, ts, price, qty, side, recv_ts"
    with connection.cursor() as cursor:
        if start_ms is not None:
            cursor.execute(
                f"SELECT {columns} FROM md_trade WHERE exchange = %s AND symbol = %s AND ts >= %s"  # noqa: S608
                " ORDER BY ts, trade_id LIMIT %s",
                [exchange, symbol, datetime_from_ms(start_ms), limit],
            )
            return [trade_from_row(row) for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT {columns} FROM md_trade WHERE exchange = %s AND symbol = %s"  # noqa: S608
            " ORDER BY ts DESC, trade_id DESC LIMIT %s",
            [exchange, symbol, limit],
        )
        return [trade_from_row(row) for row in cursor.fetchall()][::-1]


def ticker(*, exchange: str, symbol: str, now_ms: int) -> dict[str, Any] | None:
    """Last price, 24h change and volumes, from the stored one-minute klines."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (array_agg(open ORDER BY open_time ASC))[1], (array_agg(close ORDER BY open_time DESC))[1],
                   max(high), min(low), sum(volume), sum(quote_volume), sum(trades), max(open_time)
            FROM md_kline WHERE exchange = %s AND symbol = %s AND interval = '1m' AND open_time >= %s
            """,
            [exchange, symbol, datetime_from_ms(now_ms - DAY_MS)],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    first_open, last, high, low, volume, quote_volume, count, _ = row
    change = last - first_open
    return {
        "exchange": exchange,
        "symbol": symbol,
        "last_price": str(last),
        "price_change": str(change),
        "price_change_percent": str(round(change / first_open * 100, 4)),
        "high": str(high),
        "low": str(low),
        "volume": str(volume),
        "quote_volume": str(quote_volume),
        "trades": int(count),
    }


def kline_ohlcv(
    *, exchange: str, symbol: str, interval: str, start_ms: int, end_ms: int, limit: int
) -> list[tuple[int, float, float, float, float, float]]:
    """(open_time_ms, open, high, low, close, volume) as floats, ascending, open times in [start, end].

    For backtests over up to millions of klines: PostgreSQL does the numeric -> float
    conversion, which is several times cheaper than building Kline objects of Decimals.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (extract(epoch FROM open_time) * 1000)::bigint, open::float8, high::float8, low::float8,"
            " close::float8, volume::float8 FROM md_kline WHERE exchange = %s AND symbol = %s AND interval = %s"
            " AND open_time >= %s AND open_time <= %s ORDER BY open_time LIMIT %s",
            [exchange, symbol, interval, datetime_from_ms(start_ms), datetime_from_ms(end_ms), limit],
        )
        return cursor.fetchall()
