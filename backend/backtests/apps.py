from __future__ import annotations

from django.apps import AppConfig


class BacktestsConfig(AppConfig):
    name = "backend.backtests"
    label = "backtests"
    default_auto_field = "django.db.models.BigAutoField"
