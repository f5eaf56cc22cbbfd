from __future__ import annotations

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    """Tenants, memberships and roles, API keys, tiers and rate limits, the audit trail,
    and the isolation machinery (scoped managers, base viewset, row-level security)."""

    name = "backend.tenancy"
    label = "tenancy"

    def ready(self) -> None:
        from backend.tenancy import (
            schema,  # noqa: F401 - registers the authenticators with the OpenAPI generator
            signals,  # noqa: F401 - seeds tiers after migrate
        )
