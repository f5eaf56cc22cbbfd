from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from backend.alerts import api, signals_api

router = SimpleRouter(trailing_slash=False)
router.register("alerts/rules", api.RuleViewSet, basename="alert-rule")
router.register("alerts/firings", api.FiringViewSet, basename="alert-firing")
router.register("webhooks/endpoints", api.EndpointViewSet, basename="webhook-endpoint")
router.register("webhooks/deliveries", api.DeliveryViewSet, basename="webhook-delivery")
router.register("signals/endpoints", signals_api.SignalEndpointViewSet, basename="signal-endpoint")

urlpatterns = [
    path("signals/in/<int:endpoint_id>", signals_api.InboundSignalView.as_view(), name="signal-in"),
    path("", include(router.urls)),
]
