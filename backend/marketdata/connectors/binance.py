"""Binance spot trades: combined `<symbol>@trade` streams, gap backfill over REST.

Wire format (combined stream): {"stream": "btcusdt@trade", "data": {"e": "trade",
"E": event ms, "s": "BTCUSDT", "t": trade id, "p": "price", "q": "qty", "T": trade ms,
"m": buyer is maker, ...}}. The server pings every 20 s (the websockets library answers
with pongs) and drops every connection after 24 hours; the base reconnects. Trade ids
are consecutive per symbol, so a jump is a gap, filled from GET
/api/v3/historicalTrades (fromId, up to 1,000 per call, weight 25) through the
exchange's shared REST budget. 1,024 streams per connection at most.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import structlog

from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import InvalidTrade, Side, Trade, validate
from backend.marketdata.connectors.base import StreamConnector, decimal_field, min_notional_field, size_field
from backend.marketdata.connectors.rest import get_json

log = structlog.get_logger(__name__)

EXCHANGE = "binance"
HISTORICAL_TRADES_WEIGHT = 25
HISTORICAL_TRADES_LIMIT = 1000


def exchange_symbol(unified: str) -> str:
    return unified.replace("-", "")


class _Payload(msgspec.Struct):
    s: str
    t: int
    p: str
    q: str
    T: int
    m: bool


class _Envelope(msgspec.Struct):
    stream: str
    data: _Payload


_decoder = msgspec.json.Decoder(_Envelope)


def decode_message(raw: bytes | str, symbols: dict[str, str], now_ms: int) -> Trade:
    """One combined-stream message -> a validated trade; raises on anything unexpected."""
    data = _decoder.decode(raw).data
    unified = symbols.get(data.s)
    if unified is None:
        raise InvalidTrade(f"trade for a symbol we did not subscribe to: {data.s}")
    side = Side.SELL if data.m else Side.BUY  # buyer was maker: the seller took
    return validate(
        Trade(EXCHANGE, unified, data.t, data.T, decimal_field(data.p), decimal_field(data.q), side, now_ms)
    )


def trade_from_rest(row: dict[str, Any], unified: str, now_ms: int) -> Trade:
    side = Side.SELL if row["isBuyerMaker"] else Side.BUY
    price, qty = decimal_field(row["price"]), decimal_field(row["qty"])
    return validate(Trade(EXCHANGE, unified, int(row["id"]), int(row["time"]), price, qty, side, now_ms))


@dataclass
class BinanceConnector(StreamConnector):
    exchange: str = EXCHANGE
    max_streams: int = 1024

    @staticmethod
    def exchange_symbol(unified: str) -> str:
        return exchange_symbol(unified)

    def connection_url(self, group: Sequence[str]) -> str:
        streams = "/".join(f"{exchange_symbol(s).lower()}@trade" for s in group)
        return f"{self.ws_url.rstrip('/')}/stream?streams={streams}"

    def decode(self, raw: bytes | str, by_exchange: dict[str, str], now_ms: int) -> list[Trade]:
        return [decode_message(raw, by_exchange, now_ms)]

    async def load_instruments(self) -> list[Instrument]:
        names = json.dumps([exchange_symbol(s) for s in self.symbols], separators=(",", ":"))
        body = await get_json(self.rest_url, "/api/v3/exchangeInfo", {"symbols": names}, budget=self.budget, weight=20)
        found = []
        for row in body["symbols"]:
            filters = {f["filterType"]: f for f in row.get("filters", [])}
            # NOTIONAL (current) or MIN_NOTIONAL (its predecessor, still on some symbols).
            notional = filters.get("NOTIONAL") or filters.get("MIN_NOTIONAL") or {}
            minimum = notional.get("minNotional")
            found.append(
                Instrument(
                    EXCHANGE,
                    f"{row['baseAsset']}-{row['quoteAsset']}",
                    size_field(filters["PRICE_FILTER"]["tickSize"]),
                    size_field(filters["LOT_SIZE"]["stepSize"]),
                    min_notional_field(minimum),
                )
            )
        return found

    def is_newer(self, previous: Trade, trade: Trade) -> bool:
        return trade.trade_id > previous.trade_id

    def is_gap(self, previous: Trade, trade: Trade) -> bool:
        return trade.trade_id > previous.trade_id + 1

    async def backfill(self, symbol: str, previous: Trade, first_new: Trade) -> list[Trade]:
        missed: list[Trade] = []
        next_id = previous.trade_id + 1
        while next_id < first_new.trade_id:
            rows = await get_json(
                self.rest_url,
                "/api/v3/historicalTrades",
                {"symbol": exchange_symbol(symbol), "fromId": next_id, "limit": HISTORICAL_TRADES_LIMIT},
                budget=self.budget,
                weight=HISTORICAL_TRADES_WEIGHT,
            )
            if not rows:
                log.warning("binance.backfill_incomplete", symbol=symbol, missing_from=next_id)
                break
            now_ms = int(time.time() * 1000)
            missed.extend(trade_from_rest(r, symbol, now_ms) for r in rows if int(r["id"]) < first_new.trade_id)
            next_id = int(rows[-1]["id"]) + 1
        return missed
