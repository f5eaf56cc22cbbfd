"""Reads of the strategies app: tenant-scoped ones for the API, and the runner's (every tenant, bypass)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat

from backend.strategies.models import BuiltinStrategy, Deployment, DeploymentStatus, Signal, StrategyModule
from backend.tenancy.context import dangerously_bypass_rls
from backend.trading import selectors as trading
from backend.trading.fields import ExactDecimalField
from backend.trading.models import AccountBalance, Fill, MarketState, PaperAccount, Position

ZERO = Decimal(0)


def client_order_prefix(deployment_id: int) -> str:
    """Every order a deployment places carries client_order_id f"{prefix}{bar open ms}" (idempotent per bar)."""
    return f"dep{deployment_id}-"


# == API ==========================================================================================
def modules() -> QuerySet[StrategyModule]:
    return StrategyModule.objects.defer("wasm").order_by("-pk")


def catalogue() -> list[BuiltinStrategy]:
    return list(BuiltinStrategy.objects.defer("wasm").order_by("name"))


def deployments() -> QuerySet[Deployment]:
    return Deployment.objects.order_by("-pk")


def with_pnl(qs: QuerySet[Deployment]) -> QuerySet[Deployment]:
    """Annotate each deployment's own fills (realized P&L, fees; gross, FIFO) and its market's last price."""
    own_fills = (
        Fill.objects.filter(
            account_id=OuterRef("account_id"),
            order__client_order_id__startswith=Concat(
                Value("dep"), Cast(OuterRef("pk"), CharField()), Value("-"), output_field=CharField()
            ),
        )
        .order_by()
        .values("account_id")
    )
    decimal = ExactDecimalField()
    return qs.annotate(
        pnl_realized=Subquery(
            own_fills.annotate(total=Sum("realized_pnl", output_field=decimal)).values("total")[:1],
            output_field=decimal,
        ),
        pnl_fees=Subquery(own_fills.annotate(total=Sum("fee", output_field=decimal)).values("total")[:1],
                          output_field=decimal),
        last_price=Subquery(
            MarketState.objects.filter(exchange=OuterRef("exchange"), symbol=OuterRef("symbol"))
            .values("last_price")[:1],
            output_field=decimal,
        ),
    )  # fmt: skip


def catalogue_entries(*, listings: bool = True) -> list[dict[str, Any]]:
    """What the caller's tenant may deploy: the built-ins, then the marketplace listings it is entitled to
    (an active or past-due subscription, or its own published listings) at their deployable version."""
    from backend.marketplace.models import ENTITLED_STATUSES, Listing, ListingVersion, Subscription, VersionStatus

    out: list[dict[str, Any]] = [
        {"kind": "builtin", "name": b.name, "version": b.version, "description": b.description,
         "manifest": b.manifest, "sha256": b.sha256, "listing": None, "listing_name": None, "listing_version": None}
        for b in catalogue()
    ]  # fmt: skip
    if not listings:
        return out
    wanted: dict[int, int] = {}  # listing id -> version id
    for sub in Subscription.objects.filter(status__in=ENTITLED_STATUSES).select_related("listing"):
        vid = sub.listing.latest_version_id if sub.follow_latest else sub.pinned_version_id
        if vid is not None:
            wanted[sub.listing_id] = vid
    for own in Listing.objects.filter(public=True, latest_version__isnull=False).values_list("pk", "latest_version"):
        wanted.setdefault(own[0], own[1])
    if not wanted:
        return out
    versions = ListingVersion.unscoped.filter(pk__in=wanted.values(), status=VersionStatus.PUBLISHED)  # RLS: public
    with dangerously_bypass_rls():  # names of the listings of visible versions
        listings = {x.pk: x for x in Listing.unscoped.filter(pk__in=wanted.keys()).only("pk", "name", "slug")}
    for v in sorted(versions, key=lambda v: listings[v.listing_id].name.lower() if v.listing_id in listings else ""):
        listing = listings.get(v.listing_id)
        if listing is None:
            continue
        out.append(
            {"kind": "listing", "name": v.manifest.get("name", listing.slug), "version": v.version,
             "description": v.manifest.get("description", ""), "manifest": v.manifest, "sha256": v.sha256,
             "listing": listing.slug, "listing_name": listing.name, "listing_version": v.pk}
        )  # fmt: skip
    return out


def signals(deployment_id: int, limit: int) -> list[Signal]:
    return list(Signal.objects.filter(deployment_id=deployment_id).order_by("-bar_open_ms", "-pk")[:limit])


def performance(deployment: Deployment, limit: int) -> dict[str, Any]:
    """Equity and drawdown of the deployment's paper account since it started, and the deployment's own fills."""
    start_ms = int(deployment.created_at.timestamp() * 1000)
    samples = trading.equity(deployment.account_id, start_ms=start_ms, end_ms=None, limit=limit)
    equity, drawdown, peak = [], [], None
    for s in samples:
        peak = s.equity if peak is None or s.equity > peak else peak
        equity.append([s.ts_ms, str(s.equity)])
        drawdown.append([s.ts_ms, float((peak - s.equity) / peak) if peak else 0.0])
    fills = list(
        Fill.objects.filter(
            account_id=deployment.account_id,
            order__client_order_id__startswith=client_order_prefix(deployment.pk),
        ).order_by("ts_ms", "pk")[:limit]
    )
    realized = sum((f.realized_pnl for f in fills), ZERO)
    fees = sum((f.fee for f in fills), ZERO)
    return {
        "deployment": deployment.pk,
        "account": deployment.account_id,
        "position_qty": str(deployment.position_qty),
        "entry_price": None if deployment.entry_price is None else str(deployment.entry_price),
        "realized_pnl": str(realized),
        "fees": str(fees),
        "max_drawdown": max((d for _, d in drawdown), default=0.0),
        "equity": equity,
        "drawdown": drawdown,
        "trades": [
            {"id": f.fill_id, "order_id": f.order_id, "side": f.side, "price": str(f.price), "qty": str(f.qty),
             "fee": str(f.fee), "realized_pnl": str(f.realized_pnl), "ts_ms": f.ts_ms}
            for f in fills
        ],
    }  # fmt: skip


# == the runner ===================================================================================
def _partitioned(qs: QuerySet[Deployment], partition: int, partitions: int) -> QuerySet[Deployment]:
    if partitions > 1:
        qs = qs.annotate(part=F("id") % partitions).filter(part=partition)
    return qs


def running_versions(partition: int, partitions: int) -> dict[int, int]:
    """id -> config_version of the running deployments of one runner partition."""
    with dangerously_bypass_rls():
        qs = _partitioned(Deployment.unscoped.filter(status=DeploymentStatus.RUNNING), partition, partitions)
        return dict(qs.values_list("id", "config_version"))


@dataclass(frozen=True)
class MemberSource:
    wasm: bytes
    manifest: dict[str, Any]
    params: dict[str, float]
    weight: float


@dataclass(frozen=True)
class DeploymentSpec:
    row: Deployment
    tenant_id: int
    margin: bool
    taker_fee: Decimal
    members: list[MemberSource]


def load_deployments(ids: list[int]) -> list[DeploymentSpec]:
    with dangerously_bypass_rls():
        rows = list(Deployment.unscoped.filter(pk__in=ids, status=DeploymentStatus.RUNNING).select_related("account"))
        names = {m["ref"] for r in rows for m in r.members if m["kind"] == "builtin"}
        module_ids = {m["ref"] for r in rows for m in r.members if m["kind"] == "module"}
        builtins = {b.name: b for b in BuiltinStrategy.objects.filter(name__in=names)}
        uploaded = {m.pk: m for m in StrategyModule.unscoped.filter(pk__in=module_ids)}
    # Marketplace versions run the publisher's module (published or yanked versions only).
    from backend.marketplace.selectors import runner_modules

    listed = runner_modules({m["ref"] for r in rows for m in r.members if m["kind"] == "listing"})
    specs = []
    for r in rows:
        sources = []
        for m in r.members:
            kind = m["kind"]
            found = builtins if kind == "builtin" else listed if kind == "listing" else uploaded
            src = found.get(m["ref"])
            if src is None or (m["kind"] == "module" and src.tenant_id != r.tenant_id):
                continue  # handled by the runner as a missing module
            sources.append(MemberSource(bytes(src.wasm), src.manifest, m["params"], float(m["weight"])))
        if len(sources) == len(r.members):
            specs.append(DeploymentSpec(r, r.tenant_id, r.account.margin, r.account.taker_fee, sources))
        else:
            specs.append(DeploymentSpec(r, r.tenant_id, r.account.margin, r.account.taker_fee, []))
    return specs


def stopped_with_position(partition: int, partitions: int) -> list[Deployment]:
    with dangerously_bypass_rls():
        qs = Deployment.unscoped.filter(status=DeploymentStatus.STOPPED).exclude(position_qty=0)
        return list(_partitioned(qs, partition, partitions))


@dataclass(frozen=True)
class AccountFunds:
    equity: Decimal
    free_cash: Decimal  # the account currency's free balance (what a buy can spend)
    currency: str


def account_funds(account_ids: set[int], marks: dict[tuple[str, str], Decimal]) -> dict[int, AccountFunds]:
    """Each account's equity, valuing holdings at `marks` (exchange, symbol) or else the last traded price."""
    with dangerously_bypass_rls():
        accounts = {a.pk: a for a in PaperAccount.unscoped.filter(pk__in=account_ids)}
        balances: dict[int, list[AccountBalance]] = {}
        for b in AccountBalance.unscoped.filter(account_id__in=account_ids):
            balances.setdefault(b.account_id, []).append(b)
        positions: dict[int, list[Position]] = {}
        for p in Position.unscoped.filter(account_id__in=account_ids).exclude(qty=0):
            positions.setdefault(p.account_id, []).append(p)
        exchanges = {a.exchange for a in accounts.values()}
        last = {(s.exchange, s.symbol): s.last_price for s in MarketState.objects.filter(exchange__in=exchanges)}
    prices = {**last, **marks}
    out = {}
    for aid, a in accounts.items():
        cash, free, equity = ZERO, ZERO, ZERO
        for b in balances.get(aid, []):
            if b.asset == a.currency:
                cash, free = b.free + b.locked, b.free
        if a.margin:
            equity = cash
            for p in positions.get(aid, []):
                mark = prices.get((a.exchange, p.symbol))
                if mark is not None and p.avg_entry is not None:
                    equity += p.qty * (mark - p.avg_entry)
        else:
            equity = cash
            for b in balances.get(aid, []):
                if b.asset != a.currency:
                    mark = prices.get((a.exchange, f"{b.asset}-{a.currency}"))
                    equity += (b.free + b.locked) * (mark or ZERO)
        out[aid] = AccountFunds(equity, free, a.currency)
    return out
