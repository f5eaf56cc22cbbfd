from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.test import Client

from backend.ops import heartbeat
from backend.ops.health import ReadinessTargets, check_readiness
from backend.ops.readiness import expected_workers, readiness_targets

pytestmark = pytest.mark.django_db(transaction=True)


def beat_all(client: redis.Redis) -> None:
    for worker in expected_workers():
        heartbeat.beat_sync(client, worker, settings.QT_HEALTH.heartbeat_ttl_s)


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung dependency."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_healthz_is_live_without_dependencies(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_ok_when_services_answer_and_workers_beat(client: Client, redis_client: redis.Redis) -> None:
    beat_all(redis_client)
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert {"database", "redis", "nats", "worker:celery", "worker:ingest"} <= set(body["components"])
    assert body["components"]["database"]["detail"].startswith("PostgreSQL")
    assert "JetStream" in body["components"]["nats"]["detail"]


def test_readyz_names_a_worker_without_heartbeat(client: Client, redis_client: redis.Redis) -> None:
    beat_all(redis_client)
    redis_client.delete(heartbeat.key_for("ingest"))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker:ingest"]
    assert "no heartbeat" in body["components"]["worker:ingest"]["detail"]


def test_readyz_names_a_stale_heartbeat_with_its_age(client: Client, redis_client: redis.Redis) -> None:
    beat_all(redis_client)
    aged = json.loads(heartbeat.payload("celery"))
    aged["ts"] -= settings.QT_HEALTH.heartbeat_ttl_s + 15
    redis_client.set(heartbeat.key_for("celery"), json.dumps(aged))
    body = client.get("/readyz").json()
    assert body["failing"] == ["worker:celery"]
    assert "no heartbeat for" in body["components"]["worker:celery"]["detail"]


def test_readiness_probes_fail_fast_on_hung_and_closed_services(black_hole: int) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    base = readiness_targets(workers=())
    targets = ReadinessTargets(
        database_conninfo={**base.database_conninfo, "port": black_hole},
        redis_url=f"redis://127.0.0.1:{black_hole}/0",
        nats_url=f"nats://127.0.0.1:{closed_port}",
        workers=(),
        heartbeat_ttl_s=30,
        timeout_s=0.5,
    )
    results = asyncio.run(check_readiness(targets))
    assert not any(r.ok for r in results.values())
    assert results["database"].detail == "no answer within 0.5 s"
    assert results["redis"].detail == "no answer within 0.5 s" or "Timeout" in results["redis"].detail
    assert "refused" in results["nats"].detail.lower() or "no answer" in results["nats"].detail


def test_request_id_is_echoed_or_generated(client: Client) -> None:
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123").headers["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline").headers["X-Request-ID"]
    assert generated != "bad id\nwith newline" and len(generated) == 32


def test_metrics_expose_http_and_platform_counters(client: Client, redis_client: redis.Redis) -> None:
    beat_all(redis_client)
    client.get("/readyz")
    text = client.get("/metrics").content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'qt_component_up{component="database"} 1.0' in text
    assert 'qt_readyz_total{status="ok"}' in text


def test_healthcheck_command_exit_code_follows_heartbeat(redis_client: redis.Redis) -> None:
    from django.core.management import call_command

    with pytest.raises(SystemExit) as missing:
        call_command("healthcheck", "--component", "ingest")
    assert missing.value.code == 1
    heartbeat.beat_sync(redis_client, "ingest", settings.QT_HEALTH.heartbeat_ttl_s)
    call_command("healthcheck", "--component", "ingest")  # no SystemExit: healthy
