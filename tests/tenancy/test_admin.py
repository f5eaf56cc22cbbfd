"""The operations console: staff see every tenant, changes go through the services, and
every staff change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from backend.identity.models import User
from backend.tenancy import apikeys, services, tiers
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import ApiKey, AuditEvent, Invitation, Membership, Role, Tenant, Tier
from backend.tenancy.principal import Principal

pytestmark = pytest.mark.django_db

STAFF_EMAIL = "ops@quant.test"


@dataclass
class Customer:
    owner: User
    tenant: Tenant
    key: ApiKey
    raw_key: str
    invitation: Invitation


def _customer(name: str) -> Customer:
    owner = User.objects.create_user(email=f"owner@{name.lower()}.test", password="pw-" * 8)
    tenant = services.tenant_create(name=name, owner=owner)
    with tenant_context(tenant.pk):
        key, raw = services.api_key_create(
            tenant_id=tenant.pk,
            name=f"{name} bot",
            scopes=["read"],
            expires_at=None,
            created_by_id=owner.pk,
            actor_label="t",
            ip=None,
        )
        invitation, _ = services.invitation_create(
            tenant_id=tenant.pk,
            email=f"invitee@{name.lower()}.test",
            role=Role.VIEWER,
            principal=Principal(user_id=owner.pk, tenant_id=tenant.pk, role=Role.OWNER),
            ip=None,
        )
    return Customer(owner=owner, tenant=tenant, key=key, raw_key=raw, invitation=invitation)


@pytest.fixture
def staff() -> User:
    return User.objects.create_superuser(email=STAFF_EMAIL, password="staff-" * 4)


@pytest.fixture
def client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def acme() -> Customer:
    return _customer("Acme")


@pytest.fixture
def globex() -> Customer:
    return _customer("Globex")


def _events(**filters: Any) -> list[AuditEvent]:
    with dangerously_bypass_rls():
        return list(AuditEvent.unscoped.filter(**filters).order_by("pk"))


def _form_data(response: Any) -> dict[str, Any]:
    """What the browser would post back for an admin change form, unchanged."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def _change_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_index_lists_the_models(client: Client) -> None:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    for name in ("Tenants", "Tiers", "Memberships", "Api keys", "Invitations", "Audit events", "Users"):
        assert name in response.content.decode()


@pytest.mark.parametrize(
    ("model", "shows"),
    [
        ("tenancy_tenant", lambda c: c.tenant.name),
        ("tenancy_membership", lambda c: c.owner.email),
        ("tenancy_apikey", lambda c: c.key.prefix),
        ("tenancy_invitation", lambda c: c.invitation.email),
        ("tenancy_auditevent", lambda c: str(c.tenant)),
        ("identity_user", lambda c: c.owner.email),
    ],
)
def test_changelists_show_every_tenant(
    client: Client, acme: Customer, globex: Customer, model: str, shows: Any
) -> None:
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert shows(acme) in page
    assert shows(globex) in page


def test_tier_changelist_lists_the_seeded_tiers(client: Client) -> None:
    response = client.get(reverse("admin:tenancy_tier_changelist"))
    assert response.status_code == 200
    for tier in Tier.objects.all():
        assert tier.name in response.content.decode()


def test_change_pages_answer(client: Client, acme: Customer, staff: User) -> None:
    with dangerously_bypass_rls():
        membership = Membership.unscoped.get(tenant=acme.tenant)
        event = AuditEvent.unscoped.filter(tenant=acme.tenant).first()
    for obj in (acme.tenant, acme.tenant.tier, membership, acme.key, acme.invitation, event, acme.owner, staff):
        assert client.get(_change_url(obj)).status_code == 200, obj


def test_tenant_changelist_counts_members_and_active_keys(client: Client, acme: Customer, globex: Customer) -> None:
    with tenant_context(acme.tenant.pk):
        services.api_key_revoke(api_key=acme.key, actor_label="t", actor_user_id=None, ip=None)
    response = client.get(reverse("admin:tenancy_tenant_changelist"))
    counts = {t.pk: (t.member_count, t.active_key_count) for t in response.context["cl"].result_list}
    assert counts[acme.tenant.pk] == (1, 0)
    assert counts[globex.tenant.pk] == (1, 1)


def test_api_key_page_never_shows_the_secret(client: Client, acme: Customer) -> None:
    response = client.get(_change_url(acme.key))
    page = response.content.decode()
    assert response.status_code == 200
    assert acme.key.prefix in page
    assert acme.key.secret_hash not in page
    assert "secret_hash" not in page
    assert apikeys.parse(acme.raw_key)[1] not in page


def test_api_keys_cannot_be_added_or_deleted(client: Client, acme: Customer) -> None:
    assert client.get(reverse("admin:tenancy_apikey_add")).status_code == 403
    assert client.post(reverse("admin:tenancy_apikey_delete", args=[acme.key.pk]), {"post": "yes"}).status_code == 403


def test_revoke_action_revokes_through_the_service(
    client: Client, staff: User, acme: Customer, globex: Customer
) -> None:
    response = client.post(
        reverse("admin:tenancy_apikey_changelist"),
        {"action": "revoke_keys", "_selected_action": [acme.key.pk]},
    )
    assert response.status_code == 302
    with dangerously_bypass_rls():
        assert ApiKey.unscoped.get(pk=acme.key.pk).revoked_at is not None
        assert ApiKey.unscoped.get(pk=globex.key.pk).revoked_at is None
    [event] = _events(action="api_key.revoked")
    assert event.tenant_id == acme.tenant.pk
    assert event.actor_user_id == staff.pk
    assert event.actor_label == f"staff {STAFF_EMAIL}"
    assert event.target == acme.key.prefix
    assert event.ip == "127.0.0.1"


def test_api_key_rename_is_the_only_edit_and_is_audited(client: Client, staff: User, acme: Customer) -> None:
    url = _change_url(acme.key)
    data = _form_data(client.get(url))
    assert set(data) == {"name"}
    data["name"] = "renamed"
    data["revoked_at"] = "2020-01-01 00:00:00"  # read-only: ignored
    assert client.post(url, data).status_code == 302
    with dangerously_bypass_rls():
        key = ApiKey.unscoped.get(pk=acme.key.pk)
    assert (key.name, key.revoked_at) == ("renamed", None)
    [event] = _events(action="staff.apikey.changed")
    assert (event.tenant_id, event.actor_user_id, event.data) == (acme.tenant.pk, staff.pk, {"fields": ["name"]})


def test_tier_change_goes_through_the_service(client: Client, staff: User, acme: Customer) -> None:
    old_tier = acme.tenant.tier
    new_tier = Tier.objects.exclude(pk=old_tier.pk).order_by("pk").first()
    assert new_tier is not None
    url = _change_url(acme.tenant)
    data = _form_data(client.get(url))
    data["tier"] = new_tier.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors

    acme.tenant.refresh_from_db()
    assert acme.tenant.tier_id == new_tier.pk
    [event] = _events(action="tier.changed")
    assert event.tenant_id == acme.tenant.pk
    assert event.actor_user_id == staff.pk
    assert event.actor_label == f"staff {STAFF_EMAIL}"
    assert event.data == {"from": old_tier.code, "to": new_tier.code}
    [staff_event] = _events(action="staff.tenant.changed")
    assert staff_event.data == {"fields": ["tier"]}
    assert staff_event.tenant_id == acme.tenant.pk


def test_tenant_edit_without_tier_change_writes_no_tier_event(client: Client, acme: Customer) -> None:
    url = _change_url(acme.tenant)
    data = _form_data(client.get(url))
    data["name"] = "Acme Renamed"
    data["is_active"] = False
    assert client.post(url, data).status_code == 302
    acme.tenant.refresh_from_db()
    assert (acme.tenant.name, acme.tenant.is_active) == ("Acme Renamed", False)
    assert _events(action="tier.changed") == []
    [event] = _events(action="staff.tenant.changed")
    assert event.data == {"fields": ["is_active", "name"]}


def test_tenants_cannot_be_added_or_deleted(client: Client, acme: Customer) -> None:
    assert client.get(reverse("admin:tenancy_tenant_add")).status_code == 403
    assert (
        client.post(reverse("admin:tenancy_tenant_delete", args=[acme.tenant.pk]), {"post": "yes"}).status_code == 403
    )
    assert Tenant.objects.filter(pk=acme.tenant.pk).exists()


def test_tier_limit_edit_applies_at_once_and_is_audited(client: Client, staff: User, acme: Customer) -> None:
    tier = acme.tenant.tier
    cached = tiers.tier_of(acme.tenant.pk)
    url = _change_url(tier)
    data = _form_data(client.get(url))
    data["requests_per_minute"] = cached.requests_per_minute + 1
    assert client.post(url, data).status_code == 302
    assert tiers.tier_of(acme.tenant.pk).requests_per_minute == cached.requests_per_minute + 1
    [event] = _events(action="staff.tier.changed")
    assert (event.tenant_id, event.actor_user_id, event.data) == (None, staff.pk, {"fields": ["requests_per_minute"]})


def test_last_owner_cannot_be_demoted_or_deleted(client: Client, acme: Customer) -> None:
    with dangerously_bypass_rls():
        owner = Membership.unscoped.get(tenant=acme.tenant, role=Role.OWNER)
    url = _change_url(owner)
    data = _form_data(client.get(url))
    data["role"] = Role.TRADER
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at least one owner" in response.content.decode()
    assert client.post(reverse("admin:tenancy_membership_delete", args=[owner.pk]), {"post": "yes"}).status_code == 403
    with dangerously_bypass_rls():
        assert Membership.unscoped.get(pk=owner.pk).role == Role.OWNER


def test_membership_added_and_deleted_by_staff_is_audited(client: Client, staff: User, acme: Customer) -> None:
    user = User.objects.create_user(email="new@acme.test", password="pw-" * 8)
    response = client.post(
        reverse("admin:tenancy_membership_add"), {"tenant": acme.tenant.pk, "user": user.pk, "role": Role.TRADER}
    )
    assert response.status_code == 302
    with dangerously_bypass_rls():
        membership = Membership.unscoped.get(tenant=acme.tenant, user=user)
    [added] = _events(action="staff.membership.added")
    assert (added.tenant_id, added.actor_user_id) == (acme.tenant.pk, staff.pk)
    assert added.data == {"fields": ["role", "tenant", "user"]}

    response = client.post(reverse("admin:tenancy_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    with dangerously_bypass_rls():
        assert not Membership.unscoped.filter(pk=membership.pk).exists()
    [deleted] = _events(action="staff.membership.deleted")
    assert (deleted.tenant_id, deleted.target) == (acme.tenant.pk, str(membership))


def test_invitations_are_read_only(client: Client, acme: Customer) -> None:
    url = _change_url(acme.invitation)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert acme.invitation.token_hash not in page
    assert 'name="_save"' not in page
    assert client.post(url, {"email": "evil@x.test"}).status_code == 403
    assert client.get(reverse("admin:tenancy_invitation_add")).status_code == 403


def test_audit_events_are_not_editable(client: Client, acme: Customer) -> None:
    with dangerously_bypass_rls():
        event = AuditEvent.unscoped.filter(tenant=acme.tenant).first()
    url = _change_url(event)
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(url, {"action": "forged", "actor_label": "nobody"}).status_code == 403
    assert client.post(reverse("admin:tenancy_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:tenancy_auditevent_add")).status_code == 403
    with dangerously_bypass_rls():
        assert AuditEvent.unscoped.get(pk=event.pk).action == event.action


@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:tenancy_tenant_changelist", "admin:tenancy_apikey_changelist"]
)
def test_non_staff_are_sent_to_the_login(url_name: str, acme: Customer) -> None:
    client = Client()
    client.force_login(acme.owner)
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert Client().get(url).status_code == 302


def test_staff_create_user_and_set_password_are_audited(client: Client, staff: User) -> None:
    password = "Correct-Horse-Battery-9"
    response = client.post(
        reverse("admin:identity_user_add"),
        {"email": "New.Person@Example.test", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert user.check_password(password)
    [added] = _events(action="staff.user.added")
    assert (added.tenant_id, added.actor_user_id, added.target) == (None, staff.pk, user.email)
    assert added.data == {"fields": ["email", "password"]}

    duplicate = client.post(
        reverse("admin:identity_user_add"),
        {"email": "NEW.person@example.test", "password1": password, "password2": password},
    )
    assert duplicate.status_code == 200
    assert User.objects.filter(email__iexact="new.person@example.test").count() == 1

    new_password = "Another-Horse-Battery-7"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": new_password, "password2": new_password, "usable_password": "true"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    [changed] = _events(action="staff.user.changed")
    assert changed.data == {"fields": ["password"]}


@pytest.mark.django_db
def test_a_tenants_only_owner_cannot_be_deleted_in_the_admin(client) -> None:  # type: ignore[no-untyped-def]
    from backend.identity.models import User
    from backend.tenancy import services

    staff = User.objects.create_superuser(email="ops@qt.test", password="x" * 20)
    owner = User.objects.create_user(email="solo@qt.test", password="x" * 20)
    services.tenant_create(name="Solo Fund", owner=owner)
    client.force_login(staff)
    response = client.post(f"/admin/identity/user/{owner.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=owner.pk).exists()
    bulk = client.post(
        "/admin/identity/user/", {"action": "delete_selected", "_selected_action": [owner.pk], "post": "yes"}
    )
    assert bulk.status_code == 403  # the bulk action checks each object too
    assert User.objects.filter(pk=owner.pk).exists()
