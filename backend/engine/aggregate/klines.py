"""Kline (candle) aggregation of trades into every interval, exactly.

Prices and quantities stay Decimal end to end; quote volume is the exact sum of
price x quantity. A batch of one market's trades is folded into each interval by
grouping the trades that fall into the same window, so the per-trade work is done by
C-level builtins (min, max, sum) rather than a Python loop per interval.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import groupby

import msgspec

from backend.engine.market.intervals import INTERVALS, duration_ms, window_start
from backend.engine.market.trade import Trade

# Sums of products of 8-decimal prices and quantities need more than the default 28
# significant digits to stay exact at large volumes.
_EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.Inexact, decimal.InvalidOperation])


class Kline(msgspec.Struct, frozen=True, gc=False):
    """One window's candle. A msgspec Struct rather than a dataclass: the live path
    builds tens of thousands a second and Struct construction is several times cheaper."""

    exchange: str
    symbol: str
    interval: str
    open_time: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    quote_volume: Decimal
    trades: int
    # Ordering inside the window by (ts, trade id) decides which trade is open/close.
    first_key: tuple[int, int] = (0, 0)
    last_key: tuple[int, int] = (0, 0)

    @property
    def close_time(self) -> int:
        """Last millisecond of the window, as Binance reports it."""
        return self.open_time + duration_ms(self.interval) - 1

    def binance_row(self) -> list[object]:
        return [
            self.open_time,
            str(self.open),
            str(self.high),
            str(self.low),
            str(self.close),
            str(self.volume),
            self.close_time,
            str(self.quote_volume),
            self.trades,
        ]


def _fold(previous: Kline | None, ordered: Sequence[Trade], interval: str, open_time: int) -> Kline:
    """`previous` (the window's kline so far, or None) plus more trades of the same
    window, given in (ts, trade id) order."""
    first, last = ordered[0], ordered[-1]
    prices = [t.price for t in ordered]
    high, low = max(prices), min(prices)
    with decimal.localcontext(_EXACT):
        volume = sum((t.qty for t in ordered), Decimal(0))
        quote = sum((t.price * t.qty for t in ordered), Decimal(0))
    first_key, last_key = (first.ts_ms, first.trade_id), (last.ts_ms, last.trade_id)
    folded = Kline(
        first.exchange, first.symbol, interval, open_time,
        first.price, high, low, last.price, volume, quote, len(ordered), first_key, last_key,
    )  # fmt: skip
    return folded if previous is None else combine(previous, folded)


def combine(a: Kline, b: Kline) -> Kline:
    """Two klines of the same window over disjoint trades, as one. Order-insensitive:
    which side holds the earliest and latest trade decides open and close."""
    with decimal.localcontext(_EXACT):
        return msgspec.structs.replace(
            a,
            open=b.open if b.first_key < a.first_key else a.open,
            high=max(a.high, b.high),
            low=min(a.low, b.low),
            close=b.close if b.last_key > a.last_key else a.close,
            volume=a.volume + b.volume,
            quote_volume=a.quote_volume + b.quote_volume,
            trades=a.trades + b.trades,
            first_key=min(a.first_key, b.first_key),
            last_key=max(a.last_key, b.last_key),
        )


def _merge(previous: Kline | None, parts: Sequence[Kline], interval: str, open_time: int) -> Kline:
    """Combine finer-interval partial klines (in time order) into one window's kline."""
    first, last = parts[0], parts[-1]
    with decimal.localcontext(_EXACT):
        merged = Kline(
            first.exchange, first.symbol, interval, open_time,
            first.open, max(p.high for p in parts), min(p.low for p in parts), last.close,
            sum((p.volume for p in parts), Decimal(0)), sum((p.quote_volume for p in parts), Decimal(0)),
            sum(p.trades for p in parts), first.first_key, last.last_key,
        )  # fmt: skip
    return merged if previous is None else combine(previous, merged)


def fold_trades(
    current: dict[tuple[str, int], Kline], trades: Sequence[Trade], intervals: Iterable[str] = INTERVALS
) -> list[Kline]:
    """Fold one market's trades into `current` (keyed by (interval, open_time)), in place.

    Trades are reduced once to per-second partials; every coarser interval is built from
    those partials, so its cost follows the number of distinct seconds, not of trades.
    Returns the klines that changed, one per touched window.
    """
    changed: list[Kline] = []
    if not trades:
        return changed
    ordered = sorted(trades, key=lambda t: (t.ts_ms, t.trade_id))
    seconds = [
        _fold(None, list(group), "1s", open_time)
        for open_time, group in groupby(ordered, key=lambda t: t.ts_ms - t.ts_ms % 1_000)
    ]
    for interval in intervals:
        for open_time, group in groupby(seconds, key=lambda k: window_start(interval, k.open_time)):
            key = (interval, open_time)
            kline = _merge(current.get(key), list(group), interval, open_time)
            current[key] = kline
            changed.append(kline)
    return changed


def aggregate(trades: Sequence[Trade], intervals: Iterable[str] = INTERVALS) -> dict[tuple[str, int], Kline]:
    """All klines of one market's trades (a reference and a convenience for imports)."""
    current: dict[tuple[str, int], Kline] = {}
    fold_trades(current, trades, intervals)
    return current


def rollup(klines: Sequence[Kline], interval: str) -> list[Kline]:
    """Coarser klines of one market from finer ones (e.g. 1m -> 1h), in time order.

    The finer interval must divide the coarser one (true for 1s/1m into every larger
    interval, weeks included), or windows would be split.
    """
    ordered = sorted(klines, key=lambda k: k.open_time)
    return [
        _merge(None, list(group), interval, open_time)
        for open_time, group in groupby(ordered, key=lambda k: window_start(interval, k.open_time))
    ]
