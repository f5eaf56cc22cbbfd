from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.db import OperationalError, connection

from backend.marketdata.storage import StorageUnavailable, storage_mode


@register("database", deploy=True)
def check_timescaledb_setting(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[Error]:
    """With database.timescaledb: on, refuse to run against a server without TimescaleDB."""
    if not databases or settings.CONFIG.database.timescaledb != "on":
        return []
    try:
        with connection.cursor() as cursor:
            storage_mode(cursor, "on")
    except StorageUnavailable as exc:
        return [Error(str(exc), id="marketdata.E001")]
    except OperationalError:
        return []  # database reachability is reported by /readyz, not by this check
    return []
