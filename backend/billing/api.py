"""Billing API: the tenant's plan and billing state, Checkout and Customer Portal sessions, and the
Stripe webhook (unauthenticated: the signature is the authentication)."""

from __future__ import annotations

import structlog
from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.billing import services
from backend.billing.models import BillingAccount
from backend.billing.serializers import BillingAccountOut
from backend.ops.errors import ApiError
from backend.tenancy.models import Role, Tenant
from backend.tenancy.viewsets import TenantScopedViewSet

TAG = ["billing"]
log = structlog.get_logger(__name__)


class BillingViewSet(TenantScopedViewSet):
    serializer_class = BillingAccountOut
    roles = {"list": Role.VIEWER, "checkout": Role.ADMIN, "portal": Role.ADMIN}

    def safely_get_queryset(self) -> QuerySet[BillingAccount]:
        return BillingAccount.objects.all()

    @extend_schema(summary="Billing state: enabled flag, current tier, plans on sale, subscription status", tags=TAG)
    def list(self, request: Request) -> Response:
        account = self.get_queryset().first()
        tier = Tenant.objects.filter(pk=self.principal.tenant_id).values_list("tier__code", flat=True).first()
        return Response({
            "enabled": services.enabled(),
            "tier": tier,
            "plans": sorted(settings.CONFIG.billing.prices),
            "plan_status": account.plan_status if account else "",
            "grace_until": account.grace_until if account else None,
        })  # fmt: skip

    @extend_schema(summary="Start a Checkout Session (mode=subscription) for a plan tier: {tier}", tags=TAG)
    @action(detail=False, methods=["post"])
    def checkout(self, request: Request) -> Response:
        assert self.principal.tenant_id is not None
        tier = request.data.get("tier") if isinstance(request.data, dict) else None
        email = getattr(request.user, "email", "")
        return Response(services.plan_checkout(tenant_id=self.principal.tenant_id, tier=tier, email=email), status=201)

    @extend_schema(summary="Open a Customer Portal session (cards, invoices, cancellation)", tags=TAG, request=None)
    @action(detail=False, methods=["post"])
    def portal(self, request: Request) -> Response:
        assert self.principal.tenant_id is not None
        email = getattr(request.user, "email", "")
        return Response(services.portal(tenant_id=self.principal.tenant_id, email=email), status=201)


class StripeWebhookView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Stripe webhook endpoint (Stripe-Signature verified; 400 and nothing written when missing, "
        "invalid or stale)",
        tags=TAG,
        request=None,
        responses={
            200: OpenApiResponse(description="{received, result}"),
            400: OpenApiResponse(description="bad_signature"),
        },
    )
    def post(self, request: Request) -> Response:
        if not services.enabled():
            raise ApiError(code="billing_disabled", message="billing is not configured", status_code=503)
        try:
            event = services.verify(request.body, request.headers.get("Stripe-Signature"))
        except services.BadSignature as exc:
            raise ApiError(code="bad_signature", message=str(exc)) from None
        try:
            result = services.receive(event)
        except Exception:
            log.exception("billing.webhook_failed", event=event.get("id"))
            # 500: Stripe retries later; the stored event records the error for the admin's re-process.
            raise ApiError(
                code="processing_failed", message="the event could not be applied", status_code=500
            ) from None
        return Response({"received": True, "result": result})
