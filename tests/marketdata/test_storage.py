from __future__ import annotations

import pytest
from django.db import connection

from backend.marketdata.storage import StorageUnavailable, storage_mode, timescaledb_version

pytestmark = pytest.mark.django_db


def test_storage_mode_follows_the_extension_and_the_setting() -> None:
    with connection.cursor() as cursor:
        available = timescaledb_version(cursor)
        assert storage_mode(cursor, "off") == "native"
        if available:
            assert storage_mode(cursor, "auto") == "timescaledb"
            assert storage_mode(cursor, "on") == "timescaledb"
        else:
            assert storage_mode(cursor, "auto") == "native"
            with pytest.raises(StorageUnavailable, match="timescaledb extension is not available"):
                storage_mode(cursor, "on")
