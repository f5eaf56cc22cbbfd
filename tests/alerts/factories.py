"""Makers for the alerts app's tenant-owned models (registered in tests/tenancy/factories.MAKERS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from backend.alerts import secrets, signals
from backend.alerts.models import (
    AlertFiring,
    AlertRule,
    InboundSignal,
    SignalEndpoint,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Tenant
from tests.trading.factories import make_paper_account


def make_rule(tenant: Tenant) -> AlertRule:
    with tenant_context(tenant.pk):
        return AlertRule.objects.create(  # type: ignore[no-any-return]
            tenant=tenant,
            name="victim",
            exchange="sim",
            symbol="BTC-USDT",
            source="trade",
            condition={"type": "price_cross", "direction": "above", "level": 100},
            message_template="{symbol}",
        )


def make_firing(tenant: Tenant) -> AlertFiring:
    rule = make_rule(tenant)
    with tenant_context(tenant.pk):
        return AlertFiring.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, rule=rule, fired_at=timezone.now(), message="m", values={}
        )


def make_endpoint(tenant: Tenant) -> WebhookEndpoint:
    with tenant_context(tenant.pk):
        return WebhookEndpoint.objects.create(  # type: ignore[no-any-return]
            tenant=tenant,
            url="https://example.com/hook",
            event_types=["alert.fired"],
            secret_encrypted=secrets.encrypt(secrets.generate()),
        )


def make_event(tenant: Tenant) -> WebhookEvent:
    with tenant_context(tenant.pk):
        return WebhookEvent.objects.create(tenant=tenant, type="test", payload={})  # type: ignore[no-any-return]


def make_delivery(tenant: Tenant) -> WebhookDelivery:
    endpoint, event = make_endpoint(tenant), make_event(tenant)
    with tenant_context(tenant.pk):
        return WebhookDelivery.objects.create(tenant=tenant, endpoint=endpoint, event=event)  # type: ignore[no-any-return]


def make_attempt(tenant: Tenant) -> WebhookAttempt:
    delivery = make_delivery(tenant)
    with tenant_context(tenant.pk):
        return WebhookAttempt.objects.create(tenant=tenant, delivery=delivery, number=1)  # type: ignore[no-any-return]


def make_signal_endpoint(tenant: Tenant) -> SignalEndpoint:
    account = make_paper_account(tenant)
    with tenant_context(tenant.pk):
        return SignalEndpoint.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, name="victim", account=account, secret_hash=signals.new_secret()[1]
        )


def make_inbound_signal(tenant: Tenant) -> InboundSignal:
    endpoint = make_signal_endpoint(tenant)
    with tenant_context(tenant.pk):
        return InboundSignal.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, endpoint=endpoint, signal_id="s1", action="buy", symbol="BTC-USDT", size="1"
        )


ALERTS_MAKERS: dict[type[Any], Callable[[Tenant], Any]] = {
    AlertRule: make_rule,
    AlertFiring: make_firing,
    WebhookEndpoint: make_endpoint,
    WebhookEvent: make_event,
    WebhookDelivery: make_delivery,
    WebhookAttempt: make_attempt,
    SignalEndpoint: make_signal_endpoint,
    InboundSignal: make_inbound_signal,
}
