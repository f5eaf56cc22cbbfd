from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from backend.bus.client import Bus, BusSettings


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rate-limit counters, key lookups, lockouts."""
    client = redis.Redis.from_url(settings.CONFIG.redis.url)
    client.flushdb()
    yield
    client.close()


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.CONFIG.redis.url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def bus_settings() -> BusSettings:
    return BusSettings.from_config(settings.QT_NATS)


@pytest.fixture
async def bus(bus_settings: BusSettings):  # type: ignore[no-untyped-def]
    connected = await Bus.connect(bus_settings, name="qt-tests")
    yield connected
    await connected.close()


@pytest.fixture(scope="session", autouse=True)
def _delete_test_streams() -> Iterator[None]:
    """Remove this run's namespaced streams from the shared NATS server afterwards."""
    yield

    async def cleanup() -> None:
        bus = await Bus.connect(BusSettings.from_config(settings.QT_NATS), name="qt-tests-cleanup")
        try:
            for stream in await bus.js.streams_info():
                if stream.config.name and stream.config.name.startswith(f"{settings.QT_NATS.namespace}_"):
                    await bus.js.delete_stream(stream.config.name)
        finally:
            await bus.close()

    asyncio.run(cleanup())
