"""The API's line to the paper engine: NATS request/reply from synchronous Django code.

Django serves requests on plain threads; nats-py is asyncio. One background thread per
process runs an event loop holding one NATS connection (made on first use, so forked
server workers each get their own), and request threads hand it requests and wait for
the answer with a deadline. The engine worker is the single writer of trading state:
the API never decides an order's fate itself, it asks the engine and relays the answer.
"""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import nats
from django.conf import settings
from nats.aio.client import Client

from backend.bus.subjects import Subjects
from backend.ops.errors import ApiError
from backend.trading import wire


class EngineUnavailable(ApiError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            code="engine_unavailable",
            message="The paper trading engine did not answer; nothing was changed by this request"
            " unless a retry with the same client_order_id shows otherwise.",
            status_code=503,
            detail={"reason": reason},
        )


class _Link:
    def __init__(self, url: str) -> None:
        self.url = url
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="qt-engine-link", daemon=True)
        self.thread.start()
        self.nc: Client | None = None
        self.lock = asyncio.Lock()

    async def _client(self) -> Client:
        async with self.lock:
            if self.nc is None or self.nc.is_closed:
                self.nc = await nats.connect(
                    servers=[self.url],
                    name="qt-api-engine-link",
                    connect_timeout=2,
                    reconnect_time_wait=0.5,
                    max_reconnect_attempts=-1,
                    allow_reconnect=True,
                )
            return self.nc

    async def _request(self, subject: str, payload: bytes, timeout_s: float) -> bytes:
        nc = await self._client()
        msg = await nc.request(subject, payload, timeout=timeout_s)
        return bytes(msg.data)

    def request(self, subject: str, payload: bytes, timeout_s: float) -> bytes:
        future = asyncio.run_coroutine_threadsafe(self._request(subject, payload, timeout_s), self.loop)
        try:
            return future.result(timeout=timeout_s + 2)
        except nats.errors.NoRespondersError:
            raise EngineUnavailable("no_engine_running") from None
        except (TimeoutError, FutureTimeout, nats.errors.TimeoutError):
            future.cancel()
            raise EngineUnavailable("timeout") from None
        except (OSError, nats.errors.Error) as exc:
            raise EngineUnavailable(f"bus_error: {type(exc).__name__}") from None

    async def _publish(self, subject: str, payload: bytes) -> None:
        nc = await self._client()
        await nc.publish(subject, payload)
        await nc.flush(timeout=2)

    def publish(self, subject: str, payload: bytes, timeout_s: float) -> None:
        """Core NATS publish, flushed (so the server has it when this returns); raises on failure."""
        future = asyncio.run_coroutine_threadsafe(self._publish(subject, payload), self.loop)
        try:
            future.result(timeout=timeout_s)
        except (TimeoutError, FutureTimeout):
            future.cancel()
            raise


_link: _Link | None = None
_link_guard = threading.Lock()


def _get_link() -> _Link:
    global _link
    url = settings.QT_NATS.url
    with _link_guard:
        if _link is None or _link.pid != os.getpid() or _link.url != url:
            _link = _Link(url)
        return _link


def partition_of(account_id: int) -> int:
    return account_id % settings.CONFIG.trading.partitions


def send(command: wire.Command, *, account_id: int | None = None) -> wire.Reply:
    """Send one command to the engine owning the account and return its reply (503 when none answers)."""
    subjects = Subjects(settings.QT_NATS.namespace)
    subject = subjects.trading_command(partition_of(account_id) if account_id is not None else 0)
    payload = wire.command_encoder.encode(command)
    raw = _get_link().request(subject, payload, settings.CONFIG.trading.command_timeout_s)
    return wire.reply_decoder.decode(raw)


def publish(subject: str, payload: bytes, timeout_s: float = 5.0) -> None:
    """Publish one core NATS message from synchronous code over this process's link (at most once:
    callers publish after their commit, and a failure raises for them to log)."""
    _get_link().publish(subject, payload, timeout_s)


def describe() -> dict[str, Any]:
    return {"partitions": settings.CONFIG.trading.partitions}
