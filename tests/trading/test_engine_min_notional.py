"""The paper_engine worker (a real subprocess) holds orders to each market's minimum notional,
whether the API pre-checked them or not: commands are sent to it directly here."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from backend.marketdata import instruments
from backend.trading import gateway, wire
from backend.trading.models import MarketState
from tests.tenancy.world import World
from tests.trading.conftest import publish_trades, wait_for

pytestmark = pytest.mark.usefixtures("engine")


def open_account(client: APIClient, exchange: str = "sim") -> int:
    body = {"name": "dust", "exchange": exchange, "currency": "USDT", "starting_balance": "10000"}
    response = client.post("/api/v1/accounts", body, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def submit(account: int, **fields: object) -> wire.Reply:
    return gateway.send(wire.Submit(account=account, symbol="BTC-USDT", side="buy", **fields), account_id=account)  # type: ignore[arg-type]


def test_the_engine_rejects_orders_below_a_sim_markets_minimum(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    trade = publish_trades(namespace, "BTC-USDT", [("60000.00", "0.5")])[0]
    applied = MarketState.objects.filter(exchange="sim", symbol="BTC-USDT", last_trade_id__gte=trade.trade_id)
    wait_for(applied.exists, "the engine to apply the price")

    # 0.00008 x 60000 = 4.8 USDT, below the sim markets' 5.
    reply = submit(account, type="market", tif="ioc", qty=Decimal("0.00008"))
    assert (reply.ok, reply.code) == (False, "min_notional")
    assert reply.order is not None and reply.order["status"] == "rejected"
    reply = submit(account, type="limit", qty=Decimal("0.0001"), price=Decimal("40000.00"))
    assert (reply.ok, reply.code) == (False, "min_notional")

    # 0.0001 x 60000 = 6: fills.
    reply = submit(account, type="market", tif="ioc", qty=Decimal("0.0001"))
    assert reply.ok, reply
    assert reply.order is not None and reply.order["status"] == "filled"


def test_the_engine_uses_a_stored_instruments_minimum(committed_world: World, namespace: str) -> None:
    # As the ingest worker stores it from exchange info; the engine adds the market when first traded.
    instruments.register("binance", "BTC-USDT", "BTCUSDT", Decimal("0.01"), Decimal("0.00001"), Decimal(100))
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client, exchange="binance")

    reply = submit(account, type="limit", qty=Decimal("0.001"), price=Decimal("60000.00"))  # 60 < 100
    assert (reply.ok, reply.code) == (False, "min_notional")
    reply = submit(account, type="limit", qty=Decimal("0.002"), price=Decimal("50000.00"))  # exactly 100
    assert reply.ok, reply
    assert reply.order is not None and reply.order["status"] == "new"
