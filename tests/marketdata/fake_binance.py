"""A local stand-in for Binance spot: the combined trade stream over WebSocket and
GET /api/v3/historicalTrades over HTTP, in the documented message formats.

Trade ids are 1..N per symbol. The WebSocket server streams them in order; it can drop
the connection after a given id and, on the next connection, resume after skipping
some, which the client must notice and backfill over REST.
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
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection, serve

T0 = 1_795_000_000_000


def trade_row(symbol: str, trade_id: int) -> dict[str, object]:
    price = Decimal(60000 + trade_id % 97) + Decimal(trade_id % 100) / 100
    qty = Decimal(trade_id % 13 + 1) / 1000
    return {
        "id": trade_id,
        "price": f"{price:.2f}",
        "qty": f"{qty:.3f}",
        "quoteQty": f"{price * qty:.5f}",
        "time": T0 + trade_id * 10,
        "isBuyerMaker": trade_id % 3 == 0,
        "isBestMatch": True,
    }


def stream_message(symbol: str, trade_id: int) -> str:
    row = trade_row(symbol, trade_id)
    data = {
        "e": "trade", "E": row["time"], "s": symbol, "t": trade_id, "p": row["price"], "q": row["qty"],
        "T": row["time"], "m": row["isBuyerMaker"], "M": True,
    }  # fmt: skip
    return json.dumps({"stream": f"{symbol.lower()}@trade", "data": data})


@dataclass
class FakeBinance:
    total: int  # trades per symbol
    drop_after: int | None = None  # close the first connection after this id
    skip: int = 0  # ids the next connection skips (the gap)
    malformed_every: int = 0
    connections: int = 0
    rest_calls: list[dict[str, str]] = field(default_factory=list)
    ws_port: int = 0
    rest_port: int = 0

    async def _serve_ws(self, ws: ServerConnection) -> None:
        self.connections += 1
        query = parse_qs(urlsplit(ws.request.path).query)
        symbols = [s.split("@")[0].upper() for s in query["streams"][0].split("/")]
        first = 1 if self.connections == 1 else (self.drop_after or 0) + 1 + self.skip
        last = self.drop_after if (self.connections == 1 and self.drop_after) else self.total
        for trade_id in range(first, last + 1):
            for symbol in symbols:
                if self.malformed_every and trade_id % self.malformed_every == 0:
                    await ws.send('{"stream": "x@trade", "data": {"oops": true}}')
                await ws.send(stream_message(symbol, trade_id))
        if self.connections == 1 and self.drop_after:
            await ws.close()
            return
        await ws.wait_closed()

    def _rest_handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                fake.rest_calls.append({"path": parts.path, **params})
                if parts.path != "/api/v3/historicalTrades":
                    self.send_error(404)
                    return
                start = int(params["fromId"])
                limit = min(int(params.get("limit", 500)), 1000)
                body = [trade_row(params["symbol"], i) for i in range(start, min(start + limit, fake.total + 1))]
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                return

        return Handler

    @contextmanager
    def running(self) -> Iterator[FakeBinance]:
        rest = ThreadingHTTPServer(("127.0.0.1", 0), self._rest_handler())
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
