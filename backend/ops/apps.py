from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health, heartbeats, metrics, logging, the worker runtime."""

    name = "backend.ops"
    label = "ops"
