"""Bar backtests of a Strategy through the paper trading engine (the same matching, funds and
portfolio code as live paper trading), with a vectorized path for plain target-exposure runs.

    result = run_backtest(strategy, bars, BacktestConfig(cash=Decimal(10_000)))

Bars are rows [open_time_ms, open, high, low, close, volume]. The strategy's exposure for
bar i (decided at its close) becomes a target position of exposure x equity at that close,
valued at the close and rounded toward zero to the lot; the difference to the current
position goes out as a market order at bar i+1's open, capped at what the account can
pay for (or, on margin, at leverage x equity). The timing and the intrabar path are
described in backend.engine.backtest.bar_model; when targets are rebalanced is described
in backend.engine.backtest.decisions.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Literal

import numpy as np

from backend.engine.backtest.bar_model import PRINT_QTY, path, price_ticks, segment_prints
from backend.engine.backtest.decisions import rebalance_targets
from backend.engine.backtest.records import ClosedTrade
from backend.engine.backtest.result import ACCOUNT, EXCHANGE, BacktestConfig, BacktestResult, attach_metrics
from backend.engine.market.trade import Side, Trade
from backend.engine.strategy.protocol import BAR_COLUMNS, OPEN_TIME, Bars, Strategy
from backend.engine.trading.account import AccountConfig
from backend.engine.trading.engine import PaperEngine
from backend.engine.trading.events import Event, Fill, OrderRejected, RoundTripClosed
from backend.engine.trading.orders import OrderRequest, OrderType
from backend.engine.trading.sizing import exposure_decimal, exposure_qty

ZERO = Decimal(0)
BPS = Decimal(10_000)
Mode = Literal["auto", "event", "vectorized"]


def run_backtest(
    strategy: Strategy, bars: Bars, config: BacktestConfig | None = None, *, mode: Mode = "auto"
) -> BacktestResult:
    config = config or BacktestConfig()
    bars = _check_bars(bars)
    exposures = np.asarray(strategy.on_bars(bars), dtype=np.float64)
    if exposures.shape != (bars.shape[0],):
        raise ValueError(f"the strategy returned {exposures.shape} exposures for {bars.shape[0]} bars")
    return run_exposures(bars, exposures, config, mode=mode)


def run_exposures(
    bars: Bars, exposures: np.ndarray, config: BacktestConfig | None = None, *, mode: Mode = "auto"
) -> BacktestResult:
    """The same, from precomputed exposures (one per bar, decided at that bar's close)."""
    config = config or BacktestConfig()
    bars = _check_bars(bars)
    if mode == "vectorized" or (mode == "auto" and config.vectorizable):
        from backend.engine.backtest.vectorized import run_vectorized

        result = run_vectorized(bars, exposures, config)
    else:
        result = run_event_driven(bars, exposures, config)
    return attach_metrics(result, config)


def run_event_driven(bars: Bars, exposures: np.ndarray, config: BacktestConfig) -> BacktestResult:
    spec = config.market()
    tick, lot = config.tick_size, config.lot_size
    engine = PaperEngine(slippage=config.slippage)
    engine.add_market(spec)
    account = AccountConfig(EXCHANGE, spec.quote, config.fees, config.margin, config.leverage, config.risk)
    engine.open_account(ACCOUNT, account, config.cash)

    n = bars.shape[0]
    times = bars[:, OPEN_TIME].astype(np.int64)
    ticks = price_ticks(bars, tick)
    targets = rebalance_targets(exposures, allow_short=config.margin)
    equity = np.empty(n, dtype=np.float64)
    exposed = np.zeros(n, dtype=np.bool_)
    fills: list[Fill] = []
    trades: list[ClosedTrade] = []
    rejections: list[tuple[int, str]] = []
    protective = config.stop_loss_bps is not None or config.take_profit_bps is not None
    symbol = config.symbol
    trade_id = 0
    prev_close: Decimal | None = None
    pending: Decimal | None = None  # target position decided at the previous close

    def collect(events: list[Event]) -> None:
        for ev in events:
            if isinstance(ev, Fill):
                fills.append(ev)
            elif isinstance(ev, RoundTripClosed):
                trades.append(ev.trade)
            elif isinstance(ev, OrderRejected):
                rejections.append((ev.order.created_ms, str(ev.order.reason)))

    def feed(price: Decimal, ts: int, side: Side) -> None:
        nonlocal trade_id
        trade_id += 1
        collect(engine.on_trade(Trade(EXCHANGE, symbol, trade_id, ts, price, PRINT_QTY, side, ts)))

    for i in range(n):
        t0 = int(times[i])
        o, h, lo, c = (Decimal(int(k)) * tick for k in ticks[i])
        feed(o, t0, Side.BUY if prev_close is None or o >= prev_close else Side.SELL)
        if pending is not None:
            pos = engine.position_qty(ACCOUNT, symbol)
            delta = pending - pos
            pending = None
            if delta:
                side = Side.BUY if delta > 0 else Side.SELL
                qty = min(abs(delta), engine.max_market_qty(ACCOUNT, symbol, side))
                if qty > 0:
                    result = engine.submit(ACCOUNT, OrderRequest(symbol, side, qty, OrderType.MARKET), ts_ms=t0)
                    collect(result.events)
                    if protective and result.accepted:
                        collect(_protect(engine, config, t0))
        step = 0
        points = path(o, h, lo, c)
        for a, b in pairwise(points):
            levels = engine.trigger_levels(EXCHANGE, symbol)
            for price in segment_prints(a, b, levels):
                step += 1
                feed(price, t0 + step, Side.BUY if b > a else Side.SELL)
        prev_close = c
        eq = engine.equity(ACCOUNT)
        equity[i] = float(eq)
        exposed[i] = engine.position_qty(ACCOUNT, symbol) != 0
        target = targets[i]
        if i + 1 < n and not np.isnan(target):
            pending = exposure_qty(exposure_decimal(float(target)), eq, c, lot)
    return BacktestResult(times, equity, exposed, engine.equity(ACCOUNT), fills, trades, rejections, mode="event")


def _protect(engine: PaperEngine, config: BacktestConfig, ts: int) -> list[Event]:
    """Replace the protective orders with ones covering the whole position at the new average entry."""
    symbol = config.symbol
    events = engine.cancel_all(ACCOUNT, symbol, ts_ms=ts)
    view = next((p for p in engine.account_view(ACCOUNT).positions if p.symbol == symbol), None)
    if view is None or not view.qty or view.avg_entry is None:
        return events
    long = view.qty > 0
    side = Side.SELL if long else Side.BUY
    qty = abs(view.qty)
    tick = config.tick_size
    for bps, kind in (
        (config.stop_loss_bps, OrderType.STOP_MARKET),
        (config.take_profit_bps, OrderType.TAKE_PROFIT_MARKET),
    ):
        if bps is None:
            continue
        away = (bps / BPS) if kind is OrderType.TAKE_PROFIT_MARKET else -(bps / BPS)
        raw = view.avg_entry * (1 + away if long else 1 - away)
        level = (raw / tick).to_integral_value() * tick
        if level <= 0:
            continue
        request = OrderRequest(symbol, side, qty, kind, stop_price=level, reduce_only=True)
        events += engine.submit(ACCOUNT, request, ts_ms=ts).events
    return events


def _check_bars(bars: Bars) -> Bars:
    arr = np.asarray(bars, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != BAR_COLUMNS:
        raise ValueError(f"bars must have shape (n, {BAR_COLUMNS}), got {arr.shape}")
    return arr
