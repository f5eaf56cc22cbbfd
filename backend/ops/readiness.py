"""Builds the readiness targets from Django settings (the one Django-aware part of health)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection

from backend.ops.health import ReadinessTargets
from backend.ops.heartbeat import CELERY_COMPONENT


def expected_workers() -> tuple[str, ...]:
    return (CELERY_COMPONENT, *sorted(settings.QT_WORKERS))


def database_conninfo() -> dict[str, Any]:
    db = connection.settings_dict
    info: dict[str, Any] = {
        "dbname": db["NAME"],
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        # libpq's floor is 2 s; the probe's own timeout cuts it shorter.
        "connect_timeout": 2,
    }
    return {k: v for k, v in info.items() if v is not None}


def readiness_targets(workers: tuple[str, ...] | None = None) -> ReadinessTargets:
    return ReadinessTargets(
        database_conninfo=database_conninfo(),
        redis_url=settings.CONFIG.redis.url,
        nats_url=settings.QT_NATS.url,
        workers=expected_workers() if workers is None else workers,
        heartbeat_ttl_s=settings.QT_HEALTH.heartbeat_ttl_s,
        timeout_s=settings.QT_HEALTH.probe_timeout_s,
    )
