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


# Raw SQL for the worker's hot path: ONE statement per table whatever the batch size
# (INSERT .. SELECT FROM unnest(column arrays) .. ON CONFLICT), all sent in one psycopg
# pipeline, so a batch costs a handful of statements and one round trip before COMMIT.
# Per-row statements cost ~0.2 ms each on the server; at thousands of orders a second
# they, not the rows, were the cost. Keys are unique within a batch (deduplicated below),
# as ON CONFLICT DO UPDATE requires.
ORDER_COLUMNS = (
    ("tenant_id", "bigint"), ("account_id", "bigint"), ("order_id", "text"), ("client_order_id", "text"),
    ("symbol", "text"), ("side", "text"), ("type", "text"), ("tif", "text"), ("qty", "numeric"),
    ("price", "numeric"), ("stop_price", "numeric"), ("trail_offset", "numeric"), ("trail_bps", "numeric"),
    ("reduce_only", "boolean"), ("status", "text"), ("filled_qty", "numeric"), ("filled_quote", "numeric"),
    ("avg_price", "numeric"), ("fees", "numeric"), ("reject_reason", "text"), ("created_ms", "bigint"),
    ("updated_ms", "bigint"), ("triggered", "boolean"), ("trail_ref", "numeric"), ("queue_ahead", "numeric"),
    ("fill_count", "integer"), ("locked", "numeric"), ("seq", "bigint"),
)  # fmt: skip
FILL_COLUMNS = (
    ("tenant_id", "bigint"), ("fill_id", "text"), ("account_id", "bigint"), ("order_id", "text"), ("symbol", "text"),
    ("side", "text"), ("price", "numeric"), ("qty", "numeric"), ("fee", "numeric"), ("fee_currency", "text"),
    ("liquidity", "text"), ("realized_pnl", "numeric"), ("ts_ms", "bigint"),
)  # fmt: skip
BALANCE_COLUMNS = (
    ("tenant_id", "bigint"), ("account_id", "bigint"), ("asset", "text"), ("free", "numeric"),
    ("locked", "numeric"), ("updated_ms", "bigint"),
)  # fmt: skip
POSITION_COLUMNS = (
    ("tenant_id", "bigint"), ("account_id", "bigint"), ("symbol", "text"), ("qty", "numeric"),
    ("avg_entry", "numeric"), ("realized_pnl", "numeric"), ("fees", "numeric"), ("lots", "jsonb"),
    ("trip", "jsonb"), ("updated_ms", "bigint"),
)  # fmt: skip
MARKET_COLUMNS = (
    ("exchange", "text"), ("symbol", "text"), ("last_price", "numeric"), ("last_ts_ms", "bigint"),
    ("last_trade_id", "bigint"),
)  # fmt: skip


def _bulk(table: str, columns: tuple[tuple[str, str], ...], conflict: str) -> str:
    """INSERT of column arrays; table, columns and types are the constants above, never input."""
    names = ", ".join(name for name, _ in columns)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
    return f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}"  # noqa: S608


def _set(*columns: str) -> str:
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)


UPSERT_ORDERS = _bulk(
    "trading_order", ORDER_COLUMNS, f"ON CONFLICT (order_id) DO UPDATE SET {_set(*ORDER_UPDATE_FIELDS)}"
)
INSERT_FILLS = _bulk("trading_fill", FILL_COLUMNS, "ON CONFLICT (fill_id) DO NOTHING")
UPSERT_BALANCES = _bulk(
    "trading_accountbalance",
    BALANCE_COLUMNS,
    f"ON CONFLICT (account_id, asset) DO UPDATE SET {_set('free', 'locked', 'updated_ms')}",
)
UPSERT_POSITIONS = _bulk(
    "trading_position",
    POSITION_COLUMNS,
    "ON CONFLICT (account_id, symbol) DO UPDATE SET "
    + _set("qty", "avg_entry", "realized_pnl", "fees", "lots", "trip", "updated_ms"),
)
UPSERT_MARKETS = _bulk(
    "trading_marketstate",
    MARKET_COLUMNS,
    f"ON CONFLICT (exchange, symbol) DO UPDATE SET {_set('last_price', 'last_ts_ms', 'last_trade_id')}",
)
DELETE_POSITIONS = "DELETE FROM trading_position WHERE account_id = %s AND NOT (symbol = ANY(%s))"
UPDATE_ACCOUNT = (
    # next_order is only a floor: loading takes the max with the account's stored order ids.
    "UPDATE trading_paperaccount SET next_order = %s, peak_equity = %s, risk_day = %s, day_start_equity = %s,"
    " breaker_tripped = %s, kill_switch = %s, updated_at = %s, risk_limits = COALESCE(%s, risk_limits) WHERE id = %s"
)
CLOSE_ACCOUNT = "UPDATE trading_paperaccount SET is_active = false, updated_at = %s WHERE id = %s"


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
    bulk: list[tuple[str, list[tuple[Any, ...]]]] = [
        (UPSERT_ORDERS, [_order_params(o, tenants[o.account_id]) for o in orders.values()]),
        (INSERT_FILLS, fills),
        (
            UPSERT_BALANCES,
            [(tenants[b.account_id], int(b.account_id), b.asset, b.free, b.locked, b.ts_ms) for b in balances.values()],
        ),
        (UPSERT_POSITIONS, positions),
        (UPSERT_MARKETS, [(ex, sym, *state) for (ex, sym), state in batch.markets.items()]),
    ]
    each: list[tuple[str, list[tuple[Any, ...]]]] = [
        (DELETE_POSITIONS, deletions),
        (UPDATE_ACCOUNT, accounts),
        (CLOSE_ACCOUNT, [(now, int(a)) for a in batch.closed]),
    ]
    with dangerously_bypass_rls():
        raw = connection.connection
        with raw.pipeline(), raw.cursor() as cursor:
            for sql, rows in each[:1]:  # a reset's deletions come before its (empty) upserts
                if rows:
                    cursor.executemany(sql, rows)
            for sql, rows in bulk:
                if rows:
                    cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
            for sql, rows in each[1:]:
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
