"""The bar model: next-open execution, the conservative intrabar path, protective stops, rebalancing."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from backend.engine.backtest.bar_model import path, segment_prints
from backend.engine.backtest.decisions import rebalance_targets
from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.runner import run_exposures
from backend.engine.trading import FeeSchedule

D = Decimal
NAN = math.nan
NO_FEES = FeeSchedule(D(0), D(0))


def bars(*ohlc: tuple[float, float, float, float]) -> np.ndarray:
    rows = [[1_000 * 60_000 * (i + 1), o, h, low, c, 10.0] for i, (o, h, low, c) in enumerate(ohlc)]
    return np.array(rows, dtype=np.float64)


def test_path_visits_the_adverse_extreme_first() -> None:
    assert path(D(10), D(12), D(9), D(11)) == (D(10), D(9), D(12), D(11))  # bullish: O L H C
    assert path(D(10), D(12), D(9), D(9.5)) == (D(10), D(12), D(9), D("9.5"))  # bearish: O H L C


def test_segment_prints_include_levels_strictly_between_in_path_order() -> None:
    assert segment_prints(D(10), D(5), [D(7), D(9), D(10), D(4), D(5)]) == [D(9), D(7), D(5)]
    assert segment_prints(D(5), D(10), [D(7), D(6)]) == [D(6), D(7), D(10)]
    assert segment_prints(D(5), D(5), [D(5)]) == []


def test_rebalance_targets_forward_fill_and_change_detection() -> None:
    e = np.array([NAN, 1, 1, NAN, 1, 0, NAN, -1, 2, -3])
    got = rebalance_targets(e, allow_short=True)
    want = np.array([NAN, 1, NAN, NAN, NAN, 0, NAN, -1, 1, -1])
    assert np.array_equal(got, want, equal_nan=True)
    spot = rebalance_targets(e, allow_short=False)
    assert np.array_equal(spot, np.array([NAN, 1, NAN, NAN, NAN, 0, NAN, NAN, 1, 0]), equal_nan=True)


def test_decision_at_a_close_executes_at_the_next_open() -> None:
    b = bars((100, 101, 99, 100), (105, 106, 104, 105), (110, 111, 109, 110), (120, 121, 119, 120))
    exposures = np.array([1.0, NAN, 0.0, NAN])
    for mode in ("event", "vectorized"):
        result = run_exposures(b, exposures, BacktestConfig(fees=NO_FEES, lot_size=D(1)), mode=mode)  # type: ignore[arg-type]
        buy, sell = result.fills
        # sized at the close (10,000 / 100 = 100 shares), capped at what the cash buys at the open (95)
        assert (buy.price, buy.qty, buy.ts_ms) == (D(105), D(95), int(b[1, 0]))
        assert (sell.price, sell.qty, sell.ts_ms) == (D(120), D(95), int(b[3, 0]))
        (trade,) = result.trades
        assert trade.pnl == D(95 * 15)
        assert result.equity.tolist() == [10_000, 10_000, 10_475, 11_425]
        assert result.exposed.tolist() == [False, True, True, False]


def test_a_decision_on_the_last_bar_is_never_executed() -> None:
    b = bars((100, 101, 99, 100), (100, 101, 99, 100))
    result = run_exposures(b, np.array([NAN, 1.0]), BacktestConfig(), mode="event")
    assert result.fills == []


def test_spot_buy_is_capped_at_what_the_cash_pays_for_after_a_gap_up() -> None:
    b = bars((100, 101, 99, 100), (110, 111, 109, 110), (110, 111, 109, 110))
    result = run_exposures(b, np.array([1.0, NAN, NAN]), BacktestConfig(lot_size=D("0.001")), mode="event")
    (fill,) = result.fills
    assert fill.qty == D("90.818")  # 10,000 / (110 x 1.001), rounded down to the lot
    assert fill.qty * fill.price + fill.fee <= D(10_000)


def test_stop_loss_fills_at_the_stop_inside_the_bar() -> None:
    b = bars((100, 100, 100, 100), (100, 101, 99, 100), (100, 100.5, 94, 99), (99, 99, 99, 99))
    config = BacktestConfig(fees=NO_FEES, lot_size=D(1), stop_loss_bps=D(500))
    result = run_exposures(b, np.array([1.0, NAN, NAN, NAN]), config, mode="event")
    entry, stop = result.fills
    assert (entry.price, stop.price, stop.side) == (D(100), D(95), "sell")
    assert stop.ts_ms > int(b[2, 0])  # inside bar 2, after its open
    (trade,) = result.trades
    assert trade.exit_price == D(95)


def test_stop_loss_gapped_through_fills_at_the_open() -> None:
    b = bars((100, 100, 100, 100), (100, 101, 99, 100), (90, 92, 89, 91), (91, 91, 91, 91))
    config = BacktestConfig(fees=NO_FEES, lot_size=D(1), stop_loss_bps=D(500))
    result = run_exposures(b, np.array([1.0, NAN, NAN, NAN]), config, mode="event")
    assert result.fills[-1].price == D(90)  # max(stop, open) for a sell stop is the open below it


def test_take_profit_on_a_bullish_bar_comes_after_the_low() -> None:
    # Bullish bar O=100 L=94 H=111 C=110: the low (stop at 95) is visited before the high
    # (take-profit at 110), so the conservative path stops out.
    b = bars((100, 100, 100, 100), (100, 100, 100, 100), (100, 111, 94, 110), (110, 110, 110, 110))
    config = BacktestConfig(fees=NO_FEES, lot_size=D(1), stop_loss_bps=D(500), take_profit_bps=D(1000))
    result = run_exposures(b, np.array([1.0, NAN, NAN, NAN]), config, mode="event")
    assert [f.price for f in result.fills] == [D(100), D(95)]


def test_metrics_are_attached_when_the_metrics_module_is_present() -> None:
    b = bars((100, 101, 99, 100), (105, 106, 104, 105), (110, 111, 109, 110))
    result = run_exposures(b, np.array([1.0, NAN, NAN]), BacktestConfig())
    assert result.metrics is not None
    assert result.metrics.as_dict()["bars"] == 3
