from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from backend.backtests import api

router = SimpleRouter(trailing_slash=False)
router.register("backtests", api.BacktestViewSet, basename="backtest")

urlpatterns = [
    path("strategies/reference", api.ReferenceStrategiesView.as_view(), name="strategies-reference"),
    path("", include(router.urls)),
]
