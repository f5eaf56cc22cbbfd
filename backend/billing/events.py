"""What billing tells the rest of the platform over NATS: `billing.subscription_lapsed.<tenant>.<id>`.

Published after the transaction that lapsed the subscription commits (transaction.on_commit), so a
consumer (the alert engine) never hears of a lapse that was rolled back; at most once, like every
core NATS event the platform publishes after a commit. The payload is the one bus/subjects.py
documents: {"subscription": "plan"|"listing", "id": int, "listing": int|null, "ts_ms": int}.
"""

from __future__ import annotations

import json
import time
from typing import Literal

import structlog
from django.conf import settings
from django.db import transaction

from backend.bus.subjects import Subjects
from backend.trading import gateway

log = structlog.get_logger(__name__)


def _publish(subject: str, payload: bytes) -> None:
    try:
        gateway.publish(subject, payload)
    except Exception:  # the lapse is committed; a lost notice is logged, never raised
        log.exception("billing.lapse_publish_failed", subject=subject)


def subscription_lapsed(
    *, tenant_id: int, subscription_id: int, kind: Literal["plan", "listing"], listing_id: int | None = None
) -> None:
    """Queue the lapse notice for after the current transaction's commit (at once outside one)."""
    subject = Subjects(settings.QT_NATS.namespace).subscription_lapsed(tenant_id, subscription_id)
    body = {"subscription": kind, "id": subscription_id, "listing": listing_id, "ts_ms": int(time.time() * 1000)}
    payload = json.dumps(body).encode()
    transaction.on_commit(lambda: _publish(subject, payload))
