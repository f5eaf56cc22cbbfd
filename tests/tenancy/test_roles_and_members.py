from __future__ import annotations

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from backend.ops.errors import ApiError
from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import AuditEvent, Membership
from backend.tenancy.quotas import check_quota
from tests.tenancy.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_viewer_reads_but_cannot_manage_keys_or_members(world: World) -> None:
    viewer = world.client_for_user(world.teammate, world.tenant)
    assert viewer.get("/api/v1/members").status_code == 200
    response = viewer.post("/api/v1/api-keys", {"name": "x", "scopes": ["read"]}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "role_required"
    member = next(m for m in viewer.get("/api/v1/members").json() if m["email"] == "owner@a.test")
    assert viewer.patch(f"/api/v1/members/{member['id']}", {"role": "viewer"}, format="json").status_code == 403
    assert viewer.get("/api/v1/audit-log").status_code == 403


def test_only_owners_change_roles_and_the_last_owner_stays(world: World) -> None:
    owner = world.client_for_user(world.owner, world.tenant)
    members = {m["email"]: m["id"] for m in owner.get("/api/v1/members").json()}
    promoted = owner.patch(f"/api/v1/members/{members['teammate@a.test']}", {"role": "admin"}, format="json")
    assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
    # An admin still cannot manage members.
    admin = world.client_for_user(world.teammate, world.tenant)
    assert (
        admin.patch(f"/api/v1/members/{members['owner@a.test']}", {"role": "viewer"}, format="json").status_code == 403
    )
    last = owner.patch(f"/api/v1/members/{members['owner@a.test']}", {"role": "viewer"}, format="json")
    assert last.status_code == 409 and last.json()["error"]["code"] == "last_owner"
    bad = owner.patch(f"/api/v1/members/{members['teammate@a.test']}", {"role": "god"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_input"


def test_invitation_by_email_then_acceptance_makes_a_member(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    owner = world.client_for_user(world.owner, world.tenant)
    with django_capture_on_commit_callbacks(execute=True):
        created = owner.post("/api/v1/invitations", {"email": "newbie@c.test", "role": "trader"}, format="json")
    assert created.status_code == 201, created.content
    [message] = mail.outbox
    assert message.to == ["newbie@c.test"]
    token = re.search(r"token:\n(\S+)", message.body).group(1)  # type: ignore[union-attr]
    newbie = APIClient()
    signup = newbie.post("/api/v1/auth/signup", {"email": "newbie@c.test", "password": PASSWORD}, format="json")
    assert signup.status_code == 201
    accepted = newbie.post("/api/v1/invitations/accept", {"token": token}, format="json")
    assert accepted.status_code == 201 and accepted.json()["role"] == "trader"
    again = newbie.post("/api/v1/invitations/accept", {"token": token}, format="json")
    assert again.status_code == 404 and again.json()["error"]["code"] == "invitation_invalid"
    tenants = {t["id"]: t["role"] for t in newbie.get("/api/v1/tenants").json()}
    assert tenants[world.tenant.pk] == "trader"


def test_an_invitation_for_someone_else_cannot_be_accepted(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    owner = world.client_for_user(world.owner, world.tenant)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post("/api/v1/invitations", {"email": "alice@c.test", "role": "viewer"}, format="json")
    token = re.search(r"token:\n(\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    thief = world.client_for_user(world.stranger)
    response = thief.post("/api/v1/invitations/accept", {"token": token}, format="json")
    assert response.status_code == 404
    with dangerously_bypass_rls():
        assert not Membership.unscoped.filter(user=world.stranger, tenant=world.tenant).exists()


def test_active_tenant_from_header_and_unknown_tenants_are_404(world: World) -> None:
    stranger = world.client_for_user(world.stranger)
    assert stranger.get("/api/v1/members").status_code == 200  # the one tenant is implied
    stranger.credentials(HTTP_X_TENANT=str(world.tenant.pk))
    response = stranger.get("/api/v1/members")
    assert response.status_code == 404 and response.json()["error"]["code"] == "tenant_not_found"
    stranger.credentials(HTTP_X_TENANT="no-such-tenant")
    assert stranger.get("/api/v1/members").json() == response.json()
    stranger.credentials(HTTP_X_TENANT=world.other.slug)
    assert stranger.get("/api/v1/members").status_code == 200


def test_a_user_with_several_tenants_must_choose_one(world: World) -> None:
    owner = world.client_for_user(world.owner)
    owner.post("/api/v1/tenants", {"name": "Second Fund"}, format="json")
    response = owner.get("/api/v1/members")
    assert response.status_code == 400 and response.json()["error"]["code"] == "tenant_required"
    assert owner.post(f"/api/v1/tenants/{world.tenant.pk}/activate").status_code == 200
    assert owner.get("/api/v1/members").status_code == 200
    assert owner.get(f"/api/v1/tenants/{world.other.pk}").status_code == 404


def test_audit_log_records_security_events_for_admins(world: World) -> None:
    owner = world.client_for_user(world.owner, world.tenant)
    owner.post("/api/v1/api-keys", {"name": "audited", "scopes": ["read"]}, format="json", REMOTE_ADDR="198.51.100.4")
    events = owner.get("/api/v1/audit-log").json()
    created = next(e for e in events if e["action"] == "api_key.created" and e["data"]["name"] == "audited")
    assert created["actor_label"] == "owner@a.test" and created["ip"] == "198.51.100.4"
    assert {"tenant.created", "api_key.created"} <= {e["action"] for e in events}
    with dangerously_bypass_rls():
        assert not AuditEvent.unscoped.filter(
            tenant=world.other, action="api_key.created", data__name="audited"
        ).exists()


def test_quota_check_names_the_quota_and_tier(world: World) -> None:
    check_quota(tenant_id=world.tenant.pk, quota="alert_rules", used=0)
    with pytest.raises(ApiError) as info:
        check_quota(tenant_id=world.tenant.pk, quota="webhook_endpoints", used=1)
    assert info.value.status_code == 403
    assert info.value.extra == {"quota": "webhook_endpoints", "limit": 1, "used": 1, "tier": "free"}
