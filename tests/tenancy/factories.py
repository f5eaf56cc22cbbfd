"""One maker per tenant-owned model, used by the isolation suite.

The suite fails for a tenant-owned endpoint whose model has no maker here, so a new
endpoint cannot slip past it: add its model's maker.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from backend.backtests.models import Backtest
from backend.identity.models import User
from backend.tenancy import services
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import ApiKey, AuditEvent, Invitation, Membership, Role, Tenant
from tests.alerts.factories import ALERTS_MAKERS
from tests.marketplace.factories import MARKETPLACE_MAKERS
from tests.strategies.factories import STRATEGY_MAKERS
from tests.trading.factories import TRADING_MAKERS


def make_membership(tenant: Tenant) -> Membership:
    user = User.objects.create_user(email=f"member{User.objects.count()}@victim.test", password="x" * 20)
    with tenant_context(tenant.pk):
        return Membership.objects.create(tenant=tenant, user=user, role=Role.TRADER)  # type: ignore[no-any-return]


def make_invitation(tenant: Tenant) -> Invitation:
    with tenant_context(tenant.pk):
        return Invitation.objects.create(  # type: ignore[no-any-return]
            tenant=tenant,
            email="invitee@victim.test",
            role=Role.VIEWER,
            token_hash=f"{Invitation.unscoped.count():064d}",
            expires_at=timezone.now() + timedelta(days=1),
        )


def make_api_key(tenant: Tenant) -> ApiKey:
    with tenant_context(tenant.pk):
        key, _ = services.api_key_create(
            tenant_id=tenant.pk,
            name="victim",
            scopes=["read"],
            expires_at=None,
            created_by_id=None,
            actor_label="t",
            ip=None,
        )
    return key


def make_audit_event(tenant: Tenant) -> AuditEvent:
    with dangerously_bypass_rls():
        return AuditEvent.unscoped.create(tenant=tenant, action="victim.event", actor_label="victim")  # type: ignore[no-any-return]


def make_backtest(tenant: Tenant) -> Backtest:
    with tenant_context(tenant.pk):
        return Backtest.objects.create(  # type: ignore[no-any-return]
            tenant=tenant,
            strategy="sma_cross",
            params={"fast": 10, "slow": 30, "allow_short": 0},
            exchange="sim",
            symbol="BTC-USDT",
            interval="1m",
            start=timezone.now() - timedelta(days=1),
            end=timezone.now(),
            cash=10_000,
            commission="0.001",
            slippage_bps=0,
        )


MAKERS: dict[type[Any], Callable[[Tenant], Any]] = {
    Membership: make_membership,
    Invitation: make_invitation,
    ApiKey: make_api_key,
    AuditEvent: make_audit_event,
    Backtest: make_backtest,
}
MAKERS.update(TRADING_MAKERS)
MAKERS.update(ALERTS_MAKERS)
MAKERS.update(STRATEGY_MAKERS)
MAKERS.update(MARKETPLACE_MAKERS)
