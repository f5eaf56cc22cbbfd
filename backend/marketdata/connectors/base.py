"""What every exchange trade connector shares: connections split by the stream limit,
reconnect with exponential backoff and full jitter, keep-alive, de-duplication around
reconnects, gap backfill, and batched publishing. Subclasses speak one exchange's
protocol: URL and subscription, keep-alive message, decoding, REST backfill.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import msgspec
import structlog
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from backend.engine.market.instrument import Instrument
from backend.engine.market.trade import InvalidTrade, Trade
from backend.marketdata.connectors.rest import WeightBudget
from backend.ops.metrics import BUS_MALFORMED

log = structlog.get_logger(__name__)

# After a flush, how long trades may gather before the next one: one event-loop pass
# batches whatever the sockets already hold, and under load batches grow by themselves
# while the previous flush waits for its acks.
FLUSH_INTERVAL_S = 0.001
MAX_BACKOFF_S = 30.0
Publish = Callable[[str, list[Trade]], Awaitable[None]]


def size_field(raw: str) -> Decimal:
    """A tick or lot size without the trailing zeros exchanges pad them with ("0.01000000" -> 0.01)."""
    return decimal_field(raw).normalize()


def min_notional_field(raw: str | None) -> Decimal | None:
    """An exchange's minimum order value; absent, empty or zero means it has none."""
    if raw is None or raw == "":
        return None
    value = size_field(raw)
    return value if value > 0 else None


def decimal_field(raw: str) -> Decimal:
    try:
        return Decimal(raw)
    except InvalidOperation:
        raise InvalidTrade(f"not a decimal: {raw!r}") from None


@dataclass
class StreamConnector:
    ws_url: str
    rest_url: str
    symbols: Sequence[str]  # unified BASE-QUOTE
    publish: Publish
    budget: WeightBudget
    max_streams: int = 100
    exchange: str = ""
    # Seconds without a message after which the connector sends its keep-alive.
    keepalive_s: float = 20.0
    last: dict[str, Trade] = field(default_factory=dict)
    _pending: dict[str, list[Trade]] = field(default_factory=dict)
    _has_pending: asyncio.Event = field(default_factory=asyncio.Event)
    malformed: int = 0
    reconnects: int = 0

    # --- the protocol, per exchange -------------------------------------------------------

    @staticmethod
    def exchange_symbol(unified: str) -> str:
        raise NotImplementedError

    def connection_url(self, group: Sequence[str]) -> str:
        return self.ws_url

    async def subscribe(self, ws: ClientConnection, group: Sequence[str]) -> None:
        return None

    async def keepalive(self, ws: ClientConnection) -> None:
        return None

    def decode(self, raw: bytes | str, by_exchange: dict[str, str], now_ms: int) -> list[Trade]:
        """Trades in one message ([] for acks and pongs); raise on anything malformed."""
        raise NotImplementedError

    def is_gap(self, previous: Trade, trade: Trade) -> bool:
        return False

    async def load_instruments(self) -> list[Instrument]:
        """Tick and lot sizes and minimum notional of the subscribed symbols, from exchange info."""
        return []

    async def backfill(self, symbol: str, previous: Trade, first_new: Trade) -> list[Trade]:
        """Trades strictly between `previous` and `first_new`, oldest first."""
        return []

    def is_newer(self, previous: Trade, trade: Trade) -> bool:
        return (trade.ts_ms, trade.trade_id) > (previous.ts_ms, previous.trade_id)

    # --- shared machinery -----------------------------------------------------------------

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
        by_exchange = {self.exchange_symbol(s): s for s in group}
        backoff = 0.5
        while not stop.is_set():
            try:
                async with connect(self.connection_url(group), open_timeout=10, max_size=2**22) as ws:
                    await self.subscribe(ws, group)
                    backoff = 0.5
                    log.info("connector.connected", exchange=self.exchange, streams=len(group))
                    idle_since = time.monotonic()
                    while not stop.is_set():
                        try:
                            raw = await asyncio.wait_for(ws.recv(), timeout=1.0)
                        except TimeoutError:
                            if time.monotonic() - idle_since >= self.keepalive_s:
                                await self.keepalive(ws)
                                idle_since = time.monotonic()
                            continue
                        idle_since = time.monotonic()
                        await self._on_message(raw, by_exchange)
            except (OSError, WebSocketException, TimeoutError) as exc:
                log.warning("connector.disconnected", exchange=self.exchange, error=str(exc) or type(exc).__name__)
            if stop.is_set():
                return
            self.reconnects += 1
            # Full jitter keeps many connectors from reconnecting in lockstep.
            await asyncio.sleep(random.uniform(0, backoff))  # noqa: S311
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def _on_message(self, raw: bytes | str, by_exchange: dict[str, str]) -> None:
        try:
            trades = self.decode(raw, by_exchange, int(time.time() * 1000))
        except (msgspec.DecodeError, msgspec.ValidationError, InvalidTrade, KeyError, ValueError) as exc:
            self.malformed += 1
            BUS_MALFORMED.labels(f"{self.exchange}-ws").inc()
            log.warning("connector.malformed_message", exchange=self.exchange, error=str(exc), sample=str(raw)[:200])
            return
        for trade in trades:
            previous = self.last.get(trade.symbol)
            if previous is not None and not self.is_newer(previous, trade):
                continue  # already seen (a replay around a reconnect)
            if previous is not None and self.is_gap(previous, trade):
                log.info("connector.backfill", exchange=self.exchange, symbol=trade.symbol)
                for missed in await self.backfill(trade.symbol, previous, trade):
                    self._accept(missed)
            self._accept(trade)

    def _accept(self, trade: Trade) -> None:
        self._pending.setdefault(trade.symbol, []).append(trade)
        self._has_pending.set()
        self.last[trade.symbol] = trade

    async def _flush_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._has_pending.wait()
            await asyncio.sleep(FLUSH_INTERVAL_S)
            await self._flush()

    async def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        self._has_pending.clear()
        # Concurrently: each publish waits for its JetStream ack, and the symbols'
        # round trips overlap instead of adding up.
        await asyncio.gather(*(self.publish(symbol, trades) for symbol, trades in pending.items() if trades))
