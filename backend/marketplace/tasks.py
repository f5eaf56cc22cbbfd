"""A version's validation (the sandbox's validate_module) and platform backtest, as a Celery task."""

from __future__ import annotations

import hashlib

import structlog
from celery import shared_task
from django.conf import settings

from backend.engine.sandbox import SandboxError, validate_module
from backend.marketplace import platform_backtest, services
from backend.marketplace.models import ListingVersion, VersionStatus
from backend.strategies.models import StrategyModule
from backend.strategies.sandbox import sandbox_for, validation_bars
from backend.strategies.services import sandbox_tier
from backend.tenancy.context import tenant_context

log = structlog.get_logger(__name__)


@shared_task(ignore_result=True, queue="backtests", soft_time_limit=max(settings.CELERY_TASK_TIME_LIMIT - 15, 1))
def validate_version(version_id: int, tenant_id: int) -> None:
    with tenant_context(tenant_id):
        row = ListingVersion.objects.filter(pk=version_id).first()
        if row is None or row.status != VersionStatus.VALIDATING:
            return  # gone, or a redelivery of a finished run
        wasm, manifest = bytes(row.upload), row.manifest
    sandbox = sandbox_for(sandbox_tier(tenant_id))
    report = validate_module(wasm, manifest, sandbox, n_bars=validation_bars())
    if not report.accepted:
        services.version_validated(version_id, tenant_id, module_id=None, report=report.as_dict(), backtest=None)
        return
    try:
        backtest = platform_backtest.run(sandbox, wasm, manifest)
    except SandboxError as exc:
        failed = {**report.as_dict(), "accepted": False, "code": exc.code, "message": f"backtest: {exc.message}"}
        services.version_validated(version_id, tenant_id, module_id=None, report=failed, backtest=None)
        return
    with tenant_context(tenant_id):
        # The publisher's own module row holds the bytes from now on (tenant-only RLS).
        digest = hashlib.sha256(wasm).hexdigest()
        module = StrategyModule.objects.filter(sha256=digest).first()
        if module is None:
            module = StrategyModule.objects.create(
                tenant_id=tenant_id, name=row.manifest["name"], version=row.version, manifest=manifest,
                sha256=digest, size=len(wasm), wasm=wasm, validation=report.as_dict(),
            )  # fmt: skip
        services.version_validated(
            version_id, tenant_id, module_id=module.pk, report=report.as_dict(), backtest=backtest
        )
    log.info("marketplace.version_validated", version=version_id, accepted=True)


@shared_task(ignore_result=True)
def lapse_overdue_subscriptions() -> None:
    services.lapse_overdue()
