"""Writes of the strategies app: module uploads, deployment lifecycle (API side) and runner state.

API-side functions run inside the request's tenant context; the runner's (`runner_*`) act for
every tenant of their partition and so bypass row-level security explicitly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from backend.engine.sandbox import parse_manifest, validate_module
from backend.ops.errors import ApiError
from backend.strategies import validation
from backend.strategies.models import Deployment, DeploymentStatus, Signal, StrategyModule
from backend.strategies.sandbox import UnknownTier, sandbox_for, validation_bars
from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import Tenant
from backend.tenancy.quotas import check_quota

_LOCK_SPACE = 0x44455053  # "DEPS": per-tenant lock serializing the running-deployments quota


def tenant_tier(tenant_id: int) -> str:
    with dangerously_bypass_rls():
        return str(Tenant.objects.filter(pk=tenant_id).values_list("tier__code", flat=True).first() or "")


def sandbox_tier(tenant_id: int) -> str:
    """The tenant's tier when the sandbox has limits for it, else the first (most restrictive) tier."""
    from django.conf import settings

    tier = tenant_tier(tenant_id)
    return tier if tier in settings.CONFIG.sandbox.tiers else next(iter(settings.CONFIG.sandbox.tiers))


# == modules ===================================================================================
def module_upload(*, tenant_id: int, user_id: int | None, wasm: bytes, manifest: object) -> tuple[StrategyModule, bool]:
    """Validate and store a module; (row, created). The same bytes uploaded again return the stored row."""
    digest = hashlib.sha256(wasm).hexdigest()
    existing = StrategyModule.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    try:
        sandbox = sandbox_for(sandbox_tier(tenant_id))
    except UnknownTier as exc:  # config without tiers: a deployment problem, not the caller's
        raise ApiError(code="sandbox_unavailable", message=str(exc), status_code=503) from None
    report = validate_module(wasm, manifest, sandbox, n_bars=validation_bars())
    if not report.accepted:
        raise ApiError(
            code=report.code,
            message=f"The module was rejected: {report.message}",
            status_code=400,
            detail={"validation": report.as_dict()},
        )
    parsed = parse_manifest(manifest)
    row = StrategyModule.objects.create(
        tenant_id=tenant_id,
        name=parsed.name,
        version=parsed.version,
        description=parsed.description,
        manifest=parsed.as_dict(),
        sha256=digest,
        size=len(wasm),
        wasm=wasm,
        validation=report.as_dict(),
        created_by_id=user_id,
    )
    return row, True


# == deployments (API) =========================================================================
def _lock_quota(tenant_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_SPACE, tenant_id])
    used = Deployment.objects.filter(tenant_id=tenant_id, status=DeploymentStatus.RUNNING).count()
    check_quota(tenant_id=tenant_id, quota="live_deployments", used=used)


def deployment_create(*, tenant_id: int, user_id: int | None, data: dict[str, Any]) -> Deployment:
    exchange, symbol, interval, account = validation.market(data)
    members = validation.members(data, interval)
    sizing, sizing_params = validation.sizing(data)
    name = data.get("name") or members[0]["name"]
    if not isinstance(name, str) or len(name) > 100:
        raise validation.bad("invalid_name", "name must be a string of at most 100 characters", "name")
    start = data.get("start", True)
    if not isinstance(start, bool):
        raise validation.bad("invalid_input", "start must be true or false", "start")
    with transaction.atomic():
        if start:
            _lock_quota(tenant_id)
        now = timezone.now()
        return Deployment.objects.create(  # type: ignore[no-any-return]
            tenant_id=tenant_id,
            name=name,
            members=members,
            exchange=exchange,
            symbol=symbol,
            interval=interval,
            account=account,
            sizing=sizing,
            sizing_params=sizing_params,
            stop_loss=validation.fraction(data, "stop_loss", 1.0),
            take_profit=validation.fraction(data, "take_profit"),
            max_drawdown=validation.fraction(data, "max_drawdown", 1.0),
            status=DeploymentStatus.RUNNING if start else DeploymentStatus.PAUSED,
            started_at=now if start else None,
            created_by_id=user_id,
            created_at=now,
            updated_at=now,
        )


UPDATABLE = {"name", "sizing", "sizing_params", "stop_loss", "take_profit", "max_drawdown"}


def deployment_update(deployment: Deployment, data: dict[str, Any]) -> Deployment:
    unknown = sorted(set(data) - UPDATABLE)
    if unknown:
        raise validation.bad(
            "immutable_field",
            f"{unknown[0]} cannot be changed; create a new deployment (changeable: {', '.join(sorted(UPDATABLE))})",
            unknown[0],
        )
    if "name" in data:
        if not isinstance(data["name"], str) or not 0 < len(data["name"]) <= 100:
            raise validation.bad("invalid_name", "name must be a string of 1..100 characters", "name")
        deployment.name = data["name"]
    if "sizing" in data or "sizing_params" in data:
        merged = {"sizing": data.get("sizing", deployment.sizing), "sizing_params": data.get("sizing_params", {})}
        deployment.sizing, deployment.sizing_params = validation.sizing(merged)
    for stop, hi in (("stop_loss", 1.0), ("take_profit", 10.0), ("max_drawdown", 1.0)):
        if stop in data:
            setattr(deployment, stop, validation.fraction(data, stop, hi))
    deployment.config_version = F("config_version") + 1
    deployment.updated_at = timezone.now()
    deployment.save()
    deployment.refresh_from_db()
    return deployment


def deployment_set_status(deployment: Deployment, action: str) -> Deployment:
    """start (running; quota), pause (keeps the position), stop (the runner flattens the position)."""
    target = {"start": DeploymentStatus.RUNNING, "pause": DeploymentStatus.PAUSED, "stop": DeploymentStatus.STOPPED}[
        action
    ]
    if deployment.status == target:
        return deployment
    if target == DeploymentStatus.RUNNING:
        validation.check_entitlements(deployment.members)  # a marketplace strategy needs a live subscription
        _lock_quota(deployment.tenant_id)
        deployment.error_code, deployment.error_message, deployment.error_at = "", "", None
        deployment.started_at = timezone.now()
    deployment.status = target
    deployment.config_version = F("config_version") + 1
    deployment.updated_at = timezone.now()
    deployment.save()
    deployment.refresh_from_db()
    return deployment


def deployment_delete(deployment: Deployment) -> None:
    if deployment.status == DeploymentStatus.RUNNING or deployment.position_qty:
        raise ApiError(
            code="deployment_active",
            message="Stop the deployment (its position is closed by the runner) before deleting it.",
            status_code=409,
        )
    deployment.delete()


def pause_matching(*, members_contains: list[dict[str, Any]], code: str, message: str,
                   tenant_id: int | None = None) -> int:  # fmt: skip
    """*system* (marketplace: a yanked version, a lapsed subscription): pause the running deployments
    whose members contain this, with a notice in error_code/error_message. Nothing is deleted."""
    now = timezone.now()
    with dangerously_bypass_rls():
        qs = Deployment.unscoped.filter(status=DeploymentStatus.RUNNING, members__contains=members_contains)
        if tenant_id is not None:
            qs = qs.filter(tenant_id=tenant_id)
        return int(
            qs.update(
                status=DeploymentStatus.PAUSED,
                error_code=code,
                error_message=message,
                error_at=now,
                config_version=F("config_version") + 1,
                updated_at=now,
            )
        )


# == the runner (every tenant of its partition) ================================================
@dataclass(frozen=True)
class RunnerState:
    deployment_id: int
    target: float | None
    position: Decimal
    entry_price: Decimal | None
    peak_equity: Decimal | None
    last_bar_ms: int
    latched: float | None = None


def runner_save(states: list[RunnerState], signals: list[Signal]) -> None:
    """Deployment state and its new signals, one transaction."""
    with dangerously_bypass_rls(), transaction.atomic():
        for s in states:
            Deployment.unscoped.filter(pk=s.deployment_id).update(
                target_exposure=s.target,
                position_qty=s.position,
                entry_price=s.entry_price,
                peak_equity=s.peak_equity,
                last_bar_ms=s.last_bar_ms,
                stop_latch=s.latched,
            )
        if signals:
            Signal.unscoped.bulk_create(signals, ignore_conflicts=True)


def runner_fail(deployment_id: int, *, status: str, code: str, message: str) -> None:
    """Take a deployment out of running (errored by its module, or stopped by its drawdown limit)."""
    with dangerously_bypass_rls():
        Deployment.unscoped.filter(pk=deployment_id, status=DeploymentStatus.RUNNING).update(
            status=status,
            error_code=code,
            error_message=message[:2000],
            error_at=timezone.now(),
            config_version=F("config_version") + 1,
            updated_at=timezone.now(),
        )
