"""Billing API: the tenant's plan and billing state, Checkout and Customer Portal sessions, and the
Stripe webhook (unauthenticated: the signature is the authentication)."""

from __future__ import annotations

import structlog
from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.billing import services
from backend.billing.models import BillingAccount
from backend.billing.serializers import BillingAccountOut, BillingOut, CheckoutIn, SessionUrlOut
from backend.billing.usage import usage
from backend.ops.errors import ApiError
from backend.tenancy.models import Role, Tenant
from backend.tenancy.viewsets import TenantScopedViewSet

TAG = ["billing"]
log = structlog.get_logger(__name__)


class _OneObjectSchema(AutoSchema):
    """GET /billing answers one object, though DRF calls the action `list`."""

    def _is_list_view(self, serializer: object = None) -> bool:
        return False


class BillingViewSet(TenantScopedViewSet):
    serializer_class = BillingAccountOut
    schema = _OneObjectSchema()
    roles = {"list": Role.VIEWER, "checkout": Role.ADMIN, "portal": Role.ADMIN}

    def safely_get_queryset(self) -> QuerySet[BillingAccount]:
        return BillingAccount.objects.all()

    @extend_schema(
        summary="Billing state: enabled flag, current tier, plans on sale, subscription status, usage vs limits",
        tags=TAG,
        responses=BillingOut,
    )
    def list(self, request: Request) -> Response:
        assert self.principal.tenant_id is not None
        account = self.get_queryset().first()
        tenant = Tenant.objects.select_related("tier").filter(pk=self.principal.tenant_id).first()
        tier = tenant.tier if tenant else None
        rate = getattr(request._request, "qt_ratelimit", None)
        return Response(BillingOut({
            "enabled": services.enabled(),
            "tier": tier.code if tier else None,
            "tier_name": tier.name if tier else None,
            "plans": sorted(settings.CONFIG.billing.prices),
            "plan_status": account.plan_status if account else "",
            "grace_until": account.grace_until if account else None,
            "history_days": tier.history_days if tier else None,
            "usage": usage(tenant_id=self.principal.tenant_id, tier=tier, rate=rate) if tier else [],
        }).data)  # fmt: skip

    @extend_schema(
        summary="Start a Checkout Session (mode=subscription) for a plan tier: {tier}",
        tags=TAG,
        request=CheckoutIn,
        responses={201: SessionUrlOut},
    )
    @action(detail=False, methods=["post"])
    def checkout(self, request: Request) -> Response:
        assert self.principal.tenant_id is not None
        tier = request.data.get("tier") if isinstance(request.data, dict) else None
        email = getattr(request.user, "email", "")
        return Response(services.plan_checkout(tenant_id=self.principal.tenant_id, tier=tier, email=email), status=201)

    @extend_schema(
        summary="Open a Customer Portal session (cards, invoices, cancellation)",
        tags=TAG,
        request=None,
        responses={201: SessionUrlOut},
    )
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
