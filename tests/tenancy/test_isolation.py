"""Every tenant-owned endpoint, discovered from the URL conf, refuses another tenant's
objects with 404 and changes nothing; every tenant-owned table has row-level security."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver

from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import ROLE_RANK, AuditEvent, Role, TenantOwned
from backend.tenancy.viewsets import TenantScopedViewSet
from tests.tenancy.factories import MAKERS
from tests.tenancy.world import World

pytestmark = pytest.mark.django_db

WRITE_BODY = {"name": "hijacked", "role": "owner", "email": "evil@x.test", "scopes": ["admin"]}
METHOD_ACTIONS = {"get": "retrieve", "patch": "partial_update", "put": "update", "delete": "destroy"}


@dataclass(frozen=True)
class Endpoint:
    path: str  # with {pk}
    viewset: type[TenantScopedViewSet]
    methods: tuple[str, ...]


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found.extend(_walk(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern):
            found.append((route, pattern.callback))
    return found


def tenant_detail_endpoints() -> list[Endpoint]:
    endpoints = []
    for route, callback in _walk(get_resolver().url_patterns):
        viewset = getattr(callback, "cls", None)
        actions = getattr(callback, "actions", None) or {}
        if not (isinstance(viewset, type) and issubclass(viewset, TenantScopedViewSet)) or "pk" not in route:
            continue
        path = "/" + re.sub(r"\(\?P<pk>[^)]*\)", "{pk}", route).replace("^", "").replace("$", "").replace("\\", "")
        methods = tuple(m for m in actions if m in METHOD_ACTIONS)
        endpoints.append(Endpoint(path, viewset, methods))
    return endpoints


ENDPOINTS = tenant_detail_endpoints()


def test_discovery_finds_the_tenant_owned_endpoints() -> None:
    paths = {e.path for e in ENDPOINTS}
    assert {
        "/api/v1/members/{pk}",
        "/api/v1/api-keys/{pk}",
        "/api/v1/invitations/{pk}",
        "/api/v1/audit-log/{pk}",
    } <= paths


def _model_of(viewset: type[TenantScopedViewSet]) -> type[Any]:
    declared = getattr(viewset, "model", None)  # viewsets whose serializer is not a ModelSerializer
    if declared is not None:
        return declared  # type: ignore[no-any-return]
    serializer = viewset.serializer_class
    return serializer.Meta.model  # type: ignore[no-any-return,union-attr]


def _snapshot(model: type[Any], pk: int) -> dict[str, Any] | None:
    with dangerously_bypass_rls():
        obj = model._base_manager.filter(pk=pk).first()
        return model_to_dict(obj) if obj is not None else None


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_another_tenants_object_is_404_and_untouched(world: World, endpoint: Endpoint) -> None:
    model = _model_of(endpoint.viewset)
    maker = MAKERS.get(model)
    assert maker is not None, f"add a maker for {model.__name__} to tests/tenancy/factories.py"
    victim = maker(world.other)
    before = _snapshot(model, victim.pk)
    url = endpoint.path.format(pk=victim.pk)
    missing_url = endpoint.path.format(pk=999_999_999)
    callers = [
        (world.client_for_key(world.admin_key), ROLE_RANK[Role.ADMIN]),
        (world.client_for_user(world.owner, world.tenant), ROLE_RANK[Role.OWNER]),
    ]
    for client, rank in callers:
        for method in endpoint.methods:
            response = getattr(client, method)(url, WRITE_BODY, format="json")
            needed = endpoint.viewset.roles[METHOD_ACTIONS[method]]
            if rank >= ROLE_RANK[needed]:
                assert response.status_code == 404, (method, url, response.status_code, response.content)
                assert response.json()["error"]["code"] == "not_found"
            else:
                # Refused for the caller's role before any lookup: the same answer as for
                # an id that does not exist, so still no existence oracle.
                assert response.status_code == 403, (method, url, response.status_code)
                assert response.json() == getattr(client, method)(missing_url, WRITE_BODY, format="json").json()
    assert _snapshot(model, victim.pk) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_lists_never_show_another_tenants_objects(world: World, endpoint: Endpoint) -> None:
    model = _model_of(endpoint.viewset)
    victim = MAKERS[model](world.other)
    list_url = endpoint.path.split("/{pk}")[0]  # also for detail actions (/{pk}/start)
    # The owner's session may list everything tenant-owned.
    response = world.client_for_user(world.owner, world.tenant).get(list_url)
    assert response.status_code == 200
    assert victim.pk not in {item["id"] for item in response.json()}


def test_a_nonexistent_id_and_a_foreign_id_answer_identically(world: World) -> None:
    victim = MAKERS[AuditEvent](world.other)
    client = world.client_for_key(world.admin_key)
    foreign = client.get(f"/api/v1/audit-log/{victim.pk}")
    missing = client.get("/api/v1/audit-log/999999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_every_tenant_owned_table_has_forced_row_level_security() -> None:
    tables = [m._meta.db_table for m in apps.get_models() if issubclass(m, TenantOwned) or m is AuditEvent]
    assert tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY(%s)", [tables]
        )
        rows = {name: (enabled, forced) for name, enabled, forced in cursor.fetchall()}
    assert rows == dict.fromkeys(tables, (True, True))
