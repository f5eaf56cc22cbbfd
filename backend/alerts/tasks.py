"""Webhook delivery (Celery, queue `webhooks`) and alert emails.

A delivery row is the durable truth: `deliver_webhook` locks it (skip-locked, so a
duplicate task for the same row does nothing), attempts once, logs the attempt and
either finishes it or schedules the next attempt. Short waits are Celery countdowns;
anything due and not yet picked up (long waits, a lost task, a crashed worker) is
re-enqueued by the `sweep_due_deliveries` beat task, so no delivery is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from typing import Any

import structlog
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backend.alerts import secrets, sender
from backend.alerts.models import AlertFiring, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from backend.alerts.services import ENDPOINT_DISABLED
from backend.tenancy.audit import record
from backend.tenancy.context import dangerously_bypass_rls, tenant_context

log = structlog.get_logger(__name__)
# Waits up to this long ride on a Celery countdown; longer ones are left to the sweeper.
COUNTDOWN_MAX_S = 600
SWEEP_GRACE_S = 30


def body_of(delivery: WebhookDelivery) -> bytes:
    event = delivery.event
    return json.dumps(
        {
            "id": event.message_id,
            "type": event.type,
            "created": event.created_at.isoformat().replace("+00:00", "Z"),
            "data": event.payload,
        },
        separators=(",", ":"),
    ).encode()


def signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    found = [secrets.decrypt(endpoint.secret_encrypted)]
    if (
        endpoint.previous_secret_encrypted
        and endpoint.previous_secret_expires_at
        and endpoint.previous_secret_expires_at > now
    ):
        found.append(secrets.decrypt(endpoint.previous_secret_encrypted))
    return found


def headers_for(delivery: WebhookDelivery, body: bytes, now: dt.datetime) -> dict[str, str]:
    ts = int(now.timestamp())
    msg_id = delivery.event.message_id
    signature = " ".join(secrets.sign(s, msg_id, ts, body) for s in signing_secrets(delivery.endpoint, now))
    return {
        "content-type": "application/json",
        "user-agent": "Quant-Trader-Webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": signature,
    }


def backoff_s(attempt: int) -> float | None:
    """Wait before attempt `attempt + 1` (attempt counts from 1), jittered; None when out of attempts."""
    cfg = settings.CONFIG.webhooks
    if attempt > len(cfg.retry_schedule_s):
        return None
    base = cfg.retry_schedule_s[attempt - 1]
    return max(0.0, base * (1 + random.uniform(-cfg.retry_jitter, cfg.retry_jitter)))  # noqa: S311 - jitter, not secrecy


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_webhook(delivery_id: int, tenant_id: int) -> str:
    cfg = settings.CONFIG.webhooks
    retry_in: float | None = None
    with tenant_context(tenant_id):
        now = timezone.now()
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            return "skipped"  # done, not yet due, or being delivered by another worker
        endpoint = delivery.endpoint
        if not endpoint.is_enabled:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = "endpoint_disabled"
            delivery.save(update_fields=["status", "last_error", "updated_at"])
            return "endpoint_disabled"
        body = body_of(delivery)
        outcome = sender.post(
            endpoint.url,
            body,
            headers_for(delivery, body, now),
            timeout_s=cfg.timeout_s,
            max_bytes=cfg.max_response_bytes,
        )
        delivery.attempts += 1
        WebhookAttempt.objects.create(
            tenant_id=tenant_id,
            delivery=delivery,
            number=delivery.attempts,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
        )
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        delivery.updated_at = timezone.now()
        if outcome.ok:
            delivery.status = WebhookDelivery.Status.SUCCEEDED
            if endpoint.consecutive_failures:
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        else:
            failures = endpoint.consecutive_failures + 1
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
            if failures >= cfg.disable_after_failures and endpoint.is_enabled:
                _disable(endpoint, failures)
            retry_in = backoff_s(delivery.attempts)
            if retry_in is None:
                delivery.status = WebhookDelivery.Status.FAILED
            else:
                delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=retry_in)
        delivery.save()
        if retry_in is not None and retry_in <= COUNTDOWN_MAX_S and delivery.status == WebhookDelivery.Status.PENDING:
            transaction.on_commit(
                lambda: deliver_webhook.apply_async((delivery_id, tenant_id), countdown=retry_in, queue="webhooks")
            )
    return "delivered" if outcome.ok else "failed"


def _disable(endpoint: WebhookEndpoint, failures: int) -> None:
    reason = f"disabled after {failures} consecutive failed attempts"
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_enabled=False, disabled_reason=reason, updated_at=timezone.now()
    )
    record(
        ENDPOINT_DISABLED,
        tenant_id=endpoint.tenant_id,
        actor_label="system",
        target=f"webhook_endpoint:{endpoint.pk}",
        data={"url": endpoint.url, "failures": failures},
    )
    transaction.on_commit(lambda: notify_endpoint_disabled.delay(endpoint.pk, endpoint.tenant_id))
    log.warning("webhooks.endpoint_disabled", endpoint=endpoint.pk, tenant_id=endpoint.tenant_id, failures=failures)


def _owner_emails(tenant_id: int) -> list[str]:
    from backend.tenancy.models import Membership, Role

    with tenant_context(tenant_id):
        return list(Membership.objects.filter(role__in=[Role.OWNER, Role.ADMIN]).values_list("user__email", flat=True))


@shared_task(ignore_result=True)
def notify_endpoint_disabled(endpoint_id: int, tenant_id: int) -> None:
    with tenant_context(tenant_id):
        endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    send_mail(
        "Webhook endpoint disabled",
        f"Your webhook endpoint {endpoint.url} was disabled: {endpoint.disabled_reason}. "
        "Fix the receiver, then enable it again in the API or the app.",
        None,
        _owner_emails(tenant_id),
    )


@shared_task(ignore_result=True)
def send_alert_email(firing_id: int, tenant_id: int) -> None:
    with tenant_context(tenant_id):
        firing = AlertFiring.objects.select_related("rule", "rule__created_by").get(pk=firing_id)
    to = [firing.rule.created_by.email] if firing.rule.created_by else _owner_emails(tenant_id)
    send_mail(f"Alert: {firing.rule.name}", firing.message, None, to)


@shared_task(ignore_result=True)
def sweep_due_deliveries(limit: int = 1000, grace_s: float = SWEEP_GRACE_S) -> int:
    """Re-enqueue deliveries due for longer than `grace_s` (lost tasks, crashed workers, long waits)."""
    cutoff = timezone.now() - dt.timedelta(seconds=grace_s)
    with dangerously_bypass_rls():
        due = list(
            WebhookDelivery.unscoped.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=cutoff)
            .order_by("next_attempt_at")
            .values_list("id", "tenant_id")[:limit]
        )
    for delivery_id, tenant_id in due:
        deliver_webhook.apply_async((delivery_id, tenant_id), queue="webhooks")
    return len(due)


def run_due_now(tenant_id: int, *, rounds: int = 20, pause_s: float = 0.0) -> None:
    """Deliver everything due for one tenant in this process (tests, `manage.py` use)."""
    for _ in range(rounds):
        with tenant_context(tenant_id):
            ids = list(
                WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).values_list("id", flat=True)
            )
        if not ids:
            return
        for delivery_id in ids:
            deliver_webhook.run(delivery_id, tenant_id)
        time.sleep(pause_s)


def as_dict(delivery: WebhookDelivery) -> dict[str, Any]:
    return {"id": delivery.pk, "status": delivery.status, "attempts": delivery.attempts}
