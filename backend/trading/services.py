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

from django.utils import timezone

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
    risk_limits: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    markets: dict[tuple[str, str], tuple[Decimal, int, int]] = field(default_factory=dict)  # price, ts, trade id

    def __bool__(self) -> bool:
        return bool(self.events or self.accounts or self.closed or self.markets)


def _order_row(o: OrderSnapshot, tenant_id: int) -> m.Order:
    return m.Order(
        tenant_id=tenant_id,
        account_id=int(o.account_id),
        order_id=o.order_id,
        client_order_id=o.client_order_id,
        symbol=o.symbol,
        side=str(o.side),
        type=str(o.type),
        tif=str(o.tif),
        qty=o.qty,
        price=o.price,
        stop_price=o.stop_price,
        trail_offset=o.trail_offset,
        trail_bps=o.trail_bps,
        reduce_only=o.reduce_only,
        status=str(o.status),
        filled_qty=o.filled_qty,
        filled_quote=o.filled_quote,
        avg_price=o.avg_price,
        fees=o.fees,
        reject_reason=o.reason,
        created_ms=o.created_ms,
        updated_ms=o.updated_ms,
        triggered=o.triggered,
        trail_ref=o.trail_ref,
        queue_ahead=o.queue_ahead if o.queue_ahead.is_finite() else None,
        fill_count=o.fills,
        locked=o.locked,
        seq=o.seq,
    )


def persist_batch(batch: Batch, tenants: dict[str, int]) -> None:
    """Write one batch in one transaction (the worker acts for every tenant: RLS bypass)."""
    orders: dict[str, OrderSnapshot] = {}
    fills: list[m.Fill] = []
    balances: dict[tuple[str, str], BalanceChanged] = {}
    for event in batch.events:
        if isinstance(event, (OrderAccepted, OrderRejected, OrderUpdated)):
            orders[event.order.order_id] = event.order  # the last snapshot wins
        elif isinstance(event, Fill):
            fills.append(
                m.Fill(
                    tenant_id=tenants[event.account_id],
                    fill_id=event.fill_id,
                    account_id=int(event.account_id),
                    order_id=event.order_id,
                    symbol=event.symbol,
                    side=str(event.side),
                    price=event.price,
                    qty=event.qty,
                    fee=event.fee,
                    fee_currency=event.fee_asset,
                    liquidity=str(event.liquidity),
                    realized_pnl=event.realized_pnl,
                    ts_ms=event.ts_ms,
                )
            )
        elif isinstance(event, BalanceChanged):
            balances[(event.account_id, event.asset)] = event
    with dangerously_bypass_rls():
        if orders:
            m.Order.unscoped.bulk_create(
                [_order_row(o, tenants[o.account_id]) for o in orders.values()],
                update_conflicts=True,
                unique_fields=["order_id"],
                update_fields=ORDER_UPDATE_FIELDS,
            )
        if fills:
            m.Fill.unscoped.bulk_create(fills, ignore_conflicts=True)
        if balances:
            m.AccountBalance.unscoped.bulk_create(
                [
                    m.AccountBalance(
                        tenant_id=tenants[b.account_id],
                        account_id=int(b.account_id),
                        asset=b.asset,
                        free=b.free,
                        locked=b.locked,
                        updated_ms=b.ts_ms,
                    )
                    for b in balances.values()
                ],
                update_conflicts=True,
                unique_fields=["account", "asset"],
                update_fields=["free", "locked", "updated_ms"],
            )
        _persist_positions(batch, tenants)
        _persist_accounts(batch)
        if batch.markets:
            m.MarketState.objects.bulk_create(
                [
                    m.MarketState(exchange=ex, symbol=sym, last_price=price, last_ts_ms=ts, last_trade_id=trade_id)
                    for (ex, sym), (price, ts, trade_id) in batch.markets.items()
                ],
                update_conflicts=True,
                unique_fields=["exchange", "symbol"],
                update_fields=["last_price", "last_ts_ms", "last_trade_id"],
            )


def _persist_positions(batch: Batch, tenants: dict[str, int]) -> None:
    rows = []
    for account_id in batch.positions_changed:
        snap = batch.accounts[account_id]
        keep = list(snap.positions)
        m.Position.unscoped.filter(account_id=int(account_id)).exclude(symbol__in=keep).delete()
        for symbol, p in snap.positions.items():
            qty = sum((q for q, _, _ in p.lots), Decimal(0))
            cost = sum((q * price for q, price, _ in p.lots), Decimal(0))
            rows.append(
                m.Position(
                    tenant_id=tenants[account_id],
                    account_id=int(account_id),
                    symbol=symbol,
                    qty=qty,
                    avg_entry=cost / qty if qty else None,
                    realized_pnl=p.realized,
                    fees=p.fees,
                    lots=lots_json(p.lots),
                    trip=trip_json(p.trip),
                    updated_ms=max((t for _, _, t in p.lots), default=0),
                )
            )
    if rows:
        m.Position.unscoped.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["account", "symbol"],
            update_fields=["qty", "avg_entry", "realized_pnl", "fees", "lots", "trip", "updated_ms"],
        )


def _persist_accounts(batch: Batch) -> None:
    now = timezone.now()
    updates = []
    for account_id, snap in batch.accounts.items():
        row = m.PaperAccount(
            pk=int(account_id),
            next_order=snap.next_order,
            peak_equity=snap.peak_equity,
            risk_day=snap.day,
            day_start_equity=snap.day_start_equity,
            breaker_tripped=snap.breaker_tripped,
            kill_switch=snap.kill_switch,
            updated_at=now,
        )
        fields = [*ACCOUNT_STATE_FIELDS, "updated_at"]
        if account_id in batch.risk_limits:
            row.risk_limits = batch.risk_limits[account_id]
            fields.append("risk_limits")
        updates.append((row, fields))
    # Grouped by the set of fields, so each group is one UPDATE statement.
    groups: dict[tuple[str, ...], list[m.PaperAccount]] = {}
    for row, fields in updates:
        groups.setdefault(tuple(fields), []).append(row)
    for fields, rows in groups.items():
        m.PaperAccount.unscoped.bulk_update(rows, list(fields))
    if batch.closed:
        m.PaperAccount.unscoped.filter(pk__in=[int(a) for a in batch.closed]).update(is_active=False, updated_at=now)


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
