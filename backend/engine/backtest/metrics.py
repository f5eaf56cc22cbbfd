"""Performance metrics of a backtest: from the equity curve (one value per bar) and the closed trades.

Conventions (each metric's docstring on `Metrics` gives its formula):
- per-bar simple returns r_t = E_t / E_{t-1} - 1, t = 1..n-1; once equity reaches zero or
  below the account is ruined and later returns count as 0 (nothing is left to lose);
- annualization by `periods_per_year` (bars per year, e.g. 365 for daily crypto bars,
  525,600 for one-minute bars); years elapsed = (n - 1) / periods_per_year;
- risk-free rate 0; drawdowns are positive fractions of the running peak;
- a metric that is undefined for the input (Sharpe of a flat curve, profit factor without
  losing trades, anything about trades when there are none) is None, never NaN or Inf.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

from backend.engine.backtest.records import ClosedTrade

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Metrics:
    """Summary statistics of one backtest. Fractions, not percent (0.12 = 12 %)."""

    start_ms: int | None
    end_ms: int | None
    bars: int
    initial_equity: float
    final_equity: float
    total_return: float
    """E_last / E_first - 1."""
    cagr: float | None
    """(E_last / E_first) ^ (1 / years) - 1; -1 when ruined; None for fewer than two bars."""
    volatility: float | None
    """Sample standard deviation of r (ddof=1) * sqrt(periods_per_year)."""
    sharpe: float | None
    """mean(r) / std(r, ddof=1) * sqrt(periods_per_year); None when std is 0."""
    sortino: float | None
    """mean(r) / sqrt(mean(min(r, 0)^2)) * sqrt(periods_per_year); None without a losing bar."""
    calmar: float | None
    """CAGR / max_drawdown; None without a drawdown."""
    max_drawdown: float
    """max_t (1 - E_t / max_{s<=t} E_s)."""
    max_drawdown_duration_bars: int
    """Bars from the peak before the deepest drawdown to its recovery (or to the last bar if unrecovered)."""
    max_drawdown_duration_ms: int
    """The same span in time: open time of the recovery (or last) bar minus that of the peak."""
    longest_drawdown_bars: int
    """The longest such peak-to-recovery span of any drawdown (backtesting.py's "Max. Drawdown Duration")."""
    longest_drawdown_ms: int
    exposure: float | None
    """Fraction of bars holding a position: from `exposed` when given, else bars inside a trade."""
    trades: int
    win_rate: float | None
    """Trades with pnl > 0 / trades."""
    profit_factor: float | None
    """Sum of winning pnl / |sum of losing pnl|; None without a losing trade."""
    expectancy: float | None
    """Mean net pnl per trade in the quote currency (= win_rate * avg win - loss_rate * avg loss)."""
    avg_trade_return: float | None
    """Mean of the trades' return fractions (net pnl / entry cost)."""
    best_trade_return: float | None
    worst_trade_return: float | None

    def as_dict(self) -> dict[str, float | int | None]:
        """JSON-ready: plain numbers, None where undefined, no NaN or Inf."""
        out: dict[str, float | int | None] = {}
        for key, value in asdict(self).items():
            out[key] = value if value is None or isinstance(value, int) else _finite(float(value))
        return out


def compute_metrics(
    times_ms: Sequence[int],
    equity: Sequence[float],
    trades: Sequence[ClosedTrade],
    *,
    periods_per_year: float,
    exposed: Sequence[bool] | None = None,
) -> Metrics:
    """Metrics of an equity curve sampled once per bar (times_ms: the bars' open times, ascending)."""
    times = np.asarray(times_ms, dtype=np.int64)
    eq = np.asarray(equity, dtype=np.float64)
    if times.shape != eq.shape or eq.ndim != 1:
        raise ValueError(f"times_ms and equity must be equally long sequences ({times.size} vs {eq.size})")
    if exposed is not None and len(exposed) != eq.size:
        raise ValueError(f"exposed must have one flag per bar ({len(exposed)} vs {eq.size})")
    if periods_per_year <= 0:
        raise ValueError("periods_per_year must be positive")
    if eq.size and not np.all(np.isfinite(eq)):
        raise ValueError("equity must be finite")
    if eq.size and eq[0] <= 0:
        raise ValueError("initial equity must be positive")

    n = int(eq.size)
    initial = float(eq[0]) if n else 0.0
    final = float(eq[-1]) if n else 0.0
    total_return = final / initial - 1.0 if n else 0.0
    r = bar_returns(eq)
    ann = math.sqrt(periods_per_year)

    cagr: float | None = None
    if n >= 2:
        years = (n - 1) / periods_per_year
        cagr = -1.0 if final <= 0 else _annual_growth(final / initial, years)

    volatility = sharpe = sortino = None
    if r.size >= 2:
        std = float(np.std(r, ddof=1))
        volatility = std * ann
        if std > 0:
            sharpe = _finite(float(np.mean(r)) / std * ann)
    if r.size >= 1:
        downside = math.sqrt(float(np.mean(np.minimum(r, 0.0) ** 2)))
        if downside > 0:
            sortino = _finite(float(np.mean(r)) / downside * ann)

    dd = drawdown_series(eq)
    max_dd = float(dd.max()) if n else 0.0
    deepest, longest = _drawdown_spans(dd)
    calmar = _finite(cagr / max_dd) if cagr is not None and max_dd > 0 else None

    def span_ms(span: tuple[int, int]) -> int:
        return int(times[span[1]] - times[span[0]]) if span[1] > span[0] else 0

    pnl = np.array([float(t.pnl) for t in trades], dtype=np.float64)
    rets = np.array([float(t.return_fraction) for t in trades], dtype=np.float64)
    losses = float(-pnl[pnl < 0].sum())

    return Metrics(
        start_ms=int(times[0]) if n else None,
        end_ms=int(times[-1]) if n else None,
        bars=n,
        initial_equity=initial,
        final_equity=final,
        total_return=total_return,
        cagr=cagr,
        volatility=volatility,
        sharpe=sharpe,
        sortino=sortino,
        calmar=calmar,
        max_drawdown=max_dd,
        max_drawdown_duration_bars=deepest[1] - deepest[0],
        max_drawdown_duration_ms=span_ms(deepest),
        longest_drawdown_bars=longest[1] - longest[0],
        longest_drawdown_ms=span_ms(longest),
        exposure=_exposure(times, trades, exposed),
        trades=len(trades),
        win_rate=float(np.mean(pnl > 0)) if pnl.size else None,
        profit_factor=float(pnl[pnl > 0].sum()) / losses if losses > 0 else None,
        expectancy=float(pnl.mean()) if pnl.size else None,
        avg_trade_return=float(rets.mean()) if rets.size else None,
        best_trade_return=float(rets.max()) if rets.size else None,
        worst_trade_return=float(rets.min()) if rets.size else None,
    )


def bar_returns(equity: Sequence[float] | FloatArray) -> FloatArray:
    """r_t = E_t / E_{t-1} - 1 (n-1 values); 0 after ruin (E_{t-1} <= 0)."""
    eq = np.asarray(equity, dtype=np.float64)
    if eq.size < 2:
        return np.zeros(0, dtype=np.float64)
    prev, cur = eq[:-1], eq[1:]
    alive = prev > 0
    out = np.zeros(prev.size, dtype=np.float64)
    np.divide(cur, prev, out=out, where=alive)
    out[alive] -= 1.0
    return out


def drawdown_series(equity: Sequence[float] | FloatArray) -> FloatArray:
    """1 - E_t / max_{s<=t} E_s per bar: 0 at new highs, 0.25 when 25 % below the running peak."""
    eq = np.asarray(equity, dtype=np.float64)
    if eq.size == 0:
        return np.zeros(0, dtype=np.float64)
    peak = np.maximum.accumulate(eq)
    out = np.zeros(eq.size, dtype=np.float64)
    np.divide(eq, peak, out=out, where=peak > 0)
    return np.clip(1.0 - out, 0.0, None)


def _drawdown_spans(dd: FloatArray) -> tuple[tuple[int, int], tuple[int, int]]:
    """(peak index, recovery-or-last index) of the deepest drawdown and of the longest one.

    A drawdown is a maximal run of bars with dd > 0; its peak is the bar before the run
    (dd[0] is always 0, so there is one) and it ends at the first bar back at 0, or at the
    last bar while still under water. Ties go to the earliest run. Found with array
    operations: a Python loop over the bars cost ~0.1 s per million.
    """
    n = dd.size
    under = dd > 0
    if not under.any():
        return (0, 0), (0, 0)
    edges = np.diff(under.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)  # first bar of each run
    stops = np.flatnonzero(edges == -1)  # one past its last bar
    peaks = starts - 1
    ends = np.minimum(stops, n - 1)
    # Each reduceat segment reaches the next run's start, so it also covers the bars at 0
    # between runs; they are below any run's positive depth and cannot change its maximum.
    depths = np.maximum.reduceat(dd, starts)
    deep = int(np.argmax(depths))
    long = int(np.argmax(ends - peaks))
    return (int(peaks[deep]), int(ends[deep])), (int(peaks[long]), int(ends[long]))


def _exposure(
    times: npt.NDArray[np.int64], trades: Sequence[ClosedTrade], exposed: Sequence[bool] | None
) -> float | None:
    if times.size == 0:
        return None
    if exposed is not None:
        return float(np.mean(np.asarray(exposed, dtype=bool)))
    inside = np.zeros(times.size, dtype=bool)
    for t in trades:
        inside |= (times >= t.entry_time_ms) & (times < t.exit_time_ms)
    return float(inside.mean())


def _annual_growth(ratio: float, years: float) -> float | None:
    try:
        return _finite(ratio ** (1.0 / years) - 1.0)
    except OverflowError:  # a short, steep curve annualizes past float range: undefined, not Inf
        return None


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def downsample(
    times_ms: Sequence[int] | npt.NDArray[np.int64], values: Sequence[float] | FloatArray, max_points: int
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Largest-Triangle-Three-Buckets: at most `max_points` points that keep a chart's shape.

    The first and last points are always kept; the rest is cut into max_points - 2 buckets
    and from each the point forming the largest triangle with the previously kept point
    and the next bucket's average is kept (Steinarsson 2013). Returns copies.
    """
    t = np.asarray(times_ms, dtype=np.int64)
    v = np.asarray(values, dtype=np.float64)
    if t.shape != v.shape:
        raise ValueError("times_ms and values must be equally long")
    if max_points < 3:
        raise ValueError("max_points must be at least 3")
    n = t.size
    if n <= max_points:
        return t.copy(), v.copy()
    x = t.astype(np.float64)
    edges = np.linspace(1, n - 1, max_points - 1).astype(np.int64)  # buckets between first and last point
    keep = np.empty(max_points, dtype=np.int64)
    keep[0], keep[-1] = 0, n - 1
    a = 0
    for b in range(max_points - 2):
        lo, hi = edges[b], edges[b + 1]
        if b + 2 < len(edges):
            nlo, nhi = edges[b + 1], edges[b + 2]
            cx, cy = float(x[nlo:nhi].mean()), float(v[nlo:nhi].mean())
        else:
            cx, cy = float(x[-1]), float(v[-1])
        area = np.abs((x[a] - cx) * (v[lo:hi] - v[a]) - (x[a] - x[lo:hi]) * (cy - v[a]))
        a = int(lo + np.argmax(area))
        keep[b + 1] = a
    return t[keep], v[keep]
