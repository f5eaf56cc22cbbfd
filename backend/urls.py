from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backend.ops import views as ops_views

api_v1 = [
    path("", include("backend.ops.api_urls")),
    path("", include("backend.identity.urls")),
    path("", include("backend.tenancy.urls")),
    path("", include("backend.marketdata.urls")),
    path("", include("backend.trading.urls")),
    path("", include("backend.backtests.urls")),
    path("", include("backend.alerts.urls")),
    path("", include("backend.strategies.urls")),
    path("", include("backend.marketplace.urls")),
    path("", include("backend.billing.urls")),
]

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("", include("django_prometheus.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include((api_v1, "v1"))),
    # Everything else that is not an API or framework path is a client-side route.
    re_path(r"^(?!api/|admin/|static/|ws/|metrics)(?P<path>.*)$", ops_views.spa_index, name="spa"),
]
