"""The platform's reference listings: the built-in strategies published in the marketplace by the platform tenant.

`manage.py seed_marketplace` (run by `make up`) gives a fresh installation a catalogue to browse, subscribe
to and deploy. Each listing goes the way any publisher's does (listing_create, version_upload, the
sandbox's validation and platform backtest, review, publication, reference deployment), in-process
instead of through Celery and a staff member. Idempotent: a listing or version that exists is left as it
is, and one left half-way (say, by an interrupted run) is taken from where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from backend.marketplace import reference, services, tasks
from backend.marketplace.models import Listing, ListingVersion, PublisherProfile, VersionStatus
from backend.strategies.catalogue import BUILD_DIR, read_build
from backend.tenancy.context import dangerously_bypass_rls, tenant_context

PUBLISHER = "Quant-Trader"
MARKETS = ["sim:BTC-USDT", "sim:ETH-USDT"]
INTERVALS = ["1m", "5m", "15m", "1h", "4h"]
DISCLAIMER = (
    "\n\n---\n\nPublished by the platform as a reference strategy. The track record on this page is computed "
    "by the platform: a backtest on a fixed simulated data set (hypothetical) and a live paper-trading record "
    "since publication. Paper trading uses simulated fills; past results do not predict future ones."
)


@dataclass(frozen=True)
class Reference:
    slug: str
    module: str  # strategies/build/<module>.wasm
    name: str
    summary: str
    category: str
    tags: tuple[str, ...]
    risk_level: str
    price_cents: int
    description: str


REFERENCES = (
    Reference(
        "qt-sma-trend", "sma_cross", "SMA Trend Follower",
        "Long while the fast simple moving average is above the slow one: the classic trend follower.",
        "trend", ("sma", "trend-following", "reference"), "medium", 0,
        "## How it trades\n\nTwo simple moving averages of the close. While the **fast** one is above the "
        "**slow** one the strategy holds a long position; otherwise it is flat (or short, with `allow_short`).\n\n"
        "| parameter | meaning |\n|---|---|\n| `fast` | bars in the fast average |\n"
        "| `slow` | bars in the slow average |\n| `allow_short` | short instead of flat below |",
    ),
    Reference(
        "qt-rsi-reversion", "rsi", "RSI Reversion",
        "Buys oversold dips and sells overbought rallies by the Relative Strength Index.",
        "mean-reversion", ("rsi", "oscillator", "reference"), "medium", 0,
        "## How it trades\n\nBuys when the RSI falls below `lower` and sells (or shorts) when it rises above "
        "`upper`. Works best in ranging markets; trends can keep it on the wrong side for a while.",
    ),
    Reference(
        "qt-momentum", "momentum", "Momentum Rider",
        "Rides strong moves: long after the close rose more than a threshold over a lookback window.",
        "momentum", ("momentum", "reference"), "high", 0,
        "## How it trades\n\nCompares the close with the close `lookback` bars ago. A rise of more than "
        "`threshold` goes long; a fall of more than it goes flat (or short).",
    ),
    Reference(
        "qt-macd-signal", "macd", "MACD Signal",
        "Long while the MACD line is above its signal line; flat or short below it.",
        "trend", ("macd", "trend-following", "reference"), "medium", 900,
        "## How it trades\n\nThe MACD line (fast EMA minus slow EMA) against its `signal` EMA: above it, long; "
        "below it, flat (or short).",
    ),
    Reference(
        "qt-bollinger-breakout", "bollinger_breakout", "Bollinger Breakout",
        "Enters on a close outside the Bollinger bands and exits at the middle band.",
        "breakout", ("bollinger", "volatility", "reference"), "high", 1900,
        "## How it trades\n\nLong on a close above the upper band (`period` bars, `k` standard deviations) "
        "until a close below the middle band; mirrored on the short side with `allow_short`.",
    ),
    Reference(
        "qt-zscore-reversion", "mean_reversion", "Z-Score Reversion",
        "Buys when the close is stretched far below its mean, sells once it comes back.",
        "mean-reversion", ("z-score", "statistical", "reference"), "low", 1500,
        "## How it trades\n\nThe close's z-score against its `lookback` mean: below `-entry_z` it buys, above "
        "`-exit_z` it sells.",
    ),
)  # fmt: skip


def seed(build_dir: Path = BUILD_DIR, references: tuple[Reference, ...] = REFERENCES) -> list[str]:
    """Publishes what is missing; returns one line per listing saying what it did."""
    tenant = reference.platform_tenant()
    with tenant_context(tenant.pk):
        PublisherProfile.objects.get_or_create(tenant=tenant, defaults={"display_name": PUBLISHER, "enabled": True})
    return [_publish(tenant.pk, ref, build_dir) for ref in references]


def _publish(tenant_id: int, ref: Reference, build_dir: Path) -> str:
    with dangerously_bypass_rls():  # slugs are global: one taken by another tenant is left alone
        listing = Listing.unscoped.filter(slug=ref.slug).first()
    if listing is not None and listing.tenant_id != tenant_id:
        return f"{ref.slug}: skipped, the slug belongs to another tenant"
    wasm, manifest = read_build(ref.module, build_dir)
    version = str(manifest["version"]) if isinstance(manifest, dict) else "1.0.0"
    with tenant_context(tenant_id):
        if listing is None:
            listing = services.listing_create(
                tenant_id=tenant_id,
                data={
                    "slug": ref.slug, "name": ref.name, "summary": ref.summary, "category": ref.category,
                    "description": ref.description + DISCLAIMER, "tags": list(ref.tags), "markets": MARKETS,
                    "intervals": INTERVALS, "risk_level": ref.risk_level, "price_cents": ref.price_cents,
                },
            )  # fmt: skip
        row = ListingVersion.objects.filter(listing=listing, version=version).first()
        if row is None:
            row = services.version_upload(
                tenant_id=tenant_id, listing=listing, version=version, changelog="First release.", wasm=wasm,
                manifest=manifest, queue_validation=False,
            )  # fmt: skip
    if row.status == VersionStatus.VALIDATING:
        tasks.validate_version(row.pk, tenant_id)  # the task's body, here and now
        with tenant_context(tenant_id):
            row.refresh_from_db()
    if row.status == VersionStatus.IN_REVIEW:
        services.version_review(row.pk, approve=True)
        return f"{ref.slug}@{version}: published"
    if row.status == VersionStatus.REJECTED:
        return f"{ref.slug}@{version}: rejected: {row.reject_reason}"
    return f"{ref.slug}@{version}: {row.status} (unchanged)"
