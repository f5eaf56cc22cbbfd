"""Django set-up for benchmarks that call the platform in-process."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    os.environ.setdefault("QT_LOGGING__LEVEL", "WARNING")
    import django

    django.setup()
