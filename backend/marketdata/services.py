"""Writing market data: trades in, exact klines out, in one transaction per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from backend.engine.aggregate.klines import Kline, fold_trades, rollup
from backend.engine.market.intervals import INTERVALS, duration_ms, window_start
from backend.engine.market.trade import Trade
from backend.marketdata.partitions import prepare_partitions
from backend.marketdata.storage import storage_mode
from backend.marketdata.writer import (
    KLINE_SELECT,
    datetime_from_ms,
    kline_from_row,
    replace_klines,
    store_trades,
    upsert_kline_deltas,
)

Market = tuple[str, str]


@dataclass
class LatenessGate:
    """Per market, the newest exchange time seen; trades older than it by more than the
    late window are refused (counted by the caller), later ones pass."""

    window_ms: int
    newest: dict[Market, int] = field(default_factory=dict)

    def split(self, trades: Sequence[Trade]) -> tuple[list[Trade], list[Trade]]:
        kept: list[Trade] = []
        dropped: list[Trade] = []
        for trade in sorted(trades, key=lambda t: t.ts_ms):
            market = (trade.exchange, trade.symbol)
            newest = self.newest.get(market)
            if newest is not None and trade.ts_ms < newest - self.window_ms:
                dropped.append(trade)
                continue
            kept.append(trade)
            if newest is None or trade.ts_ms > newest:
                self.newest[market] = trade.ts_ms
        return kept, dropped


@dataclass(frozen=True)
class BatchResult:
    stored: int
    duplicates: int
    klines: list[tuple[Kline, int]]


_partitioned: bool | None = None


def uses_native_partitions() -> bool:
    global _partitioned
    if _partitioned is None:
        with connection.cursor() as cursor:
            _partitioned = storage_mode(cursor, settings.CONFIG.database.timescaledb) == "native"
    return _partitioned


def ingest_trades(trades: Sequence[Trade]) -> BatchResult:
    """Store the trades not stored yet and add exactly those to every interval's klines."""
    partitioned = uses_native_partitions()
    dbname = connection.settings_dict["NAME"]
    if partitioned and trades:
        # Klines of a batch start up to a week before its first trade (1w windows).
        from_ms = min(t.ts_ms for t in trades) - duration_ms("1w")
        with transaction.atomic(), connection.cursor() as wrapper:
            prepare_partitions(wrapper.cursor, from_ms, max(t.ts_ms for t in trades), dbname=dbname)
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor, for COPY
        new = store_trades(cursor, trades, partitioned=partitioned, dbname=dbname)
        by_market: dict[Market, list[Trade]] = defaultdict(list)
        for trade in new:
            by_market[(trade.exchange, trade.symbol)].append(trade)
        deltas: list[Kline] = []
        for market_trades in by_market.values():
            deltas.extend(fold_trades({}, market_trades))
        klines = upsert_kline_deltas(cursor, deltas, partitioned=partitioned, dbname=dbname)
    return BatchResult(stored=len(new), duplicates=len(trades) - len(new), klines=klines)


def import_klines(klines: Sequence[Kline], *, interval: str) -> int:
    """Store complete klines of one interval, and rebuild every coarser window they touch
    from all stored klines of that interval, so an import beside existing data (a gap
    filled after downtime, a file next to another) leaves whole windows, not partial ones.
    One transaction: all or nothing.
    """
    size = duration_ms(interval)
    coarser = [iv for iv in INTERVALS if duration_ms(iv) > size and duration_ms(iv) % size == 0]
    by_market: dict[Market, list[Kline]] = defaultdict(list)
    for kline in klines:
        by_market[(kline.exchange, kline.symbol)].append(kline)
    partitioned = uses_native_partitions()
    dbname = connection.settings_dict["NAME"]
    stored = 0
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for (exchange, symbol), market_klines in by_market.items():
            stored += replace_klines(cursor, market_klines, partitioned=partitioned, dbname=dbname)
            first = min(k.open_time for k in market_klines)
            last = max(k.open_time for k in market_klines)
            for target in coarser:
                lo = window_start(target, first)
                hi = window_start(target, last) + duration_ms(target)
                cursor.execute(
                    f"{KLINE_SELECT} WHERE exchange = %s AND symbol = %s AND interval = %s"
                    " AND open_time >= %s AND open_time < %s",
                    [exchange, symbol, interval, datetime_from_ms(lo), datetime_from_ms(hi)],
                )
                whole = [kline_from_row(row) for row in cursor.fetchall()]
                stored += replace_klines(cursor, rollup(whole, target), partitioned=partitioned, dbname=dbname)
    return stored
