from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from backend.strategies import api

router = SimpleRouter(trailing_slash=False)
router.register("strategies/modules", api.ModuleViewSet, basename="strategy-module")
router.register("deployments", api.DeploymentViewSet, basename="deployment")

urlpatterns = [
    path("strategies/catalogue", api.CatalogueView.as_view(), name="strategies-catalogue"),
    path("", include(router.urls)),
]
