from __future__ import annotations

from django.apps import AppConfig


class TradingConfig(AppConfig):
    """Paper trading: accounts, orders, fills and positions around the pure engine
    (backend/engine/trading), the `paper_engine` worker and the API."""

    name = "backend.trading"
    label = "trading"
