"""Between the engine's snapshots and the ledger's rows: one account at a time.

`LiveEngine` adds what a long-running worker needs and a backtest does not: snapshot
or drop one account without copying all of them. Everything else is conversion, with
decimals as strings in JSON columns so they round-trip exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.engine.market.trade import Side
from backend.engine.trading import (
    AccountConfig,
    AccountSnapshot,
    FeeSchedule,
    OrderSnapshot,
    OrderStatus,
    OrderType,
    PaperEngine,
    RiskLimits,
    TimeInForce,
)
from backend.engine.trading.account import PositionSnapshot

ZERO = Decimal(0)
INFINITE = Decimal("Infinity")

# RiskLimits' fields and how each is checked (all optional).
_DECIMAL_LIMITS = (
    "max_order_notional",
    "max_position_notional",
    "max_gross_exposure",
    "max_daily_loss",
    "max_drawdown",
    "price_band_bps",
)
RISK_LIMIT_FIELDS = (*_DECIMAL_LIMITS, "max_open_orders")


class InvalidRiskLimits(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def clean_risk_limits(raw: Any) -> dict[str, Any]:
    """Validate a risk-limits object from a client; returns the canonical JSON (decimals as strings)."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidRiskLimits({"risk_limits": "must be an object"})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in RISK_LIMIT_FIELDS:
            errors[key] = f"unknown limit; known: {', '.join(RISK_LIMIT_FIELDS)}"
            continue
        if value is None:
            continue
        if key == "max_open_orders":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors[key] = "must be a non-negative integer"
            else:
                out[key] = value
            continue
        try:
            number = Decimal(str(value)) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number <= 0:
            errors[key] = "must be a positive finite decimal (as a string)"
        elif key == "max_drawdown" and number > 1:
            errors[key] = "is a fraction of peak equity: 0 < max_drawdown <= 1"
        else:
            out[key] = str(number)
    if errors:
        raise InvalidRiskLimits(errors)
    return out


def risk_limits(stored: Mapping[str, Any]) -> RiskLimits:
    kwargs: dict[str, Any] = {k: Decimal(stored[k]) for k in _DECIMAL_LIMITS if stored.get(k) is not None}
    if stored.get("max_open_orders") is not None:
        kwargs["max_open_orders"] = int(stored["max_open_orders"])
    return RiskLimits(**kwargs)


def account_config(account: Any) -> AccountConfig:
    return AccountConfig(
        exchange=account.exchange,
        currency=account.currency,
        fees=FeeSchedule(maker=account.maker_fee, taker=account.taker_fee),
        margin=account.margin,
        leverage=account.leverage,
        risk=risk_limits(account.risk_limits),
    )


def _d(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def order_snapshot(row: Any) -> OrderSnapshot:
    return OrderSnapshot(
        row.order_id,
        str(row.account_id),
        row.symbol,
        Side(row.side),
        OrderType(row.type),
        TimeInForce(row.tif),
        row.qty,
        row.price,
        row.stop_price,
        row.trail_offset,
        row.trail_bps,
        row.reduce_only,
        row.client_order_id,
        row.created_ms,
        OrderStatus(row.status),
        row.filled_qty,
        row.filled_quote,
        row.fees,
        row.updated_ms,
        row.reject_reason,
        row.triggered,
        row.trail_ref,
        INFINITE if row.queue_ahead is None else row.queue_ahead,
        row.fill_count,
        row.locked,
        row.seq,
    )


def trip_json(trip: tuple[object, ...] | None) -> list[Any] | None:
    if trip is None:
        return None
    return [v if isinstance(v, (bool, int)) else str(v) for v in trip]


def trip_from_json(raw: list[Any] | None) -> tuple[object, ...] | None:
    if raw is None:
        return None
    return tuple(v if isinstance(v, (bool, int)) else Decimal(v) for v in raw)


def lots_json(lots: Iterable[tuple[Decimal, Decimal, int]]) -> list[list[Any]]:
    return [[str(q), str(p), t] for q, p, t in lots]


def lots_from_json(raw: list[list[Any]]) -> tuple[tuple[Decimal, Decimal, int], ...]:
    return tuple((Decimal(q), Decimal(p), int(t)) for q, p, t in raw)


def account_snapshot_from_rows(
    account: Any, balances: Iterable[Any], positions: Iterable[Any], open_orders: Iterable[Any]
) -> AccountSnapshot:
    peak = account.peak_equity if account.peak_equity is not None else account.starting_balance
    return AccountSnapshot(
        account_id=str(account.pk),
        config=account_config(account),
        balances={b.asset: (b.free, b.locked) for b in balances},
        positions={
            p.symbol: PositionSnapshot(lots_from_json(p.lots), p.realized_pnl, p.fees, trip_from_json(p.trip))
            for p in positions
        },
        open_orders=tuple(sorted((order_snapshot(o) for o in open_orders), key=lambda o: o.seq)),
        next_order=account.next_order,
        peak_equity=peak,
        day=account.risk_day,
        day_start_equity=account.day_start_equity,
        breaker_tripped=account.breaker_tripped,
        kill_switch=account.kill_switch,
    )


def fresh_snapshot(account: Any, next_order: int) -> AccountSnapshot:
    """The account as opened (a reset): starting cash, nothing else, the order counter kept."""
    cash = account.starting_balance
    return AccountSnapshot(
        account_id=str(account.pk),
        config=account_config(account),
        balances={account.currency: (cash, ZERO)},
        positions={},
        open_orders=(),
        next_order=next_order,
        peak_equity=cash,
        day=-1,
        day_start_equity=ZERO,
        breaker_tripped=False,
        kill_switch=False,
    )


class LiveEngine(PaperEngine):
    """PaperEngine plus per-account snapshot and removal, for the long-running worker."""

    def has_market(self, exchange: str, symbol: str) -> bool:
        return (exchange, symbol) in self._markets

    def account_snapshot(self, account_id: str) -> AccountSnapshot:
        acct = self._account(account_id)
        positions = {
            s: PositionSnapshot(
                tuple((lot.qty, lot.price, lot.ts_ms) for lot in p.lots), p.realized, p.fees, p.trip_state()
            )
            for s, p in acct.positions.items()
        }
        r = acct.risk
        assets = set(acct.free) | set(acct.locked)
        return AccountSnapshot(
            acct.id,
            acct.config,
            {a: acct.balance(a) for a in sorted(assets)},
            positions,
            (),  # open orders are persisted from their own events
            acct.next_order,
            r.peak_equity,
            r.day,
            r.day_start_equity,
            r.breaker_tripped,
            r.kill_switch,
        )

    def drop_account(self, account_id: str) -> None:
        """Forget an account (its open orders must have been cancelled first)."""
        acct = self._account(account_id)
        assert not acct.open_orders, "cancel an account's orders before dropping it"
        for market in self._markets.values():
            market.holders.pop(account_id, None)
        del self._accounts[account_id]

    def restore_account(self, snapshot: AccountSnapshot, seq: int = 0) -> None:
        from backend.engine.trading import EngineSnapshot

        self.restore(EngineSnapshot({}, (snapshot,), seq))

    def set_last_price(self, exchange: str, symbol: str, price: Decimal, ts_ms: int) -> None:
        market = self._markets.get((exchange, symbol))
        if market is not None:
            market.last_price, market.last_ts = price, ts_ms
