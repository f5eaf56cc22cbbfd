"""kill -9 the paper engine with resting orders: a restarted engine rebuilds from PostgreSQL,
trades published meanwhile (and replays of old ones) fill each order exactly once."""

from __future__ import annotations

from decimal import Decimal

from backend.tenancy.context import dangerously_bypass_rls
from backend.trading.models import Fill, Order
from tests.tenancy.world import World
from tests.trading.conftest import EngineProcess, Listener, publish_trades, republish, wait_for
from tests.trading.test_engine_worker import applied, balances, fills_of, open_account, price_known


def order_ids(account: int, status: str | None = None) -> list[str]:
    with dangerously_bypass_rls():
        qs = Order.unscoped.filter(account_id=account)
        if status:
            qs = qs.filter(status=status)
        return sorted(qs.values_list("order_id", flat=True))


def test_kill_9_with_resting_orders_then_restart_fills_each_exactly_once(
    committed_world: World, namespace: str
) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    engine = EngineProcess(namespace)
    engine.start()
    try:
        account = open_account(client, maker_fee="0", taker_fee="0")
        price_known(namespace, "60000.00")
        orders = f"/api/v1/accounts/{account}/orders"
        market = {"symbol": "BTC-USDT", "side": "buy", "type": "market", "qty": "0.02"}
        assert client.post(orders, market, format="json").json()["status"] == "filled"
        for price in ("59000.00", "58000.00"):
            body = {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": price}
            assert client.post(orders, body, format="json").status_code == 201
        sell = {"symbol": "BTC-USDT", "side": "sell", "type": "limit", "qty": "0.01", "price": "61000.00"}
        assert client.post(orders, sell, format="json").status_code == 201
        assert balances(client, account)["BTC"] == (Decimal("0.01"), Decimal("0.01"))

        engine.kill9()
        while_down = publish_trades(namespace, "BTC-USDT", [("58900.00", "1")])
        with Listener(namespace) as bus:
            engine.start()
            wait_for(lambda: len(fills_of(account)) == 2, "the trade published while down to fill")
            republish([while_down], namespace)  # a replay of what was applied before: nothing happens
            publish_trades(namespace, "BTC-USDT", [("57500.00", "1")])
            last = publish_trades(namespace, "BTC-USDT", [("61500.00", "1")])[0]
            wait_for(lambda: applied(last.trade_id), "the engine to apply the last trade")
            wait_for(lambda: len(bus.of_kind("fill")) >= 3, "fill messages")
        # The order counter resumes after the stored ids (the account row is only written when
        # its risk state changes, so the counter comes from the orders themselves).
        body = {"symbol": "BTC-USDT", "side": "buy", "type": "limit", "qty": "0.01", "price": "50000.00"}
        assert client.post(orders, body, format="json").json()["id"] == f"{account}:5"
        client.delete(orders)
    finally:
        engine.stop()

    fills = fills_of(account)
    assert [f.fill_id for f in fills] == [f"{account}:{n}-1" for n in (1, 2, 3, 4)]
    assert [(f.price, f.qty) for f in fills] == [
        (Decimal("60000.00"), Decimal("0.02")),
        (Decimal("59000.00"), Decimal("0.01")),
        (Decimal("58000.00"), Decimal("0.01")),
        (Decimal("61000.00"), Decimal("0.01")),
    ]
    assert order_ids(account, "filled") == [f"{account}:{n}" for n in (1, 2, 3, 4)]
    assert sorted(m["id"] for m in bus.of_kind("fill")) == [f.fill_id for f in fills[1:]]
    # 10000 - 1200 - 590 - 580 + 610, exact, with no fee.
    assert balances(client, account) == {"BTC": (Decimal("0.03"), 0), "USDT": (Decimal("8240.00"), 0)}


def test_kill_9_during_a_burst_of_trades_never_doubles_a_fill(committed_world: World, namespace: str) -> None:
    client = committed_world.client_for_key(committed_world.admin_key)
    engine = EngineProcess(namespace)
    engine.start()
    levels = 30
    try:
        account = open_account(client, starting_balance="100000")
        price_known(namespace, "60000.00")
        for i in range(levels):
            body = {
                "symbol": "BTC-USDT",
                "side": "buy",
                "type": "limit",
                "qty": "0.001",
                "price": f"{59000 - i * 10}.00",
            }
            assert client.post(f"/api/v1/accounts/{account}/orders", body, format="json").status_code == 201
        # Print i trades through levels 0..i, and the prints together are smaller than the
        # orders, so every print is consumed in full: applied twice, one would show.
        batches = []
        for i in range(levels):
            batches.append(publish_trades(namespace, "BTC-USDT", [(f"{59000 - i * 10 - 5}.00", "0.0004")]))
            if i == levels // 2:
                engine.kill9()
                engine.start()
        republish(batches[: levels // 2], namespace)  # replays of applied prints change nothing
        marker = publish_trades(namespace, "BTC-USDT", [("60000.00", "1")])[0]  # crosses no bid
        wait_for(lambda: applied(marker.trade_id), "the engine to catch up")
    finally:
        engine.stop()

    with dangerously_bypass_rls():
        fills = list(Fill.unscoped.filter(account_id=account))
        filled = dict(Order.unscoped.filter(account_id=account).values_list("order_id", "filled_qty"))
    assert len({f.fill_id for f in fills}) == len(fills)
    assert sum((f.qty for f in fills), Decimal(0)) == Decimal("0.0004") * levels
    assert sum(filled.values(), Decimal(0)) == Decimal("0.0004") * levels
    per_order: dict[str, Decimal] = {}
    for f in fills:
        per_order[f.order_id] = per_order.get(f.order_id, Decimal(0)) + f.qty
    assert per_order == {k: v for k, v in filled.items() if v}
