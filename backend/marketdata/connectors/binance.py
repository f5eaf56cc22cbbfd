"""Binance spot trades: combined `<symbol>@trade` streams, gap backfill over REST.

Wire format (combined stream): {"stream": "btcusdt@trade", "data": {"e": "trade",
"E": event ms, "s": "BTCUSDT", "t": trade id, "p": "price", "q": "qty", "T": trade ms,
"m": buyer is maker, ...}}. The server pings every 20 s (the websockets library answers
with pongs) and drops every connection after 24 hours; either way the connector
reconnects with exponential backoff and jitter. Trade ids are consecutive per symbol,
so a jump after a reconnect is a gap, filled from GET /api/v3/historicalTrades
(fromId, up to 1,000 per call, weight 25) through the exchange's shared REST budget.
Symbols beyond the per-connection stream limit get connections of their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
import structlog
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

from backend.engine.market.trade import InvalidTrade, Side, Trade, validate
from backend.marketdata.connectors.rest import WeightBudget, get_json
from backend.ops.metrics import BUS_MALFORMED

log = structlog.get_logger(__name__)

EXCHANGE = "binance"
HISTORICAL_TRADES_WEIGHT = 25
HISTORICAL_TRADES_LIMIT = 1000
FLUSH_INTERVAL_S = 0.1
MAX_BACKOFF_S = 30.0

Publish = Callable[[str, list[Trade]], Awaitable[None]]


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


def _decimal(raw: str) -> Decimal:
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise InvalidTrade(f"not a decimal: {raw!r}") from None


def decode_message(raw: bytes | str, symbols: dict[str, str], now_ms: int) -> Trade:
    """One combined-stream message -> a validated trade; raises on anything unexpected."""
    envelope = _decoder.decode(raw)
    data = envelope.data
    unified = symbols.get(data.s)
    if unified is None:
        raise InvalidTrade(f"trade for a symbol we did not subscribe to: {data.s}")
    side = Side.SELL if data.m else Side.BUY  # buyer was maker: the seller took
    return validate(Trade(EXCHANGE, unified, data.t, data.T, _decimal(data.p), _decimal(data.q), side, now_ms))


def trade_from_rest(row: dict[str, Any], unified: str, now_ms: int) -> Trade:
    side = Side.SELL if row["isBuyerMaker"] else Side.BUY
    return validate(
        Trade(
            EXCHANGE,
            unified,
            int(row["id"]),
            int(row["time"]),
            _decimal(row["price"]),
            _decimal(row["qty"]),
            side,
            now_ms,
        )
    )


@dataclass
class BinanceConnector:
    ws_url: str
    rest_url: str
    symbols: Sequence[str]  # unified
    publish: Publish
    budget: WeightBudget
    max_streams: int = 1024
    last_id: dict[str, int] = field(default_factory=dict)
    _pending: dict[str, list[Trade]] = field(default_factory=dict)
    malformed: int = 0
    reconnects: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        groups = [self.symbols[i : i + self.max_streams] for i in range(0, len(self.symbols), self.max_streams)]
        flusher = asyncio.create_task(self._flush_loop(stop))
        try:
            await asyncio.gather(*(self._connection(group, stop) for group in groups))
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await self._flush()

    async def _connection(self, group: Sequence[str], stop: asyncio.Event) -> None:
        by_exchange = {exchange_symbol(s): s for s in group}
        streams = "/".join(f"{exchange_symbol(s).lower()}@trade" for s in group)
        url = f"{self.ws_url.rstrip('/')}/stream?streams={streams}"
        backoff = 0.5
        while not stop.is_set():
            try:
                async with connect(url, open_timeout=10, ping_interval=20, ping_timeout=20, max_size=2**20) as ws:
                    backoff = 0.5
                    log.info("binance.connected", streams=len(group))
                    while not stop.is_set():
                        try:
                            raw = await asyncio.wait_for(ws.recv(), timeout=1.0)
                        except TimeoutError:
                            continue
                        await self._on_message(raw, by_exchange)
            except (OSError, WebSocketException, TimeoutError) as exc:
                log.warning("binance.disconnected", error=str(exc) or type(exc).__name__)
            if stop.is_set():
                return
            self.reconnects += 1
            # Full jitter keeps many connectors from reconnecting in lockstep.
            await asyncio.sleep(random.uniform(0, backoff))  # noqa: S311
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def _on_message(self, raw: bytes | str, by_exchange: dict[str, str]) -> None:
        try:
            trade = decode_message(raw, by_exchange, int(time.time() * 1000))
        except (msgspec.DecodeError, msgspec.ValidationError, InvalidTrade) as exc:
            self.malformed += 1
            BUS_MALFORMED.labels("binance-ws").inc()
            log.warning("binance.malformed_message", error=str(exc), sample=str(raw)[:200])
            return
        last = self.last_id.get(trade.symbol)
        if last is not None and trade.trade_id <= last:
            return  # already seen (a replay around a reconnect)
        if last is not None and trade.trade_id > last + 1:
            await self._backfill(trade.symbol, last + 1, trade.trade_id - 1)
        self._accept(trade)

    def _accept(self, trade: Trade) -> None:
        self._pending.setdefault(trade.symbol, []).append(trade)
        self.last_id[trade.symbol] = trade.trade_id

    async def _backfill(self, symbol: str, first_id: int, last_id: int) -> None:
        log.info("binance.backfill", symbol=symbol, first_id=first_id, last_id=last_id)
        next_id = first_id
        while next_id <= last_id:
            rows = await get_json(
                self.rest_url,
                "/api/v3/historicalTrades",
                {"symbol": exchange_symbol(symbol), "fromId": next_id, "limit": HISTORICAL_TRADES_LIMIT},
                budget=self.budget,
                weight=HISTORICAL_TRADES_WEIGHT,
            )
            if not rows:
                log.warning("binance.backfill_incomplete", symbol=symbol, missing_from=next_id, to=last_id)
                return
            now_ms = int(time.time() * 1000)
            for row in rows:
                if int(row["id"]) > last_id:
                    break
                self._accept(trade_from_rest(row, symbol, now_ms))
            next_id = int(rows[-1]["id"]) + 1

    async def _flush_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(FLUSH_INTERVAL_S)
            await self._flush()

    async def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        for symbol, trades in pending.items():
            if trades:
                await self.publish(symbol, trades)
