"""Web stack: uvicorn + Django ASGI serving /healthz and /readyz on 127.0.0.1.

One uvicorn process (one worker, so at most one core of the two the goal allows) started
for the run. /healthz: 16 keep-alive connections from client threads for up to 5 s or
20,000 requests. /readyz: 50 sequential requests; it probes PostgreSQL, Redis, NATS and
the worker heartbeats, and answers 503 when no workers run, but is timed either way.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bench.result import Result, percentile

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CONNECTIONS = 16
MAX_REQUESTS = 20_000
MAX_SECONDS = 5.0
READYZ_REQUESTS = 50
STARTUP_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()  # the body must be read before the connection can be reused
    return response.status


@contextmanager
def _server() -> Iterator[int]:
    port = _free_port()
    env = {**os.environ, "QT_LOGGING__LEVEL": "WARNING"}
    cmd = [
        str(REPO_ROOT / ".venv" / "bin" / "uvicorn"),
        "backend.asgi:application",
        *("--host", HOST, "--port", str(port)),
        *("--no-access-log", "--lifespan", "off"),
    ]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(proc, port, log)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"uvicorn exited with {proc.returncode}: {log.read().decode()[-2000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            if _get(conn, "/healthz") == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"uvicorn did not answer /healthz within {STARTUP_TIMEOUT_S} s")


def _load(port: int, path: str) -> tuple[int, float, list[float]]:
    """Requests, errors and latencies (ms) from CONNECTIONS threads sharing one budget."""
    lock = threading.Lock()
    budget = [MAX_REQUESTS]
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    deadline = time.perf_counter() + MAX_SECONDS

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                t0 = time.perf_counter_ns()
                try:
                    ok = _get(conn, path) == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()  # http.client reconnects on the next request
                latencies[i].append((time.perf_counter_ns() - t0) / 1e6)
                errors[i] += not ok
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    flat = [ms for per_thread in latencies for ms in per_thread]
    return sum(errors), len(flat) / elapsed, flat


def run() -> Iterator[Result]:
    with _server() as port:
        errors, rps, latencies = _load(port, "/healthz")
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        readyz_ms: list[float] = []
        readyz_ok = 0
        for _ in range(READYZ_REQUESTS):
            t0 = time.perf_counter_ns()
            readyz_ok += _get(conn, "/readyz") == 200
            readyz_ms.append((time.perf_counter_ns() - t0) / 1e6)
        conn.close()

    yield Result(
        f"GET /healthz throughput, {CONNECTIONS} connections, 1 uvicorn worker",
        rps,
        "req/s",
        "issue 3 goal: ≥ 1,500 req/s authenticated GET on 2 cores",
        1_500,
    )
    yield Result("GET /healthz latency p50", percentile(latencies, 50), "ms")
    yield Result("GET /healthz latency p99", percentile(latencies, 99), "ms")
    yield Result("GET /healthz non-200 responses", errors, f"of {len(latencies)}", higher_is_better=False)
    yield Result("GET /readyz latency p50", percentile(readyz_ms, 50), "ms")
    yield Result(
        "GET /readyz latency p99",
        percentile(readyz_ms, 99),
        "ms",
        "/readyz must answer under 2 s",
        2_000,
        higher_is_better=False,
    )
    yield Result("GET /readyz answered 200 (needs worker heartbeats)", readyz_ok, f"of {READYZ_REQUESTS}")
