"""Reads of the trading app: tenant-scoped ones for the API, and the worker's start-up load."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Max, Q, QuerySet

from backend.engine.trading import AccountSnapshot
from backend.tenancy.context import dangerously_bypass_rls
from backend.trading import models as m
from backend.trading.state import account_snapshot_from_rows


# == API (inside the request's tenant context) ===============================================
def accounts() -> QuerySet[m.PaperAccount]:
    return m.PaperAccount.objects.filter(is_active=True).order_by("pk")


def active_account_count(tenant_id: int) -> int:
    return m.PaperAccount.objects.filter(tenant_id=tenant_id, is_active=True).count()


def orders(
    account_id: int, *, status: str | None, symbol: str | None, limit: int, before: m.Order | None = None
) -> list[m.Order]:
    """Newest first (time priority); `before` = the last order of the previous page."""
    qs = m.Order.objects.filter(account_id=account_id)
    if status == "open":
        qs = qs.filter(status__in=m.Order.OPEN)
    elif status:
        qs = qs.filter(status=status)
    if symbol:
        qs = qs.filter(symbol=symbol)
    if before is not None:
        qs = qs.filter(seq__lt=before.seq)
    return list(qs.order_by("-seq")[:limit])


def order(account_id: int, order_id: str) -> m.Order | None:
    return m.Order.objects.filter(account_id=account_id, order_id=order_id).first()  # type: ignore[no-any-return]


def order_by_client_id(account_id: int, client_order_id: str) -> m.Order | None:
    return m.Order.objects.filter(account_id=account_id, client_order_id=client_order_id).first()  # type: ignore[no-any-return]


def fills(account_id: int, *, symbol: str | None, limit: int, before: m.Fill | None = None) -> list[m.Fill]:
    """Newest first by (time, row id); `before` = the last fill of the previous page."""
    qs = m.Fill.objects.filter(account_id=account_id)
    if symbol:
        qs = qs.filter(symbol=symbol)
    if before is not None:
        qs = qs.filter(Q(ts_ms__lt=before.ts_ms) | Q(ts_ms=before.ts_ms, pk__lt=before.pk))
    return list(qs.order_by("-ts_ms", "-pk")[:limit])


def fill(account_id: int, fill_id: str) -> m.Fill | None:
    return m.Fill.objects.filter(account_id=account_id, fill_id=fill_id).first()  # type: ignore[no-any-return]


def last_price(exchange: str, symbol: str) -> Decimal | None:
    """The last trade price the paper engine applied for a market (market data, not tenant-owned)."""
    price: Decimal | None = (
        m.MarketState.objects.filter(exchange=exchange, symbol=symbol).values_list("last_price", flat=True).first()
    )
    return price


def positions(account_id: int) -> list[m.Position]:
    return list(m.Position.objects.filter(account_id=account_id).order_by("symbol"))


def balances(account_id: int) -> list[m.AccountBalance]:
    return list(m.AccountBalance.objects.filter(account_id=account_id).order_by("asset"))


def equity(account_id: int, *, start_ms: int | None, end_ms: int | None, limit: int) -> list[m.EquitySample]:
    qs = m.EquitySample.objects.filter(account_id=account_id)
    if start_ms is not None:
        qs = qs.filter(ts_ms__gte=start_ms)
    if end_ms is not None:
        qs = qs.filter(ts_ms__lt=end_ms)
    return list(reversed(qs.order_by("-ts_ms")[:limit]))


# == the worker's load (every tenant: RLS bypass) ============================================
@dataclass(frozen=True)
class LoadedAccount:
    snapshot: AccountSnapshot
    tenant_id: int
    starting: Any  # the PaperAccount row, for resets


def load_accounts(*, partition: int, partitions: int, only: int | None = None) -> list[LoadedAccount]:
    """Active accounts of one engine partition (or just `only`), with balances, positions, open orders."""
    with dangerously_bypass_rls():
        qs = m.PaperAccount.unscoped.filter(is_active=True)
        if only is not None:
            qs = qs.filter(pk=only)
        if partitions > 1:
            qs = qs.annotate(part=F("id") % partitions).filter(part=partition)
        rows = list(qs)
        ids = [a.pk for a in rows]
        if not ids:
            return []
        balances: dict[int, list[m.AccountBalance]] = {}
        for b in m.AccountBalance.unscoped.filter(account_id__in=ids):
            balances.setdefault(b.account_id, []).append(b)
        positions: dict[int, list[m.Position]] = {}
        for p in m.Position.unscoped.filter(account_id__in=ids):
            positions.setdefault(p.account_id, []).append(p)
        # Order ids are f"{account}:{n}": the counter resumes after the highest stored n.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT account_id, max(split_part(order_id, ':', 2)::bigint) FROM trading_order"
                " WHERE account_id = ANY(%s) GROUP BY account_id",
                [ids],
            )
            for account_id, highest in cursor.fetchall():
                for a in rows:
                    if a.pk == account_id:
                        a.next_order = max(a.next_order, int(highest))
        open_orders: dict[int, list[m.Order]] = {}
        for o in m.Order.unscoped.filter(account_id__in=ids, status__in=m.Order.OPEN):
            open_orders.setdefault(o.account_id, []).append(o)
    return [
        LoadedAccount(
            account_snapshot_from_rows(a, balances.get(a.pk, []), positions.get(a.pk, []), open_orders.get(a.pk, [])),
            a.tenant_id,
            a,
        )
        for a in rows
    ]


def max_order_seq() -> int:
    with dangerously_bypass_rls():
        return int(m.Order.unscoped.aggregate(s=Max("seq"))["s"] or 0)


def market_states() -> dict[tuple[str, str], tuple[Decimal, int, int]]:
    return {(s.exchange, s.symbol): (s.last_price, s.last_ts_ms, s.last_trade_id) for s in m.MarketState.objects.all()}
