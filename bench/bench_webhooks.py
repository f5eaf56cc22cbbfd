"""Webhook sender: signed deliveries/s to a local receiver (HTTP on 127.0.0.1, threaded server).

Each delivery is what `deliver_webhook` does on the wire: SSRF check with re-resolution,
Standard Webhooks signature, one POST, response read capped. Database bookkeeping is not
included (see the task for that). 16 sender threads (Celery worker concurrency), 4,000 deliveries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.django_env import setup
from bench.result import Result

DELIVERIES = 4_000
THREADS = 16


def run() -> Iterator[Result]:
    setup()
    from django.conf import settings

    from backend.alerts import secrets, sender

    cfg = settings.CONFIG
    settings.CONFIG = cfg.model_copy(
        update={"webhooks": cfg.webhooks.model_copy(update={"allowed_private_networks": ["127.0.0.1/32"]})}
    )
    settings.DEBUG = True

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 256  # the default backlog of 5 refuses bursts of 16 connects
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    secret = secrets.generate()
    body = b'{"id":"msg_1","type":"alert.fired","created":"2026-01-01T00:00:00Z","data":{"rule":1,"price":97000.1}}'

    def one(i: int) -> bool:
        ts = int(time.time())
        headers = {"content-type": "application/json", "webhook-id": f"msg_{i}", "webhook-timestamp": str(ts)}
        headers["webhook-signature"] = secrets.sign(secret, f"msg_{i}", ts, body)
        return sender.post(url, body, headers, timeout_s=10, max_bytes=4096).ok

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            start = time.perf_counter()
            ok = sum(pool.map(one, range(DELIVERIES)))
            elapsed = time.perf_counter() - start
    finally:
        server.shutdown()
        settings.CONFIG = cfg
    if ok != DELIVERIES:
        raise AssertionError(f"only {ok} of {DELIVERIES} deliveries succeeded")
    yield Result(
        f"webhook sender, signed deliveries to a local receiver ({THREADS} threads)",
        DELIVERIES / elapsed,
        "deliveries/s",
        "goal: 500 deliveries/s",
        500,
    )
