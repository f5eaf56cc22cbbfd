"""Each exchange connector against a local server speaking that exchange's wire formats:
every trade in order, gaps after a dropped connection backfilled over REST, malformed
messages skipped, stream limits honoured."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal

import pytest

from backend.engine.market.trade import Side, Trade
from backend.marketdata.connectors.base import StreamConnector
from backend.marketdata.connectors.binance import BinanceConnector, decode_message
from backend.marketdata.connectors.bybit import BybitConnector
from backend.marketdata.connectors.okx import OkxConnector
from backend.marketdata.connectors.rest import WeightBudget
from tests.marketdata.fake_exchanges import (
    FakeBinance,
    FakeBybit,
    FakeExchange,
    FakeOkx,
    binance_message,
    trade_fields,
)

EXCHANGES: dict[str, tuple[Callable[..., FakeExchange], type[StreamConnector]]] = {
    "binance": (FakeBinance, BinanceConnector),
    "okx": (FakeOkx, OkxConnector),
    "bybit": (FakeBybit, BybitConnector),
}
BYBIT_ID_BASE = 2290000000000000000


def trade_ids(exchange: str, trades: list[Trade]) -> list[int]:
    offset = BYBIT_ID_BASE if exchange == "bybit" else 0
    return [t.trade_id - offset for t in trades]


def run_connector(
    exchange: str, fake: FakeExchange, symbols: list[str], expect: int, **options: object
) -> tuple[list[Trade], StreamConnector]:
    received: list[Trade] = []
    connector_class = EXCHANGES[exchange][1]

    async def main() -> StreamConnector:
        stop = asyncio.Event()

        async def publish(symbol: str, trades: list[Trade]) -> None:
            received.extend(trades)
            if len(received) >= expect:
                stop.set()

        connector = connector_class(
            ws_url=f"ws://127.0.0.1:{fake.ws_port}",
            rest_url=f"http://127.0.0.1:{fake.rest_port}",
            symbols=symbols,
            publish=publish,
            budget=WeightBudget(6000),
            **options,
        )
        task = asyncio.create_task(connector.run(stop))
        await asyncio.wait_for(stop.wait(), timeout=20)
        await asyncio.wait_for(task, timeout=10)
        return connector

    return received, asyncio.run(main())


@pytest.mark.parametrize("exchange", EXCHANGES)
def test_streams_every_trade_of_every_symbol_in_order(exchange: str) -> None:
    fake = EXCHANGES[exchange][0](total=300)
    with fake.running():
        trades, _ = run_connector(exchange, fake, ["BTC-USDT", "ETH-USDT"], expect=600)
    for symbol in ("BTC-USDT", "ETH-USDT"):
        mine = [t for t in trades if t.symbol == symbol]
        assert trade_ids(exchange, mine) == list(range(1, 301))
        price, qty, ts, sold = trade_fields(7)
        seventh = mine[6]
        assert (str(seventh.price), str(seventh.qty), seventh.ts_ms) == (price, qty, ts)
        assert seventh.side == (Side.SELL if sold else Side.BUY)
        assert seventh.exchange == exchange


@pytest.mark.parametrize("exchange", EXCHANGES)
def test_a_dropped_connection_with_a_gap_is_reconnected_and_backfilled(exchange: str) -> None:
    fake = EXCHANGES[exchange][0](total=400, drop_after=150, skip=40)
    with fake.running():
        trades, connector = run_connector(exchange, fake, ["BTC-USDT"], expect=400)
    assert trade_ids(exchange, trades) == list(range(1, 401))  # complete, in order, no duplicates
    assert connector.reconnects >= 1 and fake.connections >= 2
    assert len(fake.rest_calls) >= 1


def test_bybit_recovers_what_its_recent_trades_endpoint_still_holds() -> None:
    fake = FakeBybit(total=400, drop_after=150, skip=100)  # longer than the 60 recent trades
    with fake.running():
        trades, _ = run_connector("bybit", fake, ["BTC-USDT"], expect=150 + 59 + 150)
    ids = trade_ids("bybit", trades)
    assert ids[:150] == list(range(1, 151))
    assert ids[150:] == list(range(192, 401))  # the newest 60 of the gap, then the stream


@pytest.mark.parametrize("exchange", EXCHANGES)
def test_malformed_messages_are_counted_and_skipped_without_stalling(exchange: str) -> None:
    fake = EXCHANGES[exchange][0](total=200, malformed_every=50)
    with fake.running():
        trades, connector = run_connector(exchange, fake, ["SOL-USDT"], expect=200)
    assert trade_ids(exchange, trades) == list(range(1, 201))
    assert connector.malformed == 4


@pytest.mark.parametrize("exchange", EXCHANGES)
def test_symbols_beyond_the_stream_limit_get_their_own_connections(exchange: str) -> None:
    fake = EXCHANGES[exchange][0](total=50)
    with fake.running():
        trades, _ = run_connector(exchange, fake, ["BTC-USDT", "ETH-USDT", "SOL-USDT"], expect=150, max_streams=2)
    assert fake.connections == 2
    assert len(trades) == 150


def test_binance_documented_message_decodes_to_a_normalized_trade() -> None:
    trade = decode_message(binance_message("BTCUSDT", 42), {"BTCUSDT": "BTC-USDT"}, now_ms=5)
    price, qty, ts, sold = trade_fields(42)
    assert (trade.exchange, trade.symbol, trade.trade_id, trade.ts_ms) == ("binance", "BTC-USDT", 42, ts)
    assert (str(trade.price), str(trade.qty)) == (price, qty) and sold and trade.side == Side.SELL


@pytest.mark.parametrize(("exchange", "ping"), [("okx", "ping"), ("bybit", '{"op": "ping"}')])
def test_idle_connections_send_the_exchanges_keepalive(exchange: str, ping: str) -> None:
    fake = EXCHANGES[exchange][0](total=5)
    with fake.running():
        run_connector_keepalive(exchange, fake)
    assert ping in fake.client_messages


def run_connector_keepalive(exchange: str, fake: FakeExchange) -> None:
    async def main() -> None:
        stop = asyncio.Event()

        async def publish(symbol: str, trades: list[Trade]) -> None:
            return None

        connector = EXCHANGES[exchange][1](
            ws_url=f"ws://127.0.0.1:{fake.ws_port}", rest_url=f"http://127.0.0.1:{fake.rest_port}",
            symbols=["BTC-USDT"], publish=publish, budget=WeightBudget(6000), keepalive_s=1.0,
        )  # fmt: skip
        task = asyncio.create_task(connector.run(stop))
        await asyncio.sleep(3.5)
        stop.set()
        await asyncio.wait_for(task, timeout=10)

    asyncio.run(main())


@pytest.mark.parametrize(
    ("exchange", "tick", "lot", "btc_min", "eth_min"),
    [
        # Binance: the NOTIONAL filter (BTC) or the older MIN_NOTIONAL (ETH), minNotional.
        ("binance", "0.01", "0.00001", "5", "10"),
        # OKX has no minimum order value, only a minimum size (minSz, base units): none, honestly.
        ("okx", "0.1", "0.00000001", None, None),
        # Bybit spot: lotSizeFilter.minOrderAmt, in the quote coin.
        ("bybit", "0.01", "0.000001", "5", "1"),
    ],
)
def test_instruments_come_from_the_exchange_info_endpoint(
    exchange: str, tick: str, lot: str, btc_min: str | None, eth_min: str | None
) -> None:
    fake = EXCHANGES[exchange][0](total=1)

    async def main() -> list:  # type: ignore[type-arg]
        async def publish(symbol: str, trades: list[Trade]) -> None:
            return None

        connector = EXCHANGES[exchange][1](
            ws_url=f"ws://127.0.0.1:{fake.ws_port}", rest_url=f"http://127.0.0.1:{fake.rest_port}",
            symbols=["BTC-USDT", "ETH-USDT"], publish=publish, budget=WeightBudget(6000),
        )  # fmt: skip
        return await connector.load_instruments()

    with fake.running():
        found = asyncio.run(main())
    assert {(i.exchange, i.symbol, i.tick_size, i.lot_size, i.min_notional) for i in found} == {
        (exchange, "BTC-USDT", Decimal(tick), Decimal(lot), None if btc_min is None else Decimal(btc_min)),
        (exchange, "ETH-USDT", Decimal(tick), Decimal(lot), None if eth_min is None else Decimal(eth_min)),
    }
