"""Three people and two tenants, as healthchecks' tests have them: an owner, a teammate,
and a stranger (owner of another tenant) who must see nothing of the first."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework.test import APIClient

from backend.identity.models import User
from backend.tenancy import services
from backend.tenancy.context import tenant_context
from backend.tenancy.models import ApiKey, Membership, Role, Tenant

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    owner: User
    teammate: User
    stranger: User
    tenant: Tenant
    other: Tenant
    admin_key: str
    read_key: str
    other_key: str
    admin_key_row: ApiKey

    def client_for_key(self, key: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    def client_for_user(self, user: User, tenant: Tenant | None = None) -> APIClient:
        client = APIClient()
        assert client.login(username=user.email, password=PASSWORD)
        if tenant is not None:
            client.credentials(HTTP_X_TENANT=str(tenant.pk))
        return client


def make_key(tenant: Tenant, user: User, scopes: list[str], name: str = "k") -> tuple[ApiKey, str]:
    with tenant_context(tenant.pk):
        return services.api_key_create(
            tenant_id=tenant.pk,
            name=name,
            scopes=scopes,
            expires_at=None,
            created_by_id=user.pk,
            actor_label=user.email,
            ip=None,
        )


def build_world() -> World:
    owner = User.objects.create_user(email="owner@a.test", password=PASSWORD, full_name="Owner A")
    teammate = User.objects.create_user(email="teammate@a.test", password=PASSWORD, full_name="Teammate A")
    stranger = User.objects.create_user(email="stranger@b.test", password=PASSWORD, full_name="Stranger B")
    tenant = services.tenant_create(name="Alpha Fund", owner=owner)
    other = services.tenant_create(name="Beta Fund", owner=stranger)
    with tenant_context(tenant.pk):
        Membership.objects.create(tenant=tenant, user=teammate, role=Role.VIEWER)
    admin_row, admin_key = make_key(tenant, owner, ["read", "trade", "admin"], "admin")
    _, read_key = make_key(tenant, owner, ["read"], "read")
    _, other_key = make_key(other, stranger, ["read", "trade", "admin"], "other")
    return World(owner, teammate, stranger, tenant, other, admin_key, read_key, other_key, admin_row)
