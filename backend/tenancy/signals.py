from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from backend.tenancy.models import Tenant, Tier
from backend.tenancy.tiers import forget_tenant, forget_tier


@receiver(post_migrate)
def seed_tiers(sender: Any, **kwargs: Any) -> None:
    """Create the tiers named in config that do not exist yet; edits made in the admin stay."""
    if getattr(sender, "label", None) != "tenancy":
        return
    for code, limits in settings.CONFIG.tiers.items():
        Tier.objects.get_or_create(code=code, defaults=limits.model_dump())


@receiver(post_save, sender=Tier)
def tier_limits_changed(sender: Any, instance: Tier, **kwargs: Any) -> None:
    transaction.on_commit(lambda: forget_tier(instance))
    forget_tier(instance)


@receiver(post_save, sender=Tenant)
def tenant_changed(sender: Any, instance: Tenant, **kwargs: Any) -> None:
    transaction.on_commit(lambda: forget_tenant(instance.pk))
    forget_tenant(instance.pk)
