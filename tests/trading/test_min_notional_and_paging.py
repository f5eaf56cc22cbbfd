"""Minimum order value checked at the API, and keyset pages of orders and fills (no engine needed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from backend.engine.market.instrument import Instrument
from backend.engine.trading.spec import ZERO
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import Tenant
from backend.trading.models import Fill, MarketState, Order, PaperAccount
from backend.trading.worker import market_spec
from tests.tenancy.world import World

pytestmark = pytest.mark.django_db

ACCOUNT = {"name": "pager", "exchange": "sim", "currency": "USDT", "starting_balance": "10000"}


def create(world: World, key: str | None = None) -> int:
    response = world.client_for_key(key or world.admin_key).post("/api/v1/accounts", ACCOUNT, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def last_price(price: str, symbol: str = "BTC-USDT") -> None:
    MarketState.objects.update_or_create(
        exchange="sim", symbol=symbol, defaults={"last_price": Decimal(price), "last_ts_ms": 1, "last_trade_id": 1}
    )


# == minimum notional (the sim markets: 5 USDT) ==============================================
TOO_SMALL = [
    # limit: qty x price; 0.0001 x 40000 = 4
    {"type": "limit", "qty": "0.0001", "price": "40000.00"},
    # the engine floors the qty to the lot (0.00001) first: 0.000129 -> 0.00012 x 40000 = 4.8
    {"type": "limit", "qty": "0.000129", "price": "40000.00"},
    # stop-limit: its limit price; stop-market: its stop price
    {"type": "stop_limit", "qty": "0.0001", "price": "40000.00", "stop_price": "41000.00"},
    {"type": "stop_market", "qty": "0.0001", "stop_price": "40000.00"},
    # market: the last price the engine applied (60000): 0.00008 x 60000 = 4.8
    {"type": "market", "tif": "ioc", "qty": "0.00008"},
    # trailing stop: where it would trigger now, 60000 + 1000 for a buy: 0.00008 x 61000 = 4.88
    {"type": "trailing_stop", "qty": "0.00008", "trail_offset": "1000"},
]


@pytest.mark.parametrize("order", TOO_SMALL, ids=[o["type"] + str(i) for i, o in enumerate(TOO_SMALL)])
def test_an_order_below_the_minimum_notional_is_400_naming_the_minimum(world: World, order: dict[str, Any]) -> None:
    account = create(world)
    last_price("60000.00")
    response = world.client_for_key(world.admin_key).post(
        f"/api/v1/accounts/{account}/orders", {"symbol": "BTC-USDT", "side": "buy", **order}, format="json"
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "min_notional"
    assert "at least 5 USDT" in error["message"]
    assert error["detail"]["min_notional"] == "5"
    assert error["detail"]["field"] == "qty"
    with dangerously_bypass_rls():
        assert not Order.unscoped.exists()


def test_the_paper_engines_market_spec_carries_the_instruments_minimum() -> None:
    with_minimum = Instrument("binance", "BTC-USDT", Decimal("0.01"), Decimal("0.00001"), Decimal(5))
    assert market_spec(with_minimum).min_notional == 5
    assert market_spec(Instrument("okx", "BTC-USDT", Decimal("0.1"), Decimal("0.00000001"))).min_notional == ZERO


BIG_ENOUGH = [
    {"type": "limit", "qty": "0.0001", "price": "50000.00"},  # exactly 5
    {"type": "market", "tif": "ioc", "qty": "0.0001"},  # 6 at the last price
]


@pytest.mark.parametrize("order", BIG_ENOUGH, ids=["limit-at-the-minimum", "market"])
def test_an_order_at_or_above_the_minimum_goes_on_to_the_engine(
    world: World, namespace: str, order: dict[str, Any]
) -> None:
    account = create(world)
    last_price("60000.00")
    response = world.client_for_key(world.admin_key).post(
        f"/api/v1/accounts/{account}/orders", {"symbol": "BTC-USDT", "side": "buy", **order}, format="json"
    )
    # Past the API's checks: no engine runs here, so the next answer is 503.
    assert response.status_code == 503, response.content


def test_a_market_order_without_a_known_price_is_left_to_the_engine(world: World, namespace: str) -> None:
    account = create(world)
    response = world.client_for_key(world.admin_key).post(
        f"/api/v1/accounts/{account}/orders",
        {"symbol": "SOL-USDT", "side": "buy", "type": "market", "tif": "ioc", "qty": "0.001"},
        format="json",
    )
    assert response.status_code == 503, response.content


# == keyset pages ==============================================================================
def seed(tenant: Tenant, account_id: int, n: int) -> None:
    """n orders (seq 1..n) each with one fill; fills 2k-1 and 2k share a timestamp (ties)."""
    with tenant_context(tenant.pk):
        account = PaperAccount.objects.get(pk=account_id)
        for i in range(1, n + 1):
            order = Order.objects.create(
                tenant=tenant, account=account, order_id=f"{account_id}:{i}", symbol="BTC-USDT", side="buy",
                type="limit", tif="gtc", qty=Decimal(1), price=Decimal(100), status="filled" if i % 3 else "new",
                filled_qty=0, filled_quote=0, fees=0, created_ms=i, updated_ms=i, locked=0, seq=1000 + i,
            )  # fmt: skip
            Fill.objects.create(
                tenant=tenant, account=account, order=order, fill_id=f"{order.order_id}-1", symbol="BTC-USDT",
                side="buy", price=Decimal(100), qty=Decimal(1), fee=0, fee_currency="USDT", liquidity="maker",
                realized_pnl=0, ts_ms=(i + 1) // 2,
            )  # fmt: skip


def walk(client: Any, url: str) -> tuple[list[str], int]:
    """Follow `before` page by page; returns every id seen and the number of pages."""
    ids: list[str] = []
    pages = 0
    before: str | None = None
    while True:
        response = client.get(url, {"limit": 2, **({"before": before} if before else {})})
        assert response.status_code == 200, response.content
        rows = response.json()
        pages += 1
        ids += [r["id"] for r in rows]
        if "Link" not in response:
            assert len(rows) <= 2
            return ids, pages
        assert 'rel="next"' in response["Link"] and f"before={rows[-1]['id']}".replace(":", "%3A") in response["Link"]
        before = rows[-1]["id"]


def test_orders_page_newest_first_by_id_cursor(world: World) -> None:
    account = create(world)
    seed(world.tenant, account, 5)
    client = world.client_for_key(world.read_key)
    ids, pages = walk(client, f"/api/v1/accounts/{account}/orders")
    assert ids == [f"{account}:{i}" for i in (5, 4, 3, 2, 1)]
    assert pages == 3
    # Filters apply across pages: the open ones are 3 (new).
    rows = client.get(f"/api/v1/accounts/{account}/orders", {"status": "open", "before": f"{account}:4"}).json()
    assert [r["id"] for r in rows] == [f"{account}:3"]


def test_fills_page_newest_first_with_timestamp_ties(world: World) -> None:
    account = create(world)
    seed(world.tenant, account, 5)
    ids, pages = walk(world.client_for_key(world.read_key), f"/api/v1/accounts/{account}/fills")
    assert ids == [f"{account}:{i}-1" for i in (5, 4, 3, 2, 1)]
    assert pages == 3


@pytest.mark.parametrize(
    ("path", "before"),
    [
        ("orders", "abc"),
        ("orders", "17"),
        ("orders", "17:1-1"),
        ("orders", "1:2; drop table"),
        ("fills", "17:1"),
        ("fills", "x:1-1"),
    ],
)
def test_a_malformed_cursor_is_400_invalid_cursor(world: World, path: str, before: str) -> None:
    account = create(world)
    response = world.client_for_key(world.read_key).get(f"/api/v1/accounts/{account}/{path}", {"before": before})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_cursor"


def test_another_accounts_or_tenants_id_is_no_cursor(world: World) -> None:
    mine = create(world)
    theirs = create(world, world.other_key)
    seed(world.other, theirs, 2)
    client = world.client_for_key(world.read_key)
    for path, cursor in (("orders", f"{theirs}:2"), ("fills", f"{theirs}:2-1")):
        response = client.get(f"/api/v1/accounts/{mine}/{path}", {"before": cursor})
        assert response.status_code == 400, response.content
        assert response.json()["error"]["code"] == "invalid_cursor"
        # Their account itself stays invisible.
        assert client.get(f"/api/v1/accounts/{theirs}/{path}", {"before": cursor}).status_code == 404
