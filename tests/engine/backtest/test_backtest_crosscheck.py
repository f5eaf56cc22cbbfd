"""Cross-check against backtesting.py: SMA(10)/SMA(20) crossover on its bundled GOOG daily bars.

Settings on both sides: orders at the next bar's open (backtesting.py trade_on_close=False),
no commission, no spread or slippage, exclusive orders (a new signal closes the open
position first), long-only and long/short. The strategy is the platform's reference
SmaCross: +1 while SMA(fast) > SMA(slow), otherwise 0 (long-only) or -1 (long/short),
mirrored on the backtesting.py side.

Sizing differs by design (backtesting.py buys whole shares with 99.99 % of equity; we
size exposure x equity in whole shares), so the comparison is of what the strategy did,
not of P&L: for every closed trade, the same direction, entry and exit bar (time) and
entry and exit price (Decimal-equal to backtesting.py's float rounded to the cent).

backtesting.py first calls next() one bar after its indicators are complete (it wants
two values to compare), so our exposures before that bar are masked to NaN.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from backtesting import Backtest, Strategy
from backtesting.test import GOOG

from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.runner import run_backtest
from backend.engine.strategies.reference import SmaCross
from backend.engine.strategy.protocol import Bars, Exposures
from backend.engine.trading import FeeSchedule

FAST, SLOW = 10, 20


def _sma(values: np.ndarray, n: int) -> np.ndarray:
    return pd.Series(values).rolling(n).mean().to_numpy()


class ReferenceMirror(Strategy):  # type: ignore[misc]
    allow_short = False

    def init(self) -> None:
        self.fast = self.I(_sma, self.data.Close, FAST)
        self.slow = self.I(_sma, self.data.Close, SLOW)

    def next(self) -> None:
        fast, slow = self.fast[-1], self.slow[-1]
        target = 1 if fast > slow else (-1 if fast < slow and self.allow_short else 0)
        if target == 1 and not self.position.is_long:
            self.buy()
        elif target == -1 and not self.position.is_short:
            self.sell()
        elif target == 0 and self.position:
            self.position.close()


class MaskedUntil:
    """Our strategy with its outputs before `first` set to NaN (see the module docstring)."""

    def __init__(self, inner: SmaCross, first: int) -> None:
        self.inner, self.first = inner, first

    @property
    def warmup_bars(self) -> int:
        return self.first

    def on_bars(self, bars: Bars) -> Exposures:
        out = self.inner.on_bars(bars).copy()
        out[: self.first] = math.nan
        return out


def goog_bars() -> Bars:
    times = GOOG.index.as_unit("ms").asi8 if hasattr(GOOG.index, "as_unit") else GOOG.index.asi8 // 1_000_000
    cols = [GOOG[c].to_numpy(dtype=np.float64) for c in ("Open", "High", "Low", "Close", "Volume")]
    return np.column_stack([times.astype(np.float64), *cols])


@pytest.mark.filterwarnings("ignore:Some trades remain open", "ignore:.*dayofweek")
@pytest.mark.parametrize("allow_short", [False, True])
def test_sma_crossover_trades_match_backtesting_py(allow_short: bool) -> None:
    mirror = type("Mirror", (ReferenceMirror,), {"allow_short": allow_short})
    bt = Backtest(GOOG, mirror, cash=1_000_000, commission=0, trade_on_close=False, exclusive_orders=True)
    theirs = bt.run()._trades
    expected = [
        (
            "long" if row.Size > 0 else "short",
            int(pd.Timestamp(row.EntryTime).value // 1_000_000),
            int(pd.Timestamp(row.ExitTime).value // 1_000_000),
            Decimal(f"{row.EntryPrice:.2f}"),
            Decimal(f"{row.ExitPrice:.2f}"),
        )
        for row in theirs.itertuples()
    ]

    config = BacktestConfig(
        cash=Decimal(1_000_000),
        symbol="GOOG-USD",
        tick_size=Decimal("0.01"),
        lot_size=Decimal(1),
        fees=FeeSchedule(Decimal(0), Decimal(0)),
        margin=allow_short,
    )
    strategy = MaskedUntil(SmaCross(FAST, SLOW, allow_short), first=SLOW)
    ours = run_backtest(strategy, goog_bars(), config, mode="event")
    actual = [(t.direction, t.entry_time_ms, t.exit_time_ms, t.entry_price, t.exit_price) for t in ours.trades]

    assert len(expected) > 20
    assert actual == expected
    assert run_backtest(MaskedUntil(SmaCross(FAST, SLOW, allow_short), SLOW), goog_bars(), config).trades == ours.trades
