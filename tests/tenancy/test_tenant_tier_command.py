"""`manage.py tenant_tier`: an operator moves a tenant between tiers; limits follow at once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from backend.tenancy.context import tenant_context
from backend.tenancy.models import AuditEvent, Tenant
from backend.tenancy.tiers import tier_of
from tests.tenancy.world import World

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("tenant_tier", *args, stdout=out)
    return out.getvalue().strip()


def test_shows_and_sets_the_tier_with_an_audit_entry_and_fresh_limits(world: World) -> None:
    slug = world.tenant.slug
    before = world.tenant.tier.code
    assert run(slug) == f"{slug}: {before}"
    old_limit = tier_of(world.tenant.pk).requests_per_minute  # now cached
    assert run(slug, "enterprise") == f"{slug}: {before} -> enterprise"
    assert Tenant.objects.get(pk=world.tenant.pk).tier.code == "enterprise"
    assert tier_of(world.tenant.pk).requests_per_minute > old_limit  # the cache was dropped
    with tenant_context(world.tenant.pk):
        event = AuditEvent.objects.filter(tenant_id=world.tenant.pk, action="tenant.tier_changed").get()
    assert event.data == {"from": before, "to": "enterprise"}


def test_unknown_tenant_or_tier_is_refused_and_changes_nothing(world: World) -> None:
    with pytest.raises(CommandError, match="no tenant with the slug 'nope'"):
        run("nope", "pro")
    with pytest.raises(CommandError, match="no tier 'platinum'; tiers: free, pro, enterprise"):
        run(world.tenant.slug, "platinum")
    assert Tenant.objects.get(pk=world.tenant.pk).tier.code == world.tenant.tier.code
