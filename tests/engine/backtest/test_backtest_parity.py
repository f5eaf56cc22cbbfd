"""The vectorized path against the event-driven engine on random bars and random targets.

Compared exactly (Decimal equality, field by field): every fill (id, order id, side,
price, quantity, fee, time, realized P&L), every closed trade (entry/exit time and price,
quantity, P&L, fees) and the final equity. The per-bar equity curves are float64 in both
paths (Decimal equity converted at each close in the event path; cash + position x close
in float in the vectorized one) and must agree within 1e-6 of the quote currency at every
bar, far below a cent; the per-bar "position held" flags must be identical.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.runner import run_exposures
from backend.engine.trading import FeeSchedule, FixedBps
from tests.engine.backtest.bars_data import random_bars

D = Decimal
CONFIGS = {
    "spot": BacktestConfig(),
    "spot-slippage-fees": BacktestConfig(fees=FeeSchedule(D("0.0002"), D("0.00075")), slippage=FixedBps(D("2.5"))),
    "spot-whole-units-min-notional": BacktestConfig(lot_size=D(1), min_notional=D(250), cash=D("5000.55")),
    "margin": BacktestConfig(margin=True),
    "margin-2x-slippage": BacktestConfig(margin=True, leverage=D(2), slippage=FixedBps(D(7))),
    "margin-no-fees-coarse-tick": BacktestConfig(margin=True, fees=FeeSchedule(D(0), D(0)), tick_size=D("0.5")),
}


def random_exposures(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.choice([np.nan] * 6 + [1.0, -1.0, 0.0, 0.5, -0.25, 0.3333333], n)
    return values.astype(np.float64)


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorized_equals_event_driven(name: str, seed: int) -> None:
    config = CONFIGS[name]
    bars = random_bars(1_200, seed)
    exposures = random_exposures(1_200, seed + 100)
    event = run_exposures(bars, exposures, config, mode="event")
    fast = run_exposures(bars, exposures, config, mode="vectorized")
    assert (event.mode, fast.mode) == ("event", "vectorized")
    assert len(event.fills) > 50 and len(event.trades) > 10  # the comparison is not vacuous
    assert fast.fills == event.fills
    assert fast.trades == event.trades
    assert fast.final_equity == event.final_equity
    assert np.array_equal(fast.exposed, event.exposed)
    assert np.array_equal(fast.times_ms, event.times_ms)
    assert np.max(np.abs(fast.equity - event.equity)) < 1e-6


def test_auto_mode_picks_the_vectorized_path_only_when_it_is_exact() -> None:
    bars = random_bars(50, 9)
    exposures = random_exposures(50, 9)
    assert run_exposures(bars, exposures, BacktestConfig()).mode == "vectorized"
    assert run_exposures(bars, exposures, BacktestConfig(stop_loss_bps=D(100))).mode == "event"
    with pytest.raises(ValueError, match="event-driven"):
        run_exposures(bars, exposures, BacktestConfig(stop_loss_bps=D(100)), mode="vectorized")
