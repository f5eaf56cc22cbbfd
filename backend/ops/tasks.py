from __future__ import annotations

import redis
from celery import shared_task
from django.conf import settings

from backend.ops import heartbeat
from backend.ops.metrics import WORKER_HEARTBEATS


@shared_task(ignore_result=True)
def celery_heartbeat() -> None:
    """Scheduled by beat, run by a worker: a fresh heartbeat proves broker, beat and worker."""
    client = redis.Redis.from_url(settings.CONFIG.redis.url, socket_timeout=2, socket_connect_timeout=2)
    try:
        heartbeat.beat_sync(client, heartbeat.CELERY_COMPONENT, settings.QT_HEALTH.heartbeat_ttl_s)
    finally:
        client.close()
    WORKER_HEARTBEATS.labels(heartbeat.CELERY_COMPONENT).inc()
