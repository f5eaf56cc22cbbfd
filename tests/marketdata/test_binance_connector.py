"""The Binance connector against a local server speaking Binance's wire formats."""

from __future__ import annotations

import asyncio

from backend.engine.market.trade import Side, Trade
from backend.marketdata.connectors.binance import BinanceConnector, decode_message
from backend.marketdata.connectors.rest import WeightBudget
from tests.marketdata.fake_binance import FakeBinance, stream_message, trade_row


def run_connector(
    fake: FakeBinance, symbols: list[str], expect: int, timeout_s: float = 20
) -> tuple[list[Trade], BinanceConnector]:
    received: list[Trade] = []

    async def main() -> BinanceConnector:
        stop = asyncio.Event()

        async def publish(symbol: str, trades: list[Trade]) -> None:
            received.extend(trades)
            if len(received) >= expect:
                stop.set()

        connector = BinanceConnector(
            ws_url=f"ws://127.0.0.1:{fake.ws_port}",
            rest_url=f"http://127.0.0.1:{fake.rest_port}",
            symbols=symbols,
            publish=publish,
            budget=WeightBudget(6000),
        )
        task = asyncio.create_task(connector.run(stop))
        await asyncio.wait_for(stop.wait(), timeout=timeout_s)
        await asyncio.wait_for(task, timeout=10)
        return connector

    connector = asyncio.run(main())
    return received, connector


def test_documented_trade_message_decodes_to_a_normalized_trade() -> None:
    trade = decode_message(stream_message("BTCUSDT", 42), {"BTCUSDT": "BTC-USDT"}, now_ms=5)
    row = trade_row("BTCUSDT", 42)
    assert (trade.exchange, trade.symbol, trade.trade_id, trade.ts_ms) == ("binance", "BTC-USDT", 42, row["time"])
    assert str(trade.price) == row["price"] and str(trade.qty) == row["qty"]
    assert trade.side == Side.SELL  # id 42: buyer is maker, so the taker sold


def test_streams_every_trade_of_every_symbol_in_order() -> None:
    fake = FakeBinance(total=300)
    with fake.running():
        trades, _ = run_connector(fake, ["BTC-USDT", "ETH-USDT"], expect=600)
    for symbol in ("BTC-USDT", "ETH-USDT"):
        assert [t.trade_id for t in trades if t.symbol == symbol] == list(range(1, 301))


def test_a_dropped_connection_with_a_gap_is_reconnected_and_backfilled_over_rest() -> None:
    fake = FakeBinance(total=400, drop_after=150, skip=40)
    with fake.running():
        trades, connector = run_connector(fake, ["BTC-USDT"], expect=400)
    ids = [t.trade_id for t in trades]
    assert ids == list(range(1, 401))  # complete, in order, no duplicates
    assert connector.reconnects >= 1 and fake.connections >= 2
    [call] = [c for c in fake.rest_calls if c["path"] == "/api/v3/historicalTrades"]
    assert call["symbol"] == "BTCUSDT" and call["fromId"] == "151"


def test_malformed_messages_are_counted_and_skipped_without_stalling() -> None:
    fake = FakeBinance(total=200, malformed_every=50)
    with fake.running():
        trades, connector = run_connector(fake, ["SOL-USDT"], expect=200)
    assert [t.trade_id for t in trades] == list(range(1, 201))
    assert connector.malformed == 4


def test_symbols_beyond_the_stream_limit_get_their_own_connections() -> None:
    fake = FakeBinance(total=50)
    with fake.running():
        received: list[Trade] = []

        async def main() -> None:
            stop = asyncio.Event()

            async def publish(symbol: str, trades: list[Trade]) -> None:
                received.extend(trades)
                if len(received) >= 150:
                    stop.set()

            connector = BinanceConnector(
                ws_url=f"ws://127.0.0.1:{fake.ws_port}", rest_url=f"http://127.0.0.1:{fake.rest_port}",
                symbols=["BTC-USDT", "ETH-USDT", "SOL-USDT"], publish=publish, budget=WeightBudget(6000), max_streams=2,
            )  # fmt: skip
            task = asyncio.create_task(connector.run(stop))
            await asyncio.wait_for(stop.wait(), timeout=20)
            await task

        asyncio.run(main())
    assert fake.connections == 2
    assert len(received) == 150
