from __future__ import annotations

from django.apps import AppConfig


class MarketDataConfig(AppConfig):
    """Market data: exchange connectors (ingest), and later klines, storage and the API."""

    name = "backend.marketdata"
    label = "marketdata"

    def ready(self) -> None:
        from backend.marketdata import checks  # noqa: F401 - registers the system check
