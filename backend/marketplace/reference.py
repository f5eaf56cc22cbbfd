"""Verified live track records: a platform-owned reference paper deployment of every published version.

When staff publish a version, the platform starts a deployment of it (default parameters) in its
own tenant, the *platform tenant* (`marketplace.reference_tenant_slug`, created on first use, no
members: no user or API key can act in it; only system code reads it, with the RLS bypass), on a
fresh paper account of its own, on the standard market (`marketplace.reference_*`). From then on
it is an ordinary running deployment: `strategy_runner` decides on closed klines and sends market
orders to `paper_engine`, which fills them and samples the account's equity every
`trading.equity_sample_interval_s`. The listing shows those equity samples since publication as
the version's out-of-sample record (`out_of_sample`), apart from the in-sample platform backtest.
The author cannot touch either: both live in rows only the platform writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from backend.engine.backtest.metrics import compute_metrics, downsample, drawdown_series
from backend.engine.sandbox import parse_manifest
from backend.marketplace.models import ListingVersion
from backend.strategies.models import Deployment, DeploymentStatus
from backend.tenancy.context import dangerously_bypass_rls
from backend.tenancy.models import Tenant, Tier
from backend.trading.models import AccountBalance, EquitySample, PaperAccount

YEAR_MS = 365.25 * 86_400_000
POINTS = 200
FEE = Decimal("0.001")
METHOD = (
    "Live paper trading, out-of-sample: since publication the platform runs this exact version (default "
    "parameters, fixed-fraction sizing) on {exchange} {symbol} {interval} bars in a paper account of its own "
    "({cash} {currency}, 0.1% fees), through the same strategy runner and paper engine as every deployment. "
    "The account's equity is sampled every {sample_s:g}s. Return = last/first sample - 1; Sharpe = mean/std of "
    "sample-to-sample returns x sqrt(samples per year, from the median sample spacing); max drawdown = largest "
    "peak-to-trough fall of the sampled equity. Paper trading: simulated fills, no real money. Computed by the "
    "platform, not the author."
)


def platform_tenant() -> Tenant:
    """*system*: the platform's own tenant (created on first use, on the default tier, with no members)."""
    cfg = settings.CONFIG.marketplace
    with dangerously_bypass_rls():
        tenant = Tenant.objects.filter(slug=cfg.reference_tenant_slug).first()
        if tenant is None:
            tier = Tier.objects.get(code=settings.CONFIG.default_tier)
            tenant, _ = Tenant.objects.get_or_create(
                slug=cfg.reference_tenant_slug, defaults={"name": "Platform (marketplace reference)", "tier": tier}
            )
        return tenant  # type: ignore[no-any-return]


def _interval(manifest: dict[str, Any]) -> str:
    wanted = settings.CONFIG.marketplace.reference_interval
    intervals = list(manifest.get("intervals") or [])
    return wanted if wanted in intervals or not intervals else str(intervals[0])


def start(version: ListingVersion) -> Deployment:
    """*system* (on publish, inside the review's transaction): the version's reference deployment, once."""
    cfg = settings.CONFIG.marketplace
    with dangerously_bypass_rls():
        if version.reference_deployment_id is not None:
            return Deployment.unscoped.get(pk=version.reference_deployment_id)  # type: ignore[no-any-return]
        tenant = platform_tenant()
        cash = Decimal(str(cfg.reference_cash))
        label = f"{version.listing.slug}@{version.version}"[:90]
        account = PaperAccount.unscoped.create(
            tenant=tenant, name=f"reference {label}", exchange=cfg.reference_exchange,
            currency=cfg.reference_currency, starting_balance=cash, maker_fee=FEE, taker_fee=FEE,
            peak_equity=cash,
        )  # fmt: skip
        AccountBalance.unscoped.create(
            tenant=tenant, account=account, asset=account.currency, free=cash, locked=Decimal(0)
        )
        manifest = parse_manifest(version.manifest)
        now = timezone.now()
        deployment = Deployment.unscoped.create(
            tenant=tenant,
            name=f"reference {label}",
            members=[
                {
                    "listing": version.listing_id,
                    "kind": "listing",
                    "ref": version.pk,
                    "name": manifest.name,
                    "version": manifest.version,
                    "params": manifest.resolve({}),
                    "weight": 1.0,
                }
            ],
            exchange=cfg.reference_exchange,
            symbol=cfg.reference_symbol,
            interval=_interval(version.manifest),
            account=account,
            status=DeploymentStatus.RUNNING,
            started_at=now,
            created_at=now,
            updated_at=now,
        )
        ListingVersion.unscoped.filter(pk=version.pk).update(reference_deployment=deployment)
        version.reference_deployment = deployment
        return deployment  # type: ignore[no-any-return]


def out_of_sample(version: ListingVersion) -> dict[str, Any]:
    """The reference deployment's live paper record since the version's publication."""
    cfg = settings.CONFIG.marketplace
    with dangerously_bypass_rls():
        deployment = (
            Deployment.unscoped.filter(pk=version.reference_deployment_id).select_related("account").first()
            if version.reference_deployment_id
            else None
        )
        if deployment is None or version.published_at is None:
            return {"kind": "live_paper", "sample": "out_of_sample", "status": "not_available",
                    "reason": "this version has no reference deployment"}  # fmt: skip
        since_ms = int(version.published_at.timestamp() * 1000)
        rows = list(
            EquitySample.unscoped.filter(account_id=deployment.account_id, ts_ms__gte=since_ms)
            .order_by("ts_ms")
            .values_list("ts_ms", "equity")
        )
    account = deployment.account
    body: dict[str, Any] = {
        "kind": "live_paper",
        "sample": "out_of_sample",
        "since": version.published_at.isoformat(),
        "deployment_status": deployment.status,
        "market": {"exchange": deployment.exchange, "symbol": deployment.symbol, "interval": deployment.interval},
        "samples": len(rows),
        "method": METHOD.format(
            exchange=deployment.exchange,
            symbol=deployment.symbol,
            interval=deployment.interval,
            cash=account.starting_balance,
            currency=account.currency,
            sample_s=settings.CONFIG.trading.equity_sample_interval_s,
        ),
    }
    if len(rows) < 2:
        return {**body, "status": "collecting", "metrics": None, "equity": [], "drawdown": []}
    times = np.array([t for t, _ in rows], dtype=np.int64)
    equity = np.array([float(e) for _, e in rows], dtype=np.float64)
    spacing = float(np.median(np.diff(times))) or settings.CONFIG.trading.equity_sample_interval_s * 1000
    metrics = compute_metrics(times.tolist(), equity.tolist(), [], periods_per_year=YEAR_MS / spacing)
    t_eq, v_eq = downsample(times, equity, POINTS)
    t_dd, v_dd = downsample(times, drawdown_series(equity), POINTS)
    return {
        **body,
        "status": "live" if deployment.status == DeploymentStatus.RUNNING else deployment.status,
        "first_ts_ms": int(times[0]),
        "last_ts_ms": int(times[-1]),
        "metrics": {
            "total_return": metrics.total_return,
            "sharpe": metrics.sharpe,
            "max_drawdown": metrics.max_drawdown,
            "start_equity": float(equity[0]),
            "final_equity": float(equity[-1]),
        },
        "equity": [[int(t), float(v)] for t, v in zip(t_eq, v_eq, strict=True)],
        "drawdown": [[int(t), float(v)] for t, v in zip(t_dd, v_dd, strict=True)],
        "cash": str(account.starting_balance),
        "currency": account.currency,
        "reference": cfg.reference_tenant_slug,
    }
