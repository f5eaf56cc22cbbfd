"""Bybit v5 spot trades: `publicTrade.<SYMBOL>` on the public spot stream.

Subscribe: {"op": "subscribe", "args": ["publicTrade.BTCUSDT", ...]} (at most 10 topics
per request). Push: {"topic": "publicTrade.BTCUSDT", "type": "snapshot", "ts": ...,
"data": [{"T": trade ms, "s": "BTCUSDT", "S": "Buy", "v": "qty", "p": "price",
"i": trade id, "BT": block trade, "seq": cross sequence}]}; several messages may share
one seq. Keep-alive: {"op": "ping"} every 20 s. Gap after a reconnect: Bybit's REST
recent-trade returns only the latest trades (spot: 60), so the backfill recovers the
gap when it is that short and logs what it could not recover otherwise.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from websockets.asyncio.client import ClientConnection

from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import InvalidTrade, Side, Trade, validate
from backend.marketdata.connectors.base import StreamConnector, decimal_field, min_notional_field, size_field
from backend.marketdata.connectors.rest import get_json

log = structlog.get_logger(__name__)

EXCHANGE = "bybit"
TOPICS_PER_REQUEST = 10
RECENT_LIMIT = 60


def trade_id(raw: str) -> int:
    """Bybit spot ids are decimal strings; anything else (UUIDs elsewhere) maps to a
    stable 63-bit integer so the storage key stays numeric and replays still match."""
    if raw.isdigit():
        return int(raw)
    return int.from_bytes(hashlib.blake2b(raw.encode(), digest_size=8).digest(), "big") >> 1


def _trade(unified: str, ts: int, raw_id: str, price: str, qty: str, side: str, now_ms: int) -> Trade:
    taker = {"Buy": Side.BUY, "Sell": Side.SELL}.get(side)
    if taker is None:
        raise InvalidTrade(f"unknown side {side!r}")
    return validate(
        Trade(EXCHANGE, unified, trade_id(raw_id), ts, decimal_field(price), decimal_field(qty), taker, now_ms)
    )


@dataclass
class BybitConnector(StreamConnector):
    exchange: str = EXCHANGE
    max_streams: int = 200
    keepalive_s: float = 20.0

    @staticmethod
    def exchange_symbol(unified: str) -> str:
        return unified.replace("-", "")

    async def subscribe(self, ws: ClientConnection, group: Sequence[str]) -> None:
        topics = [f"publicTrade.{self.exchange_symbol(s)}" for s in group]
        for i in range(0, len(topics), TOPICS_PER_REQUEST):
            await ws.send(json.dumps({"op": "subscribe", "args": topics[i : i + TOPICS_PER_REQUEST]}))

    async def keepalive(self, ws: ClientConnection) -> None:
        await ws.send(json.dumps({"op": "ping"}))

    def decode(self, raw: bytes | str, by_exchange: dict[str, str], now_ms: int) -> list[Trade]:
        message = json.loads(raw)
        if "op" in message:  # subscription ack or pong
            if message.get("success") is False:
                raise InvalidTrade(f"Bybit refused {message.get('op')}: {message.get('ret_msg')}")
            return []
        if not str(message.get("topic", "")).startswith("publicTrade."):
            raise InvalidTrade(f"unexpected topic {message.get('topic')!r}")
        trades = []
        for row in message["data"]:
            unified = by_exchange.get(row["s"])
            if unified is None:
                raise InvalidTrade(f"trade for a symbol we did not subscribe to: {row['s']}")
            trades.append(_trade(unified, int(row["T"]), str(row["i"]), row["p"], row["v"], row["S"], now_ms))
        return trades

    async def load_instruments(self) -> list[Instrument]:
        body = await get_json(
            self.rest_url, "/v5/market/instruments-info", {"category": "spot"}, budget=self.budget, weight=1
        )
        wanted = {self.exchange_symbol(s) for s in self.symbols}
        return [
            Instrument(
                EXCHANGE,
                f"{row['baseCoin']}-{row['quoteCoin']}",
                size_field(row["priceFilter"]["tickSize"]),
                size_field(row["lotSizeFilter"]["basePrecision"]),
                # Spot: the smallest order value in the quote coin.
                min_notional_field(row["lotSizeFilter"].get("minOrderAmt")),
            )
            for row in (body.get("result") or {}).get("list") or []
            if row["symbol"] in wanted
        ]

    def is_gap(self, previous: Trade, trade: Trade) -> bool:
        # Spot ids increase by one per trade; a jump means trades were missed.
        return trade.trade_id > previous.trade_id + 1 and trade.trade_id - previous.trade_id < 10**9

    def is_newer(self, previous: Trade, trade: Trade) -> bool:
        return (trade.ts_ms, trade.trade_id) > (previous.ts_ms, previous.trade_id)

    async def backfill(self, symbol: str, previous: Trade, first_new: Trade) -> list[Trade]:
        body = await get_json(
            self.rest_url,
            "/v5/market/recent-trade",
            {"category": "spot", "symbol": self.exchange_symbol(symbol), "limit": RECENT_LIMIT},
            budget=self.budget,
            weight=1,
        )
        rows: list[dict[str, Any]] = (body.get("result") or {}).get("list") or []
        now_ms = int(time.time() * 1000)
        trades = [
            _trade(symbol, int(r["time"]), str(r["execId"]), r["price"], r["size"], r["side"], now_ms) for r in rows
        ]
        missed = sorted(
            (t for t in trades if previous.trade_id < t.trade_id < first_new.trade_id), key=lambda t: t.trade_id
        )
        expected = first_new.trade_id - previous.trade_id - 1
        if len(missed) < expected:
            log.warning("bybit.backfill_partial", symbol=symbol, recovered=len(missed), missing=expected)
        return missed
