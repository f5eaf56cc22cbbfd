"""A bar backtest's settings and its outcome, shared by the event-driven and the vectorized paths."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from backend.engine.backtest.records import ClosedTrade
from backend.engine.market.instrument import Instrument
from backend.engine.trading.fees import FeeSchedule
from backend.engine.trading.risk import RiskLimits
from backend.engine.trading.slippage import FixedBps, SlippageModel
from backend.engine.trading.spec import MarketSpec

EXCHANGE = "backtest"
ACCOUNT = "bt"
YEAR_MS = 365 * 86_400_000


@dataclass(frozen=True)
class BacktestConfig:
    """Defaults: 10,000 USDT spot (long only), Binance spot fees, no slippage, no risk limits."""

    cash: Decimal = Decimal(10_000)
    symbol: str = "BTC-USDT"
    tick_size: Decimal = Decimal("0.01")
    lot_size: Decimal = Decimal("0.00001")
    min_notional: Decimal = Decimal(0)
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    slippage: SlippageModel = field(default_factory=FixedBps)
    margin: bool = False  # margin accounts may short (targets < 0) within `leverage` x equity
    leverage: Decimal = Decimal(1)
    risk: RiskLimits = field(default_factory=RiskLimits)
    # Protective orders placed after each entry, as distance from the entry price in bps
    # (reduce-only stop-market and take-profit-market; event-driven path only).
    stop_loss_bps: Decimal | None = None
    take_profit_bps: Decimal | None = None
    periods_per_year: float | None = None  # default: derived from the bar spacing, 365-day years

    def market(self) -> MarketSpec:
        return MarketSpec(Instrument(EXCHANGE, self.symbol, self.tick_size, self.lot_size), self.min_notional)

    @property
    def vectorizable(self) -> bool:
        """Whether the vectorized path reproduces the event-driven one for these settings."""
        return (
            isinstance(self.slippage, FixedBps)
            and self.risk == RiskLimits()
            and self.stop_loss_bps is None
            and self.take_profit_bps is None
        )


@dataclass
class BacktestResult:
    times_ms: npt.NDArray[np.int64]  # each bar's open time
    equity: npt.NDArray[np.float64]  # equity at each bar's close, marked to the close
    exposed: npt.NDArray[np.bool_]  # a position was held at the bar's close
    final_equity: Decimal  # exact
    fills: list[Any]  # backend.engine.trading.events.Fill, in time order
    trades: list[ClosedTrade]
    rejections: list[tuple[int, str]] = field(default_factory=list)  # (time_ms, reason) of refused orders
    mode: str = "event"
    metrics: Any | None = None  # backend.engine.backtest.metrics.Metrics when that module is available


def periods_per_year(times_ms: npt.NDArray[np.int64], configured: float | None) -> float:
    if configured is not None:
        return configured
    if times_ms.shape[0] < 2:
        return 365.0
    step = float(np.median(np.diff(times_ms)))
    return YEAR_MS / step if step > 0 else 365.0


def attach_metrics(result: BacktestResult, config: BacktestConfig) -> BacktestResult:
    """Fill result.metrics from backend.engine.backtest.metrics if it is importable."""
    try:
        module = importlib.import_module("backend.engine.backtest.metrics")
    except ImportError:
        return result
    result.metrics = module.compute_metrics(
        result.times_ms,
        result.equity,
        result.trades,
        periods_per_year=periods_per_year(result.times_ms, config.periods_per_year),
        exposed=result.exposed,
    )
    return result
