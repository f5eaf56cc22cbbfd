from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backend.marketdata.connectors.rest import ExchangeBanned, WeightBudget, get_json


@pytest.fixture
def server() -> Iterator[tuple[str, list[int]]]:
    """Answers with the statuses queued in the list, then 200 with []."""
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = statuses.pop(0) if statuses else 200
            body = json.dumps([] if status == 200 else {"code": -1003}).encode()
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", statuses
    httpd.shutdown()


def test_429_pauses_for_retry_after_then_succeeds(server: tuple[str, list[int]]) -> None:
    url, statuses = server
    statuses.append(429)
    budget = WeightBudget(6000)
    start = time.monotonic()
    assert asyncio.run(get_json(url, "/x", {}, budget=budget, weight=25)) == []
    assert time.monotonic() - start >= 1.0


def test_418_stops_every_later_request(server: tuple[str, list[int]]) -> None:
    url, statuses = server
    statuses.append(418)
    budget = WeightBudget(6000)
    with pytest.raises(ExchangeBanned):
        asyncio.run(get_json(url, "/x", {}, budget=budget, weight=1))
    with pytest.raises(ExchangeBanned):
        asyncio.run(get_json(url, "/x", {}, budget=budget, weight=1))


def test_the_budget_spreads_weight_over_the_minute() -> None:
    budget = WeightBudget(600)  # 10 weight per second

    async def spend() -> float:
        start = time.monotonic()
        await budget.acquire(600)  # the whole minute's budget at once
        await budget.acquire(10)  # must wait ~1 s for refill
        return time.monotonic() - start

    assert asyncio.run(spend()) >= 0.9
