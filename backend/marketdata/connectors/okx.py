"""OKX v5 trades: the `trades-all` channel on the business endpoint (one message per
trade; the public `trades` channel aggregates per taker order).

Subscribe: {"op": "subscribe", "args": [{"channel": "trades-all", "instId": "BTC-USDT"}]}.
Push: {"arg": {...}, "data": [{"instId": "BTC-USDT", "tradeId": "130639474", "px": "42219.9",
"sz": "0.12", "side": "buy", "ts": "1630048897897"}]}; acks are {"event": "subscribe", ...}.
Keep-alive: the client sends the text "ping" when idle (OKX closes connections silent
for 30 s) and gets "pong". Trade ids increase per instrument; after a reconnect, a jump
is filled from GET /api/v5/market/history-trades (type=1: page backwards by trade id
with `after`, 100 per call; 20 requests per 2 s).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection

from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import InvalidTrade, Side, Trade, validate
from backend.marketdata.connectors.base import StreamConnector, decimal_field, size_field
from backend.marketdata.connectors.rest import get_json

EXCHANGE = "okx"
HISTORY_LIMIT = 100


def _trade(row: dict[str, Any], unified: str, now_ms: int) -> Trade:
    side = {"buy": Side.BUY, "sell": Side.SELL}.get(row["side"])
    if side is None:
        raise InvalidTrade(f"unknown side {row['side']!r}")
    return validate(
        Trade(EXCHANGE, unified, int(row["tradeId"]), int(row["ts"]), decimal_field(row["px"]),
              decimal_field(row["sz"]), side, now_ms)
    )  # fmt: skip


@dataclass
class OkxConnector(StreamConnector):
    exchange: str = EXCHANGE
    max_streams: int = 200
    keepalive_s: float = 25.0

    @staticmethod
    def exchange_symbol(unified: str) -> str:
        return unified  # OKX already names spot instruments BASE-QUOTE

    async def subscribe(self, ws: ClientConnection, group: Sequence[str]) -> None:
        args = [{"channel": "trades-all", "instId": s} for s in group]
        await ws.send(json.dumps({"op": "subscribe", "args": args}))

    async def keepalive(self, ws: ClientConnection) -> None:
        await ws.send("ping")

    def decode(self, raw: bytes | str, by_exchange: dict[str, str], now_ms: int) -> list[Trade]:
        if raw == "pong":
            return []
        message = json.loads(raw)
        if "event" in message:
            if message["event"] == "error":
                raise InvalidTrade(f"OKX error {message.get('code')}: {message.get('msg')}")
            return []
        trades = []
        for row in message["data"]:
            unified = by_exchange.get(row["instId"])
            if unified is None:
                raise InvalidTrade(f"trade for an instrument we did not subscribe to: {row['instId']}")
            trades.append(_trade(row, unified, now_ms))
        return trades

    async def load_instruments(self) -> list[Instrument]:
        body = await get_json(
            self.rest_url, "/api/v5/public/instruments", {"instType": "SPOT"}, budget=self.budget, weight=1
        )
        wanted = set(self.symbols)
        # OKX has no minimum order value: its minimum is a base quantity (minSz), not a notional,
        # so min_notional stays None rather than a made-up quote amount.
        return [
            Instrument(EXCHANGE, row["instId"], size_field(row["tickSz"]), size_field(row["lotSz"]))
            for row in body.get("data") or []
            if row["instId"] in wanted
        ]

    def is_newer(self, previous: Trade, trade: Trade) -> bool:
        return trade.trade_id > previous.trade_id

    def is_gap(self, previous: Trade, trade: Trade) -> bool:
        return trade.trade_id > previous.trade_id + 1

    async def backfill(self, symbol: str, previous: Trade, first_new: Trade) -> list[Trade]:
        missed: list[Trade] = []
        before = first_new.trade_id  # `after` pages towards older ids
        while True:
            body = await get_json(
                self.rest_url,
                "/api/v5/market/history-trades",
                {"instId": symbol, "type": 1, "after": before, "limit": HISTORY_LIMIT},
                budget=self.budget,
                weight=1,
            )
            rows = body.get("data") or []
            now_ms = int(time.time() * 1000)
            page = [_trade(r, symbol, now_ms) for r in rows if int(r["tradeId"]) > previous.trade_id]
            missed.extend(page)
            if len(page) < len(rows) or not rows:
                break
            before = min(int(r["tradeId"]) for r in rows)
        return sorted(missed, key=lambda t: t.trade_id)
