"""Inbound signal endpoints: CRUD under /api/v1/signals/endpoints (admins; secret shown once) and the
public receiver POST /api/v1/signals/in/<id> (authenticated by the endpoint's secret in the body).

Endpoints count against the tier quota `webhook_endpoints` (with the outbound ones).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.alerts import signals
from backend.alerts.models import InboundSignal, SignalEndpoint
from backend.ops.errors import ApiError
from backend.tenancy.audit import client_ip
from backend.tenancy.context import dangerously_bypass_rls, tenant_context
from backend.tenancy.models import Role
from backend.tenancy.quotas import check_quota
from backend.tenancy.viewsets import TenantScopedViewSet
from backend.trading.models import PaperAccount

TAG = ["signals"]


class SignalEndpointSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    allowed_ips = serializers.ListField(child=serializers.CharField(max_length=64), required=False)

    class Meta:
        model = SignalEndpoint
        fields = ["id", "name", "account", "allowed_ips", "is_enabled", "created_at"]
        read_only_fields = ["id", "account", "created_at"]


class InboundSignalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = InboundSignal
        fields = [
            "id",
            "signal_id",
            "action",
            "symbol",
            "size",
            "price",
            "source_ip",
            "received_at",
            "status",
            "code",
            "message",
            "order_id",
        ]


class SignalEndpointIn(SignalEndpointSerializer):
    account = serializers.IntegerField(help_text="id of an open paper account of the tenant")

    class Meta(SignalEndpointSerializer.Meta):
        read_only_fields = ["id", "created_at"]


class SignalEndpointCreated(SignalEndpointSerializer):
    secret = serializers.CharField(help_text="sig_...: shown only in this answer (only its SHA-256 is stored)")
    url = serializers.CharField(help_text="where to POST signals")

    class Meta(SignalEndpointSerializer.Meta):
        fields = [*SignalEndpointSerializer.Meta.fields, "secret", "url"]


class SignalEndpointRotated(SignalEndpointSerializer):
    secret = serializers.CharField(help_text="the new secret; the old one stopped working")

    class Meta(SignalEndpointSerializer.Meta):
        fields = [*SignalEndpointSerializer.Meta.fields, "secret"]


def _account(tenant_id: int, account_id: Any) -> int:
    """The paper account must be the caller's own and open (404-alike refusal otherwise)."""
    if not PaperAccount.objects.filter(pk=getattr(account_id, "pk", account_id), is_active=True).exists():
        raise ApiError(code="unknown_account", message="no open paper account with that id", status_code=400)
    return int(getattr(account_id, "pk", account_id))


@extend_schema(tags=TAG)
class SignalEndpointViewSet(TenantScopedViewSet):
    serializer_class = SignalEndpointSerializer
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "signals_log": Role.VIEWER,
        "create": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
        "rotate_secret": Role.ADMIN,
    }

    def safely_get_queryset(self) -> QuerySet[SignalEndpoint]:
        return SignalEndpoint.objects.order_by("id")

    def list(self, request: Request) -> Response:
        return Response(SignalEndpointSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(SignalEndpointSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create an inbound signal endpoint (admin); the answer carries its secret and URL, this once",
        description="Reason codes: unknown_account, invalid_allowed_ips (400), quota_exceeded (403).",
        request=SignalEndpointIn,
        responses={201: SignalEndpointCreated},
    )
    def create(self, request: Request) -> Response:
        # The account is checked by hand: the serializer's queryset would look across tenants.
        data = request.data if isinstance(request.data, dict) else {}
        serializer = SignalEndpointSerializer(data={k: v for k, v in data.items() if k != "account"})
        serializer.is_valid(raise_exception=True)
        tenant_id = self.principal.tenant_id
        assert tenant_id is not None
        account_id = _account(tenant_id, data.get("account"))
        check_quota(tenant_id=tenant_id, quota="webhook_endpoints", used=SignalEndpoint.objects.count())
        fields = dict(serializer.validated_data)
        fields["allowed_ips"] = signals.check_networks(fields.get("allowed_ips", []))
        secret, digest = signals.new_secret()
        row = SignalEndpoint.objects.create(tenant_id=tenant_id, account_id=account_id, secret_hash=digest, **fields)
        body = SignalEndpointSerializer(row).data
        # The only time the secret is shown (and on rotation).
        return Response({**body, "secret": secret, "url": f"/api/v1/signals/in/{row.pk}"}, status=201)

    @extend_schema(request=SignalEndpointIn(partial=True), responses=SignalEndpointSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        serializer = SignalEndpointSerializer(row, data={k: v for k, v in data.items() if k != "account"}, partial=True)
        serializer.is_valid(raise_exception=True)
        for field, value in serializer.validated_data.items():
            setattr(row, field, signals.check_networks(value) if field == "allowed_ips" else value)
        if "account" in data:
            row.account_id = _account(row.tenant_id, data["account"])
        row.save()
        return Response(SignalEndpointSerializer(row).data)

    def destroy(self, request: Request, pk: str) -> Response:
        self.get_object().delete()
        return Response(status=204)

    @extend_schema(request=None, responses=SignalEndpointRotated)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """A new secret at once (the old one stops working)."""
        row = self.get_object()
        secret, row.secret_hash = signals.new_secret()
        row.save(update_fields=["secret_hash"])
        return Response({**SignalEndpointSerializer(row).data, "secret": secret})

    @extend_schema(responses=InboundSignalSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="signals")
    def signals_log(self, request: Request, pk: str) -> Response:
        """The latest 100 signals received and what became of each."""
        row = self.get_object()
        recent = InboundSignal.objects.filter(endpoint=row).order_by("-id")[:100]
        return Response(InboundSignalSerializer(recent, many=True).data)


def _refused(code: str, message: str, status_code: int) -> Response:
    return Response({"error": {"code": code, "message": message}}, status=status_code)


class InboundSignalView(APIView):
    """POST a signal. 202 queued; 200 duplicate (same signal id again: nothing new happens)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        tags=TAG,
        summary="Receive a trading signal (e.g. a TradingView alert)",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        with dangerously_bypass_rls():  # who owns it is what we are finding out
            endpoint = SignalEndpoint.unscoped.filter(pk=endpoint_id).select_related("account").first()
        data = request.data
        given = data.get("secret") if isinstance(data, dict) else None
        # Unknown endpoint and wrong secret answer alike (no oracle for endpoint ids).
        if endpoint is None or not signals.secret_matches(endpoint, given):
            return _refused("invalid_secret", "unknown endpoint or wrong secret", 401)
        ip = client_ip(request)
        if not signals.ip_allowed(endpoint, ip):
            return _refused("ip_not_allowed", f"{ip} is not in this endpoint's allowlist", 403)
        if not endpoint.is_enabled:
            return _refused("endpoint_disabled", "this signal endpoint is disabled", 403)
        try:
            parsed = signals.parse(data, endpoint.account.exchange, timezone.now())
        except ApiError as exc:
            return _refused(exc.error_code, str(exc.detail), exc.status_code)
        with tenant_context(endpoint.tenant_id):
            if parsed.signal_id is not None:
                seen = InboundSignal.objects.filter(endpoint=endpoint, signal_id=parsed.signal_id).first()
                if seen is not None:
                    return Response({"status": "duplicate", "signal": seen.pk, "state": seen.status}, status=200)
            try:
                with transaction.atomic():
                    row = InboundSignal.objects.create(
                        tenant_id=endpoint.tenant_id,
                        endpoint=endpoint,
                        signal_id=parsed.signal_id,
                        action=parsed.action,
                        symbol=parsed.symbol,
                        size="" if parsed.size is None else str(parsed.size),
                        price="" if parsed.price is None else str(parsed.price),
                        source_ip=ip,
                    )
            except IntegrityError:  # the same signal id, concurrently
                seen = InboundSignal.objects.get(endpoint=endpoint, signal_id=parsed.signal_id)
                return Response({"status": "duplicate", "signal": seen.pk, "state": seen.status}, status=200)
            tenant_id, pk = endpoint.tenant_id, row.pk
            transaction.on_commit(lambda: signals.process_signal.apply_async((pk, tenant_id)))
        return Response({"status": "queued", "signal": pk}, status=202)
