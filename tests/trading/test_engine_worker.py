"""The vertical slice for real: API -> NATS request/reply -> paper_engine subprocess -> PostgreSQL,
trades from JetStream filling orders, fills published on NATS."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from backend.bus.client import Bus, BusSettings
from backend.tenancy.context import dangerously_bypass_rls
from backend.trading import wire
from backend.trading.models import Fill, MarketState, Order
from tests.tenancy.world import World
from tests.trading.conftest import EngineProcess, Listener, publish_trades, republish, wait_for

pytestmark = pytest.mark.usefixtures("engine")

LIMIT_BUY = {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": "59000.00"}


def open_account(client: APIClient, **overrides: Any) -> int:
    body = {"name": "slice", "exchange": "sim", "currency": "USDT", "starting_balance": "10000", **overrides}
    response = client.post("/api/v1/accounts", body, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def fills_of(account: int) -> list[Fill]:
    with dangerously_bypass_rls():
        return list(Fill.unscoped.filter(account_id=account).order_by("fill_id"))


def applied(trade_id: int, symbol: str = "BTC-USDT") -> bool:
    """The engine committed this trade (and everything it caused)."""
    row = MarketState.objects.filter(exchange="sim", symbol=symbol).first()
    return row is not None and row.last_trade_id >= trade_id


def price_known(namespace: str, price: str, symbol: str = "BTC-USDT") -> None:
    trade = publish_trades(namespace, symbol, [(price, "0.5")])[0]
    wait_for(lambda: applied(trade.trade_id, symbol), "the engine to apply the price")


def balances(client: APIClient, account: int) -> dict[str, tuple[Decimal, Decimal]]:
    rows = client.get(f"/api/v1/accounts/{account}/balances").json()
    return {r["asset"]: (Decimal(r["free"]), Decimal(r["locked"])) for r in rows}


def test_limit_order_rests_then_fills_from_a_print_once_persisted_and_published(
    committed_world: World, namespace: str
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client, maker_fee="0.001")
    price_known(namespace, "60000.00")
    with Listener(namespace) as bus:
        response = client.post(f"/api/v1/accounts/{account}/orders", LIMIT_BUY, format="json")
        assert response.status_code == 201, response.content
        order = response.json()
        assert (order["status"], order["filled_qty"], order["id"]) == ("new", "0", f"{account}:1")
        # 590 + the maximum fee (0.59) is held for the order.
        assert balances(client, account)["USDT"] == (Decimal("9409.41"), Decimal("590.59"))

        batch = publish_trades(namespace, "BTC-USDT", [("58900.00", "1")])
        wait_for(lambda: fills_of(account), "the fill to be stored")
        # The same batch again (a publisher retry) and the engine catching up past it.
        republish([batch], namespace)
        marker = publish_trades(namespace, "BTC-USDT", [("58800.00", "1")])[0]
        wait_for(lambda: applied(marker.trade_id), "the marker trade")
        wait_for(lambda: bus.of_kind("fill") and bus.of_kind("position"), "fill and position messages")

    [fill] = fills_of(account)
    assert (fill.fill_id, fill.price, fill.qty, fill.fee, fill.liquidity) == (
        f"{account}:1-1",
        Decimal("59000.00"),
        Decimal("0.01"),
        Decimal("0.59"),
        "maker",
    )
    stored = client.get(f"/api/v1/accounts/{account}/orders/{account}:1").json()
    assert (stored["status"], Decimal(stored["filled_qty"]), Decimal(stored["avg_price"])) == (
        "filled",
        Decimal("0.01"),
        Decimal(59000),
    )
    assert [f["id"] for f in client.get(f"/api/v1/accounts/{account}/fills").json()] == [f"{account}:1-1"]
    assert balances(client, account) == {"BTC": (Decimal("0.01"), 0), "USDT": (Decimal("9409.41"), 0)}
    [position] = client.get(f"/api/v1/accounts/{account}/positions").json()
    assert (position["symbol"], Decimal(position["qty"]), Decimal(position["avg_entry"])) == (
        "BTC-USDT",
        Decimal("0.01"),
        Decimal(59000),
    )
    assert Decimal(position["mark"]) == Decimal("58800.00")
    assert Decimal(position["unrealized_pnl"]) == Decimal("-2.00")
    published = bus.of_kind("fill")
    assert [m["id"] for m in published] == [f"{account}:1-1"]
    assert published[0]["price"] == "59000.00"
    assert bus.of_kind("position")[-1]["qty"] == "0.01"


def test_market_orders_fill_at_the_last_price_or_are_rejected_without_one(
    committed_world: World, namespace: str
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client, taker_fee="0.001")
    market = {"symbol": "SOL-USDT", "side": "buy", "type": "market", "qty": "2"}
    response = client.post(f"/api/v1/accounts/{account}/orders", market, format="json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_market_price"
    assert response.json()["error"]["detail"]["order"]["status"] == "rejected"

    price_known(namespace, "150.00", "SOL-USDT")
    response = client.post(f"/api/v1/accounts/{account}/orders", market, format="json")
    assert response.status_code == 201, response.content
    order = response.json()
    assert (order["status"], Decimal(order["avg_price"]), Decimal(order["fees"])) == ("filled", 150, Decimal("0.3"))
    [fill] = fills_of(account)
    assert (fill.order_id, fill.liquidity, fill.qty) == (order["id"], "taker", 2)
    assert balances(client, account) == {"SOL": (2, 0), "USDT": (Decimal("9699.7"), 0)}
    # Rejections are kept (the client order id namespace includes them); nothing else was written.
    statuses = [o["status"] for o in client.get(f"/api/v1/accounts/{account}/orders").json()]
    assert statuses == ["filled", "rejected"]


def test_duplicate_client_order_id_returns_the_first_order(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    price_known(namespace, "60000.00")
    body = {**LIMIT_BUY, "client_order_id": "abc-1"}
    first = client.post(f"/api/v1/accounts/{account}/orders", body, format="json")
    again = client.post(f"/api/v1/accounts/{account}/orders", {**body, "qty": "0.02"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["qty"] == "0.01"
    with dangerously_bypass_rls():
        assert Order.unscoped.filter(account_id=account).count() == 1


def test_cancel_cancel_all_and_cancelling_a_final_order(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    price_known(namespace, "60000.00")
    ids = [
        client.post(f"/api/v1/accounts/{account}/orders", {**LIMIT_BUY, "price": p}, format="json").json()["id"]
        for p in ("59000.00", "58000.00", "57000.00")
    ]
    response = client.delete(f"/api/v1/accounts/{account}/orders/{ids[0]}")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reject_reason"]) == ("cancelled", "cancelled_by_user")
    again = client.delete(f"/api/v1/accounts/{account}/orders/{ids[0]}")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "order_not_open",
        "message": "The order is cancelled; only open orders can be cancelled.",
        "detail": {"status": "cancelled"},
    }
    assert client.delete(f"/api/v1/accounts/{account}/orders/{account}:99").status_code == 404

    rest = client.delete(f"/api/v1/accounts/{account}/orders")
    assert rest.status_code == 200
    assert sorted(o["id"] for o in rest.json()) == sorted(ids[1:])
    assert balances(client, account)["USDT"] == (Decimal(10000), 0)
    assert client.get(f"/api/v1/accounts/{account}/orders?status=open").json() == []

    market = {"symbol": "BTC-USDT", "side": "buy", "type": "market", "qty": "0.01"}
    filled = client.post(f"/api/v1/accounts/{account}/orders", market, format="json").json()
    response = client.delete(f"/api/v1/accounts/{account}/orders/{filled['id']}")
    assert response.status_code == 409
    assert response.json()["error"]["detail"] == {"status": "filled"}


def test_engine_rejections_risk_limits_kill_switch_and_reset(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client, risk_limits={"max_order_notional": "1000"})
    price_known(namespace, "60000.00")
    response = client.post(f"/api/v1/accounts/{account}/orders", {**LIMIT_BUY, "qty": "0.1"}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (422, "max_order_notional")
    response = client.patch(
        f"/api/v1/accounts/{account}", {"risk_limits": {"max_order_notional": "100000"}}, format="json"
    )
    assert response.json()["risk_limits"] == {"max_order_notional": "100000"}
    response = client.post(f"/api/v1/accounts/{account}/orders", {**LIMIT_BUY, "qty": "1"}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (422, "insufficient_balance")

    client.post(f"/api/v1/accounts/{account}/orders", LIMIT_BUY, format="json")
    market = {"symbol": "BTC-USDT", "side": "buy", "type": "market", "qty": "0.01"}
    assert client.post(f"/api/v1/accounts/{account}/orders", market, format="json").status_code == 201
    response = client.patch(f"/api/v1/accounts/{account}", {"kill_switch": True}, format="json")
    assert response.json()["kill_switch"] is True
    assert client.get(f"/api/v1/accounts/{account}/orders?status=open").json() == []
    response = client.post(f"/api/v1/accounts/{account}/orders", market, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (422, "kill_switch")
    client.patch(f"/api/v1/accounts/{account}", {"kill_switch": False}, format="json")

    client.post(f"/api/v1/accounts/{account}/orders", LIMIT_BUY, format="json")
    response = client.post(f"/api/v1/accounts/{account}/reset")
    assert response.status_code == 200, response.content
    assert balances(client, account) == {"BTC": (0, 0), "USDT": (Decimal(10000), 0)}
    assert client.get(f"/api/v1/accounts/{account}/positions").json() == []
    assert client.get(f"/api/v1/accounts/{account}/orders?status=open").json() == []
    # Order ids keep counting after a reset, so history never collides.
    after = client.post(f"/api/v1/accounts/{account}/orders", LIMIT_BUY, format="json").json()
    assert int(after["id"].split(":")[1]) > 5


def test_equity_is_sampled_and_a_closed_account_is_gone(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client)
    price_known(namespace, "60000.00")
    client.post(f"/api/v1/accounts/{account}/orders", LIMIT_BUY, format="json")  # the engine loads the account
    samples = wait_for(lambda: client.get(f"/api/v1/accounts/{account}/equity").json(), "an equity sample")
    assert Decimal(samples[-1]["equity"]) == Decimal(10000)
    assert client.delete(f"/api/v1/accounts/{account}").status_code == 204
    assert client.get(f"/api/v1/accounts/{account}").status_code == 404
    assert client.post(f"/api/v1/accounts/{account}/orders", LIMIT_BUY, format="json").status_code == 404
    with dangerously_bypass_rls():
        assert Order.unscoped.get(account_id=account).status == "cancelled"
    # The engine keeps sampling the other accounts' equity after a close, and keeps answering.
    other = open_account(client)
    client.post(f"/api/v1/accounts/{other}/orders", LIMIT_BUY, format="json")
    wait_for(lambda: client.get(f"/api/v1/accounts/{other}/equity").json(), "the next account's equity sample")
    assert client.post(f"/api/v1/accounts/{other}/orders", LIMIT_BUY, format="json").status_code == 201


def test_engine_process_is_the_one_answering(engine: EngineProcess) -> None:
    assert engine.proc is not None and engine.proc.poll() is None


def test_a_stop_triggers_on_a_print_and_malformed_commands_are_answered(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    account = open_account(client, maker_fee="0", taker_fee="0")
    price_known(namespace, "60000.00")
    orders = f"/api/v1/accounts/{account}/orders"
    client.post(orders, {"symbol": "BTC-USDT", "side": "buy", "type": "market", "qty": "0.02"}, format="json")
    stop = {"symbol": "BTC-USDT", "side": "sell", "type": "stop_market", "qty": "0.02", "stop_price": "59000.00"}
    response = client.post(orders, stop, format="json")
    assert (response.status_code, response.json()["status"]) == (201, "new")
    publish_trades(namespace, "BTC-USDT", [("59500.00", "1")])  # above the stop: nothing
    publish_trades(namespace, "BTC-USDT", [("58950.00", "1")])
    wait_for(lambda: len(fills_of(account)) == 2, "the stop to fill")
    stopped = client.get(f"{orders}/{response.json()['id']}").json()
    assert (stopped["status"], Decimal(stopped["avg_price"])) == ("filled", Decimal("58950.00"))
    [flat] = client.get(f"/api/v1/accounts/{account}/positions").json()
    assert (Decimal(flat["qty"]), flat["avg_entry"]) == (0, None)
    assert Decimal(flat["realized_pnl"]) == Decimal("-21")  # 0.02 x (58950 - 60000)

    async def garbage() -> wire.Reply:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=namespace), name="garbage")
        reply = await bus.nc.request(bus.subjects.trading_command(0), b'{"cmd": "launch_missiles"}', timeout=5)
        await bus.close()
        return wire.reply_decoder.decode(reply.data)

    answer = asyncio.run(garbage())
    assert (answer.ok, answer.code) == (False, "malformed_command")
