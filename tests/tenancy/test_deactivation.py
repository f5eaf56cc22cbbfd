from __future__ import annotations

import pytest

from tests.tenancy.world import World

pytestmark = pytest.mark.django_db


def test_deactivating_a_tenant_cuts_off_its_keys_and_members_at_once(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    keyed = world.client_for_key(world.read_key)
    assert keyed.get("/api/v1/members").status_code == 200  # tenant state now cached
    with django_capture_on_commit_callbacks(execute=True):
        world.tenant.is_active = False
        world.tenant.save()
    response = keyed.get("/api/v1/members")
    assert response.status_code == 403 and response.json()["error"]["code"] == "tenant_inactive"
    session = world.client_for_user(world.owner, world.tenant)
    assert session.get("/api/v1/members").status_code == 404
    assert world.client_for_key(world.other_key).get("/api/v1/members").status_code == 200
