"""Writes of the trading app.

The API writes only what the engine does not own (creating an account, renaming it);
everything the engine decides (orders, fills, balances, positions, risk state) is
written by the `paper_engine` worker through `persist_batch`: one transaction per
batch of engine calls, orders upserted from the full snapshot their last event carries,
fills inserted by their deterministic id with ON CONFLICT DO NOTHING, balances set to
absolute values. Replaying a batch therefore changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone
from psycopg.types.json import Jsonb

from backend.engine.trading import (
    AccountSnapshot,
    BalanceChanged,
    Event,
    Fill,
    OrderAccepted,
    OrderRejected,
    OrderSnapshot,
    OrderUpdated,
)
from backend.tenancy.context import dangerously_bypass_rls
from backend.trading import models as m
from backend.trading.state import lots_json, trip_json

ORDER_UPDATE_FIELDS = [
    "qty",
    "status",
    "filled_qty",
    "filled_quote",
    "avg_price",
    "fees",
    "reject_reason",
    "updated_ms",
    "triggered",
    "trail_ref",
    "queue_ahead",
    "fill_count",
    "locked",
]
ACCOUNT_STATE_FIELDS = ["next_order", "peak_equity", "risk_day", "day_start_equity", "breaker_tripped", "kill_switch"]


@dataclass
class Batch:
    """Everything one turn of the worker's loop changed, persisted in one transaction."""

    events: list[Event] = field(default_factory=list)
    accounts: dict[str, AccountSnapshot] = field(default_factory=dict)  # state after the batch
    positions_changed: set[str] = field(default_factory=set)  # accounts whose positions to rewrite
    state_changed: set[str] = field(default_factory=set)  # accounts whose risk state / config to update
    resets: set[str] = field(default_factory=set)  # accounts whose positions were all cleared
    risk_limits: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    markets: dict[tuple[str, str], tuple[Decimal, int, int]] = field(default_factory=dict)  # price, ts, trade id

    def __bool__(self) -> bool:
        return bool(self.events or self.accounts or self.closed or self.markets)


# Raw SQL for the worker's hot path: one statement per table, all sent in one psycopg
# pipeline (a single network round trip before COMMIT) instead of one ORM round trip
# each; at thousands of orders a second the round trips, not the rows, are the cost.
_ORDER_COLUMNS = (
    "tenant_id, account_id, order_id, client_order_id, symbol, side, type, tif, qty, price, stop_price, trail_offset,"
    " trail_bps, reduce_only, status, filled_qty, filled_quote, avg_price, fees, reject_reason, created_ms,"
    " updated_ms, triggered, trail_ref, queue_ahead, fill_count, locked, seq"
)
# Built from the constant column lists above, never from input.
UPSERT_ORDER = f"INSERT INTO trading_order ({_ORDER_COLUMNS}) VALUES ({', '.join(['%s'] * 28)}) " + (  # noqa: S608
    "ON CONFLICT (order_id) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in ORDER_UPDATE_FIELDS)
)
INSERT_FILL = (
    "INSERT INTO trading_fill (tenant_id, fill_id, account_id, order_id, symbol, side, price, qty, fee, fee_currency,"
    " liquidity, realized_pnl, ts_ms) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (fill_id) DO NOTHING"
)
UPSERT_BALANCE = (
    "INSERT INTO trading_accountbalance (tenant_id, account_id, asset, free, locked, updated_ms)"
    " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (account_id, asset) DO UPDATE SET"
    " free = EXCLUDED.free, locked = EXCLUDED.locked, updated_ms = EXCLUDED.updated_ms"
)
DELETE_POSITIONS = "DELETE FROM trading_position WHERE account_id = %s AND NOT (symbol = ANY(%s))"
UPSERT_POSITION = (
    "INSERT INTO trading_position (tenant_id, account_id, symbol, qty, avg_entry, realized_pnl, fees, lots, trip,"
    " updated_ms) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (account_id, symbol) DO UPDATE SET"
    " qty = EXCLUDED.qty, avg_entry = EXCLUDED.avg_entry, realized_pnl = EXCLUDED.realized_pnl,"
    " fees = EXCLUDED.fees, lots = EXCLUDED.lots, trip = EXCLUDED.trip, updated_ms = EXCLUDED.updated_ms"
)
UPDATE_ACCOUNT = (
    # next_order is only a floor: loading takes the max with the account's stored order ids.
    "UPDATE trading_paperaccount SET next_order = %s, peak_equity = %s, risk_day = %s, day_start_equity = %s,"
    " breaker_tripped = %s, kill_switch = %s, updated_at = %s, risk_limits = COALESCE(%s, risk_limits) WHERE id = %s"
)
CLOSE_ACCOUNT = "UPDATE trading_paperaccount SET is_active = false, updated_at = %s WHERE id = %s"
UPSERT_MARKET = (
    "INSERT INTO trading_marketstate (exchange, symbol, last_price, last_ts_ms, last_trade_id)"
    " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (exchange, symbol) DO UPDATE SET"
    " last_price = EXCLUDED.last_price, last_ts_ms = EXCLUDED.last_ts_ms, last_trade_id = EXCLUDED.last_trade_id"
)


def _order_params(o: OrderSnapshot, tenant_id: int) -> tuple[Any, ...]:
    return (
        tenant_id,
        int(o.account_id),
        o.order_id,
        o.client_order_id,
        o.symbol,
        str(o.side),
        str(o.type),
        str(o.tif),
        o.qty,
        o.price,
        o.stop_price,
        o.trail_offset,
        o.trail_bps,
        o.reduce_only,
        str(o.status),
        o.filled_qty,
        o.filled_quote,
        o.avg_price,
        o.fees,
        o.reason,
        o.created_ms,
        o.updated_ms,
        o.triggered,
        o.trail_ref,
        o.queue_ahead if o.queue_ahead.is_finite() else None,
        o.fills,
        o.locked,
        o.seq,
    )


def persist_batch(batch: Batch, tenants: dict[str, int]) -> None:
    """Write one batch in one transaction (the worker acts for every tenant: RLS bypass)."""
    orders: dict[str, OrderSnapshot] = {}
    fills: list[tuple[Any, ...]] = []
    balances: dict[tuple[str, str], BalanceChanged] = {}
    for event in batch.events:
        if isinstance(event, (OrderAccepted, OrderRejected, OrderUpdated)):
            orders[event.order.order_id] = event.order  # the last snapshot wins
        elif isinstance(event, Fill):
            fills.append(
                (
                    tenants[event.account_id],
                    event.fill_id,
                    int(event.account_id),
                    event.order_id,
                    event.symbol,
                    str(event.side),
                    event.price,
                    event.qty,
                    event.fee,
                    event.fee_asset,
                    str(event.liquidity),
                    event.realized_pnl,
                    event.ts_ms,
                )
            )
        elif isinstance(event, BalanceChanged):
            balances[(event.account_id, event.asset)] = event
    now = timezone.now()
    positions: list[tuple[Any, ...]] = []
    deletions: list[tuple[Any, ...]] = []
    for account_id in batch.positions_changed:
        snap = batch.accounts[account_id]
        if account_id in batch.resets:
            deletions.append((int(account_id), list(snap.positions)))
        for symbol, p in snap.positions.items():
            qty = sum((q for q, _, _ in p.lots), Decimal(0))
            cost = sum((q * price for q, price, _ in p.lots), Decimal(0))
            positions.append(
                (
                    tenants[account_id],
                    int(account_id),
                    symbol,
                    qty,
                    cost / qty if qty else None,
                    p.realized,
                    p.fees,
                    Jsonb(lots_json(p.lots)),
                    Jsonb(trip_json(p.trip)) if p.trip is not None else None,
                    max((t for _, _, t in p.lots), default=0),
                )
            )
    accounts = [
        (
            s.next_order,
            s.peak_equity,
            s.day,
            s.day_start_equity,
            s.breaker_tripped,
            s.kill_switch,
            now,
            Jsonb(batch.risk_limits[a]) if a in batch.risk_limits else None,
            int(a),
        )
        for a, s in batch.accounts.items()
        if a in batch.state_changed
    ]
    statements: list[tuple[str, list[tuple[Any, ...]]]] = [
        (UPSERT_ORDER, [_order_params(o, tenants[o.account_id]) for o in orders.values()]),
        (INSERT_FILL, fills),
        (
            UPSERT_BALANCE,
            [(tenants[b.account_id], int(b.account_id), b.asset, b.free, b.locked, b.ts_ms) for b in balances.values()],
        ),
        (DELETE_POSITIONS, deletions),
        (UPSERT_POSITION, positions),
        (UPDATE_ACCOUNT, accounts),
        (CLOSE_ACCOUNT, [(now, int(a)) for a in batch.closed]),
        (UPSERT_MARKET, [(ex, sym, *state) for (ex, sym), state in batch.markets.items()]),
    ]
    with dangerously_bypass_rls():
        raw = connection.connection
        with raw.pipeline(), raw.cursor() as cursor:
            for sql, rows in statements:
                if rows:
                    cursor.executemany(sql, rows)


def record_equity(samples: list[tuple[str, int, int, Decimal]]) -> None:
    """(account id, tenant id, ts_ms, equity) rows, one INSERT."""
    with dangerously_bypass_rls():
        m.EquitySample.unscoped.bulk_create(
            [
                m.EquitySample(tenant_id=tenant, account_id=int(account), ts_ms=ts, equity=equity)
                for account, tenant, ts, equity in samples
            ]
        )


# == API-side writes (inside the request's tenant context) ===================================
def account_create(*, tenant_id: int, data: dict[str, Any]) -> m.PaperAccount:
    account = m.PaperAccount.objects.create(
        tenant_id=tenant_id,
        name=data["name"],
        exchange=data["exchange"],
        currency=data["currency"],
        starting_balance=data["starting_balance"],
        maker_fee=data["maker_fee"],
        taker_fee=data["taker_fee"],
        margin=data["margin"],
        leverage=data["leverage"],
        risk_limits=data["risk_limits"],
        peak_equity=data["starting_balance"],
    )
    m.AccountBalance.objects.create(
        tenant_id=tenant_id,
        account=account,
        asset=account.currency,
        free=account.starting_balance,
        locked=Decimal(0),
    )
    return account


def account_rename(*, account: m.PaperAccount, name: str) -> None:
    account.name = name
    account.updated_at = timezone.now()
    account.save(update_fields=["name", "updated_at"])
