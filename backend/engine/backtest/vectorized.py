"""The vectorized path of a plain target-exposure bar backtest (market orders at the next open).

It does only what the event-driven path would do at rebalancing bars, with the same
functions (sizing, slippage, fees, affordability, FIFO position), and computes the
equity curve for all bars at once with numpy: between two fills the position and cash
are constant, so equity_t = cash + position x close_t. Work in Python is proportional to
the number of rebalances, not bars. tests/engine/backtest/test_parity.py checks it against
the event-driven engine.

Eligible settings: BacktestConfig.vectorizable (fixed-bps slippage, no risk limits, no
protective orders); with those the engine accepts every order this path sends.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from backend.engine.backtest.bar_model import price_ticks
from backend.engine.backtest.decisions import rebalance_targets
from backend.engine.backtest.records import ClosedTrade
from backend.engine.backtest.result import ACCOUNT, BacktestConfig, BacktestResult
from backend.engine.market.trade import Side
from backend.engine.strategy.protocol import OPEN_TIME, Bars
from backend.engine.trading.events import Fill
from backend.engine.trading.fees import fee_for
from backend.engine.trading.funds import affordable_buy_qty, floor_quotient
from backend.engine.trading.orders import Liquidity
from backend.engine.trading.portfolio import Position
from backend.engine.trading.sizing import exposure_qty

ZERO = Decimal(0)


def run_vectorized(bars: Bars, exposures: np.ndarray, config: BacktestConfig) -> BacktestResult:
    if not config.vectorizable:
        raise ValueError("these settings need the event-driven path (slippage model, risk limits or protective orders)")
    n = bars.shape[0]
    times = bars[:, OPEN_TIME].astype(np.int64)
    tick, lot = config.tick_size, config.lot_size
    ticks = price_ticks(bars, tick)
    targets = rebalance_targets(exposures, allow_short=config.margin)
    slippage = config.slippage
    taker = config.fees.taker
    quote = config.market().quote
    symbol = config.symbol
    margin, leverage, min_notional = config.margin, config.leverage, config.min_notional

    position = Position(symbol)
    cash = config.cash
    fills: list[Fill] = []
    trades: list[ClosedTrade] = []
    fill_bars: list[int] = []
    cash_after: list[float] = []
    pos_after: list[float] = []
    orders = 0
    decided = np.flatnonzero(~np.isnan(targets[: max(n - 1, 0)]))
    target_values = targets[decided].tolist()
    closes = ticks[decided, 3].tolist()
    opens = ticks[np.minimum(decided + 1, n - 1), 0].tolist()
    open_times = times[np.minimum(decided + 1, n - 1)].tolist()
    for i, target, close_ticks, open_ticks, ts in zip(
        decided.tolist(), target_values, closes, opens, open_times, strict=True
    ):
        pos = position.qty
        close = Decimal(close_ticks) * tick
        equity = cash + pos * close if pos else cash
        delta = exposure_qty(Decimal(repr(target)), equity, close, lot) - pos
        if not delta:
            continue
        side = Side.BUY if delta > 0 else Side.SELL
        open_ = Decimal(open_ticks) * tick
        price = slippage.fill_price(side, open_, ZERO, tick, ZERO)
        if margin:
            reach = floor_quotient(leverage * (cash + pos * open_), price, lot)
            cap = reach - pos if side is Side.BUY else reach + pos
        elif side is Side.BUY:
            cap = affordable_buy_qty(cash, price, taker, lot)
        else:
            cap = pos
        qty = min(abs(delta), cap)
        if qty <= 0:
            continue
        orders += 1
        notional = qty * price
        if notional < min_notional:
            continue  # the engine rejects it (min_notional) after numbering the order
        fee = fee_for(notional, taker)
        buy = side is Side.BUY
        cash = cash - notional - fee if buy else cash + notional - fee
        realized, closed = position.apply(buy, qty, price, fee, ts)
        order_id = f"{ACCOUNT}:{orders}"
        fills.append(
            Fill(
                f"{order_id}-1", order_id, ACCOUNT, symbol, side, price, qty, fee, quote, Liquidity.TAKER, ts, realized
            )
        )
        if closed is not None:
            trades.append(closed)
        fill_bars.append(i + 1)
        cash_after.append(float(cash))
        pos_after.append(float(position.qty))

    # State in force at each bar's close: that of the last fill at or before the bar's open.
    state = np.searchsorted(np.asarray(fill_bars, dtype=np.int64), np.arange(n), side="right")
    cash_at = np.concatenate(([float(config.cash)], cash_after))[state]
    pos_at = np.concatenate(([0.0], pos_after))[state]
    close_f = ticks[:, 3] * float(tick)
    equity_curve = cash_at + pos_at * close_f
    final_close = Decimal(int(ticks[-1, 3])) * tick if n else ZERO
    final_equity = cash + position.qty * final_close if position.qty else cash
    return BacktestResult(times, equity_curve, pos_at != 0, final_equity, fills, trades, mode="vectorized")
