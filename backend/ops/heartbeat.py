"""Worker heartbeats in Redis: each long-running component writes one; /readyz reads them."""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

KEY_PREFIX = "qt:hb:"
CELERY_COMPONENT = "celery"


@dataclass(frozen=True)
class Heartbeat:
    component: str
    ts: float
    pid: int
    host: str

    def age_s(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.ts


def key_for(component: str) -> str:
    return f"{KEY_PREFIX}{component}"


def payload(component: str) -> str:
    return json.dumps({"component": component, "ts": time.time(), "pid": os.getpid(), "host": socket.gethostname()})


def parse(raw: bytes | str | None) -> Heartbeat | None:
    if raw is None:
        return None
    try:
        data: dict[str, Any] = json.loads(raw)
        return Heartbeat(
            component=str(data["component"]), ts=float(data["ts"]), pid=int(data["pid"]), host=str(data["host"])
        )
    except (ValueError, KeyError, TypeError):
        return None


def expiry_s(ttl_s: float) -> int:
    # The key outlives the freshness window so /readyz can say how stale it is
    # instead of only "missing".
    return max(int(ttl_s * 10), 60)


def beat_sync(client: Any, component: str, ttl_s: float) -> None:
    client.set(key_for(component), payload(component), ex=expiry_s(ttl_s))


async def beat_async(client: Any, component: str, ttl_s: float) -> None:
    await client.set(key_for(component), payload(component), ex=expiry_s(ttl_s))
