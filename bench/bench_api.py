"""Tenant API: authenticated GET throughput and latency with the rate limiter on,
and the cost of API-key authentication itself.

A bench tenant on a bench tier (limits high enough never to trip, but counted on
every request like any other) gets an admin key; uvicorn serves the ASGI app with two
workers (the machine's two cores) and DEBUG off; wrk drives GET /api/v1/members (key
lookup, tier, two rate-limit windows, RLS transaction, one query, serializer).
wrk shares the two cores with the server, so the numbers understate a dedicated host.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator

from bench import django_env
from bench.bench_http import HOST, _free_port, _wait_healthy
from bench.result import Result, percentile

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
DURATION_S = 10
CONNECTIONS = 32
AUTH_ITERATIONS = 5_000


def _bench_key() -> str:
    from backend.identity.models import User
    from backend.tenancy import selectors, services
    from backend.tenancy.context import tenant_context
    from backend.tenancy.models import Tier

    Tier.objects.update_or_create(
        code="bench",
        defaults={
            "name": "Bench",
            "requests_per_minute": 10_000_000,
            "requests_per_day": 1_000_000_000,
            **dict.fromkeys(Tier.QUOTA_FIELDS, 1000),
        },
    )
    user = User.objects.filter(email="bench@quant-trader.local").first() or User.objects.create_user(
        email="bench@quant-trader.local", password=None
    )
    memberships = selectors.memberships_of(user.pk)
    tenant = (
        memberships[0].tenant if memberships else services.tenant_create(name="Bench", owner=user, tier_code="bench")
    )
    with tenant_context(tenant.pk):
        _, raw = services.api_key_create(
            tenant_id=tenant.pk, name="bench", scopes=["read", "trade", "admin"], expires_at=None,
            created_by_id=user.pk, actor_label="bench", ip=None,
        )  # fmt: skip
    return raw


def _auth_cost_us(raw_key: str) -> tuple[float, float]:
    """Mean µs per authenticate() on a warm key, and per request-object overhead alone."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    from backend.tenancy.authentication import ApiKeyAuthentication

    factory = RequestFactory()
    auth = ApiKeyAuthentication()
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw_key}"}
    requests = [Request(factory.get("/api/v1/members", **header)) for _ in range(AUTH_ITERATIONS)]
    for request in requests[:50]:
        auth.authenticate(request)
    start = time.perf_counter_ns()
    for request in requests:
        auth.authenticate(request)
    per_call = (time.perf_counter_ns() - start) / AUTH_ITERATIONS / 1000
    return per_call, 0.0


def _wrk(port: int, key: str) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION_S}s", "--latency",
            "-H", f"Authorization: Bearer {key}", f"http://{HOST}:{port}/api/v1/members",
        ],
        capture_output=True, text=True, check=True, timeout=DURATION_S + 30,
    ).stdout  # fmt: skip

    def ms(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            raise RuntimeError(f"wrk output lacks the {label}% latency:\n{out}")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
    }


def _python_load(port: int, key: str) -> dict[str, float]:
    """Fallback when wrk is not installed: the http bench's threaded client."""
    import http.client

    from bench import bench_http

    latencies: list[float] = []
    deadline = time.perf_counter() + DURATION_S
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    errors = 0
    while time.perf_counter() < deadline and len(latencies) < 20_000:
        t0 = time.perf_counter_ns()
        conn.request("GET", "/api/v1/members", headers={"Authorization": f"Bearer {key}"})
        response = conn.getresponse()
        response.read()
        errors += response.status != 200
        latencies.append((time.perf_counter_ns() - t0) / 1e6)
    del bench_http
    return {
        "rps": len(latencies) / DURATION_S,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "errors": errors,
    }


def run() -> Iterator[Result]:
    django_env.setup()
    key = _bench_key()
    auth_us, _ = _auth_cost_us(key)
    port = _free_port()
    env = {**os.environ, "QT_LOGGING__LEVEL": "WARNING", "QT_DEBUG": "false"}
    cmd = [
        str(REPO_ROOT / ".venv" / "bin" / "uvicorn"), "backend.asgi:application",
        "--host", HOST, "--port", str(port), "--workers", "2", "--no-access-log", "--lifespan", "off",
    ]  # fmt: skip
    import tempfile

    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(proc, port, log)
            tool = "wrk" if shutil.which("wrk") else "python client"
            stats = _wrk(port, key) if tool == "wrk" else _python_load(port, key)
        finally:
            proc.terminate()
            proc.wait(timeout=15)

    label = f"GET /api/v1/members with API key + rate limiter, 2 uvicorn workers, {tool}"
    yield Result(f"{label}: throughput", stats["rps"], "req/s", "issue 3 goal: ≥ 1,500 req/s on 2 cores", 1_500)
    yield Result("authenticated GET latency p50", stats["p50"], "ms")
    yield Result(
        "authenticated GET latency p99", stats["p99"], "ms", "issue 3 goal: p99 < 50 ms", 50, higher_is_better=False
    )
    yield Result("authenticated GET non-2xx responses", stats["errors"], "count", higher_is_better=False)
    yield Result(
        "API-key authentication, warm key (cache hit, in-process)",
        auth_us / 1000,
        "ms/request",
        "issue 3 goal: < 0.3 ms per request",
        0.3,
        higher_is_better=False,
    )
