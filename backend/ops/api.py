from __future__ import annotations

import time
from importlib.metadata import version

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

API_VERSION = "v1"


class ServerTimeView(APIView):
    """Clients sync their clocks with this, as they do with exchanges' time endpoints."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="system_time",
        tags=["system"],
        responses=inline_serializer("ServerTime", {"server_time_ms": serializers.IntegerField()}),
        examples=[OpenApiExample("now", value={"server_time_ms": 1795000000000}, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        return Response({"server_time_ms": time.time_ns() // 1_000_000})


class SystemInfoView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="system_info",
        tags=["system"],
        responses=inline_serializer(
            "SystemInfo",
            {
                "api_version": serializers.CharField(),
                "mode": serializers.CharField(),
                "django": serializers.CharField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        return Response({"api_version": API_VERSION, "mode": settings.CONFIG.mode, "django": version("django")})
