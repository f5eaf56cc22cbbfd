"""The vectorized path of a plain target-exposure bar backtest (market orders at the next open).

Between two rebalances the position and cash are constant, so the equity curve of all
bars is one numpy expression (equity_t = cash + position x close_t); Python work is
proportional to the number of rebalances, not bars. At each rebalance this path does
what the paper engine does for the event-driven runner (sizing at the decision close,
cap at what the account can pay for or at leverage x equity, fill at the slipped next
open, fee rounded up to 1e-8, FIFO lots and round trips), in exact integer arithmetic:
prices in ticks, quantities in lots and money in units of 10^e chosen so every amount is
a whole number. Integers are several times faster than Decimal, and the results (turned
into Decimal only for the records) are the same numbers; tests/engine/backtest/
test_parity.py checks fills, trades and equity against the event-driven path.

Eligible settings: BacktestConfig.vectorizable (fixed-bps slippage, no risk limits, no
protective orders); with those the engine accepts every order this path sends, except
those below the minimum notional, which both paths number and drop.
"""

from __future__ import annotations

import gc
from collections import deque
from decimal import Decimal

import numpy as np

from backend.engine.backtest.decisions import rebalance_targets
from backend.engine.backtest.records import ClosedTrade
from backend.engine.backtest.result import ACCOUNT, BacktestConfig, BacktestResult
from backend.engine.market.trade import Side
from backend.engine.strategy.protocol import CLOSE, OPEN, OPEN_TIME, Bars
from backend.engine.trading.events import Fill
from backend.engine.trading.fees import FEE_QUANTUM
from backend.engine.trading.orders import Liquidity
from backend.engine.trading.sizing import exposure_decimal
from backend.engine.trading.slippage import FixedBps

ZERO = Decimal(0)


def _exponent(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    assert isinstance(exp, int)
    return exp


def _units(d: Decimal, unit_exp: int) -> int:
    """d as a whole number of 10^unit_exp (exact: unit_exp is at most d's exponent)."""
    return int(d.scaleb(-unit_exp))


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def run_vectorized(bars: Bars, exposures: np.ndarray, config: BacktestConfig) -> BacktestResult:
    # The loop allocates records by the ten thousand and no reference cycles: the cyclic
    # collector would only rescan them (it doubled the run time in the 1M-bar benchmark).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(bars, exposures, config)
    finally:
        if was_enabled:
            gc.enable()


def _run(bars: Bars, exposures: np.ndarray, config: BacktestConfig) -> BacktestResult:
    if not config.vectorizable:
        raise ValueError("these settings need the event-driven path (slippage model, risk limits or protective orders)")
    assert isinstance(config.slippage, FixedBps)
    n = bars.shape[0]
    times = bars[:, OPEN_TIME].astype(np.int64)
    tick, lot = config.tick_size, config.lot_size
    tick_f = float(tick)
    tick_lot = tick * lot
    # Money unit: fine enough for a tick x lot, the fee quantum, the cash and the min notional.
    u = min(_exponent(tick_lot), _exponent(FEE_QUANTUM), _exponent(config.cash), _exponent(config.min_notional))
    tl_u = _units(tick_lot, u)  # one tick times one lot, in money units
    q8_u = _units(FEE_QUANTUM, u)
    unit = Decimal(1).scaleb(u)
    rate_n, rate_d = config.fees.taker.as_integer_ratio()
    lev_n, lev_d = config.leverage.as_integer_ratio()
    min_notional_u = _units(config.min_notional, u)
    margin = config.margin
    bps = config.slippage.bps
    symbol = config.symbol
    quote = config.market().quote

    def fee_u(notional_u: int) -> int:
        if not rate_n:
            return 0
        return _ceil_div(notional_u * rate_n, rate_d * q8_u) * q8_u

    # Prices snapped to the tick exactly as bar_model.price_ticks does, but only the columns
    # and rows this path reads (a full (n, 4) copy would cost more than the whole loop).
    close_ticks = np.rint(np.ascontiguousarray(bars[:, CLOSE]) / tick_f)
    targets = rebalance_targets(exposures, allow_short=margin)
    decided = np.flatnonzero(~np.isnan(targets[: max(n - 1, 0)]))
    nxt = decided + 1
    rows = zip(
        nxt.tolist(),
        targets[decided].tolist(),
        close_ticks[decided].astype(np.int64).tolist(),
        np.rint(bars[nxt, OPEN] / tick_f).astype(np.int64).tolist(),
        times[nxt].tolist(),
        strict=True,
    )

    cash = _units(config.cash, u)
    pos = 0  # lots, signed
    lots: deque[list[int]] = deque()  # [signed lots, price ticks], oldest first
    trip: list[int] | None = (
        None  # [long, entry_ms, entry_lots, entry_tl, exit_lots, exit_tl, exit_ms, realized_tl, fees_u]
    )
    fills: list[Fill] = []
    trades: list[ClosedTrade] = []
    fill_bars: list[int] = []
    cash_after: list[int] = []
    pos_after: list[int] = []
    orders = 0
    ratios: dict[float, tuple[int, int]] = {}

    for j, target, close, open_, ts in rows:
        ratio = ratios.get(target)
        if ratio is None:
            ratio = ratios[target] = exposure_decimal(target).as_integer_ratio()
        e_n, e_d = ratio
        equity = cash + pos * close * tl_u
        want = (abs(e_n) * equity) // (e_d * close * tl_u) if equity > 0 else 0
        delta = (want if e_n >= 0 else -want) - pos
        if not delta:
            continue
        buy = delta > 0
        if bps:
            slipped = config.slippage.fill_price(Side.BUY if buy else Side.SELL, open_ * tick, ZERO, tick, ZERO)
            price = _units(slipped, _exponent(tick)) // _units(tick, _exponent(tick))
        else:
            price = open_
        per_lot = price * tl_u  # money for one lot at the fill price
        if margin:
            equity_open = cash + pos * open_ * tl_u
            reach = lev_n * equity_open // (lev_d * per_lot) if equity_open > 0 else 0
            cap = reach - pos if buy else reach + pos
        elif buy:
            cap = cash * rate_d // (per_lot * (rate_d + rate_n)) if cash > 0 else 0
            while cap > 0 and cap * per_lot + fee_u(cap * per_lot) > cash:
                cap -= 1
        else:
            cap = pos
        qty = min(abs(delta), cap)
        if qty <= 0:
            continue
        orders += 1
        notional = qty * per_lot
        if notional < min_notional_u:
            continue  # the engine rejects it (min_notional) after numbering the order
        fee = fee_u(notional)
        cash = cash - notional - fee if buy else cash + notional - fee

        # FIFO: close against the oldest lots, then open with what is left.
        signed = qty if buy else -qty
        realized = 0
        closed = 0
        while signed and pos and (signed > 0) != (pos > 0):
            lot_ = lots[0]
            take = min(abs(signed), abs(lot_[0]))
            if lot_[0] > 0:
                realized += (price - lot_[1]) * take
                lot_[0] -= take
                pos -= take
                signed += take
            else:
                realized += (lot_[1] - price) * take
                lot_[0] += take
                pos += take
                signed -= take
            closed += take
            if not lot_[0]:
                lots.popleft()
        if not signed:
            close_fee = fee
        elif closed:  # a reversal: the closing part's share, rounded half-even to the fee quantum
            q, r = divmod((fee // q8_u) * closed, qty)
            if 2 * r > qty or (2 * r == qty and q % 2):
                q += 1
            close_fee = q * q8_u
        else:
            close_fee = 0
        if closed and trip is not None:
            trip[4] += closed
            trip[5] += closed * price
            trip[6] = ts
            trip[7] += realized
            trip[8] += close_fee
            if not pos:
                trades.append(
                    ClosedTrade(
                        symbol,
                        "long" if trip[0] else "short",
                        trip[1],
                        trip[6],
                        (Decimal(trip[3]) * tick) / trip[2],
                        (Decimal(trip[5]) * tick) / trip[4],
                        Decimal(trip[2]) * lot,
                        (Decimal(trip[7]) * tick_lot) - Decimal(trip[8]) * unit,
                        Decimal(trip[8]) * unit,
                    )
                )
                trip = None
        if signed:
            lots.append([signed, price])
            pos += signed
            if trip is None:
                trip = [signed > 0, ts, 0, 0, 0, 0, 0, 0, 0]
            trip[2] += abs(signed)
            trip[3] += abs(signed) * price
            trip[8] += fee - close_fee
        order_id = f"{ACCOUNT}:{orders}"
        fills.append(
            Fill(
                f"{order_id}-1",
                order_id,
                ACCOUNT,
                symbol,
                Side.BUY if buy else Side.SELL,
                Decimal(price) * tick,
                Decimal(qty) * lot,
                Decimal(fee) * unit,
                quote,
                Liquidity.TAKER,
                ts,
                Decimal(realized) * tick_lot,
            )
        )
        fill_bars.append(j)
        cash_after.append(cash)
        pos_after.append(pos)

    # State in force at each bar's close: that after the last fill at or before the bar's open.
    state = np.searchsorted(np.asarray(fill_bars, dtype=np.int64), np.arange(n), side="right")
    unit_f, lot_f = float(unit), float(lot)
    cash_at = (np.asarray([_units(config.cash, u), *cash_after], dtype=np.float64) * unit_f)[state]
    pos_at = (np.asarray([0, *pos_after], dtype=np.float64) * lot_f)[state]
    equity_curve = cash_at + pos_at * (close_ticks * tick_f)
    final_close = int(close_ticks[-1]) if n else 0
    final_equity = Decimal(cash) * unit + Decimal(pos * final_close) * tick_lot
    return BacktestResult(times, equity_curve, pos_at != 0, final_equity, fills, trades, mode="vectorized")
