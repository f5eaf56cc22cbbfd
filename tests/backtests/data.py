"""Bars for backtest tests: a seeded random walk, as an OHLCV CSV or imported as stored klines."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from django.core.management import call_command

from backend.engine.market.intervals import DAY_MS, MINUTE_MS

SYMBOL = "BTC-USDT"
EXCHANGE = "binance"


def recent_t0(days_ago: int = 3) -> int:
    """A minute boundary a few days back: inside every tier's history depth."""
    now = int(time.time() * 1000)
    return (now - days_ago * DAY_MS) // MINUTE_MS * MINUTE_MS


def random_bars(n: int, *, seed: int = 7, t0: int = 1_700_000_000_000) -> np.ndarray:
    """(n, 6) one-minute bars, prices on a 0.01 tick, volumes on 0.0001: exact in CSV and in storage."""
    rng = np.random.default_rng(seed)
    close = np.round(30_000 * np.exp(np.cumsum(rng.normal(0, 0.002, n))), 2)
    open_ = np.concatenate(([30_000.0], close[:-1]))
    spread = np.round(np.abs(rng.normal(0, 15, n)), 2)
    high = np.round(np.maximum(open_, close) + spread, 2)
    low = np.round(np.minimum(open_, close) - spread, 2)
    volume = np.round(rng.uniform(1, 50, n), 4)
    times = t0 + MINUTE_MS * np.arange(n, dtype=np.float64)
    return np.column_stack([times, open_, high, low, close, volume])


def write_ohlcv_csv(path: Path, bars: np.ndarray) -> Path:
    lines = ["time,open,high,low,close,volume"]
    lines += [f"{int(t)},{o:.2f},{h:.2f},{lo:.2f},{c:.2f},{v:.4f}" for t, o, h, lo, c, v in bars]
    path.write_text("\n".join(lines) + "\n")
    return path


def import_klines(tmp_path: Path, bars: np.ndarray) -> None:
    """Store the bars as Binance one-minute klines through the real import command."""
    rows = [
        f"{int(t)},{o:.2f},{h:.2f},{lo:.2f},{c:.2f},{v:.4f},{int(t) + 59_999},{v * c:.4f},10,0,0,0"
        for t, o, h, lo, c, v in bars
    ]
    path = tmp_path / "BTCUSDT-1m.csv"
    path.write_text("\n".join(rows) + "\n")
    call_command("import_klines", "--exchange", EXCHANGE, "--symbol", SYMBOL, "--interval", "1m", str(path))
