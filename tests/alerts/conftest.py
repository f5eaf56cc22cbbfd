"""Local webhook receivers (plain HTTP on 127.0.0.1) and a config that lets webhooks reach them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.tenancy.world import World, build_world
from tests.trading.conftest import roomy


@dataclass
class Receiver:
    url: str
    fail_times: int = 0
    status_on_fail: int = 500
    redirect_to: str | None = None
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    calls: int = 0
    # When set, the first request hangs until the event is set (then gets no useful answer).
    hang_first: threading.Event | None = None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.calls += 1
            if state.hang_first is not None and state.calls == 1:
                state.hang_first.wait(timeout=120)
                return
            if state.redirect_to:
                self.send_response(307)
                self.send_header("Location", state.redirect_to)
                self.end_headers()
                return
            if state.calls <= state.fail_times:
                self.send_response(state.status_on_fail)
                self.end_headers()
                self.wfile.write(b"not yet" * 2000)
                return
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()


def set_webhooks(settings: Any, **changes: Any) -> None:
    settings.CONFIG = settings.CONFIG.model_copy(
        update={"webhooks": settings.CONFIG.webhooks.model_copy(update=changes), "debug": True}
    )
    settings.DEBUG = True


@pytest.fixture
def local_receivers_allowed(settings: Any) -> None:
    """Only for receiver tests: 127.0.0.1 allowed, retries immediate."""
    set_webhooks(settings, allowed_private_networks=["127.0.0.1/32"], retry_schedule_s=[0, 0, 0, 0, 0], retry_jitter=0)


@pytest.fixture
def world(db: None) -> World:
    return roomy(build_world())


def decoded(body: bytes) -> dict[str, Any]:
    return json.loads(body)  # type: ignore[no-any-return]
