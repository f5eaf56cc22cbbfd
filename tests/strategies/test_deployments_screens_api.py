"""What the web app's Deployments screens read: list pages, each deployment's own P&L, the catalogue of
what a tenant may deploy (built-ins + entitled marketplace listings), and which parameter a refusal names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from backend.marketplace.models import Listing, Subscription
from backend.strategies.models import Deployment
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.trading.models import Fill, MarketState, Order
from tests.marketplace.factories import make_listing, make_version
from tests.tenancy.world import World
from tests.trading.factories import make_paper_account

pytestmark = pytest.mark.usefixtures("builtins")
DEPLOYMENTS = "/api/v1/deployments"
CATALOGUE = "/api/v1/strategies/catalogue"


def deploy(client: APIClient, account: int, **changes: Any) -> Any:
    body = {"strategy": "sma_cross", "symbol": "BTC-USDT", "interval": "1m", "account": account, "start": False,
            **changes}  # fmt: skip
    return client.post(DEPLOYMENTS, body, format="json")


@pytest.fixture
def account(world: World) -> int:
    return int(make_paper_account(world.tenant).pk)


def test_list_pages_newest_first_with_a_next_link(world: World, account: int) -> None:
    client = world.client_for_key(world.admin_key)
    ids = [deploy(client, account, name=f"d{i}").json()["id"] for i in range(5)]
    first = client.get(f"{DEPLOYMENTS}?limit=2")
    assert [d["id"] for d in first.json()] == ids[:-3:-1]
    assert f"before={ids[3]}" in first["Link"] and 'rel="next"' in first["Link"]
    second = client.get(f"{DEPLOYMENTS}?limit=2&before={ids[3]}").json()
    assert [d["id"] for d in second] == [ids[2], ids[1]]
    last = client.get(f"{DEPLOYMENTS}?limit=2&before={ids[1]}")
    assert [d["id"] for d in last.json()] == [ids[0]] and "Link" not in last
    bad = client.get(f"{DEPLOYMENTS}?before=x")
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_input")
    assert world.client_for_key(world.other_key).get(DEPLOYMENTS).json() == []


def _fill(world: World, account: int, n: int, client_order_id: str | None, pnl: str, fee: str) -> None:
    with tenant_context(world.tenant.pk):
        order = Order.objects.create(
            tenant=world.tenant, account_id=account, order_id=f"{account}:{n}", client_order_id=client_order_id,
            symbol="BTC-USDT", side="sell", type="market", tif="ioc", qty=Decimal(1), status="filled", filled_qty=1,
            filled_quote=100, fees=Decimal(fee), created_ms=0, updated_ms=0, locked=0, seq=n,
        )  # fmt: skip
        Fill.objects.create(
            tenant=world.tenant, account_id=account, order=order, fill_id=f"{order.order_id}-1", symbol="BTC-USDT",
            side="sell", price=Decimal(100), qty=Decimal(1), fee=Decimal(fee), fee_currency="USDT",
            liquidity="taker", realized_pnl=Decimal(pnl), ts_ms=n,
        )  # fmt: skip


def test_each_deployment_shows_its_own_pnl(world: World, account: int) -> None:
    client = world.client_for_key(world.admin_key)
    mine, sibling = (deploy(client, account).json() for _ in range(2))
    fresh = client.get(f"{DEPLOYMENTS}/{mine['id']}").json()
    assert (fresh["realized_pnl"], fresh["fees"], fresh["unrealized_pnl"]) == ("0", "0", "0")
    _fill(world, account, 1, f"dep{mine['id']}-60000", "12.5", "0.1")
    _fill(world, account, 2, f"dep{mine['id']}-120000", "-2.5", "0.1")
    _fill(world, account, 3, f"dep{sibling['id']}-60000", "100", "1")  # the other deployment's
    _fill(world, account, 4, None, "1000", "5")  # a manual order on the same account
    with dangerously_bypass_rls():  # runner state
        Deployment.unscoped.filter(pk=mine["id"]).update(position_qty=Decimal("0.5"), entry_price=Decimal(100))
    MarketState.objects.update_or_create(
        exchange="sim", symbol="BTC-USDT", defaults={"last_price": Decimal(110), "last_ts_ms": 1, "last_trade_id": 1}
    )
    rows = {d["id"]: d for d in client.get(DEPLOYMENTS).json()}
    assert (rows[mine["id"]]["realized_pnl"], rows[mine["id"]]["fees"]) == ("10.0", "0.2")
    assert Decimal(rows[mine["id"]]["unrealized_pnl"]) == Decimal(5)
    assert (rows[sibling["id"]]["realized_pnl"], rows[sibling["id"]]["fees"]) == ("100", "1")
    # Writes answer with the same fields.
    paused = client.post(f"{DEPLOYMENTS}/{mine['id']}/stop").json()
    assert (paused["status"], paused["realized_pnl"]) == ("stopped", "10.0")


def test_a_refused_parameter_is_named(world: World, account: int) -> None:
    response = deploy(world.client_for_key(world.admin_key), account, params={"fast": 1})
    error = response.json()["error"]
    assert (response.status_code, error["code"]) == (400, "invalid_params")
    assert error["detail"] == {"field": "strategy", "param": "fast"}
    assert "fast must be within 2..500" in error["message"]


def test_catalogue_lists_builtins_then_entitled_listings(world: World) -> None:
    author, buyer = world.client_for_key(world.admin_key), world.client_for_key(world.other_key)
    builtins = buyer.get(CATALOGUE).json()
    assert {r["kind"] for r in builtins} == {"builtin"} and len(builtins) == 6
    assert builtins[0]["listing_version"] is None and builtins[0]["manifest"]["params"]
    listing = make_listing(world.tenant, slug="trend-rider")
    version = make_version(world.tenant, listing=listing)
    with dangerously_bypass_rls():
        Listing.unscoped.filter(pk=listing.pk).update(public=True, latest_version=version, name="Trend rider")
    # Not subscribed: the buyer sees only the built-ins; the author sees its own listing.
    assert [r["kind"] for r in buyer.get(CATALOGUE).json()].count("listing") == 0
    own = [r for r in author.get(CATALOGUE).json() if r["kind"] == "listing"]
    assert [(r["listing"], r["listing_version"]) for r in own] == [("trend-rider", version.pk)]
    with tenant_context(world.other.pk):
        sub = Subscription.objects.create(tenant=world.other, listing=listing, status="active")
    [entry] = [r for r in buyer.get(CATALOGUE).json() if r["kind"] == "listing"]
    assert (entry["listing"], entry["listing_name"], entry["listing_version"], entry["version"]) == (
        "trend-rider", "Trend rider", version.pk, version.version,
    )  # fmt: skip
    assert entry["manifest"]["params"][0]["name"] == "fast" and "wasm" not in entry
    # The entry deploys as listing_version.
    account = make_paper_account(world.other).pk
    created = deploy(buyer, account, strategy=None, listing_version=entry["listing_version"])
    assert created.status_code == 201, created.content
    assert created.json()["members"][0]["kind"] == "listing"
    # A lapsed subscription is not an entitlement.
    with dangerously_bypass_rls():
        Subscription.unscoped.filter(pk=sub.pk).update(status="lapsed")
    assert [r["kind"] for r in buyer.get(CATALOGUE).json()].count("listing") == 0


def test_the_edit_form_patch_changes_sizing_and_turns_a_stop_off(world: World, account: int) -> None:
    client = world.client_for_key(world.admin_key)
    d = deploy(client, account, stop_loss=0.05, sizing_params={"fraction": 0.5}).json()
    body = {"name": "renamed", "sizing": "kelly_cap", "sizing_params": {"win_rate": 0.6, "payoff": 1.5, "scale": 0.5,
            "cap": 0.25}, "stop_loss": None, "take_profit": 0.3, "max_drawdown": 0.2}  # fmt: skip
    patched = client.patch(f"{DEPLOYMENTS}/{d['id']}", body, format="json")
    assert patched.status_code == 200, patched.content
    row = patched.json()
    assert (row["name"], row["sizing"], row["stop_loss"], row["take_profit"], row["realized_pnl"]) == (
        "renamed", "kelly_cap", None, 0.3, "0",
    )  # fmt: skip
    too_big = {"sizing_params": {**body["sizing_params"], "cap": 2}}  # PATCH replaces all of them
    bad = client.patch(f"{DEPLOYMENTS}/{d['id']}", too_big, format="json")
    assert bad.json()["error"]["detail"] == {"field": "cap"}
