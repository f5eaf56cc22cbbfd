from __future__ import annotations

from django.urls import path

from backend.ops.api import ServerTimeView, SystemInfoView

urlpatterns = [
    path("system/time", ServerTimeView.as_view(), name="system-time"),
    path("system/info", SystemInfoView.as_view(), name="system-info"),
]
