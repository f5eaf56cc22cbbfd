from __future__ import annotations

import time

import pytest

from backend.tenancy import services
from backend.tenancy.models import Tier
from tests.tenancy.world import World

pytestmark = pytest.mark.django_db


def set_minute_limit(code: str, limit: int) -> None:
    tier = Tier.objects.get(code=code)
    tier.requests_per_minute = limit
    tier.save()


def test_every_api_response_carries_rate_limit_fields(world: World) -> None:
    response = world.client_for_key(world.read_key).get("/api/v1/members")
    free = Tier.objects.get(code="free")
    assert response["X-RateLimit-Limit"] == str(free.requests_per_minute)
    assert response["X-RateLimit-Remaining"] == str(free.requests_per_minute - 1)
    reset = int(response["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 61
    assert (
        response["RateLimit-Policy"]
        == f'"minute";q={free.requests_per_minute};w=60, "day";q={free.requests_per_day};w=86400'
    )
    assert response["RateLimit"].startswith(f'"minute";r={free.requests_per_minute - 1};t=')


def test_past_the_limit_answers_429_with_retry_after_and_names_limit_and_tier(world: World) -> None:
    set_minute_limit("free", 3)
    client = world.client_for_key(world.read_key)
    statuses = [client.get("/api/v1/members").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/members")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["X-RateLimit-Remaining"] == "0"
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["detail"] == {"limit": "requests_per_minute", "quota": 3, "tier": "free"}


def test_the_budget_is_per_tenant_shared_by_its_keys_and_not_by_others(world: World) -> None:
    set_minute_limit("free", 2)
    assert world.client_for_key(world.read_key).get("/api/v1/members").status_code == 200
    assert world.client_for_key(world.admin_key).get("/api/v1/members").status_code == 200
    assert world.client_for_key(world.read_key).get("/api/v1/members").status_code == 429
    assert world.client_for_key(world.other_key).get("/api/v1/members").status_code == 200


def test_a_tier_change_moves_the_limit_at_once(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    set_minute_limit("free", 2)
    client = world.client_for_key(world.read_key)
    assert [client.get("/api/v1/members").status_code for _ in range(3)] == [200, 200, 429]
    with django_capture_on_commit_callbacks(execute=True):
        services.tenant_set_tier(
            tenant=world.tenant, tier=Tier.objects.get(code="pro"), actor_label="billing", actor_user_id=None, ip=None
        )
    response = client.get("/api/v1/members")
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == str(Tier.objects.get(code="pro").requests_per_minute)


def test_editing_a_tiers_limits_applies_at_once(world: World) -> None:
    client = world.client_for_key(world.read_key)
    assert client.get("/api/v1/members")["X-RateLimit-Limit"] == str(Tier.objects.get(code="free").requests_per_minute)
    set_minute_limit("free", 7)
    assert client.get("/api/v1/members")["X-RateLimit-Limit"] == "7"


def test_anonymous_calls_are_limited_per_ip(settings) -> None:  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    limit = settings.CONFIG.auth.anonymous_requests_per_minute
    client = APIClient()
    statuses = [client.get("/api/v1/auth/csrf", REMOTE_ADDR="192.0.2.7").status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[-1] == 429
    assert client.get("/api/v1/auth/csrf", REMOTE_ADDR="192.0.2.8").status_code == 200
