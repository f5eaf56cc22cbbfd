"""Quant-Trader backend: the Django project, its domain apps and the pure engine."""

from backend.celery import app as celery_app

__all__ = ["celery_app"]
