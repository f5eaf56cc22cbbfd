"""Verified live records (a platform reference deployment per published version, its equity as the listing's
out-of-sample record) and subscriptions following the latest version.

The reference deployment is an ordinary running Deployment: the strategy_runner -> paper_engine path that
trades it and samples its account's equity is covered by tests/strategies/test_runner*.py and
tests/trading. Here the equity samples are written directly, and the runner's loading of the deployment
(the publisher's module, through marketplace.selectors.runner_modules) is checked without workers.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.conf import settings

from backend.marketplace import services
from backend.marketplace.models import ListingVersion, Subscription
from backend.strategies import selectors as strategy_selectors
from backend.strategies.models import Deployment
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import AuditEvent, Membership, Tenant
from backend.trading.models import AccountBalance, EquitySample
from tests.marketplace.helpers import deploy, publish, upload
from tests.tenancy.world import World
from tests.trading.factories import make_paper_account

pytestmark = pytest.mark.usefixtures("builtins", "eager")


def _version(pk: int) -> ListingVersion:
    with dangerously_bypass_rls():
        return ListingVersion.unscoped.select_related("reference_deployment__account").get(pk=pk)  # type: ignore[no-any-return]


def _publish_next(author: object, listing_id: int, version: str) -> int:
    uploaded = upload(author, listing_id, version=version)  # type: ignore[arg-type]
    assert uploaded.status_code == 202, uploaded.content
    services.version_review(uploaded.json()["id"], approve=True)
    return int(uploaded.json()["id"])


def test_publishing_starts_a_platform_reference_deployment_whose_equity_is_the_out_of_sample_record(
    world: World,
) -> None:
    author = world.client_for_key(world.admin_key)
    _, published = publish(author)
    version = _version(published["id"])
    dep = version.reference_deployment
    assert dep is not None and dep.status == "running"
    platform = Tenant.objects.get(pk=dep.tenant_id)
    cfg = settings.CONFIG.marketplace
    assert platform.slug == cfg.reference_tenant_slug and platform.pk not in (world.tenant.pk, world.other.pk)
    with dangerously_bypass_rls():
        assert not Membership.unscoped.filter(tenant=platform).exists()  # nobody can act in the platform tenant
        assert AccountBalance.unscoped.get(account=dep.account).free == Decimal(str(cfg.reference_cash))
    assert (dep.exchange, dep.symbol, dep.interval) == (cfg.reference_exchange, cfg.reference_symbol, "1m")
    assert dep.members[0]["kind"] == "listing" and dep.members[0]["ref"] == version.pk
    # The runner loads it like any deployment: the publisher's module, found through the version.
    (spec,) = strategy_selectors.load_deployments([dep.pk])
    assert len(spec.members) == 1 and spec.members[0].wasm[:4] == b"\0asm"
    # Publishing again (e.g. a redelivered review) never starts a second one.
    with dangerously_bypass_rls():
        before = Deployment.unscoped.filter(tenant=platform).count()
    from backend.marketplace import reference

    assert reference.start(version).pk == dep.pk
    with dangerously_bypass_rls():
        assert Deployment.unscoped.filter(tenant=platform).count() == before

    buyer = world.client_for_key(world.other_key)
    record = buyer.get("/api/v1/marketplace/listings/trend-rider").json()["track_record"]
    assert record["in_sample"]["label"] == "hypothetical" and record["in_sample"]["sample"] == "in_sample"
    oos = record["out_of_sample"]
    assert (oos["kind"], oos["sample"], oos["status"], oos["samples"]) == (
        "live_paper",
        "out_of_sample",
        "collecting",
        0,
    )

    # The paper engine samples the account's equity; samples before publication are not part of the record.
    assert version.published_at is not None
    t0 = int(version.published_at.timestamp() * 1000)
    step = 60_000
    curve = [10_000, 10_100, 9_999, 10_200]
    with dangerously_bypass_rls():
        EquitySample.unscoped.bulk_create(
            [EquitySample(tenant=platform, account=dep.account, ts_ms=t0 - step, equity=Decimal(1))]
            + [
                EquitySample(tenant=platform, account=dep.account, ts_ms=t0 + i * step, equity=Decimal(v))
                for i, v in enumerate(curve)
            ]
        )
    oos = buyer.get("/api/v1/marketplace/listings/trend-rider").json()["track_record"]["out_of_sample"]
    assert oos["status"] == "live" and oos["samples"] == len(curve)
    metrics = oos["metrics"]
    assert math.isclose(metrics["total_return"], 0.02)
    assert math.isclose(metrics["max_drawdown"], (10_100 - 9_999) / 10_100)
    assert metrics["sharpe"] is not None and (metrics["start_equity"], metrics["final_equity"]) == (10_000, 10_200)
    assert oos["equity"] == [[t0 + i * step, float(v)] for i, v in enumerate(curve)]
    assert "out-of-sample" in oos["method"] and "not the author" in oos["method"]
    assert oos["first_ts_ms"] == t0 and oos["since"] == version.published_at.isoformat()

    # Yanking the version pauses its reference deployment too (its record stops growing).
    with tenant_context(world.tenant.pk):  # the publisher yanks it
        services.version_yank(ListingVersion.objects.get(pk=version.pk))
    with dangerously_bypass_rls():
        assert Deployment.unscoped.get(pk=dep.pk).status == "paused"


def test_followers_of_latest_move_to_a_new_version_and_pinned_ones_stay(world: World) -> None:
    author = world.client_for_key(world.admin_key)
    listing, v1 = publish(author)
    buyer = world.client_for_key(world.other_key)
    body = {"listing": "trend-rider", "follow_latest": True}
    assert buyer.post("/api/v1/marketplace/subscriptions", body, format="json").status_code == 201
    account = make_paper_account(world.other).pk
    created = deploy(buyer, account, v1["id"], params={"fast": 3})
    assert created.status_code == 201, created.content
    dep_id = created.json()["id"]
    with dangerously_bypass_rls():
        before = Deployment.unscoped.get(pk=dep_id)
        author_dep_count = Deployment.unscoped.filter(tenant=world.tenant).count()

    v2 = _publish_next(author, listing["id"], "1.1.0")
    with dangerously_bypass_rls():
        moved = Deployment.unscoped.get(pk=dep_id)
        event = AuditEvent.objects.dangerously_unscoped().get(action="marketplace.deployment.followed_latest")
    member = moved.members[0]
    assert (member["kind"], member["ref"], member["listing"]) == ("listing", v2, listing["id"])
    assert member["params"]["fast"] == 3  # kept: the new version still has the parameter
    assert moved.config_version == before.config_version + 1  # the runner rebuilds it
    assert moved.status == "running"
    assert event.tenant_id == world.other.pk and event.data["to"] == "1.1.0" and event.data["from"] == ["1.0.0"]
    # Reference deployments stay on their own version; the new version got its own.
    assert _version(v1["id"]).reference_deployment.members[0]["ref"] == v1["id"]  # type: ignore[union-attr]
    assert _version(v2).reference_deployment.members[0]["ref"] == v2  # type: ignore[union-attr]
    with dangerously_bypass_rls():
        assert Deployment.unscoped.filter(tenant=world.tenant).count() == author_dep_count

    # Pinned: the subscription stays on its version when another is published.
    with dangerously_bypass_rls():
        Subscription.unscoped.filter(tenant=world.other).update(follow_latest=False, pinned_version_id=v2)
    _publish_next(author, listing["id"], "1.2.0")
    with dangerously_bypass_rls():
        stayed = Deployment.unscoped.get(pk=dep_id)
    assert stayed.members[0]["ref"] == v2 and stayed.config_version == moved.config_version
