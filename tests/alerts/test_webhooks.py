"""Signed delivery to local receivers, retries with an attempt log, auto-disable, SSRF refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest

from backend.alerts import services
from backend.alerts.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from backend.alerts.sender import post
from backend.alerts.ssrf import UnsafeTarget, check_url
from backend.alerts.tasks import run_due_now
from backend.tenancy.context import tenant_context
from tests.alerts.conftest import Receiver, decoded, set_webhooks
from tests.tenancy.world import World


def create_endpoint(world: World, url: str, events: list[str] | None = None) -> Any:
    client = world.client_for_key(world.admin_key)
    return client.post(
        "/api/v1/webhooks/endpoints", {"url": url, "event_types": events or ["alert.fired", "test"]}, format="json"
    )


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The receiver side, exactly as docs/webhooks.md shows it."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, sig.split(",", 1)[1]) for sig in headers["webhook-signature"].split())


def test_test_event_is_delivered_signed(world: World, receiver: Receiver, local_receivers_allowed: None) -> None:
    created = create_endpoint(world, receiver.url)
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    ids = services.emit_event(world.tenant.pk, "test", {"hello": 1}, [created.json()["id"]])
    run_due_now(world.tenant.pk)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify(secret, headers, body)
    assert not verify("whsec_" + base64.b64encode(b"x" * 32).decode(), headers, body)
    payload = decoded(body)
    assert payload["type"] == "test" and payload["data"] == {"hello": 1}
    assert payload["id"] == headers["webhook-id"]
    with tenant_context(world.tenant.pk):
        assert WebhookDelivery.objects.get(pk=ids[0]).status == "succeeded"


def test_failing_receiver_is_retried_until_delivered_once_with_attempts_logged(
    world: World, receiver: Receiver, local_receivers_allowed: None
) -> None:
    receiver.fail_times = 3
    endpoint_id = create_endpoint(world, receiver.url).json()["id"]
    ids = services.emit_event(world.tenant.pk, "test", {"n": 1}, [endpoint_id])
    run_due_now(world.tenant.pk)
    assert len(receiver.received) == 1
    assert receiver.calls == 4
    with tenant_context(world.tenant.pk):
        attempts = list(WebhookAttempt.objects.filter(delivery_id=ids[0]).order_by("number"))
        assert [a.status_code for a in attempts] == [500, 500, 500, 200]
        assert all(len(a.response_excerpt) <= 500 for a in attempts)
        assert WebhookEndpoint.objects.get(pk=endpoint_id).consecutive_failures == 0
    log = world.client_for_key(world.admin_key).get(f"/api/v1/webhooks/endpoints/{endpoint_id}/deliveries").json()
    assert [a["status_code"] for a in log[0]["attempts"]] == [500, 500, 500, 200]
    assert log[0]["status"] == "succeeded"


def test_endpoint_is_disabled_after_repeated_failures(
    world: World, receiver: Receiver, local_receivers_allowed: None, settings: Any
) -> None:
    set_webhooks(settings, disable_after_failures=3)
    receiver.fail_times = 100
    endpoint_id = create_endpoint(world, receiver.url).json()["id"]
    services.emit_event(world.tenant.pk, "test", {}, [endpoint_id])
    run_due_now(world.tenant.pk)
    with tenant_context(world.tenant.pk):
        endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
        assert not endpoint.is_enabled and "3 consecutive" in endpoint.disabled_reason
    assert receiver.calls == 3


def test_redirects_are_not_followed(world: World, receiver: Receiver, local_receivers_allowed: None) -> None:
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    outcome = post(receiver.url, b"{}", {}, timeout_s=5, max_bytes=100)
    assert not outcome.ok and outcome.status_code == 307 and outcome.error == "redirect_not_followed"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fd00:ec2::254]/hook",
        "http://localhost/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_ssrf_targets_are_refused_at_save_and_at_send(world: World, url: str, settings: Any) -> None:
    set_webhooks(settings)  # allowed_private_networks stays empty
    response = create_endpoint(world, url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("forbidden_address", "unresolvable_host")
    with pytest.raises(UnsafeTarget):
        check_url(url)
    outcome = post(url, b"{}", {}, timeout_s=2, max_bytes=100)
    assert not outcome.ok and outcome.status_code is None and outcome.error.startswith("forbidden_address")


def test_https_required_outside_debug(world: World, settings: Any) -> None:
    settings.DEBUG = False
    response = create_endpoint(world, "http://example.com/hook")
    assert response.status_code == 400 and response.json()["error"]["code"] == "https_required"


def test_a_receiver_allowed_at_save_is_rechecked_at_send(world: World, receiver: Receiver, settings: Any) -> None:
    set_webhooks(settings, allowed_private_networks=["127.0.0.1/32"], retry_schedule_s=[], retry_jitter=0)
    endpoint_id = create_endpoint(world, receiver.url).json()["id"]
    set_webhooks(settings, allowed_private_networks=[])  # e.g. DNS now points somewhere private
    ids = services.emit_event(world.tenant.pk, "test", {}, [endpoint_id])
    run_due_now(world.tenant.pk)
    assert receiver.calls == 0
    with tenant_context(world.tenant.pk):
        delivery = WebhookDelivery.objects.get(pk=ids[0])
        assert delivery.status == "failed" and delivery.last_error.startswith("forbidden_address")


def test_rotated_secret_signs_alongside_the_old_one(
    world: World, receiver: Receiver, local_receivers_allowed: None
) -> None:
    created = create_endpoint(world, receiver.url).json()
    rotated = world.client_for_key(world.admin_key).post(f"/api/v1/webhooks/endpoints/{created['id']}/rotate-secret")
    assert rotated.status_code == 200
    services.emit_event(world.tenant.pk, "test", {}, [created["id"]])
    run_due_now(world.tenant.pk)
    headers, body = receiver.received[0]
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(created["secret"], headers, body) and verify(rotated.json()["secret"], headers, body)
