from __future__ import annotations

import time
from decimal import Decimal

import pytest

from backend.engine.aggregate.klines import aggregate
from backend.engine.sim.generator import SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS
from backend.marketdata.services import ingest_trades
from tests.tenancy.world import World, build_world

pytestmark = pytest.mark.usefixtures("md_tables")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def recent_trades() -> list:  # type: ignore[type-arg]
    now = int(time.time() * 1000)
    trades = list(SimExchange(DEFAULT_MARKETS, seed=11).trades("BTC-USDT", now - 10 * 60_000, now))
    ingest_trades(trades)
    return trades


def test_klines_are_binance_compatible_rows_ascending(world: World, recent_trades: list) -> None:  # type: ignore[type-arg]
    client = world.client_for_key(world.read_key)
    response = client.get(
        "/api/v1/market/klines", {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "limit": 5}
    )
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 5 and [r[0] for r in rows] == sorted(r[0] for r in rows)
    reference = aggregate(recent_trades, ["1m"])
    for row in rows:
        k = reference[("1m", row[0])]
        assert row == [k.open_time, str(k.open), str(k.high), str(k.low), str(k.close), str(k.volume),
                       k.open_time + 59_999, str(k.quote_volume), k.trades]  # fmt: skip


def test_klines_from_start_and_up_to_end(world: World, recent_trades: list) -> None:  # type: ignore[type-arg]
    client = world.client_for_key(world.read_key)
    all_rows = client.get("/api/v1/market/klines", {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m"}).json()
    start = all_rows[2][0]
    end = all_rows[4][0]
    ranged = client.get(
        "/api/v1/market/klines",
        {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "start": start, "end": end},
    ).json()
    assert [r[0] for r in ranged] == [r[0] for r in all_rows[2:5]]


def test_trades_and_ticker(world: World, recent_trades: list) -> None:  # type: ignore[type-arg]
    client = world.client_for_key(world.read_key)
    trades = client.get("/api/v1/market/trades", {"exchange": "sim", "symbol": "BTC-USDT", "limit": 3}).json()
    assert [t["id"] for t in trades] == [t.trade_id for t in recent_trades[-3:]]
    [ticker] = client.get("/api/v1/market/ticker", {"symbol": "BTC-USDT"}).json()
    assert ticker["last_price"] == str(recent_trades[-1].price)
    assert ticker["trades"] == len(recent_trades)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"exchange": "nyse", "symbol": "BTC-USDT", "interval": "1m"}, "unknown_exchange"),
        ({"exchange": "sim", "symbol": "DOGE-EUR", "interval": "1m"}, "unknown_symbol"),
        ({"exchange": "sim", "symbol": "BTC-USDT", "interval": "7m"}, "unknown_interval"),
        ({"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "start": 20, "end": 10}, "invalid_input"),
        ({"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "limit": 1501}, "invalid_input"),
        ({"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "limit": 0}, "invalid_input"),
        ({"exchange": "sim", "symbol": "BTC-USDT", "interval": "1m", "start": "yesterday"}, "invalid_input"),
    ],
)
def test_bad_market_queries_are_400_with_a_reason(world: World, params: dict, code: str) -> None:  # type: ignore[type-arg]
    response = world.client_for_key(world.read_key).get("/api/v1/market/klines", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_history_depth_follows_the_tier(world: World) -> None:
    too_old = int(time.time() * 1000) - 31 * 86_400_000  # free tier: 30 days
    response = world.client_for_key(world.read_key).get(
        "/api/v1/market/klines", {"exchange": "sim", "symbol": "BTC-USDT", "interval": "1h", "start": too_old}
    )
    assert response.status_code == 403
    assert response.json()["error"]["detail"]["history_days"] == 30


def test_market_data_needs_authentication() -> None:
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/market/instruments").status_code == 401


def test_instruments_list_the_sim_markets(world: World) -> None:
    rows = world.client_for_key(world.read_key).get("/api/v1/market/instruments").json()
    assert {("sim", "BTC-USDT"), ("sim", "ETH-USDT"), ("sim", "SOL-USDT")} <= {
        (r["exchange"], r["symbol"]) for r in rows
    }
    btc = next(r for r in rows if r["symbol"] == "BTC-USDT")
    assert (btc["base"], btc["quote"], btc["tick_size"]) == ("BTC", "USDT", "0.01")
    assert btc["min_notional"] == "5"


def test_instruments_carry_the_stored_min_notional_and_none_when_the_exchange_has_none(world: World) -> None:
    from backend.marketdata import instruments

    instruments.register("binance", "BTC-USDT", "BTCUSDT", Decimal("0.01"), Decimal("0.00001"), Decimal("5.0000"))
    instruments.register("okx", "BTC-USDT", "BTC-USDT", Decimal("0.1"), Decimal("0.00000001"), None)
    rows = world.client_for_key(world.read_key).get("/api/v1/market/instruments").json()
    by_market = {(r["exchange"], r["symbol"]): r for r in rows}
    assert by_market[("binance", "BTC-USDT")]["min_notional"] == "5"
    assert by_market[("okx", "BTC-USDT")]["min_notional"] is None
    # Exchange info read again: a changed minimum is updated, a dropped one cleared.
    instruments.register("binance", "BTC-USDT", "BTCUSDT", Decimal("0.01"), Decimal("0.00001"), Decimal(10))
    assert instruments.get("binance", "BTC-USDT").min_notional == 10  # type: ignore[union-attr]
    instruments.register("binance", "BTC-USDT", "BTCUSDT", Decimal("0.01"), Decimal("0.00001"), None)
    assert instruments.get("binance", "BTC-USDT").min_notional is None  # type: ignore[union-attr]
