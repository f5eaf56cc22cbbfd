from __future__ import annotations

from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "backend.marketplace"
    label = "marketplace"
    default_auto_field = "django.db.models.BigAutoField"
