"""WebSocket routes (Channels). The push gateway adds its consumers here."""

from __future__ import annotations

from django.urls import path

from backend.ops.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/v1/ping", PingConsumer.as_asgi()),
]
