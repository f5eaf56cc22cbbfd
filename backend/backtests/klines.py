"""Stored klines as backtest bars."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from backend.engine.strategy.protocol import BAR_COLUMNS, Bars
from backend.marketdata import instruments, selectors

MAX_BARS = 1_000_000  # ~2 years of minutes; bounds a task's memory and run time


class TooManyBars(ValueError):
    pass


def load_bars(*, exchange: str, symbol: str, interval: str, start_ms: int, end_ms: int) -> Bars:
    """(n, 6) bars of the klines opening within [start_ms, end_ms]; TooManyBars past MAX_BARS."""
    rows = selectors.kline_ohlcv(
        exchange=exchange, symbol=symbol, interval=interval, start_ms=start_ms, end_ms=end_ms, limit=MAX_BARS + 1
    )
    if len(rows) > MAX_BARS:
        raise TooManyBars(f"the range holds more than {MAX_BARS:,} {interval} klines; shorten it")
    return np.array(rows, dtype=np.float64).reshape(-1, BAR_COLUMNS)


def sizes(exchange: str, symbol: str) -> tuple[Decimal | None, Decimal | None]:
    """The instrument's tick and lot size, when known."""
    instrument = instruments.get(exchange, symbol)
    return (instrument.tick_size, instrument.lot_size) if instrument else (None, None)
