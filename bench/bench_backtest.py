"""Bar backtests: SMA(10)/SMA(20) crossover, long/short, over 1,000,000 one-minute bars.

Bars are a seeded geometric random walk (prices on a 0.01 tick). End to end means the
strategy's exposures (a vectorized SMA crossover, checked equal to the reference SmaCross
on the first 5,000 bars), the backtest itself (the vectorized path: every crossover is a
market order at the next open, about 55,000 of them) and the metrics; best of 3. Fees are
zero so that equity never decays to nothing and every crossover really trades.

The peer is backtesting.py running the same rule on the same data; it is too slow for a
million bars, so it runs the first 20,000 and the comparison is per bar. Our event-driven
path (every bar walked through the matching engine as prints) is measured on the same
20,000 bars.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pandas as pd

from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.runner import run_backtest, run_exposures
from backend.engine.strategies.reference import SmaCross
from backend.engine.strategy.protocol import CLOSE, Bars, Exposures
from backend.engine.trading import FeeSchedule
from bench.result import Result

BARS = 1_000_000
PEER_BARS = 20_000
FAST, SLOW = 10, 20
CONFIG = BacktestConfig(margin=True, fees=FeeSchedule(Decimal(0), Decimal(0)), lot_size=Decimal("0.00001"))


def minute_bars(n: int = BARS, seed: int = 3) -> Bars:
    rng = np.random.default_rng(seed)
    close = np.round(30_000 * np.exp(np.cumsum(rng.normal(0, 0.0008, n))), 2)
    open_ = np.concatenate(([30_000.0], close[:-1]))
    spread = np.round(np.abs(rng.normal(0, 8, n)), 2)
    high = np.maximum(open_, close) + spread
    low = np.minimum(open_, close) - spread
    times = 1_700_000_000_000 + 60_000 * np.arange(n, dtype=np.float64)
    return np.column_stack([times, open_, high, low, close, rng.uniform(1, 50, n)])


class VectorSmaCross:
    """SmaCross(fast, slow, allow_short=True) computed for all bars at once."""

    warmup_bars = SLOW

    def on_bars(self, bars: Bars) -> Exposures:
        close = bars[:, CLOSE]
        sums = np.concatenate(([0.0], np.cumsum(close)))
        fast = np.full(close.shape, np.nan)
        slow = np.full(close.shape, np.nan)
        fast[FAST - 1 :] = (sums[FAST:] - sums[:-FAST]) / FAST
        slow[SLOW - 1 :] = (sums[SLOW:] - sums[:-SLOW]) / SLOW
        out = np.where(fast > slow, 1.0, -1.0)
        out[: SLOW - 1] = np.nan
        return out


def peer_seconds(bars: Bars) -> float:
    from backtesting import Backtest, Strategy

    def sma(values: np.ndarray, n: int) -> np.ndarray:
        return pd.Series(values).rolling(n).mean().to_numpy()

    class Cross(Strategy):  # type: ignore[misc]
        def init(self) -> None:
            self.fast = self.I(sma, self.data.Close, FAST)
            self.slow = self.I(sma, self.data.Close, SLOW)

        def next(self) -> None:
            if self.fast[-1] > self.slow[-1]:
                if not self.position.is_long:
                    self.buy()
            elif not self.position.is_short:
                self.sell()

    frame = pd.DataFrame(
        bars[:, 1:6],
        columns=["Open", "High", "Low", "Close", "Volume"],
        index=pd.to_datetime(bars[:, 0].astype(np.int64), unit="ms"),
    )
    bt = Backtest(frame, Cross, cash=1_000_000_000, commission=0, trade_on_close=False, exclusive_orders=True)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt.run()
    return time.perf_counter() - start


def run() -> Iterator[Result]:
    bars = minute_bars()
    sample = bars[:5_000]
    vector = VectorSmaCross().on_bars(sample)
    reference = SmaCross(FAST, SLOW, allow_short=True).on_bars(sample)
    if not np.array_equal(vector[SLOW:], reference[SLOW:]):
        raise AssertionError("the vectorized SMA crossover disagrees with the reference SmaCross")

    timings = []
    result = None
    for _ in range(3):
        start = time.perf_counter()
        result = run_backtest(VectorSmaCross(), bars, CONFIG)
        timings.append(time.perf_counter() - start)
    assert result is not None and result.mode == "vectorized" and result.metrics is not None
    best = min(timings)
    yield Result(
        "SMA crossover, 1,000,000 1-min bars, end to end (vectorized)",
        best,
        "s",
        "goal: 0.5 s",
        0.5,
        higher_is_better=False,
    )
    yield Result("fills in that run", len(result.fills), "fills")
    ours_bps = BARS / best

    peer_bars = bars[:PEER_BARS]
    peer = peer_seconds(peer_bars)
    yield Result(
        f"throughput, vectorized path ({BARS:,} bars)",
        ours_bps,
        "bars/s",
        f"peer: backtesting.py 0.6.6 on {PEER_BARS:,} of the bars (measured here)",
        PEER_BARS / peer,
    )
    exposures = VectorSmaCross().on_bars(peer_bars)
    start = time.perf_counter()
    run_exposures(peer_bars, exposures, CONFIG, mode="event")
    event = time.perf_counter() - start
    yield Result(
        f"throughput, event-driven path ({PEER_BARS:,} bars through the matching engine)",
        PEER_BARS / event,
        "bars/s",
        f"peer: backtesting.py 0.6.6 on the same {PEER_BARS:,} bars (measured here)",
        PEER_BARS / peer,
    )
