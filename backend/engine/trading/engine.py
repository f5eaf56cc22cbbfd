"""The paper trading engine: accounts, order admission, matching against the trade stream.

    engine = PaperEngine()
    engine.add_market(MarketSpec(Instrument("binance", "BTC-USDT", Decimal("0.01"), Decimal("0.00001"))))
    engine.open_account("acc-1", AccountConfig(exchange="binance"), cash=Decimal(10_000))
    result = engine.submit("acc-1", OrderRequest("BTC-USDT", Side.BUY, Decimal("0.1"), price=Decimal(60_000)))
    events = engine.on_trade(trade)

Execution model (paper trading against public prints, nobody else's orders are visible):
- Taker fills (market orders, marketable limits, triggered stops) fill in full at the last
  trade price moved by the slippage model; a marketable limit never fills beyond its limit.
- A resting limit fills at its own price when a print trades strictly through it, at most
  the print's quantity (shared by one account's orders, in price-time priority; accounts
  are separate simulations, so one tenant's orders never change another's fills). A print
  AT the limit, by a taker on the other side, first consumes the queue assumed ahead of
  the order (`touch_queue_qty`, by default infinite: touching never fills).
- Stops and take-profits trigger on prints (a stop already through the market triggers on
  the next print); trailing stops follow the best print since submission.
- Fees use the cumulative notional of the order, so an order's fees are the same however
  it is split into fills, and funds locked at submission always cover them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from backend.engine.market.trade import Side, Trade
from backend.engine.trading.account import (
    Account,
    AccountConfig,
    AccountSnapshot,
    AccountView,
    PositionSnapshot,
    PositionView,
)
from backend.engine.trading.book import Book
from backend.engine.trading.events import (
    BalanceChanged,
    Event,
    Fill,
    OrderAccepted,
    OrderRejected,
    OrderUpdated,
    RiskStateChanged,
    RoundTripClosed,
    SubmitResult,
)
from backend.engine.trading.fees import fee_for
from backend.engine.trading.funds import affordable_buy_qty, buy_cost, floor_quotient
from backend.engine.trading.orders import (
    LIMIT_TYPES,
    TRIGGER_TYPES,
    Liquidity,
    Order,
    OrderRequest,
    OrderSnapshot,
    OrderStatus,
    OrderType,
    TimeInForce,
)
from backend.engine.trading.reasons import RejectReason
from backend.engine.trading.risk import BPS, RiskLimits, check_increasing_order, outside_band
from backend.engine.trading.slippage import FixedBps, SlippageModel
from backend.engine.trading.spec import MarketSpec, is_finite_positive

ZERO = Decimal(0)
INFINITE = Decimal("Infinity")
_MARKET_KINDS = frozenset(
    {OrderType.MARKET, OrderType.STOP_MARKET, OrderType.TAKE_PROFIT_MARKET, OrderType.TRAILING_STOP}
)


class UnknownAccount(KeyError):
    pass


class _Volume:
    """Traded quantity over a sliding time window (only kept when the slippage model needs it)."""

    __slots__ = ("prints", "total", "window_ms")

    def __init__(self, window_ms: int) -> None:
        self.window_ms = window_ms
        self.prints: deque[tuple[int, Decimal]] = deque()
        self.total = ZERO

    def add(self, ts_ms: int, qty: Decimal) -> None:
        self.prints.append((ts_ms, qty))
        self.total += qty
        horizon = ts_ms - self.window_ms
        while self.prints and self.prints[0][0] <= horizon:
            self.total -= self.prints.popleft()[1]


class _Market:
    __slots__ = ("book", "holders", "last_price", "last_ts", "spec", "volume")

    def __init__(self, spec: MarketSpec, volume_window_ms: int | None) -> None:
        self.spec = spec
        self.book = Book()
        self.last_price: Decimal | None = None
        self.last_ts = 0
        self.volume = _Volume(volume_window_ms) if volume_window_ms is not None else None
        # Accounts with a position here and a drawdown or daily-loss limit: marked on every
        # print. Others observe equity (and their peak) at their own fills only,
        # so a print's cost does not grow with every account that merely holds the market.
        self.holders: dict[str, Account] = {}


@dataclass(frozen=True, slots=True)
class CancelResult:
    order: OrderSnapshot | None
    events: list[Event]
    reason: RejectReason | None = None  # why nothing was cancelled (unknown or no longer open)

    @property
    def cancelled(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class EngineSnapshot:
    last_prices: dict[tuple[str, str], tuple[Decimal, int]]  # (exchange, symbol) -> (price, ts_ms)
    accounts: tuple[AccountSnapshot, ...]
    seq: int


class _Op:
    """One engine call: the events it produced and the balances it touched (reported once, at the end)."""

    __slots__ = ("events", "touched", "ts")

    def __init__(self, ts: int) -> None:
        self.ts = ts
        self.events: list[Event] = []
        self.touched: dict[tuple[str, str], Account] = {}

    def touch(self, acct: Account, asset: str) -> None:
        self.touched[(acct.id, asset)] = acct

    def finish(self) -> list[Event]:
        for (_, asset), acct in self.touched.items():
            free, locked = acct.balance(asset)
            self.events.append(BalanceChanged(acct.id, asset, free, locked, self.ts))
        self.touched.clear()
        return self.events


class PaperEngine:
    def __init__(self, *, slippage: SlippageModel | None = None, touch_queue_qty: Decimal = INFINITE) -> None:
        self.slippage: SlippageModel = slippage if slippage is not None else FixedBps()
        self.touch_queue_qty = touch_queue_qty
        self._markets: dict[tuple[str, str], _Market] = {}
        self._accounts: dict[str, Account] = {}
        self._seq = 0

    # == set-up ================================================================================
    def add_market(self, spec: MarketSpec) -> None:
        window = getattr(self.slippage, "window_ms", 60_000) if self.slippage.uses_volume else None
        existing = self._markets.get(spec.key)
        if existing is not None:
            existing.spec = spec
        else:
            self._markets[spec.key] = _Market(spec, window)

    def open_account(self, account_id: str, config: AccountConfig, cash: Decimal, *, ts_ms: int = 0) -> list[Event]:
        if account_id in self._accounts:
            raise ValueError(f"account {account_id} already exists")
        acct = self._accounts[account_id] = Account(account_id, config, cash)
        op = _Op(ts_ms)
        op.touch(acct, config.currency)
        return op.finish()

    def deposit(self, account_id: str, amount: Decimal, *, ts_ms: int = 0) -> list[Event]:
        """Add (or with a negative amount, withdraw) account currency; the peak moves too (flows are not P&L)."""
        acct = self._account(account_id)
        cur = acct.config.currency
        if amount < 0 and acct.free.get(cur, ZERO) < -amount:
            raise ValueError("cannot withdraw more than the free balance")
        acct.free[cur] = acct.free.get(cur, ZERO) + amount
        acct.risk.peak_equity += amount
        acct.risk.day_start_equity += amount
        op = _Op(ts_ms)
        op.touch(acct, cur)
        return op.finish()

    def set_risk_limits(self, account_id: str, limits: RiskLimits) -> None:
        acct = self._account(account_id)
        c = acct.config
        acct.config = AccountConfig(c.exchange, c.currency, c.fees, c.margin, c.leverage, limits)
        for symbol, pos in acct.positions.items():
            holders = self._markets[(c.exchange, symbol)].holders
            if pos.qty and limits.needs_marking:
                holders[acct.id] = acct
            else:
                holders.pop(acct.id, None)

    def set_kill_switch(self, account_id: str, on: bool, *, ts_ms: int = 0) -> list[Event]:
        """On: cancel every open order and refuse new ones until switched off."""
        acct = self._account(account_id)
        acct.risk.kill_switch = on
        op = _Op(ts_ms)
        if on:
            self._cancel_where(acct, None, op, RejectReason.KILL_SWITCH)
        op.events.append(RiskStateChanged(acct.id, acct.risk.breaker_tripped, on, "kill_switch", ts_ms))
        return op.finish()

    def reset_breaker(self, account_id: str, *, ts_ms: int = 0) -> list[Event]:
        """Re-arm the drawdown breaker; the peak restarts from the current equity."""
        acct = self._account(account_id)
        acct.risk.breaker_tripped = False
        acct.risk.peak_equity = self.equity(account_id)
        return [RiskStateChanged(acct.id, False, acct.risk.kill_switch, "reset", ts_ms)]

    # == orders ================================================================================
    def submit(self, account_id: str, request: OrderRequest, *, ts_ms: int | None = None) -> SubmitResult:
        acct = self._account(account_id)
        if request.client_order_id is not None:
            first = acct.client_ids.get(request.client_order_id)
            if first is not None:
                return SubmitResult(first.snapshot(), [], duplicate=True)
        market = self._markets.get((acct.config.exchange, request.symbol))
        ts = ts_ms if ts_ms is not None else (market.last_ts if market is not None else 0)
        acct.next_order += 1
        self._seq += 1
        order = Order(
            f"{account_id}:{acct.next_order}",
            account_id,
            request.symbol,
            request.side,
            request.type,
            request.tif,
            request.qty,
            request.price,
            request.stop_price,
            request.trail_offset,
            request.trail_bps,
            request.reduce_only,
            request.client_order_id,
            ts,
            updated_ms=ts,
            seq=self._seq,
        )
        if request.client_order_id is not None:
            acct.client_ids[request.client_order_id] = order
        op = _Op(ts)
        reason = self._admit(acct, market, order)
        if reason is not None:
            order.transition(OrderStatus.REJECTED, ts, reason)
            snap = order.snapshot()
            return SubmitResult(snap, [OrderRejected(snap)])
        assert market is not None
        self._lock(acct, market.spec, order, order.locked, op)
        acct.open_orders[order.order_id] = order
        if order.type in LIMIT_TYPES:
            order.queue_ahead = self.touch_queue_qty
        accepted = order.snapshot()
        op.events.append(OrderAccepted(accepted))
        self._activate(acct, market, order, op)
        # A limit that only came to rest changed nothing since it was accepted: reuse that snapshot.
        unchanged = len(op.events) == 1 and order.status is OrderStatus.NEW
        return SubmitResult(accepted if unchanged else order.snapshot(), op.finish())

    def cancel(
        self,
        account_id: str,
        order_id: str | None = None,
        *,
        client_order_id: str | None = None,
        ts_ms: int | None = None,
    ) -> CancelResult:
        acct = self._account(account_id)
        order = acct.open_orders.get(order_id) if order_id is not None else None
        if order is None and client_order_id is not None:
            order = acct.client_ids.get(client_order_id)
        if order is None:
            return CancelResult(None, [], RejectReason.UNKNOWN_ORDER)
        if not order.is_open:
            return CancelResult(order.snapshot(), [], RejectReason.UNKNOWN_ORDER)
        market = self._markets[(acct.config.exchange, order.symbol)]
        op = _Op(ts_ms if ts_ms is not None else market.last_ts)
        self._end(acct, market, order, OrderStatus.CANCELLED, RejectReason.CANCELLED_BY_USER, op)
        return CancelResult(order.snapshot(), op.finish())

    def cancel_all(self, account_id: str, symbol: str | None = None, *, ts_ms: int = 0) -> list[Event]:
        acct = self._account(account_id)
        op = _Op(ts_ms)
        self._cancel_where(acct, symbol, op, RejectReason.CANCELLED_BY_USER)
        return op.finish()

    # == market data ===========================================================================
    def on_trade(self, trade: Trade) -> list[Event]:
        market = self._markets.get((trade.exchange, trade.symbol))
        if market is None:
            return []
        price = trade.price
        market.last_price = price
        market.last_ts = trade.ts_ms
        if market.volume is not None:
            market.volume.add(trade.ts_ms, trade.qty)
        op: _Op | None = None
        if market.book.may_act(price):
            op = _Op(trade.ts_ms)
            self._match(market, trade, op)
        if market.holders:
            op = op or _Op(trade.ts_ms)
            for acct in list(market.holders.values()):
                self._observe(acct, op)
        return op.finish() if op is not None else []

    # == queries ===============================================================================
    def has_account(self, account_id: str) -> bool:
        return account_id in self._accounts

    def last_price(self, exchange: str, symbol: str) -> Decimal | None:
        market = self._markets.get((exchange, symbol))
        return market.last_price if market is not None else None

    def balance(self, account_id: str, asset: str) -> tuple[Decimal, Decimal]:
        return self._account(account_id).balance(asset)

    def position_qty(self, account_id: str, symbol: str) -> Decimal:
        return self._account(account_id).position_qty(symbol)

    def open_orders(self, account_id: str, symbol: str | None = None) -> list[OrderSnapshot]:
        orders = self._account(account_id).open_orders.values()
        return [o.snapshot() for o in orders if symbol is None or o.symbol == symbol]

    def trigger_levels(self, exchange: str, symbol: str) -> list[Decimal]:
        """Prices at which resting stops would trigger now (the bar model visits them on its path)."""
        market = self._markets[(exchange, symbol)]
        levels = market.book.trigger_levels()
        levels += [t for o in market.book.trailing.values() if (t := _trail_trigger(o)) is not None]
        return levels

    def equity(self, account_id: str) -> Decimal:
        return self._equity(self._account(account_id))

    def account_view(self, account_id: str) -> AccountView:
        acct = self._account(account_id)
        positions = []
        for symbol, pos in acct.positions.items():
            if not pos.qty and not pos.realized:
                continue
            mark = self._mark(acct, symbol)
            unrealized = pos.unrealized(mark) if mark is not None else ZERO
            positions.append(PositionView(symbol, pos.qty, pos.avg_entry, mark, unrealized, pos.realized, pos.fees))
        equity = self._equity(acct)
        assets = set(acct.free) | set(acct.locked)
        return AccountView(
            acct.id,
            acct.config.currency,
            {a: acct.balance(a) for a in sorted(assets)},
            positions,
            equity,
            self._gross(acct),
            acct.risk.peak_equity,
            acct.risk.drawdown(equity),
            acct.risk.breaker_tripped,
            acct.risk.kill_switch,
            len(acct.open_orders),
        )

    def max_market_qty(self, account_id: str, symbol: str, side: Side) -> Decimal:
        """The largest market order on this side that the funds checks would accept now."""
        acct = self._account(account_id)
        market = self._markets[(acct.config.exchange, symbol)]
        last = market.last_price
        if last is None:
            return ZERO
        spec = market.spec
        lot = spec.instrument.lot_size
        price = self._taker_price(market, side, last, ZERO)
        if not acct.config.margin:
            if side is Side.BUY:
                return affordable_buy_qty(acct.free.get(spec.quote, ZERO), price, acct.config.fees.taker, lot)
            return spec.floor_qty(acct.free.get(spec.base, ZERO))
        room = acct.config.leverage * self._equity(acct) - (self._gross(acct) - abs(acct.position_qty(symbol)) * last)
        reach = floor_quotient(room, price, lot)  # the largest |position| allowed after the order
        pos = acct.position_qty(symbol)
        qty = reach - pos if side is Side.BUY else reach + pos
        return max(qty, ZERO)

    # == snapshot / restore ====================================================================
    def snapshot(self) -> EngineSnapshot:
        accounts = []
        for acct in self._accounts.values():
            positions = {
                s: PositionSnapshot(
                    tuple((lot.qty, lot.price, lot.ts_ms) for lot in p.lots), p.realized, p.fees, p.trip_state()
                )
                for s, p in acct.positions.items()
            }
            assets = set(acct.free) | set(acct.locked)
            r = acct.risk
            accounts.append(
                AccountSnapshot(
                    acct.id,
                    acct.config,
                    {a: acct.balance(a) for a in sorted(assets)},
                    positions,
                    tuple(o.snapshot() for o in sorted(acct.open_orders.values(), key=lambda o: o.seq)),
                    acct.next_order,
                    r.peak_equity,
                    r.day,
                    r.day_start_equity,
                    r.breaker_tripped,
                    r.kill_switch,
                )
            )
        last_prices = {k: (m.last_price, m.last_ts) for k, m in self._markets.items() if m.last_price is not None}
        return EngineSnapshot(last_prices, tuple(accounts), self._seq)

    def restore(self, snapshot: EngineSnapshot) -> None:
        """Load accounts, balances, lots and resting orders (markets must be added first)."""
        self._seq = max(self._seq, snapshot.seq)
        for key, (price, ts) in snapshot.last_prices.items():
            if key in self._markets:
                self._markets[key].last_price, self._markets[key].last_ts = price, ts
        for s in snapshot.accounts:
            acct = Account(s.account_id, s.config, ZERO)
            acct.free = {a: free for a, (free, _) in s.balances.items()}
            acct.locked = {a: locked for a, (_, locked) in s.balances.items() if locked}
            for symbol, ps in s.positions.items():
                acct.position(symbol).restore(list(ps.lots), ps.realized, ps.fees, ps.trip)
            acct.next_order = s.next_order
            r = acct.risk
            r.peak_equity, r.day, r.day_start_equity = s.peak_equity, s.day, s.day_start_equity
            r.breaker_tripped, r.kill_switch = s.breaker_tripped, s.kill_switch
            self._accounts[acct.id] = acct
            for snap in s.open_orders:
                order = Order.from_snapshot(snap)
                acct.open_orders[order.order_id] = order
                if order.client_order_id is not None:
                    acct.client_ids[order.client_order_id] = order
                market = self._markets[(s.config.exchange, order.symbol)]
                self._rest(market, order)
            for symbol, pos in acct.positions.items():
                if pos.qty and s.config.risk.needs_marking:
                    self._markets[(s.config.exchange, symbol)].holders[acct.id] = acct

    # == admission =============================================================================
    def _admit(self, acct: Account, market: _Market | None, order: Order) -> RejectReason | None:
        """Validate, round and risk-check a new order; on success order.locked holds what to lock."""
        if market is None:
            return RejectReason.UNKNOWN_SYMBOL
        spec = market.spec
        config = acct.config
        if spec.quote != config.currency:
            return RejectReason.CURRENCY_MISMATCH
        qty = order.qty
        if not isinstance(qty, Decimal) or not qty.is_finite() or qty <= 0:
            return RejectReason.INVALID_QUANTITY
        qty = order.qty = spec.floor_qty(qty)
        if qty <= 0:
            return RejectReason.QTY_BELOW_LOT
        kind = order.type
        reason = _check_prices(order, spec)
        if reason is not None:
            return reason
        if acct.risk.kill_switch:
            return RejectReason.KILL_SWITCH
        buy = order.side is Side.BUY
        last = market.last_price
        if kind in _MARKET_KINDS and kind not in TRIGGER_TYPES and last is None:
            return RejectReason.NO_MARKET_PRICE
        if order.tif is TimeInForce.POST_ONLY and kind not in LIMIT_TYPES:
            return RejectReason.INVALID_ORDER

        # The price the order is expected to trade at, for notional, risk and funds.
        if kind is OrderType.MARKET:
            assert last is not None
            ref = self._taker_price(market, order.side, last, qty)
        elif kind in LIMIT_TYPES:
            assert order.price is not None
            ref = order.price
        elif kind is OrderType.TRAILING_STOP:
            assert last is not None
            order.trail_ref = last
            trigger = _trail_trigger(order)
            assert trigger is not None
            ref = trigger
        else:
            assert order.stop_price is not None
            ref = order.stop_price
        notional = qty * ref
        if notional < spec.min_notional:
            return RejectReason.MIN_NOTIONAL

        limits = config.risk
        if kind is OrderType.LIMIT and last is not None:
            assert order.price is not None
            marketable = last <= order.price if buy else last >= order.price
            if marketable and order.tif is TimeInForce.POST_ONLY:
                return RejectReason.POST_ONLY_WOULD_TAKE
        else:
            marketable = False
        if kind is OrderType.LIMIT and order.tif is TimeInForce.FOK and not marketable:
            return RejectReason.FOK_UNFILLABLE
        for banded in (order.price, order.stop_price):
            if banded is not None and outside_band(limits, banded, last):
                return RejectReason.PRICE_BAND

        pos = acct.position_qty(order.symbol)
        after = pos + qty if buy else pos - qty
        increasing = abs(after) > abs(pos)
        if order.reduce_only and (not pos or (pos > 0) == buy or qty > abs(pos)):
            return RejectReason.REDUCE_ONLY_WOULD_INCREASE
        resting_kind = kind is not OrderType.MARKET
        if limits.max_open_orders is not None and resting_kind and len(acct.open_orders) >= limits.max_open_orders:
            return RejectReason.MAX_OPEN_ORDERS
        gross_after = ZERO
        equity = ZERO
        if increasing:
            equity, gross = self._valuation(acct)
            gross_after = gross - abs(pos) * (last or ref) + abs(after) * ref
            reason = check_increasing_order(
                limits,
                acct.risk,
                equity=equity,
                notional=notional,
                position_after_notional=abs(after) * ref,
                gross_after=gross_after,
            )
            if reason is not None:
                return reason

        if config.margin:
            if increasing and gross_after > config.leverage * equity:
                return RejectReason.MAX_LEVERAGE
            order.locked = ZERO
        elif order.reduce_only:
            # Reduce-only orders hold nothing back: several (a stop and a take-profit) may cover
            # the same position, and each fill is capped at what is free when it happens.
            order.locked = ZERO
        elif buy:
            rate = config.fees.taker if kind in _MARKET_KINDS else config.fees.max_rate
            need = buy_cost(qty, ref, rate)
            if acct.free.get(spec.quote, ZERO) < need:
                return RejectReason.INSUFFICIENT_BALANCE
            order.locked = need
        else:
            if acct.free.get(spec.base, ZERO) < qty:
                return RejectReason.INSUFFICIENT_BALANCE
            order.locked = qty
        return None

    def _lock(self, acct: Account, spec: MarketSpec, order: Order, amount: Decimal, op: _Op) -> None:
        if not amount:
            return
        asset = spec.quote if order.side is Side.BUY else spec.base
        acct.free[asset] = acct.free.get(asset, ZERO) - amount
        acct.locked[asset] = acct.locked.get(asset, ZERO) + amount
        op.touch(acct, asset)

    def _release(self, acct: Account, spec: MarketSpec, order: Order, amount: Decimal, op: _Op) -> None:
        if not amount:
            return
        asset = spec.quote if order.side is Side.BUY else spec.base
        order.locked -= amount
        acct.locked[asset] -= amount
        acct.free[asset] = acct.free.get(asset, ZERO) + amount
        op.touch(acct, asset)

    # == execution =============================================================================
    def _activate(self, acct: Account, market: _Market, order: Order, op: _Op) -> None:
        kind = order.type
        if kind is OrderType.MARKET:
            assert market.last_price is not None
            self._take(acct, market, order, market.last_price, op)
        elif kind is OrderType.LIMIT:
            self._place_limit(acct, market, order, op)
        else:
            self._rest(market, order)

    def _rest(self, market: _Market, order: Order) -> None:
        book = market.book
        if order.type is OrderType.TRAILING_STOP:
            book.trailing[order.order_id] = order
        elif order.type is OrderType.LIMIT or order.triggered:
            book.add_limit(order)
        else:
            book.add_trigger(order)

    def _place_limit(self, acct: Account, market: _Market, order: Order, op: _Op) -> None:
        """A limit (or a triggered stop-limit) meets the market: take, rest, or expire per its TIF."""
        assert order.price is not None
        last = market.last_price
        buy = order.side is Side.BUY
        marketable = last is not None and (last <= order.price if buy else last >= order.price)
        tif = order.tif
        if marketable:
            assert last is not None
            if tif is TimeInForce.POST_ONLY:
                self._end(acct, market, order, OrderStatus.EXPIRED, RejectReason.POST_ONLY_WOULD_TAKE, op)
                return
            self._take(acct, market, order, last, op, limit=order.price)
            return
        if tif is TimeInForce.IOC or tif is TimeInForce.FOK:
            reason = RejectReason.IOC_UNFILLED if tif is TimeInForce.IOC else RejectReason.FOK_UNFILLABLE
            self._end(acct, market, order, OrderStatus.EXPIRED, reason, op)
            return
        market.book.add_limit(order)

    def _fillable(self, acct: Account, market: _Market, order: Order, qty: Decimal, op: _Op) -> Decimal | None:
        """qty capped for reduce-only; None (and the order expired) when nothing may fill."""
        if not order.reduce_only:
            return qty
        pos = acct.position_qty(order.symbol)
        reducible = -pos if order.side is Side.BUY else pos
        if not acct.config.margin and order.side is Side.SELL:
            reducible = min(reducible, market.spec.floor_qty(acct.free.get(market.spec.base, ZERO)))
        if reducible <= 0:
            self._end(acct, market, order, OrderStatus.EXPIRED, RejectReason.REDUCE_ONLY_WOULD_INCREASE, op)
            return None
        return min(qty, reducible)

    def _take(
        self, acct: Account, market: _Market, order: Order, last: Decimal, op: _Op, limit: Decimal | None = None
    ) -> None:
        """Fill the whole remainder as taker at the slipped last price (never beyond a limit)."""
        qty = self._fillable(acct, market, order, order.remaining, op)
        if qty is None:
            return
        buy = order.side is Side.BUY
        price = self._taker_price(market, order.side, last, qty)
        if limit is not None:
            price = min(price, limit) if buy else max(price, limit)
        spot_buy = buy and not acct.config.margin
        if spot_buy and buy_cost(qty, price, acct.config.fees.taker) > order.locked + acct.free.get(
            market.spec.quote, ZERO
        ):
            # Only a stop gapping past its trigger can cost more than was locked at submission.
            self._end(acct, market, order, OrderStatus.REJECTED, RejectReason.INSUFFICIENT_BALANCE, op)
            return
        self._fill(acct, market, order, price, qty, Liquidity.TAKER, op)
        if order.is_open:  # only reduce-only capping leaves a remainder, and it can never fill
            self._end(acct, market, order, OrderStatus.EXPIRED, RejectReason.REDUCE_ONLY_WOULD_INCREASE, op)

    def _fire(self, acct: Account, market: _Market, order: Order, price: Decimal, op: _Op) -> None:
        """A stop / take-profit / trailing stop triggered by a print at `price`."""
        order.triggered = True
        order.updated_ms = op.ts
        if order.type in LIMIT_TYPES:
            self._place_limit(acct, market, order, op)
            if order.is_open and order.filled_qty == 0:
                op.events.append(OrderUpdated(order.snapshot()))  # now resting as a limit
            return
        self._take(acct, market, order, price, op)

    def _match(self, market: _Market, trade: Trade, op: _Op) -> None:
        price = trade.price
        book = market.book
        accounts = self._accounts
        for order in book.pop_triggered(price):
            if order.is_open:
                self._fire(accounts[order.account_id], market, order, price, op)
        if book.trailing:
            for order in list(book.trailing.values()):
                ref = order.trail_ref
                assert ref is not None
                if order.side is Side.SELL:
                    if price > ref:
                        order.trail_ref = price
                else:
                    if price < ref:
                        order.trail_ref = price
                trigger = _trail_trigger(order)
                assert trigger is not None
                if (price <= trigger) if order.side is Side.SELL else (price >= trigger):
                    del book.trailing[order.order_id]
                    self._fire(accounts[order.account_id], market, order, price, op)

        # Resting limits: through prints fill at the limit; prints at the limit consume the queue first.
        budget: dict[str, Decimal] = {}
        for side, levels in ((Side.BUY, book.crossed_bids(price)), (Side.SELL, book.crossed_asks(price))):
            for level_price, orders in levels:
                through = level_price != price
                if not through and trade.side is side:
                    continue  # a buyer lifting offers at our bid price does not reach our bid
                for order in orders:
                    acct = accounts[order.account_id]
                    avail = budget.get(acct.id, trade.qty)
                    if not through:
                        behind = trade.qty - order.queue_ahead
                        order.queue_ahead = max(order.queue_ahead - trade.qty, ZERO)
                        avail = min(avail, behind)
                    if avail <= 0:
                        continue
                    qty = self._fillable(acct, market, order, min(order.remaining, avail), op)
                    if qty is None:
                        continue
                    budget[acct.id] = budget.get(acct.id, trade.qty) - qty
                    self._fill(acct, market, order, level_price, qty, Liquidity.MAKER, op)

    def _fill(
        self, acct: Account, market: _Market, order: Order, price: Decimal, qty: Decimal, liq: Liquidity, op: _Op
    ) -> None:
        spec = market.spec
        quote, base = spec.quote, spec.base
        buy = order.side is Side.BUY
        notional = price * qty
        rate = acct.config.fees.rate(liq)
        # Cumulative rounding: the order's fees equal fee_for(total notional) however it is split.
        fee = fee_for(order.filled_quote + notional, rate) - fee_for(order.filled_quote, rate)
        free = acct.free
        if buy:
            cost = notional + fee
            take = min(cost, order.locked)
            if take:
                order.locked -= take
                acct.locked[quote] -= take
            free[quote] = free.get(quote, ZERO) - (cost - take)
            free[base] = free.get(base, ZERO) + qty
        else:
            take = min(qty, order.locked)
            if take:
                order.locked -= take
                acct.locked[base] -= take
            free[base] = free.get(base, ZERO) - (qty - take)
            free[quote] = free.get(quote, ZERO) + notional - fee
        op.touch(acct, quote)
        op.touch(acct, base)

        pos = acct.position(order.symbol)
        realized, closed = pos.apply(buy, qty, price, fee, op.ts)
        if pos.qty and acct.config.risk.needs_marking:
            market.holders[acct.id] = acct
        else:
            market.holders.pop(acct.id, None)

        order.filled_qty += qty
        order.filled_quote += notional
        order.fees += fee
        order.fills += 1
        op.events.append(
            Fill(
                f"{order.order_id}-{order.fills}",
                order.order_id,
                acct.id,
                order.symbol,
                order.side,
                price,
                qty,
                fee,
                quote,
                liq,
                op.ts,
                realized,
            )
        )
        if order.filled_qty >= order.qty:
            self._end(acct, market, order, OrderStatus.FILLED, None, op)
        else:
            order.transition(OrderStatus.PARTIALLY_FILLED, op.ts)
            if order.locked and buy and order.price is not None:
                # A resting order fills as maker from now on: keep what the rest costs at its limit.
                rest = order.remaining * order.price
                need = rest + fee_for(order.filled_quote + rest, rate) - fee_for(order.filled_quote, rate)
                if order.locked > need:
                    self._release(acct, spec, order, order.locked - need, op)
            op.events.append(OrderUpdated(order.snapshot()))
        if closed is not None:
            op.events.append(RoundTripClosed(acct.id, closed))
        self._observe(acct, op)

    def _end(
        self, acct: Account, market: _Market, order: Order, status: OrderStatus, reason: str | None, op: _Op
    ) -> None:
        """Move an open order to a terminal state: out of the book, its locked funds back to free."""
        order.transition(status, op.ts, reason)
        market.book.remove(order)
        acct.open_orders.pop(order.order_id, None)
        if order.locked:
            self._release(acct, market.spec, order, order.locked, op)
        op.events.append(OrderUpdated(order.snapshot()))

    def _cancel_where(self, acct: Account, symbol: str | None, op: _Op, reason: RejectReason) -> None:
        for order in sorted(acct.open_orders.values(), key=lambda o: o.seq):
            if symbol is None or order.symbol == symbol:
                market = self._markets[(acct.config.exchange, order.symbol)]
                self._end(acct, market, order, OrderStatus.CANCELLED, reason, op)

    # == valuation =============================================================================
    def _taker_price(self, market: _Market, side: Side, last: Decimal, qty: Decimal) -> Decimal:
        volume = market.volume.total if market.volume is not None else ZERO
        return self.slippage.fill_price(side, last, qty, market.spec.instrument.tick_size, volume)

    def _mark(self, acct: Account, symbol: str) -> Decimal | None:
        market = self._markets.get((acct.config.exchange, symbol))
        return market.last_price if market is not None else None

    def _valuation(self, acct: Account) -> tuple[Decimal, Decimal]:
        """Equity and gross exposure, positions marked to the last print (their cost before any)."""
        cur = acct.config.currency
        equity = acct.free.get(cur, ZERO) + acct.locked.get(cur, ZERO)
        gross = ZERO
        markets = self._markets
        exchange = acct.config.exchange
        for symbol, pos in acct.positions.items():
            qty = pos.qty
            if qty:
                market = markets.get((exchange, symbol))
                mark = market.last_price if market is not None else None
                value = qty * mark if mark is not None else pos.cost
                equity += value
                gross += abs(value)
        return equity, gross

    def _equity(self, acct: Account) -> Decimal:
        return self._valuation(acct)[0]

    def _gross(self, acct: Account) -> Decimal:
        return self._valuation(acct)[1]

    def _observe(self, acct: Account, op: _Op) -> None:
        if not acct.config.risk.needs_marking:
            return
        if acct.risk.observe(self._equity(acct), op.ts, acct.config.risk):
            op.events.append(
                RiskStateChanged(acct.id, True, acct.risk.kill_switch, RejectReason.DRAWDOWN_BREAKER, op.ts)
            )

    def _account(self, account_id: str) -> Account:
        try:
            return self._accounts[account_id]
        except KeyError:
            raise UnknownAccount(account_id) from None


def _check_prices(order: Order, spec: MarketSpec) -> RejectReason | None:
    kind = order.type
    if kind in LIMIT_TYPES:
        if not is_finite_positive(order.price):
            return RejectReason.INVALID_PRICE
        assert order.price is not None
        if not spec.on_tick(order.price):
            return RejectReason.PRICE_OFF_TICK
    elif order.price is not None:
        return RejectReason.INVALID_ORDER
    if kind in TRIGGER_TYPES:
        if not is_finite_positive(order.stop_price):
            return RejectReason.INVALID_PRICE
        assert order.stop_price is not None
        if not spec.on_tick(order.stop_price):
            return RejectReason.PRICE_OFF_TICK
    elif order.stop_price is not None:
        return RejectReason.INVALID_ORDER
    if kind is OrderType.TRAILING_STOP:
        offset, bps = order.trail_offset, order.trail_bps
        if (offset is None) == (bps is None):
            return RejectReason.INVALID_ORDER
        if not is_finite_positive(offset if offset is not None else bps):
            return RejectReason.INVALID_PRICE
        if offset is not None and not spec.on_tick(offset):
            return RejectReason.PRICE_OFF_TICK
    elif order.trail_offset is not None or order.trail_bps is not None:
        return RejectReason.INVALID_ORDER
    return None


def _trail_trigger(order: Order) -> Decimal | None:
    ref = order.trail_ref
    if ref is None:
        return None
    sell = order.side is Side.SELL
    if order.trail_offset is not None:
        return ref - order.trail_offset if sell else ref + order.trail_offset
    assert order.trail_bps is not None
    move = ref * order.trail_bps / BPS
    return ref - move if sell else ref + move
