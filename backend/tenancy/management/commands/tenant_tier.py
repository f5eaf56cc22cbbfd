"""`manage.py tenant_tier <tenant slug> [tier code]`: show or set a tenant's tier.

The operator's way to move a tenant between plans when billing is disabled (or to grant one
by hand), the same change the admin console makes: audited, and the tier cache is dropped by
the Tenant save signal so rate limits and quotas follow at once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from backend.tenancy.audit import record
from backend.tenancy.models import Tenant, Tier


class Command(BaseCommand):
    help = "Show a tenant's tier, or set it: manage.py tenant_tier <slug> [free|pro|enterprise|...]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant", help="the tenant's slug")
        parser.add_argument("tier", nargs="?", help="a tier code to move the tenant to")

    def handle(self, *args: Any, tenant: str, tier: str | None, **options: Any) -> None:
        found = Tenant.objects.select_related("tier").filter(slug=tenant).first()
        if found is None:
            raise CommandError(f"no tenant with the slug {tenant!r}")
        if tier is None:
            self.stdout.write(f"{found.slug}: {found.tier.code}")
            return
        target = Tier.objects.filter(code=tier).first()
        if target is None:
            known = ", ".join(Tier.objects.order_by("requests_per_minute").values_list("code", flat=True))
            raise CommandError(f"no tier {tier!r}; tiers: {known}")
        previous = found.tier.code
        with transaction.atomic():
            found.tier = target
            found.save(update_fields=["tier"])
            record(
                "tenant.tier_changed",
                tenant_id=found.pk,
                actor_label="manage.py tenant_tier",
                target=found.slug,
                data={"from": previous, "to": target.code},
            )
        self.stdout.write(f"{found.slug}: {previous} -> {target.code}")
