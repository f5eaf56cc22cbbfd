"""Local stand-ins for Binance, OKX and Bybit: their WebSocket trade streams and the REST
endpoints the connectors backfill from, in the documented message formats.

Trade ids run 1..total per symbol. The first connection streams up to `drop_after` and
closes; the next resumes after skipping `skip` ids, a gap the client must notice and
backfill over REST. Every `malformed_every`-th id is preceded by a malformed message.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve

T0 = 1_795_000_000_000


def trade_fields(trade_id: int) -> tuple[str, str, int, bool]:
    """(price, qty, time ms, taker sold) of trade `trade_id`, the same on every exchange."""
    price = Decimal(60000 + trade_id % 97) + Decimal(trade_id % 100) / 100
    qty = Decimal(trade_id % 13 + 1) / 1000
    return f"{price:.2f}", f"{qty:.3f}", T0 + trade_id * 10, trade_id % 3 == 0


@dataclass
class FakeExchange:
    total: int
    drop_after: int | None = None
    skip: int = 0
    malformed_every: int = 0
    connections: int = 0
    rest_calls: list[dict[str, str]] = field(default_factory=list)
    client_messages: list[str] = field(default_factory=list)
    ws_port: int = 0
    rest_port: int = 0

    # --- per exchange ------------------------------------------------------------------------
    async def symbols_of(self, ws: ServerConnection) -> list[str]:
        raise NotImplementedError

    def stream_messages(self, symbol: str, ids: list[int]) -> list[str]:
        raise NotImplementedError

    def rest(self, path: str, params: dict[str, str]) -> Any:
        raise NotImplementedError

    malformed = '{"unexpected": true}'
    batch = 1  # trades per stream message

    # --- shared ------------------------------------------------------------------------------
    def ids_for_connection(self) -> list[int]:
        if self.connections == 1:
            return list(range(1, (self.drop_after or self.total) + 1))
        return list(range((self.drop_after or 0) + 1 + self.skip, self.total + 1))

    async def _serve_ws(self, ws: ServerConnection) -> None:
        self.connections += 1
        symbols = await self.symbols_of(ws)
        ids = self.ids_for_connection()
        for start in range(0, len(ids), self.batch):
            chunk = ids[start : start + self.batch]
            for symbol in symbols:
                if self.malformed_every and any(i % self.malformed_every == 0 for i in chunk):
                    await ws.send(self.malformed)
                for message in self.stream_messages(symbol, chunk):
                    await ws.send(message)
        if self.connections == 1 and self.drop_after:
            await ws.close()
            return
        async for message in ws:  # answer keep-alives until the client leaves
            self.client_messages.append(str(message))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                fake.rest_calls.append({"path": parts.path, **params})
                payload = json.dumps(fake.rest(parts.path, params)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                return

        return Handler

    @contextmanager
    def running(self) -> Iterator[FakeExchange]:
        rest = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.rest_port = rest.server_address[1]
        threading.Thread(target=rest.serve_forever, daemon=True).start()
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        stop = asyncio.Event()

        async def main() -> None:
            async with serve(self._serve_ws, "127.0.0.1", 0) as server:
                self.ws_port = next(iter(server.sockets)).getsockname()[1]
                ready.set()
                await stop.wait()

        thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
        thread.start()
        ready.wait(10)
        try:
            yield self
        finally:
            loop.call_soon_threadsafe(stop.set)
            thread.join(10)
            rest.shutdown()


# The current NOTIONAL filter on BTCUSDT, the older MIN_NOTIONAL on ETHUSDT (both still served).
BINANCE_NOTIONAL: dict[str, dict[str, Any]] = {
    "BTCUSDT": {"filterType": "NOTIONAL", "minNotional": "5.00000000", "applyMinToMarket": True,
                "maxNotional": "9000000.00000000", "applyMaxToMarket": False, "avgPriceMins": 5},
    "ETHUSDT": {"filterType": "MIN_NOTIONAL", "minNotional": "10.00000000", "applyToMarket": True, "avgPriceMins": 5},
}  # fmt: skip


class FakeBinance(FakeExchange):
    malformed = '{"stream": "x@trade", "data": {"oops": true}}'

    async def symbols_of(self, ws: ServerConnection) -> list[str]:
        query = parse_qs(urlsplit(ws.request.path).query)  # type: ignore[union-attr]
        return [s.split("@")[0].upper() for s in query["streams"][0].split("/")]

    def stream_messages(self, symbol: str, ids: list[int]) -> list[str]:
        return [binance_message(symbol, i) for i in ids]

    def rest(self, path: str, params: dict[str, str]) -> Any:
        if path == "/api/v3/exchangeInfo":
            names = json.loads(params["symbols"])
            return {"symbols": [
                {"symbol": n, "baseAsset": n[:-4], "quoteAsset": n[-4:], "filters": [
                    {"filterType": "PRICE_FILTER", "minPrice": "0.01", "tickSize": "0.01000000"},
                    {"filterType": "LOT_SIZE", "minQty": "0.00001", "stepSize": "0.00001000"},
                    BINANCE_NOTIONAL.get(n, {"filterType": "MAX_NUM_ORDERS", "maxNumOrders": 200}),
                ]} for n in names
            ]}  # fmt: skip
        assert path == "/api/v3/historicalTrades", path
        start, limit = int(params["fromId"]), min(int(params.get("limit", 500)), 1000)
        return [binance_rest_row(i) for i in range(start, min(start + limit, self.total + 1))]


def binance_rest_row(trade_id: int) -> dict[str, Any]:
    price, qty, ts, sold = trade_fields(trade_id)
    return {"id": trade_id, "price": price, "qty": qty, "quoteQty": "0", "time": ts, "isBuyerMaker": sold,
            "isBestMatch": True}  # fmt: skip


def binance_message(symbol: str, trade_id: int) -> str:
    price, qty, ts, sold = trade_fields(trade_id)
    data = {"e": "trade", "E": ts, "s": symbol, "t": trade_id, "p": price, "q": qty, "T": ts, "m": sold, "M": True}
    return json.dumps({"stream": f"{symbol.lower()}@trade", "data": data})


def okx_row(inst_id: str, trade_id: int) -> dict[str, str]:
    price, qty, ts, sold = trade_fields(trade_id)
    return {"instId": inst_id, "tradeId": str(trade_id), "px": price, "sz": qty, "side": "sell" if sold else "buy",
            "ts": str(ts)}  # fmt: skip


class FakeOkx(FakeExchange):
    malformed = '{"arg": {"channel": "trades-all"}, "data": [{"instId": "BTC-USDT"}]}'

    async def symbols_of(self, ws: ServerConnection) -> list[str]:
        request = json.loads(await ws.recv())
        assert request["op"] == "subscribe"
        symbols = []
        for arg in request["args"]:
            assert arg["channel"] == "trades-all"
            symbols.append(arg["instId"])
            await ws.send(json.dumps({"event": "subscribe", "arg": arg, "connId": "a4d3ae55"}))
        return symbols

    def stream_messages(self, symbol: str, ids: list[int]) -> list[str]:
        arg = {"channel": "trades-all", "instId": symbol}
        return [json.dumps({"arg": arg, "data": [okx_row(symbol, i)]}) for i in ids]

    def rest(self, path: str, params: dict[str, str]) -> Any:
        if path == "/api/v5/public/instruments":
            rows = [{"instType": "SPOT", "instId": i, "baseCcy": i.split("-")[0], "quoteCcy": "USDT", "tickSz": "0.1",
                     "lotSz": "0.00000001", "minSz": "0.00001"}
                    for i in ("BTC-USDT", "ETH-USDT", "DOGE-USDT")]  # fmt: skip
            return {"code": "0", "msg": "", "data": rows}
        assert path == "/api/v5/market/history-trades", path
        assert params["type"] == "1"
        before, limit = int(params["after"]), min(int(params.get("limit", 100)), 100)
        ids = list(range(before - 1, max(before - 1 - limit, 0), -1))  # newest first, older than `after`
        return {"code": "0", "msg": "", "data": [okx_row(params["instId"], i) for i in ids]}


def bybit_row(symbol: str, trade_id: int) -> dict[str, Any]:
    price, qty, ts, sold = trade_fields(trade_id)
    return {"T": ts, "s": symbol, "S": "Sell" if sold else "Buy", "v": qty, "p": price, "L": "PlusTick",
            "i": str(2290000000000000000 + trade_id), "BT": False, "seq": 1783284617 + trade_id // 2}  # fmt: skip


class FakeBybit(FakeExchange):
    malformed = '{"topic": "publicTrade.BTCUSDT", "type": "snapshot", "data": [{"s": "BTCUSDT"}]}'
    batch = 2  # several trades per message, as Bybit sends

    async def symbols_of(self, ws: ServerConnection) -> list[str]:
        request = json.loads(await ws.recv())
        assert request["op"] == "subscribe"
        await ws.send(json.dumps({"success": True, "ret_msg": "subscribe", "conn_id": "x", "op": "subscribe"}))
        return [topic.removeprefix("publicTrade.") for topic in request["args"]]

    def stream_messages(self, symbol: str, ids: list[int]) -> list[str]:
        data = [bybit_row(symbol, i) for i in ids]
        return [json.dumps({"topic": f"publicTrade.{symbol}", "type": "snapshot", "ts": T0, "data": data})]

    def rest(self, path: str, params: dict[str, str]) -> Any:
        if path == "/v5/market/instruments-info":
            rows = [{"symbol": f"{b}USDT", "baseCoin": b, "quoteCoin": "USDT", "priceFilter": {"tickSize": "0.01"},
                     "lotSizeFilter": {"basePrecision": "0.000001", "quotePrecision": "0.00000001",
                                       "minOrderQty": "0.000048", "maxOrderQty": "71.73956243",
                                       "minOrderAmt": amount, "maxOrderAmt": "2000000"}}
                    for b, amount in (("BTC", "5"), ("ETH", "1"))]  # fmt: skip
            return {"retCode": 0, "retMsg": "OK", "result": {"category": "spot", "list": rows}}
        assert path == "/v5/market/recent-trade", path
        assert params["category"] == "spot"
        newest = (self.drop_after or 0) + self.skip + 1 if self.connections >= 2 else self.total
        ids = list(range(newest, max(newest - int(params["limit"]), 0), -1))
        rows = []
        for i in ids:
            price, qty, ts, sold = trade_fields(i)
            side = "Sell" if sold else "Buy"
            row = {"execId": str(2290000000000000000 + i), "symbol": params["symbol"], "price": price}
            rows.append({**row, "size": qty, "side": side, "time": str(ts), "isBlockTrade": False})
        return {"retCode": 0, "retMsg": "OK", "result": {"category": "spot", "list": rows}}
