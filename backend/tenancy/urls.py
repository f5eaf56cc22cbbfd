from __future__ import annotations

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from backend.tenancy import api

router = SimpleRouter(trailing_slash=False)
router.register("tenants", api.TenantViewSet, basename="tenant")
router.register("members", api.MemberViewSet, basename="member")
router.register("invitations", api.InvitationViewSet, basename="invitation")
router.register("api-keys", api.ApiKeyViewSet, basename="api-key")
router.register("audit-log", api.AuditLogViewSet, basename="audit-event")

urlpatterns = [
    path(
        "invitations/accept",
        api.InvitationAcceptViewSet.as_view({"get": "preview", "post": "create"}),
        name="invitation-accept",
    ),
    path("", include(router.urls)),
]
