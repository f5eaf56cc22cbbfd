"""Event rules for real: drawdown breached (a paper_engine subprocess trips an account's drawdown
breaker and publishes it) and subscription lapsed (published on its documented subject), evaluated
by an `alert_engine` subprocess, recorded, pushed on alerts.fired and emitted as webhook events.

No timing assertions: each outcome is waited for with a generous timeout.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from backend.alerts import secrets
from backend.alerts.models import AlertFiring, WebhookDelivery, WebhookEndpoint
from backend.alerts.services import rules_fingerprint, rules_signature
from backend.bus.client import Bus, BusSettings
from backend.tenancy.context import tenant_context
from tests.alerts.workers import Proc, flush_broker, start_alert_engine
from tests.tenancy.world import World
from tests.trading.conftest import (  # noqa: F401
    EngineProcess,
    Listener,
    committed_world,
    engine,
    namespace,
    publish_trades,
    wait_for,
)

WAIT_S = 60.0


@pytest.fixture
def alert_engine(namespace: str) -> Iterator[Proc]:  # noqa: F811
    flush_broker()
    proc = start_alert_engine(namespace)
    yield proc
    proc.stop()
    flush_broker()


def firings(world: World, rule_id: int) -> list[AlertFiring]:
    with tenant_context(world.tenant.pk):
        return list(AlertFiring.objects.filter(rule_id=rule_id).order_by("id"))


def event_rule(condition: dict[str, Any]) -> dict[str, Any]:
    return {"name": condition["type"], "condition": condition, "message_template": "{rule} at {time}"}


def publish_core(namespace: str, subject_of: Any, payload: dict[str, Any]) -> None:  # noqa: F811
    async def go() -> None:
        bus = await Bus.connect(BusSettings(url=settings.QT_NATS.url, namespace=namespace), name="test-events")
        await bus.publish_core(subject_of(bus.subjects), json.dumps(payload).encode())
        await bus.nc.flush()
        await bus.close()

    asyncio.run(go())


def test_drawdown_breaker_tripped_by_the_paper_engine_fires_drawdown_rules(
    committed_world: World,  # noqa: F811
    namespace: str,  # noqa: F811
    engine: EngineProcess,  # noqa: F811
    alert_engine: Proc,
) -> None:
    world = committed_world
    client = world.client_for_key(world.admin_key)
    body = {
        "name": "dd", "exchange": "sim", "currency": "USDT", "starting_balance": "10000", "maker_fee": "0",
        "taker_fee": "0", "risk_limits": {"max_drawdown": "0.1"},
    }  # fmt: skip
    account = client.post("/api/v1/accounts", body, format="json").json()["id"]
    other = client.post("/api/v1/accounts", {**body, "name": "other"}, format="json").json()["id"]
    mine = client.post(
        "/api/v1/alerts/rules", event_rule({"type": "drawdown_breached", "account": account}), format="json"
    )
    assert mine.status_code == 201, mine.json()
    theirs = client.post(
        "/api/v1/alerts/rules", event_rule({"type": "drawdown_breached", "account": other}), format="json"
    )
    assert theirs.status_code == 201, theirs.json()
    with tenant_context(world.tenant.pk):  # never called: no Celery worker runs here
        hook = WebhookEndpoint.objects.create(
            tenant=world.tenant,
            url="https://example.com/hook",
            event_types=["account.drawdown_breached"],
            secret_encrypted=secrets.encrypt(secrets.generate()),
        )
    alert_engine.wait_output(rules_fingerprint(rules_signature()))  # it reloaded its rules

    publish_trades(namespace, "BTC-USDT", [("60000.00", "1")])
    orders = f"/api/v1/accounts/{account}/orders"
    market = {"symbol": "BTC-USDT", "side": "buy", "type": "market", "qty": "0.1"}
    deadline = time.monotonic() + WAIT_S
    while client.post(orders, market, format="json").status_code != 201:  # until the engine has the price
        assert time.monotonic() < deadline, "the engine never filled the order"
        time.sleep(0.2)
    with Listener(namespace, "alerts.fired.>") as listener:
        # Equity 10,000 -> 10,000 - 0.1 x 30,000 = 7,000: a 30 % drawdown trips the 10 % breaker.
        publish_trades(namespace, "BTC-USDT", [("30000.00", "1")])
        fired = wait_for(lambda: firings(world, mine.json()["id"]), "the drawdown rule to fire", WAIT_S)
        assert fired[0].values["event"]["account"] == account
        assert fired[0].values["event"]["reason"] == "drawdown_breaker"
        pushed = wait_for(lambda: listener.messages, "alerts.fired")
        assert pushed[0][1]["rule"] == mine.json()["id"]
    with tenant_context(world.tenant.pk):
        wait_for(
            lambda: WebhookDelivery.objects.filter(endpoint=hook, event__type="account.drawdown_breached").exists(),
            "the webhook event's delivery",
            WAIT_S,
        )
    assert firings(world, theirs.json()["id"]) == []


def test_subscription_lapsed_on_its_subject_fires_matching_rules_of_that_tenant_only(
    committed_world: World,  # noqa: F811
    namespace: str,  # noqa: F811
    alert_engine: Proc,
) -> None:
    world = committed_world
    client = world.client_for_key(world.admin_key)
    plan = client.post(
        "/api/v1/alerts/rules", event_rule({"type": "subscription_lapsed", "subscription": "plan"}), format="json"
    )
    assert plan.status_code == 201, plan.json()
    listing = client.post(
        "/api/v1/alerts/rules",
        event_rule({"type": "subscription_lapsed", "subscription": "listing", "listing": 7}),
        format="json",
    )
    assert listing.status_code == 201, listing.json()
    bad = client.post(
        "/api/v1/alerts/rules", event_rule({"type": "subscription_lapsed", "subscription": "x"}), format="json"
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_condition")
    alert_engine.wait_output(rules_fingerprint(rules_signature()))  # it reloaded its rules

    def lapse(tenant: int, sub_id: int, payload: dict[str, Any]) -> None:
        publish_core(namespace, lambda s: s.subscription_lapsed(tenant, sub_id), payload)

    lapse(world.other.pk, 1, {"subscription": "plan", "id": 1, "listing": None, "ts_ms": 1})  # another tenant's
    lapse(world.tenant.pk, 2, {"subscription": "listing", "id": 2, "listing": 8, "ts_ms": 2})  # another listing
    lapse(world.tenant.pk, 3, {"subscription": "listing", "id": 3, "listing": 7, "ts_ms": 3})
    fired = wait_for(lambda: firings(world, listing.json()["id"]), "the listing rule to fire", WAIT_S)
    assert len(fired) == 1 and fired[0].values["event"]["id"] == 3
    lapse(world.tenant.pk, 4, {"subscription": "plan", "id": 4, "listing": None, "ts_ms": 4})
    fired = wait_for(lambda: firings(world, plan.json()["id"]), "the plan rule to fire", WAIT_S)
    assert len(fired) == 1 and fired[0].values["event"]["id"] == 4
    assert len(firings(world, listing.json()["id"])) == 1
