"""REST access to exchanges within their limits: one weight budget per exchange.

Requests wait for budget (a token bucket refilled per minute); a 429 pauses the whole
budget for the server's Retry-After; a 418 (IP banned for ignoring 429s) stops all
requests to that exchange, since continuing would extend the ban.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any


class ExchangeBanned(RuntimeError):
    pass


class RestError(RuntimeError):
    pass


class WeightBudget:
    def __init__(self, weight_per_minute: int) -> None:
        self.capacity = float(weight_per_minute)
        self.tokens = float(weight_per_minute)
        self.updated = time.monotonic()
        self.paused_until = 0.0
        self.banned = False
        self._lock = asyncio.Lock()

    async def acquire(self, weight: int) -> None:
        async with self._lock:
            while True:
                if self.banned:
                    raise ExchangeBanned("the exchange answered 418 (IP banned); REST requests stopped")
                now = time.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.capacity / 60.0)
                self.updated = now
                wait = max(self.paused_until - now, (weight - self.tokens) * 60.0 / self.capacity)
                if wait <= 0:
                    self.tokens -= weight
                    return
                await asyncio.sleep(min(wait, 5.0))

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


async def get_json(base_url: str, path: str, params: dict[str, Any], *, budget: WeightBudget, weight: int) -> Any:
    url = f"{base_url.rstrip('/')}{path}?{urllib.parse.urlencode(params)}"
    for _attempt in range(5):
        await budget.acquire(weight)
        try:
            return await asyncio.to_thread(_fetch, url)
        except urllib.error.HTTPError as exc:
            if exc.code == 418:
                budget.banned = True
                raise ExchangeBanned(f"{url}: 418 IP banned") from None
            if exc.code == 429:
                budget.pause(float(exc.headers.get("Retry-After") or 60))
                continue
            raise RestError(f"{url}: HTTP {exc.code}") from None
    raise RestError(f"{url}: still rate limited after retries")


def _fetch(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - exchange URL from config
        return json.loads(response.read())
