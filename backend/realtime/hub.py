"""The NATS -> WebSocket bridge, one per web process (inside the ASGI server).

A process subscribes on NATS to a subject only while at least one of its own clients
wants it, and fans each message out to those clients' bounded queues. NATS does the
cross-process fan-out (every web process is just another subscriber), so no message
passes through Redis and a publish reaches a client in one hop. The frame is built
once per message, not once per client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

import nats
from django.conf import settings
from nats.aio.client import Client
from nats.aio.msg import Msg


class Listener(Protocol):
    def offer(self, frame: str) -> None: ...


class Hub:
    def __init__(self) -> None:
        self.nc: Client | None = None
        self.lock = asyncio.Lock()
        self.listeners: dict[str, dict[str, set[Listener]]] = {}  # subject -> channel key -> listeners
        self.subs: dict[str, Any] = {}

    async def _client(self) -> Client:
        async with self.lock:
            if self.nc is None or self.nc.is_closed:
                self.nc = await nats.connect(
                    servers=[settings.QT_NATS.url], name="qt-push", max_reconnect_attempts=-1, reconnect_time_wait=0.5
                )
            return self.nc

    def _handler(self, subject: str) -> Callable[[Msg], Any]:
        async def on_message(msg: Msg) -> None:
            channels = self.listeners.get(subject)
            if not channels:
                return
            data = msg.data.decode()
            for key, listeners in channels.items():
                frame = f'{{"type":"update","channel":"{key}","data":{data}}}'
                for listener in tuple(listeners):
                    listener.offer(frame)

        return on_message

    async def add(self, subject: str, key: str, listener: Listener) -> None:
        nc = await self._client()
        self.listeners.setdefault(subject, {}).setdefault(key, set()).add(listener)
        if subject not in self.subs:
            self.subs[subject] = await nc.subscribe(subject, cb=self._handler(subject))

    async def remove(self, subject: str, key: str, listener: Listener) -> None:
        channels = self.listeners.get(subject)
        if not channels:
            return
        listeners = channels.get(key)
        if listeners is not None:
            listeners.discard(listener)
            if not listeners:
                del channels[key]
        if not channels:
            del self.listeners[subject]
            sub = self.subs.pop(subject, None)
            if sub is not None:
                await sub.unsubscribe()


_hubs: dict[int, Hub] = {}


def hub() -> Hub:
    """The hub of the running event loop (tests may run several loops in one process)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(id(loop))
    if found is None:
        found = _hubs[id(loop)] = Hub()
    return found
