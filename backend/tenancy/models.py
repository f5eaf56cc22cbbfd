from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from backend.tenancy.context import TenantContextMissing, current_tenant_id


class Role(models.TextChoices):
    OWNER = "owner"
    ADMIN = "admin"
    TRADER = "trader"
    VIEWER = "viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.TRADER: 1, Role.ADMIN: 2, Role.OWNER: 3}


class Scope(models.TextChoices):
    READ = "read"
    TRADE = "trade"
    ADMIN = "admin"


class Tier(models.Model):
    """A plan's limits. Rows are seeded from config (tiers:) and editable in the admin."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    requests_per_minute = models.PositiveIntegerField()
    requests_per_day = models.PositiveIntegerField()
    websocket_connections = models.PositiveIntegerField()
    paper_accounts = models.PositiveIntegerField()
    live_deployments = models.PositiveIntegerField()
    alert_rules = models.PositiveIntegerField()
    webhook_endpoints = models.PositiveIntegerField()
    backtests_per_day = models.PositiveIntegerField()
    history_days = models.PositiveIntegerField()

    QUOTA_FIELDS = (
        "websocket_connections",
        "paper_accounts",
        "live_deployments",
        "alert_rules",
        "webhook_endpoints",
        "backtests_per_day",
        "history_days",
    )

    def __str__(self) -> str:
        return self.name


class Tenant(models.Model):
    """A customer organization. Everything a customer owns hangs off one tenant."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=64, unique=True)
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="tenants")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class TenantScopedManager(models.Manager[Any]):
    """Fails closed: refuses to build a query when no tenant is in context."""

    def get_queryset(self) -> models.QuerySet[Any]:
        tenant_id = current_tenant_id()
        if tenant_id is None:
            raise TenantContextMissing(
                f"{self.model.__name__} is tenant-owned: query it inside tenant_context(), "
                "or use dangerously_unscoped() in staff/system code"
            )
        return super().get_queryset().filter(tenant_id=tenant_id)

    def dangerously_unscoped(self) -> models.QuerySet[Any]:
        """Every tenant's rows (row-level security still applies at the database)."""
        return super().get_queryset()


class TenantOwned(models.Model):
    """Base of every tenant-owned model: tenant key + the fail-closed manager.

    Its table must also get row-level security in its migration (tenancy.rls.enable_rls);
    tests/tenancy/test_isolation.py checks that every subclass's table has it.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")

    objects = TenantScopedManager()

    class Meta:
        abstract = True
        # Django's own machinery (admin, forms, unique checks, cascades) uses a plain
        # manager; application code uses `objects`. Row-level security guards both.
        base_manager_name = "unscoped"
        default_manager_name = "unscoped"


class Membership(TenantOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user.email} in tenant {self.tenant_id} ({self.role})"


class Invitation(TenantOwned):
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        pass

    def __str__(self) -> str:
        return f"invitation {self.email} -> {self.tenant_id}"


class ApiKey(TenantOwned):
    """`qt_live_<key_id>_<secret>`: the key id is public, only SHA-256 of the secret is kept."""

    key_id = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    secret_hash = models.CharField(max_length=64)
    scopes = ArrayField(models.CharField(max_length=16, choices=Scope.choices))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        pass

    @property
    def prefix(self) -> str:
        return f"qt_live_{self.key_id}"

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})"


class AuditEvent(models.Model):
    """A security-relevant event. tenant is null for events outside any tenant
    (e.g. a failed login for an unknown email), visible to staff only."""

    # No FK constraint and no cascade: the audit trail is append-only history and must
    # outlive the tenant it describes.
    tenant = models.ForeignKey(Tenant, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+")
    action = models.CharField(max_length=64)
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_api_key = models.ForeignKey(ApiKey, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(max_length=200)
    target = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TenantScopedManager()
    unscoped = models.Manager()

    class Meta:
        base_manager_name = "unscoped"
        default_manager_name = "unscoped"
        indexes = [models.Index(fields=["tenant", "-created_at"], name="audit_tenant_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} by {self.actor_label}"
