"""Writes of the alerts app: firings recorded and fanned out, webhook events and deliveries."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from backend.alerts.models import AlertFiring, AlertRule, WebhookDelivery, WebhookEndpoint, WebhookEvent
from backend.engine.alerts.conditions import parse_condition
from backend.engine.alerts.rules import Firing, Rule
from backend.tenancy.context import dangerously_bypass_rls, tenant_context

ALERT_FIRED = "alert.fired"
ORDER_FILLED = "order.filled"
DEPLOYMENT_ERRORED = "deployment.errored"
DRAWDOWN_BREACHED = "account.drawdown_breached"
SUBSCRIPTION_LAPSED = "subscription.lapsed"
ENDPOINT_DISABLED = "endpoint.disabled"
TEST_EVENT = "test"
EVENT_TYPES = (ALERT_FIRED, ORDER_FILLED, DEPLOYMENT_ERRORED, DRAWDOWN_BREACHED, SUBSCRIPTION_LAPSED, TEST_EVENT)


def _ms(value: dt.datetime | None) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


def engine_rule(row: AlertRule) -> Rule:
    return Rule(
        id=row.pk,
        tenant_id=row.tenant_id,
        exchange=row.exchange,
        symbol=row.symbol,
        interval=row.interval or None,
        source=row.source,  # type: ignore[arg-type]
        condition=parse_condition(row.condition),
        mode=row.mode,  # type: ignore[arg-type]
        cooldown_ms=row.cooldown_s * 1000,
        expires_ms=_ms(row.expires_at),
        template=row.message_template,
        version=row.version,
    )


def rules_signature() -> tuple[int, Any]:
    """Cheap fingerprint of every active rule: changes whenever one is added, edited or removed."""
    with dangerously_bypass_rls():
        agg = AlertRule.unscoped.filter(is_active=True).aggregate(
            n=Count("id"), latest=Max("updated_at"), ids=Max("id")
        )
    return (agg["n"], (agg["latest"], agg["ids"]))


def rules_fingerprint(signature: Any) -> str:
    """A short stable text for a rules signature: the engine logs it when it loads rules,
    so an operator (or a test) can tell which state of the rules it runs."""
    return hashlib.sha256(repr(signature).encode()).hexdigest()[:16]


def active_rules(owns: Any = None) -> list[Rule]:
    """Every active rule (of the markets `owns(exchange, symbol)` accepts; event rules always)."""
    with dangerously_bypass_rls():
        rows = list(AlertRule.unscoped.filter(is_active=True))
    out = []
    for row in rows:
        if owns is not None and row.source != AlertRule.Source.EVENT and not owns(row.exchange, row.symbol):
            continue
        out.append(engine_rule(row))
    return out


@dataclass(frozen=True)
class Recorded:
    firing_id: int
    tenant_id: int
    rule_id: int
    payload: dict[str, Any]
    in_app: bool
    email: bool
    deliveries: list[int]


def firing_payload(firing_id: int, rule: AlertRule, firing: Firing) -> dict[str, Any]:
    return {
        "firing": firing_id,
        "rule": rule.pk,
        "name": rule.name,
        "message": firing.message,
        "fired_at_ms": firing.ts_ms,
        "values": firing.values,
    }


def record_firings(firings: Sequence[Firing], finished: Iterable[int] = ()) -> list[Recorded]:
    """Store firings (and their webhook events and deliveries) in one transaction.

    Runs across tenants (the engine serves them all), so with the RLS bypass; every row
    written carries the firing rule's own tenant.
    """
    out: list[Recorded] = []
    with dangerously_bypass_rls(), transaction.atomic(savepoint=False):  # the bypass opened the transaction
        rules = AlertRule.unscoped.in_bulk([f.rule_id for f in firings])
        rows = [
            AlertFiring(
                tenant_id=rules[f.rule_id].tenant_id,
                rule_id=f.rule_id,
                fired_at=dt.datetime.fromtimestamp(f.ts_ms / 1000, tz=dt.UTC),
                message=f.message[:1000],
                values=f.values,
            )
            for f in firings
            if f.rule_id in rules
        ]
        AlertFiring.unscoped.bulk_create(rows)
        kept = [f for f in firings if f.rule_id in rules]
        now = timezone.now()
        counts: dict[int, int] = {}
        for f in kept:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        for rule_id, n in counts.items():
            AlertRule.unscoped.filter(pk=rule_id).update(fired_count=F("fired_count") + n, last_fired_at=now)
        done = list(finished)
        if done:
            # Once-rules that fired and expired rules: kept for history, no longer active.
            AlertRule.unscoped.filter(pk__in=done, is_active=True).update(is_active=False)
        endpoints = _endpoints_for(
            {rules[f.rule_id].tenant_id for f in kept if rules[f.rule_id].notify_webhook}, ALERT_FIRED
        )
        for row, f in zip(rows, kept, strict=True):
            rule = rules[f.rule_id]
            payload = firing_payload(row.pk, rule, f)
            deliveries = (
                _create_deliveries(rule.tenant_id, ALERT_FIRED, payload, endpoints.get(rule.tenant_id, []))
                if rule.notify_webhook
                else []
            )
            out.append(
                Recorded(row.pk, rule.tenant_id, rule.pk, payload, rule.notify_in_app, rule.notify_email, deliveries)
            )
    return out


def _endpoints_for(tenant_ids: set[int], event_type: str) -> dict[int, list[int]]:
    by_tenant: dict[int, list[int]] = {}
    if not tenant_ids:
        return by_tenant
    for tid, eid in WebhookEndpoint.unscoped.filter(
        tenant_id__in=tenant_ids, is_enabled=True, event_types__contains=[event_type]
    ).values_list("tenant_id", "id"):
        by_tenant.setdefault(tid, []).append(eid)
    return by_tenant


def _create_deliveries(tenant_id: int, event_type: str, payload: dict[str, Any], endpoint_ids: list[int]) -> list[int]:
    if not endpoint_ids:
        return []
    event = WebhookEvent.unscoped.create(tenant_id=tenant_id, type=event_type, payload=payload)
    made = WebhookDelivery.unscoped.bulk_create(
        [WebhookDelivery(tenant_id=tenant_id, event=event, endpoint_id=eid) for eid in endpoint_ids]
    )
    return [d.pk for d in made]


def emit_event(
    tenant_id: int, event_type: str, payload: dict[str, Any], endpoint_ids: list[int] | None = None
) -> list[int]:
    """A webhook event for the tenant's endpoints subscribed to it (or the given ones); delivery ids."""
    with dangerously_bypass_rls(), transaction.atomic(savepoint=False):  # the bypass opened the transaction
        if endpoint_ids is None:
            endpoint_ids = _endpoints_for({tenant_id}, event_type).get(tenant_id, [])
        return _create_deliveries(tenant_id, event_type, payload, endpoint_ids)


def enqueue(delivery_ids: Iterable[int], tenant_id: int) -> None:
    from backend.alerts.tasks import deliver_webhook

    for delivery_id in delivery_ids:
        deliver_webhook.apply_async((delivery_id, tenant_id), queue="webhooks")


def resend(delivery: WebhookDelivery) -> int:
    """A fresh delivery of the same event (same webhook-id, so receivers can de-duplicate)."""
    with tenant_context(delivery.tenant_id):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now(), updated_at=timezone.now()
        )
    return delivery.pk
