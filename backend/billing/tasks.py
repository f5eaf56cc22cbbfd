from __future__ import annotations

from celery import shared_task

from backend.billing import services


@shared_task(ignore_result=True)
def enforce_grace() -> None:
    """Past-due plans and marketplace subscriptions whose grace period ended lapse."""
    services.enforce_grace()
