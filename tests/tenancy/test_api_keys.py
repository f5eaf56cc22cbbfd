from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import ApiKey, AuditEvent
from tests.tenancy.world import World, make_key

pytestmark = pytest.mark.django_db


def test_key_is_shown_once_and_only_its_hash_is_stored(world: World) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    created = client.post("/api/v1/api-keys", {"name": "bot", "scopes": ["read", "trade"]}, format="json")
    assert created.status_code == 201, created.content
    raw = created.json()["key"]
    assert raw.startswith(f"{created.json()['prefix']}_")
    listed = client.get("/api/v1/api-keys").json()
    assert all("key" not in item and "secret_hash" not in item for item in listed)
    secret = raw[21:]
    with connection.cursor() as cursor, dangerously_bypass_rls():
        cursor.execute(
            "SELECT count(*) FROM tenancy_apikey WHERE secret_hash LIKE %s OR name LIKE %s", [f"%{secret}%", secret]
        )
        assert cursor.fetchone() == (0,)
    assert world.client_for_key(raw).get("/api/v1/members").status_code == 200


def test_key_acts_as_its_tenant_and_records_last_use(world: World) -> None:
    response = world.client_for_key(world.read_key).get("/api/v1/members", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert {m["email"] for m in response.json()} == {"owner@a.test", "teammate@a.test"}
    with dangerously_bypass_rls():
        key = ApiKey.unscoped.get(key_id=world.read_key.split("_")[2])
    assert key.last_used_at is not None and key.last_used_ip == "10.1.2.3"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer qt_live_short_x", "api_key_malformed"),
        ("Token abc", "authorization_malformed"),
        ("Bearer qt_live_aaaaaaaaaaaa_" + "x" * 43, "api_key_invalid"),
    ],
)
def test_malformed_or_unknown_keys_get_a_clear_401(world: World, header: str, code: str) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/members")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_right_id_wrong_secret_is_invalid(world: World) -> None:
    prefix = world.read_key[:20]
    response = world.client_for_key(f"{prefix}_{'A' * 43}").get("/api/v1/members")
    assert response.status_code == 401 and response.json()["error"]["code"] == "api_key_invalid"


def test_expired_key_is_refused(world: World) -> None:
    row, raw = make_key(world.tenant, world.owner, ["read"])
    with dangerously_bypass_rls():
        ApiKey.unscoped.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = world.client_for_key(raw).get("/api/v1/members")
    assert response.status_code == 401 and response.json()["error"]["code"] == "api_key_expired"


def test_revocation_takes_effect_on_the_next_request_even_when_cached(world: World) -> None:
    row, raw = make_key(world.tenant, world.owner, ["read"])
    keyed = world.client_for_key(raw)
    assert keyed.get("/api/v1/members").status_code == 200  # now cached
    admin = world.client_for_key(world.admin_key)
    assert admin.delete(f"/api/v1/api-keys/{row.pk}").status_code == 204
    response = keyed.get("/api/v1/members")
    assert response.status_code == 401 and response.json()["error"]["code"] == "api_key_revoked"
    with dangerously_bypass_rls():
        assert AuditEvent.unscoped.filter(action="api_key.revoked", target=row.prefix).exists()


def test_scopes_limit_what_a_key_may_do(world: World) -> None:
    response = world.client_for_key(world.read_key).post(
        "/api/v1/api-keys", {"name": "x", "scopes": ["read"]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert world.client_for_key(world.read_key).get("/api/v1/api-keys").status_code == 403


def test_bad_key_requests_write_nothing(world: World) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    with dangerously_bypass_rls():
        before = ApiKey.unscoped.count()
    for body in ({"name": "", "scopes": ["read"]}, {"name": "x", "scopes": ["root"]}, {"name": "x", "scopes": []},
                 {"name": "x", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z"}):  # fmt: skip
        response = client.post("/api/v1/api-keys", body, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input", body
    response = client.post("/api/v1/api-keys", b"{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_request"
    with dangerously_bypass_rls():
        assert ApiKey.unscoped.count() == before
