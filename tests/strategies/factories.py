"""Makers for the strategies app's tenant-owned models (registered in tests/tenancy/factories.MAKERS)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from backend.strategies.models import Deployment, Signal, StrategyModule
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Tenant
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST
from tests.trading.factories import make_paper_account


def make_strategy_module(
    tenant: Tenant, wasm: bytes = SMA_CROSS, manifest: dict[str, Any] | None = None
) -> StrategyModule:
    manifest = manifest or SMA_MANIFEST
    with tenant_context(tenant.pk):
        return StrategyModule.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, name=manifest["name"], version=manifest["version"], manifest=manifest,
            sha256=hashlib.sha256(wasm).hexdigest(), size=len(wasm), wasm=wasm, validation={"accepted": True},
        )  # fmt: skip


def make_deployment(tenant: Tenant) -> Deployment:
    account = make_paper_account(tenant)
    module = make_strategy_module(tenant)
    with tenant_context(tenant.pk):
        return Deployment.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, name="victim", account=account, exchange="sim", symbol="BTC-USDT", interval="1m",
            members=[{"kind": "module", "ref": module.pk, "name": "wat_sma_cross", "version": "1.0.0",
                      "params": {"fast": 10, "slow": 30, "allow_short": 0}, "weight": 1.0}],
            status="paused",
        )  # fmt: skip


def make_signal(tenant: Tenant) -> Signal:
    deployment = make_deployment(tenant)
    with tenant_context(tenant.pk):
        return Signal.objects.create(  # type: ignore[no-any-return]
            tenant=tenant, deployment=deployment, bar_open_ms=0, exposure=1.0, target=1.0, reason="signal"
        )


STRATEGY_MAKERS: dict[type[Any], Callable[[Tenant], Any]] = {
    StrategyModule: make_strategy_module,
    Deployment: make_deployment,
    Signal: make_signal,
}
