"""The audit trail: security-relevant events per tenant, with actor, IP and time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import AuditEvent


def client_ip(request: HttpRequest | Any) -> str | None:
    # Behind a proxy uvicorn's --proxy-headers has already put the client in REMOTE_ADDR.
    meta = getattr(request, "META", {})
    return meta.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    tenant_id: int | None,
    actor_label: str,
    actor_user_id: int | None = None,
    actor_api_key_id: int | None = None,
    ip: str | None = None,
    target: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    # Events may belong to no tenant (a failed login for an unknown email), and are
    # written from contexts acting for another tenant (staff), hence the bypass.
    with dangerously_bypass_rls():
        AuditEvent.unscoped.create(
            tenant_id=tenant_id,
            action=action,
            actor_label=actor_label[:200],
            actor_user_id=actor_user_id,
            actor_api_key_id=actor_api_key_id,
            ip=ip,
            target=target[:200],
            data=data or {},
        )
