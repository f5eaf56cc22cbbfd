"""Row-level security alone keeps tenants apart, even for a query that forgets the filter."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from backend.tenancy.context import TenantContextMissing, tenant_context
from backend.tenancy.models import ApiKey, Membership
from backend.tenancy.viewsets import TenantScopedViewSet
from tests.tenancy.world import World

pytestmark = pytest.mark.django_db


def test_the_app_connects_as_a_role_bound_by_row_level_security() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_unfiltered_orm_query_sees_only_the_context_tenant(world: World) -> None:
    with tenant_context(world.tenant.pk):
        # `unscoped` applies no tenant filter at all: only the database stands guard.
        keys = list(ApiKey.unscoped.all())
        members = list(Membership.unscoped.all())
    assert keys and {k.tenant_id for k in keys} == {world.tenant.pk}
    assert members and {m.tenant_id for m in members} == {world.tenant.pk}


def test_raw_sql_without_a_tenant_sees_nothing(world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tenancy_apikey")
        assert cursor.fetchone() == (0,)
    with tenant_context(world.other.pk), connection.cursor() as cursor:
        cursor.execute("SELECT count(*), min(tenant_id), max(tenant_id) FROM tenancy_apikey")
        assert cursor.fetchone() == (1, world.other.pk, world.other.pk)


def test_writing_a_row_for_another_tenant_is_refused_by_the_database(world: World) -> None:
    with (
        tenant_context(world.tenant.pk),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        ApiKey.unscoped.create(
            tenant=world.other, key_id="zzzzzzzzzzzz", name="x", secret_hash="0" * 64, scopes=["read"]
        )


def test_updates_cannot_reach_another_tenants_rows(world: World) -> None:
    with tenant_context(world.tenant.pk):
        changed = ApiKey.unscoped.filter(tenant=world.other).update(name="hijacked")
    assert changed == 0


def test_scoped_manager_fails_closed_without_a_tenant() -> None:
    with pytest.raises(TenantContextMissing):
        list(ApiKey.objects.all())


def test_base_viewset_refuses_a_get_queryset_override() -> None:
    with pytest.raises(TypeError, match="safely_get_queryset"):

        class Sneaky(TenantScopedViewSet):
            def get_queryset(self):  # type: ignore[no-untyped-def,override]
                return ApiKey.unscoped.all()
