"""Running a built-in (wasm) or given strategy over bars and turning the outcome into JSON-ready data.

Shared by the `backtest` CLI and the Celery task, so both compute and report the same way.
Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from backend.engine.backtest.metrics import downsample, drawdown_series
from backend.engine.backtest.records import ClosedTrade
from backend.engine.backtest.result import YEAR_MS, BacktestConfig, BacktestResult
from backend.engine.backtest.robustness import bootstrap_trades, walk_forward_splits
from backend.engine.backtest.runner import run_exposures
from backend.engine.market.intervals import duration_ms
from backend.engine.strategies import REFERENCE_STRATEGIES
from backend.engine.strategy.protocol import Bars, Strategy
from backend.engine.trading.fees import FeeSchedule
from backend.engine.trading.slippage import FixedBps

CURVE_POINTS = 1_000  # a chart needs no more; LTTB keeps the shape
TRADES_STORED = 5_000
HISTOGRAM_BINS = 30  # Monte Carlo distributions, as the results page draws them
DEFAULT_TICK = Decimal("0.01")
DEFAULT_LOT = Decimal("0.00001")

Stage = Callable[[str], None]
# A reference strategy's name, or a factory of fresh instances (e.g. a sandboxed wasm module).
StrategySource = str | Callable[[], Strategy]


class UnknownStrategy(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown strategy {name!r}; known: {', '.join(REFERENCE_STRATEGIES)}")
        self.name = name


def validated_params(strategy: str, params: Mapping[str, float | int | str]) -> dict[str, float]:
    """Defaults filled in; UnknownStrategy or ParamError (with .code and .param) otherwise."""
    spec = REFERENCE_STRATEGIES.get(strategy)
    if spec is None:
        raise UnknownStrategy(strategy)
    return spec.validate(params)


def periods_per_year(interval: str | None) -> float | None:
    """Bars per 365-day year for a kline interval; None lets the engine infer it from the spacing."""
    return None if interval is None else YEAR_MS / duration_ms(interval)


def backtest_config(
    *,
    params: Mapping[str, float],
    cash: Decimal,
    commission: Decimal,
    slippage_bps: Decimal = Decimal(0),
    interval: str | None = None,
    symbol: str = "BTC-USDT",
    tick_size: Decimal | None = None,
    lot_size: Decimal | None = None,
) -> BacktestConfig:
    # A strategy allowed to short needs a margin account; spot would silently turn shorts into flat.
    return BacktestConfig(
        cash=cash,
        symbol=symbol,
        tick_size=tick_size or DEFAULT_TICK,
        lot_size=lot_size or DEFAULT_LOT,
        fees=FeeSchedule(commission, commission),
        slippage=FixedBps(slippage_bps),
        margin=params.get("allow_short", 0) == 1,
        periods_per_year=periods_per_year(interval),
    )


def build(strategy: StrategySource, params: Mapping[str, float]) -> Strategy:
    if not isinstance(strategy, str):
        return strategy()
    spec = REFERENCE_STRATEGIES.get(strategy)
    if spec is None:
        raise UnknownStrategy(strategy)
    # The built-in catalogue is the wasm modules; the Python classes stay as their test oracle.
    from backend.strategies.catalogue import builtin_strategy

    return builtin_strategy(strategy, spec.validate(params))


def execute(
    strategy: StrategySource,
    params: Mapping[str, float],
    bars: Bars,
    config: BacktestConfig,
    stage: Stage | None = None,
) -> BacktestResult:
    """run_backtest, with a callback between its stages (signals, simulation) for progress reports."""
    built = build(strategy, params)
    if stage:
        stage("signals")
    exposures = np.asarray(built.on_bars(bars), dtype=np.float64)
    if stage:
        stage("simulate")
    return run_exposures(bars, exposures, config)


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def trade_row(trade: ClosedTrade) -> dict[str, Any]:
    """Exact amounts as decimal strings, times as ISO and epoch milliseconds."""
    return {
        "direction": trade.direction,
        "entry_time": iso(trade.entry_time_ms),
        "entry_time_ms": trade.entry_time_ms,
        "exit_time": iso(trade.exit_time_ms),
        "exit_time_ms": trade.exit_time_ms,
        "entry_price": str(trade.entry_price),
        "exit_price": str(trade.exit_price),
        "qty": str(trade.qty),
        "pnl": str(trade.pnl),
        "fees": str(trade.fees),
        "return": float(trade.return_fraction),
    }


def curve(times_ms: npt.NDArray[np.int64], values: npt.NDArray[np.float64], points: int = CURVE_POINTS) -> list[Any]:
    """[[time_ms, value], ...] with at most `points` points (LTTB)."""
    if times_ms.size == 0:
        return []
    t, v = downsample(times_ms, values, points)
    return [[int(a), float(b)] for a, b in zip(t.tolist(), v.tolist(), strict=True)]


def summary(result: BacktestResult) -> dict[str, Any]:
    metrics = result.metrics.as_dict() if result.metrics is not None else {}
    return {
        **metrics,
        "final_equity_exact": str(result.final_equity),
        "mode": result.mode,
        "fills": len(result.fills),
        "rejections": len(result.rejections),
    }


def equity_and_drawdown(result: BacktestResult, points: int = CURVE_POINTS) -> tuple[list[Any], list[Any]]:
    return curve(result.times_ms, result.equity, points), curve(result.times_ms, drawdown_series(result.equity), points)


def monte_carlo(result: BacktestResult, *, cash: Decimal, simulations: int, seed: int = 0) -> dict[str, Any]:
    """Bootstrap percentiles of final equity and max drawdown from the trades' returns."""
    if not result.trades:
        return {"simulations": simulations, "error": "no closed trades to resample"}
    boot = bootstrap_trades(
        [float(t.return_fraction) for t in result.trades], initial_equity=float(cash), simulations=simulations, rng=seed
    )
    return {
        **boot.as_dict(),
        "seed": seed,
        "probability_of_loss": boot.probability_of_loss(float(cash)),
        "final_equity_histogram": histogram(boot.final_equity),
        "max_drawdown_histogram": histogram(boot.max_drawdown),
    }


def histogram(values: Any, bins: int = HISTOGRAM_BINS) -> dict[str, list[float] | list[int]]:
    """Equal-width bins over the values' range: `edges` has one more entry than `counts`."""
    counts, edges = np.histogram(np.asarray(values, dtype=np.float64), bins=bins)
    return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def walk_forward(
    strategy: StrategySource,
    params: Mapping[str, float],
    bars: Bars,
    config: BacktestConfig,
    *,
    train: int,
    test: int,
) -> dict[str, Any]:
    """In-sample (train) and out-of-sample (test) results per rolling window.

    Reference strategies have no fitting step, so the train window serves as the
    in-sample comparison and as indicator warm-up for the test window: the test bars'
    exposures are computed over train + test and only the test part is traded.
    """
    windows = []
    for split in walk_forward_splits(bars.shape[0], train=train, test=test):
        span = bars[split.train.start : split.test.stop]
        exposures = np.asarray(build(strategy, params).on_bars(span), dtype=np.float64)
        cut = len(split.train)
        ins = run_exposures(span[:cut], exposures[:cut], config)
        out = run_exposures(span[cut:], exposures[cut:], config)
        windows.append({"split": split.number, "train": _brief(ins), "test": _brief(out)})
    returns = [w["test"]["total_return"] for w in windows]
    return {
        "train_bars": train,
        "test_bars": test,
        "windows": windows,
        "test_return_mean": float(np.mean(returns)) if returns else None,
        "test_positive_fraction": float(np.mean([r > 0 for r in returns])) if returns else None,
    }


def _brief(result: BacktestResult) -> dict[str, Any]:
    m = result.metrics
    assert m is not None
    return {
        "start": iso(m.start_ms) if m.start_ms is not None else None,
        "end": iso(m.end_ms) if m.end_ms is not None else None,
        "bars": m.bars,
        "total_return": m.total_return,
        "sharpe": m.sharpe,
        "max_drawdown": m.max_drawdown,
        "trades": m.trades,
    }
