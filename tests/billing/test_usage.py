"""GET /api/v1/billing reports usage against each tier limit, counted like the quota checks."""

from __future__ import annotations

import pytest

from backend.tenancy.models import Tier
from tests.tenancy.world import World

pytestmark = pytest.mark.django_db

ACCOUNT = {"name": "scalper", "exchange": "sim", "currency": "USDT", "starting_balance": "10000"}


def _usage(client) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/billing").json()
    return {row["quota"]: row for row in body["usage"]}


def test_usage_rows_follow_the_tier_and_what_the_tenant_holds(world: World) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    body = client.get("/api/v1/billing").json()
    assert body["enabled"] is False and body["tier"] == "trading-tests" and body["tier_name"] == "Trading tests"
    usage = {row["quota"]: row for row in body["usage"]}
    tier = Tier.objects.get(code="trading-tests")
    for quota in ("paper_accounts", "live_deployments", "alert_rules", "webhook_endpoints", "backtests_per_day"):
        assert usage[quota]["limit"] == getattr(tier, quota)
        assert usage[quota]["used"] == 0
    assert usage["requests_per_minute"]["limit"] == tier.requests_per_minute
    assert usage["requests_per_minute"]["used"] >= 1  # this very request counts

    keyed = world.client_for_key(world.admin_key)
    assert keyed.post("/api/v1/accounts", ACCOUNT, format="json").status_code == 201
    assert keyed.post("/api/v1/accounts", {**ACCOUNT, "name": "two"}, format="json").status_code == 201
    assert _usage(client)["paper_accounts"]["used"] == 2
    # Another tenant's accounts never count.
    assert _usage(world.client_for_user(world.stranger, world.other))["paper_accounts"]["used"] == 0


def test_viewers_read_the_plan(world: World) -> None:
    viewer = world.client_for_user(world.teammate, world.tenant)
    response = viewer.get("/api/v1/billing")
    assert response.status_code == 200 and response.json()["usage"]
    refused = viewer.post("/api/v1/billing/portal")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "role_required"
