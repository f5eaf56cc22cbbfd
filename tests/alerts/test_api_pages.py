"""Keyset pages (limit/before) of rules, firings and deliveries, and the shapes the web app reads."""

from __future__ import annotations

from django.utils import timezone

from backend.alerts import services
from backend.alerts.models import AlertFiring, WebhookAttempt, WebhookDelivery
from backend.tenancy.context import tenant_context
from tests.alerts.factories import make_endpoint, make_rule
from tests.tenancy.world import World

RULE = {
    "name": "BTC over 100k",
    "exchange": "sim",
    "symbol": "BTC-USDT",
    "condition": {"type": "price_cross", "direction": "above", "level": 100000},
}


def test_rules_are_paged_newest_first(world: World) -> None:
    client = world.client_for_key(world.admin_key)
    ids = [client.post("/api/v1/alerts/rules", {**RULE, "name": f"r{i}"}, format="json").json()["id"] for i in range(3)]
    first = client.get("/api/v1/alerts/rules?limit=2").json()
    assert [r["id"] for r in first] == [ids[2], ids[1]]
    second = client.get(f"/api/v1/alerts/rules?limit=2&before={first[-1]['id']}").json()
    assert [r["id"] for r in second] == [ids[0]]
    bad = client.get("/api/v1/alerts/rules?limit=0")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_input"
    assert client.get("/api/v1/alerts/rules?before=x").json()["error"]["code"] == "invalid_input"


def test_firings_are_paged_and_carry_the_rule_name(world: World) -> None:
    rule = make_rule(world.tenant)
    other = make_rule(world.tenant)
    with tenant_context(world.tenant.pk):
        made = [
            AlertFiring.objects.create(
                tenant=world.tenant, rule=r, fired_at=timezone.now(), message=f"m{i}", values={"price": i}
            ).pk
            for i, r in enumerate([rule, other, rule, rule])
        ]
    client = world.client_for_key(world.read_key)
    page = client.get("/api/v1/alerts/firings?limit=3").json()
    assert [f["id"] for f in page] == made[::-1][:3]
    assert page[0]["rule_name"] == "victim" and page[0]["values"] == {"price": 3}
    older = client.get(f"/api/v1/alerts/firings?limit=3&before={page[-1]['id']}").json()
    assert [f["id"] for f in older] == [made[0]]
    per_rule = client.get(f"/api/v1/alerts/rules/{rule.pk}/firings?limit=2").json()
    assert [f["id"] for f in per_rule] == [made[3], made[2]]
    rest = client.get(f"/api/v1/alerts/rules/{rule.pk}/firings?limit=2&before={made[2]}").json()
    assert [f["id"] for f in rest] == [made[0]]


def test_delivery_logs_are_paged_with_attempts_and_endpoint(world: World) -> None:
    endpoint = make_endpoint(world.tenant)
    ids = [services.emit_event(world.tenant.pk, "test", {"n": i}, [endpoint.pk])[0] for i in range(3)]
    with tenant_context(world.tenant.pk):
        WebhookAttempt.objects.create(
            tenant=world.tenant,
            delivery_id=ids[2],
            number=1,
            status_code=503,
            error="http_503",
            response_excerpt="busy",
        )
        WebhookAttempt.objects.create(tenant=world.tenant, delivery_id=ids[2], number=2, status_code=200)
        WebhookDelivery.objects.filter(pk=ids[2]).update(status="succeeded", attempts=2)
    client = world.client_for_key(world.read_key)
    page = client.get("/api/v1/webhooks/deliveries?limit=2").json()
    assert [d["id"] for d in page] == [ids[2], ids[1]]
    newest = page[0]
    assert newest["endpoint"] == endpoint.pk and newest["endpoint_url"] == endpoint.url
    assert newest["event_type"] == "test" and newest["event_id"].startswith("msg_")
    assert [a["status_code"] for a in newest["attempts"]] == [503, 200]
    assert newest["attempts"][0]["response_excerpt"] == "busy" and newest["next_attempt_at"] is None
    assert page[1]["status"] == "pending" and page[1]["next_attempt_at"] is not None
    older = client.get(f"/api/v1/webhooks/deliveries?limit=2&before={ids[1]}").json()
    assert [d["id"] for d in older] == [ids[0]]
    per_endpoint = client.get(f"/api/v1/webhooks/endpoints/{endpoint.pk}/deliveries?limit=1&before={ids[2]}").json()
    assert [d["id"] for d in per_endpoint] == [ids[1]]


def test_other_tenants_see_no_firings_or_deliveries(world: World) -> None:
    endpoint = make_endpoint(world.tenant)
    services.emit_event(world.tenant.pk, "test", {}, [endpoint.pk])
    with tenant_context(world.tenant.pk):
        AlertFiring.objects.create(
            tenant=world.tenant, rule=make_rule(world.tenant), fired_at=timezone.now(), message="m", values={}
        )
    other = world.client_for_key(world.other_key)
    assert other.get("/api/v1/alerts/firings").json() == []
    assert other.get("/api/v1/webhooks/deliveries").json() == []
