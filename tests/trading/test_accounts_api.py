"""Accounts API and order input checks: everything here is answered without the engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from backend.tenancy.context import dangerously_bypass_rls
from backend.trading.models import AccountBalance, Order, PaperAccount
from tests.tenancy.world import World
from tests.trading.conftest import roomy

pytestmark = pytest.mark.django_db

ACCOUNT = {"name": "scalper", "exchange": "sim", "currency": "USDT", "starting_balance": "10000"}


def create(world: World, **overrides: Any) -> dict[str, Any]:
    response = world.client_for_key(world.admin_key).post("/api/v1/accounts", {**ACCOUNT, **overrides}, format="json")
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_create_list_retrieve_and_starting_balance(world: World) -> None:
    body = create(
        world,
        maker_fee="0.0002",
        taker_fee="0.0005",
        risk_limits={"max_order_notional": "5000", "max_open_orders": 5, "max_drawdown": "0.2"},
    )
    assert body["starting_balance"] == "10000"
    assert body["maker_fee"] == "0.0002"
    assert body["risk_limits"] == {"max_order_notional": "5000", "max_open_orders": 5, "max_drawdown": "0.2"}
    client = world.client_for_key(world.read_key)
    assert [a["id"] for a in client.get("/api/v1/accounts").json()] == [body["id"]]
    assert client.get(f"/api/v1/accounts/{body['id']}").json()["name"] == "scalper"
    balances = client.get(f"/api/v1/accounts/{body['id']}/balances").json()
    assert balances == [{"asset": "USDT", "free": "10000", "locked": "0", "total": "10000", "updated_ms": 0}]
    assert client.get(f"/api/v1/accounts/{body['id']}/orders").json() == []
    assert client.get(f"/api/v1/accounts/{body['id']}/fills").json() == []
    assert client.get(f"/api/v1/accounts/{body['id']}/positions").json() == []
    assert client.get(f"/api/v1/accounts/{body['id']}/equity").json() == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starting_balance": "-5"}, "starting_balance"),
        ({"starting_balance": "NaN"}, "starting_balance"),
        ({"starting_balance": "Infinity"}, "starting_balance"),
        ({"exchange": "nowhere"}, "exchange"),
        ({"currency": "EUR"}, "currency"),
        ({"leverage": "5"}, "leverage"),
        ({"risk_limits": {"max_drawdown": "2"}}, "risk_limits"),
        ({"risk_limits": {"max_everything": "1"}}, "risk_limits"),
        ({"taker_fee": "0.5"}, "taker_fee"),
    ],
)
def test_bad_account_input_is_400_and_writes_nothing(world: World, overrides: dict[str, Any], field: str) -> None:
    response = world.client_for_key(world.admin_key).post("/api/v1/accounts", {**ACCOUNT, **overrides}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_input"
    assert field in response.json()["error"]["detail"]
    with dangerously_bypass_rls():
        assert not PaperAccount.unscoped.exists()


def test_quota_paper_accounts(world: World) -> None:
    roomy(world, paper_accounts=1)
    create(world)
    response = world.client_for_key(world.admin_key).post("/api/v1/accounts", ACCOUNT, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "quota_exceeded"
    assert response.json()["error"]["detail"]["quota"] == "paper_accounts"


def test_viewers_read_but_cannot_write(world: World) -> None:
    account = create(world)
    viewer = world.client_for_user(world.teammate, world.tenant)
    assert viewer.get(f"/api/v1/accounts/{account['id']}").status_code == 200
    assert viewer.post("/api/v1/accounts", ACCOUNT, format="json").status_code == 403
    response = world.client_for_key(world.read_key).post(
        f"/api/v1/accounts/{account['id']}/orders", {"symbol": "BTC-USDT", "side": "buy", "qty": "1"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
    assert viewer.delete(f"/api/v1/accounts/{account['id']}/orders").status_code == 403
    assert viewer.post(f"/api/v1/accounts/{account['id']}/reset").status_code == 403


def test_rename_and_immutable_fields(world: World) -> None:
    account = create(world)
    client = world.client_for_key(world.admin_key)
    response = client.patch(f"/api/v1/accounts/{account['id']}", {"name": "renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "renamed"
    response = client.patch(f"/api/v1/accounts/{account['id']}", {"taker_fee": "0"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "immutable_field"


def test_another_tenants_account_and_its_subresources_are_404(world: World) -> None:
    theirs = world.client_for_key(world.other_key).post("/api/v1/accounts", ACCOUNT, format="json").json()
    mine = world.client_for_key(world.admin_key)
    base = f"/api/v1/accounts/{theirs['id']}"
    missing = "/api/v1/accounts/999999999"
    for suffix in ("", "/orders", "/orders/1:1", "/fills", "/positions", "/balances", "/equity"):
        for url in (base + suffix, missing + suffix):
            response = mine.get(url)
            assert response.status_code == 404, (url, response.content)
            assert response.json()["error"]["code"] == "not_found"
    order = {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": "60000.00"}
    writes = [
        mine.post(f"{base}/orders", order, format="json"),
        mine.delete(f"{base}/orders"),
        mine.delete(f"{base}/orders/{theirs['id']}:1"),
        mine.post(f"{base}/reset"),
        mine.patch(base, {"name": "hijacked", "kill_switch": True}, format="json"),
        mine.delete(base),
    ]
    assert [r.status_code for r in writes] == [404] * len(writes)
    with dangerously_bypass_rls():
        row = PaperAccount.unscoped.get(pk=theirs["id"])
        assert (row.name, row.kill_switch, row.is_active) == ("scalper", False, True)
        assert not Order.unscoped.exists()


BAD_ORDERS = [
    ({"qty": "0"}, "invalid_quantity"),
    ({"qty": "-1"}, "invalid_quantity"),
    ({"qty": "NaN"}, "invalid_quantity"),
    ({"qty": "Infinity"}, "invalid_quantity"),
    ({"qty": "-Infinity"}, "invalid_quantity"),
    ({"qty": "1e999999999"}, "invalid_quantity"),
    ({"qty": "abc"}, "invalid_quantity"),
    ({"qty": None}, "invalid_quantity"),
    ({"qty": "0.000001"}, "qty_below_lot"),
    ({"price": "60000.005"}, "price_off_tick"),
    ({"price": "NaN"}, "invalid_price"),
    ({"price": "0"}, "invalid_price"),
    ({"price": None}, "invalid_price"),
    ({"symbol": "DOGE-USDT"}, "unknown_symbol"),
    ({"symbol": ""}, "unknown_symbol"),
    ({"side": "long"}, "invalid_side"),
    ({"type": "iceberg"}, "invalid_order"),
    ({"tif": "day"}, "invalid_order"),
    ({"type": "market"}, "invalid_order"),  # a market order with a price
    ({"type": "stop_market", "price": None}, "invalid_price"),  # no stop price
    ({"type": "stop_limit", "stop_price": "1.001"}, "price_off_tick"),
    ({"type": "trailing_stop", "price": None, "trail_offset": "1", "trail_bps": "5"}, "invalid_order"),
    ({"client_order_id": "has spaces"}, "invalid_client_order_id"),
    ({"leverage": "10"}, "unknown_field"),
]


@pytest.mark.parametrize(("change", "code"), BAD_ORDERS, ids=[f"{c}-{i}" for i, (_, c) in enumerate(BAD_ORDERS)])
def test_bad_orders_are_400_with_a_reason_and_nothing_is_written(
    world: World, change: dict[str, Any], code: str
) -> None:
    account = create(world)
    order = {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": "60000.00", **change}
    order = {k: v for k, v in order.items() if v is not None}
    # No engine runs in this test: a request that got past the checks would answer 503.
    response = world.client_for_key(world.admin_key).post(
        f"/api/v1/accounts/{account['id']}/orders", order, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    with dangerously_bypass_rls():
        assert not Order.unscoped.exists()
        assert AccountBalance.unscoped.get(account_id=account["id"]).free == Decimal(10000)


def test_no_engine_running_is_503_with_a_reason(world: World, namespace: str) -> None:
    account = create(world)
    response = world.client_for_key(world.admin_key).post(
        f"/api/v1/accounts/{account['id']}/orders",
        {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": "60000.00"},
        format="json",
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "engine_unavailable"
    assert response.json()["error"]["detail"]["reason"] in {"no_engine_running", "timeout"}
