"""Inbound signal webhooks: endpoint CRUD, refusals with reason codes, idempotency, and orders actually
placed in the paper account by a real `paper_engine` subprocess (Celery tasks run eagerly here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from backend.alerts.models import InboundSignal
from backend.celery import app as celery_app
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.trading.models import Order, Position
from tests.tenancy.world import World
from tests.trading.conftest import EngineProcess, committed_world, engine, namespace, wait_for  # noqa: F401
from tests.trading.factories import make_paper_account
from tests.trading.test_engine_worker import price_known


def make_endpoint(world: World, **extra: Any) -> dict[str, Any]:
    account = make_paper_account(world.tenant)
    client = world.client_for_key(world.admin_key)
    created = client.post("/api/v1/signals/endpoints", {"name": "tv", "account": account.pk, **extra}, format="json")
    assert created.status_code == 201, created.json()
    return created.json()  # type: ignore[no-any-return]


def post(world: World, endpoint: dict[str, Any], body: dict[str, Any], **kwargs: Any) -> Any:
    return _anonymous().post(endpoint["url"], {"secret": endpoint["secret"], **body}, format="json", **kwargs)


def _anonymous() -> APIClient:
    return APIClient()


BUY = {"action": "buy", "symbol": "BTC-USDT", "size": "0.5"}


def test_endpoint_crud_shows_the_secret_once(world: World) -> None:
    endpoint = make_endpoint(world)
    assert endpoint["secret"].startswith("sig_") and endpoint["url"] == f"/api/v1/signals/in/{endpoint['id']}"
    client = world.client_for_key(world.admin_key)
    listed = client.get("/api/v1/signals/endpoints").json()
    assert [e["id"] for e in listed] == [endpoint["id"]] and "secret" not in listed[0]
    patched = client.patch(f"/api/v1/signals/endpoints/{endpoint['id']}", {"allowed_ips": ["10.1.2.3"]}, format="json")
    assert patched.status_code == 200 and patched.json()["allowed_ips"] == ["10.1.2.3/32"]
    bad = client.patch(f"/api/v1/signals/endpoints/{endpoint['id']}", {"allowed_ips": ["nope"]}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_allowed_ips"
    rotated = client.post(f"/api/v1/signals/endpoints/{endpoint['id']}/rotate-secret").json()
    assert rotated["secret"] != endpoint["secret"]
    assert post(world, endpoint, BUY).json()["error"]["code"] == "invalid_secret"  # the old one is dead
    assert world.client_for_key(world.other_key).get(f"/api/v1/signals/endpoints/{endpoint['id']}").status_code == 404
    # Another tenant's account cannot be bound; readers cannot create.
    other_account = make_paper_account(world.other)
    refused = client.post("/api/v1/signals/endpoints", {"name": "x", "account": other_account.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "unknown_account"
    reader = world.client_for_key(world.read_key)
    assert reader.post("/api/v1/signals/endpoints", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/signals/endpoints/{endpoint['id']}").status_code == 204


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**BUY, "secret": "sig_wrong"}, 401, "invalid_secret"),
        ({**BUY, "secret": None}, 401, "invalid_secret"),
        ({**BUY, "symbol": "NOPE-USDT"}, 400, "unknown_symbol"),
        ({**BUY, "action": "teleport"}, 400, "invalid_action"),
        ({**BUY, "size": "-1"}, 400, "invalid_size"),
        ({**BUY, "size": "lots"}, 400, "invalid_size"),
        ({**BUY, "timestamp": "yesterday"}, 400, "invalid_timestamp"),
    ],
)
def test_bad_signals_are_refused_with_reason_codes(world: World, body: dict[str, Any], status: int, code: str) -> None:
    endpoint = make_endpoint(world)
    response = _anonymous().post(endpoint["url"], {"secret": endpoint["secret"], **body}, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["error"]["code"] == code
    with tenant_context(world.tenant.pk):
        assert not InboundSignal.objects.exists()


def test_unknown_endpoint_answers_like_a_wrong_secret(world: World) -> None:
    endpoint = make_endpoint(world)
    response = _anonymous().post(f"/api/v1/signals/in/{endpoint['id'] + 1000}", {"secret": endpoint["secret"], **BUY})
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_secret"


def test_stale_and_future_signals_are_refused(world: World) -> None:
    endpoint = make_endpoint(world)
    old = (timezone.now() - dt.timedelta(minutes=10)).isoformat()
    assert post(world, endpoint, {**BUY, "timestamp": old}).json()["error"]["code"] == "stale_signal"
    future_ms = int((timezone.now() + dt.timedelta(minutes=10)).timestamp() * 1000)
    response = post(world, endpoint, {**BUY, "time": future_ms})
    assert response.status_code == 422 and response.json()["error"]["code"] == "stale_signal"
    fresh = post(world, endpoint, {**BUY, "timestamp": int(timezone.now().timestamp())})
    assert fresh.status_code == 202


def test_source_ip_allowlist(world: World) -> None:
    refused = make_endpoint(world, allowed_ips=["10.0.0.0/8"])
    response = post(world, refused, BUY)  # the test client comes from 127.0.0.1
    assert response.status_code == 403 and response.json()["error"]["code"] == "ip_not_allowed"
    allowed = make_endpoint(world, allowed_ips=["10.0.0.0/8", "127.0.0.1"])
    assert post(world, allowed, BUY).status_code == 202
    assert post(world, allowed, BUY, REMOTE_ADDR="192.0.2.7").status_code == 403


def test_replayed_signal_id_is_accepted_once(world: World) -> None:
    endpoint = make_endpoint(world)
    first = post(world, endpoint, {**BUY, "signal_id": "tv-42"})
    assert first.status_code == 202
    again = post(world, endpoint, {**BUY, "signal_id": "tv-42"})
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["signal"] == first.json()["signal"]
    with tenant_context(world.tenant.pk):
        assert InboundSignal.objects.count() == 1


@pytest.fixture
def eager_celery() -> Iterator[None]:
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def position(account_id: int) -> Decimal:
    with dangerously_bypass_rls():
        row = Position.unscoped.filter(account_id=account_id, symbol="BTC-USDT").first()
    return Decimal(0) if row is None else row.qty


def test_tradingview_signals_place_orders_in_the_paper_account(
    committed_world: World,  # noqa: F811
    namespace: str,  # noqa: F811
    engine: EngineProcess,  # noqa: F811
    eager_celery: None,
) -> None:
    world = committed_world
    endpoint = make_endpoint(world)
    account_id = endpoint["account"]
    price_known(namespace, "100.00")
    # What a TradingView alert message can send ({{ticker}}, {{strategy.order.contracts}}, {{timenow}}).
    tv = {
        "action": "buy",
        "ticker": "BINANCE:BTCUSDT",
        "contracts": "2",
        "price": "100.00",
        "signal_id": "tv-1",
        "timenow": timezone.now().isoformat().replace("+00:00", "Z"),
    }
    queued = post(world, endpoint, tv)
    assert queued.status_code == 202, queued.json()
    with tenant_context(world.tenant.pk):
        signal = InboundSignal.objects.get(pk=queued.json()["signal"])
        assert signal.status == "placed", (signal.code, signal.message)
        order = Order.objects.get(account_id=account_id, client_order_id=f"sig{signal.pk}")
        assert order.side == "buy" and order.qty == Decimal(2)
    wait_for(lambda: position(account_id) == 2, "the position")
    # The same alert again: nothing new.
    assert post(world, endpoint, tv).json()["status"] == "duplicate"
    # Target exposure, then close.
    target = post(world, endpoint, {"action": "target", "symbol": "BTC-USDT", "size": "0.5", "signal_id": "tv-2"})
    assert target.status_code == 202
    wait_for(lambda: position(account_id) == Decimal("0.5"), "the target position")
    closed = post(world, endpoint, {"action": "close", "symbol": "BTCUSDT", "signal_id": "tv-3"})
    assert closed.status_code == 202
    wait_for(lambda: position(account_id) == 0, "the position closed")
    with tenant_context(world.tenant.pk):
        assert Order.objects.filter(account_id=account_id).count() == 3
        # Risk checks apply: a buy far beyond the balance is rejected by the engine with its reason.
    too_big = post(world, endpoint, {**BUY, "size": "1000000", "signal_id": "tv-4"})
    with tenant_context(world.tenant.pk):
        rejected = InboundSignal.objects.get(pk=too_big.json()["signal"])
    assert rejected.status == "rejected" and rejected.code
    log = world.client_for_key(world.admin_key).get(f"/api/v1/signals/endpoints/{endpoint['id']}/signals").json()
    assert [s["signal_id"] for s in log] == ["tv-4", "tv-3", "tv-2", "tv-1"]
