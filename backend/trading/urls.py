from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from backend.trading import api

router = SimpleRouter(trailing_slash=False)
router.register("accounts", api.AccountViewSet, basename="paper-account")

ACCOUNT = "accounts/<int:account_id>"

urlpatterns = [
    path(
        f"{ACCOUNT}/orders",
        api.OrderViewSet.as_view({"get": "list", "post": "create", "delete": "cancel_all"}),
        name="paper-orders",
    ),
    path(
        f"{ACCOUNT}/orders/<str:order_id>",
        api.OrderViewSet.as_view({"get": "retrieve", "delete": "cancel"}),
        name="paper-order",
    ),
    path(f"{ACCOUNT}/fills", api.FillViewSet.as_view({"get": "list"}), name="paper-fills"),
    path(f"{ACCOUNT}/positions", api.PositionViewSet.as_view({"get": "list"}), name="paper-positions"),
    path(f"{ACCOUNT}/balances", api.BalanceViewSet.as_view({"get": "list"}), name="paper-balances"),
    path(f"{ACCOUNT}/equity", api.EquityViewSet.as_view({"get": "list"}), name="paper-equity"),
    path(f"{ACCOUNT}/reset", api.ResetViewSet.as_view({"post": "create"}), name="paper-reset"),
    path("", include(router.urls)),
]
