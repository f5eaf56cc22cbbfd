"""The alert engine and webhook delivery for real: `alert_engine` and a Celery worker as subprocesses,
trades on JetStream, a local receiver verifying signatures, firings on NATS.

No timing assertions: each outcome is waited for with a generous timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from backend.alerts.models import AlertFiring, WebhookAttempt, WebhookDelivery
from backend.alerts.services import rules_fingerprint, rules_signature
from backend.tenancy.context import tenant_context
from tests.alerts.conftest import Receiver, decoded
from tests.alerts.test_webhooks import create_endpoint, verify
from tests.alerts.workers import Proc, flush_broker, manage_shell, start_alert_engine, start_celery
from tests.tenancy.world import World
from tests.trading.conftest import Listener, committed_world, namespace, publish_trades, wait_for  # noqa: F401

WAIT_S = 60.0


def rule(level: float, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"BTC above {level}",
        "exchange": "sim",
        "symbol": "BTC-USDT",
        "condition": {"type": "price_cross", "direction": "above", "level": level},
        "message_template": "{symbol} crossed {price}",
        **extra,
    }


def firings(world: World, rule_id: int) -> list[AlertFiring]:
    with tenant_context(world.tenant.pk):
        return list(AlertFiring.objects.filter(rule_id=rule_id).order_by("id"))


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    flush_broker()
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.stop()
    flush_broker()


def test_trade_fires_rule_delivers_signed_webhook_and_publishes_and_live_rule_changes_apply(
    committed_world: World,  # noqa: F811
    namespace: str,  # noqa: F811
    receiver: Receiver,
    local_receivers_allowed: None,
    procs: list[Proc],
) -> None:
    world = committed_world
    client = world.client_for_key(world.admin_key)
    endpoint = create_endpoint(world, receiver.url, ["alert.fired"])
    assert endpoint.status_code == 201, endpoint.json()
    secret = endpoint.json()["secret"]
    first = client.post("/api/v1/alerts/rules", rule(150), format="json")
    assert first.status_code == 201, first.json()
    first_id = first.json()["id"]

    procs.append(start_celery(namespace))
    engine = start_alert_engine(namespace)
    procs.append(engine)
    with Listener(namespace, "alerts.fired.>") as listener:
        publish_trades(namespace, "BTC-USDT", [("100", "1")])
        publish_trades(namespace, "BTC-USDT", [("200", "1")])

        fired = wait_for(lambda: firings(world, first_id), "the firing to be recorded", WAIT_S)
        assert len(fired) == 1 and fired[0].values["price"] == 200.0
        wait_for(lambda: receiver.received, "the webhook to be delivered", WAIT_S)
        headers, body = receiver.received[0]
        assert verify(secret, headers, body)
        payload = decoded(body)
        assert payload["type"] == "alert.fired"
        assert payload["data"]["rule"] == first_id and payload["data"]["firing"] == fired[0].pk
        assert payload["data"]["message"] == "BTC-USDT crossed 200"
        mine = f".alerts.fired.{world.tenant.pk}"
        pushed = wait_for(lambda: [m for s, m in listener.messages if s.endswith(mine)], "alerts.fired")
        assert pushed[0]["rule"] == first_id and pushed[0]["firing"] == fired[0].pk

        def delivered() -> WebhookDelivery | None:
            # The receiver answers before the worker commits the outcome: wait for the row.
            with tenant_context(world.tenant.pk):
                row = WebhookDelivery.objects.get(endpoint_id=endpoint.json()["id"])
            return row if row.status == "succeeded" else None

        delivery = wait_for(delivered, "the delivery to be recorded as succeeded", WAIT_S)
        assert delivery.attempts == 1

        # A rule created while the engine runs, and another one edited, apply without a restart.
        second = client.post("/api/v1/alerts/rules", rule(300), format="json").json()["id"]
        edited = client.patch(f"/api/v1/alerts/rules/{first_id}", {"condition": rule(350)["condition"]}, format="json")
        assert edited.status_code == 200, edited.json()
        # The engine reloads on its own (no restart); wait until it runs this state of the rules.
        engine.wait_output(rules_fingerprint(rules_signature()))
        publish_trades(namespace, "BTC-USDT", [("400", "1")])
        wait_for(lambda: firings(world, second), "the new rule to fire", WAIT_S)
        wait_for(lambda: len(firings(world, first_id)) == 2, "the edited rule to fire at its new level", WAIT_S)
        assert firings(world, first_id)[1].values["price"] == 400.0
        wait_for(lambda: len(receiver.received) == 3, "both new firings to be delivered", WAIT_S)
        assert all(verify(secret, h, b) for h, b in receiver.received)
    assert len(receiver.received) == 3


@pytest.fixture
def hanging_receiver(receiver: Receiver) -> Iterator[tuple[Receiver, threading.Event]]:
    """The first request hangs until released; later ones answer at once (see conftest.Receiver)."""
    release = threading.Event()
    receiver.hang_first = release
    yield receiver, release
    release.set()


def test_celery_worker_killed_mid_delivery_delivers_exactly_once_after_restart(
    committed_world: World,  # noqa: F811
    namespace: str,  # noqa: F811
    hanging_receiver: tuple[Receiver, threading.Event],
    local_receivers_allowed: None,
    procs: list[Proc],
) -> None:
    world = committed_world
    receiver, release = hanging_receiver
    endpoint = create_endpoint(world, receiver.url, ["test"])
    assert endpoint.status_code == 201, endpoint.json()
    endpoint_id = endpoint.json()["id"]

    worker = start_celery(namespace)
    procs.append(worker)
    # "Send test event" from the API, enqueued on the workers' broker by the same code path the API uses.
    out = manage_shell(
        namespace,
        "from backend.alerts import services; "
        f"ids = services.emit_event({world.tenant.pk}, 'test', {{'n': 1}}, [{endpoint_id}]); "
        f"services.enqueue(ids, {world.tenant.pk}); print(ids[0])",
    )
    delivery_id = int(out.strip().splitlines()[-1])
    wait_for(lambda: receiver.calls >= 1, "the first attempt to reach the receiver", WAIT_S)
    worker.kill9()  # SIGKILL to the whole worker (main process and pool child) mid-request
    release.set()
    assert receiver.received == []
    with tenant_context(world.tenant.pk):
        # The attempt died with its transaction: still pending, nothing logged.
        assert WebhookDelivery.objects.get(pk=delivery_id).status == "pending"

    procs.append(start_celery(namespace))
    # The worker's task stays unacknowledged in Redis until the broker's visibility timeout;
    # the beat sweep re-enqueues the due delivery meanwhile (grace 0 here instead of 30 s).
    manage_shell(namespace, "from backend.alerts.tasks import sweep_due_deliveries; sweep_due_deliveries(grace_s=0)")

    def delivered() -> bool:
        with tenant_context(world.tenant.pk):
            return WebhookDelivery.objects.get(pk=delivery_id).status == "succeeded"

    wait_for(delivered, "the delivery to complete after the restart", WAIT_S)
    # A second sweep (as beat would run it) and any redelivered task find nothing to do.
    manage_shell(namespace, "from backend.alerts.tasks import sweep_due_deliveries; sweep_due_deliveries(grace_s=0)")
    time.sleep(1)
    assert len(receiver.received) == 1
    assert receiver.calls == 2
    with tenant_context(world.tenant.pk):
        attempts = list(WebhookAttempt.objects.filter(delivery_id=delivery_id).order_by("number"))
        assert [(a.number, a.status_code) for a in attempts] == [(1, 200)]
        assert WebhookDelivery.objects.get(pk=delivery_id).attempts == 1
