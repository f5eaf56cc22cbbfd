from __future__ import annotations

import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from backtesting._stats import compute_stats
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.engine.backtest.metrics import compute_metrics, downsample, drawdown_series
from backend.engine.backtest.records import ClosedTrade

DAY = 86_400_000
T0 = 1_704_067_200_000  # 2024-01-01


def trade(pnl: str, entry_ms: int = T0, exit_ms: int = T0 + DAY, cost: str = "1000") -> ClosedTrade:
    return ClosedTrade(
        symbol="BTC-USDT",
        direction="long",
        entry_time_ms=entry_ms,
        exit_time_ms=exit_ms,
        entry_price=Decimal(cost),
        exit_price=Decimal(cost) + Decimal(pnl),
        qty=Decimal(1),
        pnl=Decimal(pnl),
        fees=Decimal(0),
    )


def random_equity(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 10_000 * np.exp(np.cumsum(np.r_[0.0, rng.normal(0.0005, 0.02, n - 1)]))


def test_hand_computed_curve() -> None:
    # 100 -> 120 (peak) -> 90 (-25 %) -> 96 -> 130 (recovered at bar 4) -> 117
    times = [T0 + i * DAY for i in range(6)]
    m = compute_metrics(times, [100, 120, 90, 96, 130, 117], [], periods_per_year=365)
    assert m.total_return == pytest.approx(0.17)
    assert m.max_drawdown == pytest.approx(0.25)
    assert (m.max_drawdown_duration_bars, m.max_drawdown_duration_ms) == (3, 3 * DAY)  # bar 1 -> bar 4
    assert (m.longest_drawdown_bars, m.longest_drawdown_ms) == (3, 3 * DAY)
    assert m.cagr == pytest.approx(1.17 ** (365 / 5) - 1)
    assert m.calmar == pytest.approx(m.cagr / 0.25)
    assert m.trades == 0 and m.win_rate is None and m.profit_factor is None and m.exposure == 0.0


def test_deepest_and_longest_drawdowns_can_differ() -> None:
    # a short deep dip (bars 0..2), then a long shallow one never recovered (bars 3..8)
    eq = [100, 50, 101, 102, 101, 100.5, 100.2, 100.1, 100.0]
    m = compute_metrics([T0 + i for i in range(9)], eq, [], periods_per_year=365)
    assert m.max_drawdown == pytest.approx(0.5)
    assert m.max_drawdown_duration_bars == 2
    assert m.longest_drawdown_bars == 5 and m.longest_drawdown_ms == 5


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 400))
def test_sharpe_sortino_volatility_match_pandas(seed: int, n: int) -> None:
    eq = random_equity(seed, n)
    m = compute_metrics([T0 + i * DAY for i in range(n)], eq.tolist(), [], periods_per_year=365)
    r = pd.Series(eq).pct_change().dropna()
    assert m.volatility == pytest.approx(r.std() * math.sqrt(365))
    assert m.sharpe == pytest.approx(r.mean() / r.std() * math.sqrt(365))
    downside = math.sqrt((r.clip(upper=0) ** 2).mean())
    if downside > 0:
        assert m.sortino == pytest.approx(r.mean() / downside * math.sqrt(365))
    else:
        assert m.sortino is None
    dd = 1 - pd.Series(eq) / pd.Series(eq).cummax()
    assert m.max_drawdown == pytest.approx(dd.max())
    np.testing.assert_allclose(drawdown_series(eq), dd.to_numpy(), atol=1e-15)


@pytest.mark.filterwarnings("ignore:DatetimeIndex.dayofweek is deprecated")  # inside backtesting.py
@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(10, 600))
def test_return_cagr_drawdown_and_trade_stats_match_backtesting_py(seed: int, n: int) -> None:
    """backtesting.py's compute_stats on the same daily equity curve (weekends included).

    Compared: Return, CAGR (its years = days / 365.25, so periods_per_year=365.25), Max.
    Drawdown, Max. Drawdown Duration (our longest_drawdown), Exposure Time (same per-bar
    flags), # Trades, Win Rate, Best/Worst Trade. Not compared: its Sharpe/Sortino/
    volatility, which annualize the geometric mean daily return instead of the arithmetic
    mean used here, and its Profit Factor, which sums trade returns rather than P&L.
    """
    eq = random_equity(seed, n)
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    rng = np.random.default_rng(seed)
    pnls = [f"{x:.2f}" for x in rng.normal(5, 50, int(rng.integers(1, 20)))]
    trades = [trade(p, T0 + i * DAY, T0 + (i + 1) * DAY) for i, p in enumerate(pnls)]
    bars = np.arange(len(trades))
    trades_df = pd.DataFrame(
        {
            "EntryBar": bars,
            "ExitBar": bars,
            "PnL": [float(t.pnl) for t in trades],
            "ReturnPct": [float(t.return_fraction) for t in trades],
            "Duration": pd.to_timedelta([DAY] * len(trades), unit="ms"),
        }
    )
    exposed = np.zeros(n, dtype=bool)
    exposed[: min(len(trades), n)] = True  # bars EntryBar..ExitBar inclusive, as backtesting.py counts
    ohlc = pd.DataFrame({"Close": eq}, index=index)
    ref = compute_stats(trades_df, eq, ohlc, None, 0)
    times = [int(ts.value // 1_000_000) for ts in index]
    m = compute_metrics(times, eq.tolist(), trades, periods_per_year=365.25, exposed=exposed.tolist())

    assert m.total_return * 100 == pytest.approx(ref["Return [%]"])
    assert m.cagr is not None and m.cagr * 100 == pytest.approx(ref["CAGR [%]"])
    assert m.max_drawdown * 100 == pytest.approx(-ref["Max. Drawdown [%]"])
    if m.longest_drawdown_bars:
        assert pd.Timedelta(m.longest_drawdown_ms, unit="ms") == ref["Max. Drawdown Duration"]
    assert m.exposure is not None and m.exposure * 100 == pytest.approx(ref["Exposure Time [%]"])
    assert m.trades == ref["# Trades"]
    assert m.win_rate is not None and m.win_rate * 100 == pytest.approx(ref["Win Rate [%]"])
    assert m.best_trade_return is not None and m.best_trade_return * 100 == pytest.approx(ref["Best Trade [%]"])
    assert m.worst_trade_return is not None and m.worst_trade_return * 100 == pytest.approx(ref["Worst Trade [%]"])


def test_trade_statistics() -> None:
    trades = [trade("100"), trade("-50"), trade("30"), trade("-20"), trade("0")]
    m = compute_metrics([T0], [1000.0], trades, periods_per_year=365)
    assert m.trades == 5
    assert m.win_rate == pytest.approx(2 / 5)
    assert m.profit_factor == pytest.approx(130 / 70)
    assert m.expectancy == pytest.approx(60 / 5)
    assert m.avg_trade_return == pytest.approx(0.06 / 5)
    assert (m.best_trade_return, m.worst_trade_return) == (pytest.approx(0.1), pytest.approx(-0.05))


def test_exposure_from_trades_when_no_flags() -> None:
    times = [T0 + i * DAY for i in range(10)]
    m = compute_metrics(times, [100.0] * 10, [trade("1", T0 + 2 * DAY, T0 + 5 * DAY)], periods_per_year=365)
    assert m.exposure == pytest.approx(0.3)  # bars 2, 3, 4


def test_undefined_metrics_are_none_and_the_dict_is_strict_json() -> None:
    flat = compute_metrics([T0 + i for i in range(5)], [100.0] * 5, [], periods_per_year=365)
    assert flat.sharpe is None and flat.sortino is None and flat.calmar is None
    assert flat.volatility == 0.0 and flat.max_drawdown == 0.0 and flat.cagr == 0.0
    only_gains = compute_metrics([T0, T0 + 1], [100.0, 110.0], [trade("5")], periods_per_year=1e12)
    assert only_gains.profit_factor is None
    assert only_gains.cagr is None  # (1.1)^(1e12) overflows: undefined, not Inf
    empty = compute_metrics([], [], [], periods_per_year=365)
    assert empty.bars == 0 and empty.cagr is None and empty.exposure is None
    for m in (flat, only_gains, empty):
        json.dumps(m.as_dict(), allow_nan=False)


def test_ruin_stops_the_returns() -> None:
    m = compute_metrics([T0 + i for i in range(4)], [100.0, 50.0, 0.0, 0.0], [], periods_per_year=365)
    assert m.total_return == -1.0 and m.cagr == -1.0 and m.max_drawdown == 1.0
    json.dumps(m.as_dict(), allow_nan=False)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="equally long"):
        compute_metrics([1, 2], [1.0], [], periods_per_year=1)
    with pytest.raises(ValueError, match="positive"):
        compute_metrics([1], [0.0], [], periods_per_year=1)
    with pytest.raises(ValueError, match="exposed"):
        compute_metrics([1], [1.0], [], periods_per_year=1, exposed=[True, False])


def test_downsample_keeps_ends_shape_and_extremes() -> None:
    n = 10_000
    t = np.arange(n, dtype=np.int64) * 60_000
    v = np.sin(np.arange(n) / 300.0)
    v[4321] = 5.0  # a spike must survive
    ts, vs = downsample(t, v, 200)
    assert len(ts) == 200
    assert (ts[0], ts[-1]) == (t[0], t[-1]) and (vs[0], vs[-1]) == (v[0], v[-1])
    assert np.all(np.diff(ts) > 0)
    assert 5.0 in vs
    _, small_v = downsample(t[:50], v[:50], 200)
    np.testing.assert_array_equal(small_v, v[:50])
