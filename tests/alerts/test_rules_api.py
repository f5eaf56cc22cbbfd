"""Rules API: create/edit/delete, reason codes for bad input, tier quotas."""

from __future__ import annotations

from typing import Any

import pytest

from backend.tenancy.models import Tenant, Tier
from tests.tenancy.world import World

RULE = {
    "name": "BTC over 100k",
    "exchange": "sim",
    "symbol": "BTC-USDT",
    "condition": {"type": "price_cross", "direction": "above", "level": 100000},
    "message_template": "{symbol} crossed {price} at {time}",
}


def test_create_edit_and_delete_a_rule(world: World) -> None:
    client = world.client_for_key(world.admin_key)
    created = client.post("/api/v1/alerts/rules", RULE, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["source"] == "trade" and body["interval"] == ""
    edited = client.patch(f"/api/v1/alerts/rules/{body['id']}", {"mode": "cooldown", "cooldown_s": 60}, format="json")
    assert edited.status_code == 200 and edited.json()["mode"] == "cooldown"
    assert client.get("/api/v1/alerts/rules").json()[0]["id"] == body["id"]
    assert client.delete(f"/api/v1/alerts/rules/{body['id']}").status_code == 204


def test_indicator_rule_needs_an_interval_and_kline_source(world: World) -> None:
    client = world.client_for_key(world.admin_key)
    rule = {**RULE, "condition": {"type": "indicator", "indicator": "rsi", "period": 14, "op": "above", "level": 70}}
    assert client.post("/api/v1/alerts/rules", rule, format="json").json()["error"]["code"] == "invalid_source"
    ok = client.post("/api/v1/alerts/rules", {**rule, "source": "closed", "interval": "1m"}, format="json")
    assert ok.status_code == 201


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"symbol": "NOPE-USDT"}, "unknown_symbol"),
        ({"exchange": "nowhere"}, "unknown_exchange"),
        ({"source": "closed", "interval": "7m"}, "unknown_interval"),
        ({"condition": {"type": "indicator", "indicator": "vwap", "op": "above", "level": 1}}, "unknown_indicator"),
        ({"condition": {"type": "price_cross", "direction": "up", "level": 1}}, "invalid_condition"),
        ({"condition": {"type": "teleport"}}, "unknown_condition"),
        ({"message_template": "{symbol.__class__}"}, "invalid_template"),
        ({"mode": "cooldown"}, "invalid_cooldown"),
    ],
)
def test_bad_rules_get_reason_codes(world: World, change: dict[str, Any], code: str) -> None:
    response = world.client_for_key(world.admin_key).post("/api/v1/alerts/rules", {**RULE, **change}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_rule_and_endpoint_quotas(world: World) -> None:
    tier = Tier.objects.create(
        code="tiny",
        name="Tiny",
        requests_per_minute=1000,
        requests_per_day=100000,
        **{**dict.fromkeys(Tier.QUOTA_FIELDS, 5), "alert_rules": 1, "webhook_endpoints": 0},
    )
    Tenant.objects.filter(pk=world.tenant.pk).update(tier=tier)
    client = world.client_for_key(world.admin_key)
    assert client.post("/api/v1/alerts/rules", RULE, format="json").status_code == 201
    over = client.post("/api/v1/alerts/rules", RULE, format="json")
    assert over.status_code == 403 and over.json()["error"]["detail"]["quota"] == "alert_rules"
    ep = client.post(
        "/api/v1/webhooks/endpoints", {"url": "https://example.com/h", "event_types": ["test"]}, format="json"
    )
    assert ep.status_code == 403 and ep.json()["error"]["code"] == "quota_exceeded"


def test_read_key_cannot_write_and_other_tenants_see_nothing(world: World) -> None:
    assert world.client_for_key(world.read_key).post("/api/v1/alerts/rules", RULE, format="json").status_code == 403
    rule_id = world.client_for_key(world.admin_key).post("/api/v1/alerts/rules", RULE, format="json").json()["id"]
    other = world.client_for_key(world.other_key)
    assert other.get(f"/api/v1/alerts/rules/{rule_id}").status_code == 404
    assert other.get("/api/v1/alerts/rules").json() == []
