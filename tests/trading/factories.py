"""Makers for the trading app's tenant-owned models (registered in tests/tenancy/factories.MAKERS)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from backend.tenancy.context import tenant_context
from backend.tenancy.models import Tenant
from backend.trading import services
from backend.trading.models import AccountBalance, EquitySample, Fill, Order, PaperAccount, Position


def make_paper_account(tenant: Tenant) -> PaperAccount:
    with tenant_context(tenant.pk):
        return services.account_create(
            tenant_id=tenant.pk,
            data={
                "name": "victim",
                "exchange": "sim",
                "currency": "USDT",
                "starting_balance": Decimal(1000),
                "maker_fee": Decimal(0),
                "taker_fee": Decimal(0),
                "margin": False,
                "leverage": Decimal(1),
                "risk_limits": {},
            },
        )


def make_account_balance(tenant: Tenant) -> AccountBalance:
    account = make_paper_account(tenant)
    with tenant_context(tenant.pk):
        return AccountBalance.objects.get(account=account)  # type: ignore[no-any-return]


def make_order(tenant: Tenant) -> Order:
    account = make_paper_account(tenant)
    with tenant_context(tenant.pk):
        return Order.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, account=account, order_id=f"{account.pk}:1", symbol="BTC-USDT", side="buy",
            type="limit", tif="gtc", qty=Decimal(1), price=Decimal(100), status="new", filled_qty=0,
            filled_quote=0, fees=0, created_ms=0, updated_ms=0, locked=Decimal(100), seq=1,
        )  # fmt: skip


def make_fill(tenant: Tenant) -> Fill:
    order = make_order(tenant)
    with tenant_context(tenant.pk):
        return Fill.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, account_id=order.account_id, order=order, fill_id=f"{order.order_id}-1",
            symbol="BTC-USDT", side="buy", price=Decimal(100), qty=Decimal(1), fee=0, fee_currency="USDT",
            liquidity="maker", realized_pnl=0, ts_ms=0,
        )  # fmt: skip


def make_position(tenant: Tenant) -> Position:
    account = make_paper_account(tenant)
    with tenant_context(tenant.pk):
        return Position.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, account=account, symbol="BTC-USDT", qty=Decimal(1), avg_entry=Decimal(100),
            realized_pnl=0, fees=0, lots=[["1", "100", 0]],
        )  # fmt: skip


def make_equity_sample(tenant: Tenant) -> EquitySample:
    account = make_paper_account(tenant)
    with tenant_context(tenant.pk):
        return EquitySample.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, account=account, ts_ms=0, equity=Decimal(1000)
        )


TRADING_MAKERS: dict[type[Any], Callable[[Tenant], Any]] = {
    PaperAccount: make_paper_account,
    AccountBalance: make_account_balance,
    Order: make_order,
    Fill: make_fill,
    Position: make_position,
    EquitySample: make_equity_sample,
}
