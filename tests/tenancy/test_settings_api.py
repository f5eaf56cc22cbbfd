"""What the Settings screens need of the API: the audit log's keyset pages and action filter,
the invitation preview (signed out, by token) and the accept link in the email."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from backend.tenancy import audit
from tests.tenancy.world import PASSWORD, World

pytestmark = pytest.mark.django_db


def _events(world: World, n: int, action: str = "test.event") -> None:
    for i in range(n):
        audit.record(action, tenant_id=world.tenant.pk, actor_label="t", target=f"{action}-{i}")


def test_audit_log_pages_with_before_and_limit(world: World) -> None:
    _events(world, 7)
    client = world.client_for_user(world.owner, world.tenant)
    everything = [e["id"] for e in client.get("/api/v1/audit-log?limit=500").json()]
    first = client.get("/api/v1/audit-log?limit=3")
    assert first.status_code == 200
    ids = [e["id"] for e in first.json()]
    assert ids == everything[:3]
    assert "before=" in first["Link"]
    seen = list(ids)
    while True:
        page = client.get(f"/api/v1/audit-log?limit=3&before={seen[-1]}")
        got = [e["id"] for e in page.json()]
        seen += got
        if "Link" not in page:
            break
    assert seen == everything  # newest first, no gaps, no repeats
    assert client.get("/api/v1/audit-log?before=abc").json()["error"]["code"] == "invalid_input"


def test_audit_log_before_of_another_tenant_is_refused(world: World) -> None:
    audit.record("test.event", tenant_id=world.other.pk, actor_label="x")
    stranger = world.client_for_user(world.stranger, world.other)
    theirs = stranger.get("/api/v1/audit-log").json()[0]["id"]
    client = world.client_for_user(world.owner, world.tenant)
    response = client.get(f"/api/v1/audit-log?before={theirs}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_input"


def test_audit_log_filters_by_action_and_lists_actions(world: World) -> None:
    _events(world, 2, "alpha.thing")
    _events(world, 3, "beta.thing")
    audit.record("gamma.other_tenant", tenant_id=world.other.pk, actor_label="x")
    client = world.client_for_user(world.owner, world.tenant)
    beta = client.get("/api/v1/audit-log?action=beta.thing").json()
    assert len(beta) == 3 and {e["action"] for e in beta} == {"beta.thing"}
    actions = client.get("/api/v1/audit-log/actions").json()
    assert "alpha.thing" in actions and "beta.thing" in actions and "api_key.created" in actions
    assert "gamma.other_tenant" not in actions
    assert actions == sorted(actions)
    viewer = world.client_for_user(world.teammate, world.tenant)
    assert viewer.get("/api/v1/audit-log/actions").status_code == 403


def test_invitation_email_links_to_the_accept_screen_and_the_preview_works_signed_out(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    owner = world.client_for_user(world.owner, world.tenant)
    with django_capture_on_commit_callbacks(execute=True):
        created = owner.post("/api/v1/invitations", {"email": "Ana@C.test", "role": "trader"}, format="json")
    assert created.status_code == 201
    [message] = mail.outbox
    link = re.search(r"(http\S+/invitations/accept\?token=(\S+))", message.body)
    assert link is not None, message.body
    token = link.group(2)
    anonymous = APIClient()
    preview = anonymous.get("/api/v1/invitations/accept", {"token": token})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["tenant_name"] == "Alpha Fund" and body["role"] == "trader" and body["email"] == "ana@c.test"
    assert body["tenant_id"] == world.tenant.pk
    bad = anonymous.get("/api/v1/invitations/accept", {"token": "nope"})
    assert bad.status_code == 404 and bad.json()["error"]["code"] == "invitation_invalid"
    assert anonymous.get("/api/v1/invitations/accept").status_code == 404
    # Accepting still needs the invitee signed in; afterwards the preview no longer answers.
    assert anonymous.post("/api/v1/invitations/accept", {"token": token}, format="json").status_code in (401, 403)
    ana = APIClient()
    signup = ana.post("/api/v1/auth/signup", {"email": "ana@c.test", "password": PASSWORD}, format="json")
    assert signup.status_code == 201
    assert ana.post("/api/v1/invitations/accept", {"token": token}, format="json").status_code == 201
    assert anonymous.get("/api/v1/invitations/accept", {"token": token}).status_code == 404


def _walk_pages(client: APIClient, url: str) -> list[int]:
    seen: list[int] = []
    page = client.get(url)
    while True:
        assert page.status_code == 200, page.content
        seen += [row["id"] for row in page.json()]
        if "Link" not in page:
            return seen
        page = client.get(f"{url}&before={seen[-1]}")


def test_api_keys_list_in_keyset_pages(world: World) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    for i in range(4):
        assert client.post("/api/v1/api-keys", {"name": f"k{i}", "scopes": ["read"]}, format="json").status_code == 201
    everything = [k["id"] for k in client.get("/api/v1/api-keys").json()]
    assert everything == sorted(everything, reverse=True) and len(everything) == 6  # + the world's two
    assert _walk_pages(client, "/api/v1/api-keys?limit=4") == everything
    assert len(client.get("/api/v1/api-keys?limit=4").json()) == 4


def test_invitations_filter_pending_and_page(world: World) -> None:
    client = world.client_for_user(world.owner, world.tenant)
    for i in range(3):
        response = client.post("/api/v1/invitations", {"email": f"p{i}@c.test", "role": "viewer"}, format="json")
        assert response.status_code == 201
    pending = client.get("/api/v1/invitations?status=pending").json()
    assert [i["email"] for i in pending] == ["p2@c.test", "p1@c.test", "p0@c.test"]
    assert client.get("/api/v1/invitations?status=accepted").json() == []
    assert len(_walk_pages(client, "/api/v1/invitations?status=pending&limit=2")) == 3
    bad = client.get("/api/v1/invitations?status=nope")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_input"
