"""WebSocket routes (Channels). The push gateway adds its consumers here."""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from django.urls import path

from backend.ops.consumers import PingConsumer
from backend.realtime.consumer import PushConsumer

websocket_urlpatterns = [
    path("ws/v1/ping", PingConsumer.as_asgi()),
    path("ws/v1", AuthMiddlewareStack(PushConsumer.as_asgi())),
]
