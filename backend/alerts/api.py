"""Alerts API: rules (+ firings), webhook endpoints (+ rotate, test event, deliveries, resend).

Viewers read; traders (API keys: trade scope) manage rules; admins manage endpoints,
whose secrets are shown once (on create and on rotate). Counted by the tier quotas
`alert_rules` and `webhook_endpoints`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from backend.alerts import secrets, services
from backend.alerts.models import AlertFiring, AlertRule, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from backend.alerts.ssrf import UnsafeTarget, check_url
from backend.engine.alerts.conditions import EVENT_KINDS, KLINE_KINDS, ConditionError, parse_condition
from backend.engine.alerts.template import TemplateError, validate_template
from backend.engine.market.intervals import INTERVALS
from backend.marketdata import instruments
from backend.ops.errors import ApiError
from backend.tenancy.models import Role
from backend.tenancy.quotas import check_quota
from backend.tenancy.viewsets import TenantScopedViewSet

TAG = ["alerts"]


def _bad(code: str, message: str) -> ApiError:
    return ApiError(code=code, message=message, status_code=400)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise _bad("invalid_input", f"{name} must be an integer, got {raw!r}") from None


def _page(request: Request, rows: QuerySet[Any], cap: int) -> list[Any]:
    """Newest first by id: `limit` (1..cap, default cap) rows with an id below `before` (if given)."""
    limit = _int_param(request, "limit")
    before = _int_param(request, "before")
    if limit is None:
        limit = cap
    if not 1 <= limit <= cap:
        raise _bad("invalid_input", f"limit must be within 1..{cap}")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return list(rows.order_by("-pk")[:limit])


def _page_params(cap: int, what: str) -> list[OpenApiParameter]:
    return [
        OpenApiParameter("limit", int, description=f"1..{cap}, default {cap}"),
        OpenApiParameter("before", int, description=f"only {what} with a smaller id (the next page: the last id seen)"),
    ]


RULES_CAP, FIRINGS_CAP, DELIVERIES_CAP = 1000, 500, 200


class RuleSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AlertRule
        fields = [
            "id",
            "name",
            "exchange",
            "symbol",
            "interval",
            "source",
            "condition",
            "mode",
            "cooldown_s",
            "expires_at",
            "message_template",
            "notify_in_app",
            "notify_webhook",
            "notify_email",
            "is_active",
            "fired_count",
            "last_fired_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "fired_count", "last_fired_at", "created_at", "updated_at"]
        extra_kwargs = {
            f: {"required": False} for f in ("message_template", "source", "exchange", "symbol", "interval")
        }


def validate_rule(data: dict[str, Any]) -> dict[str, Any]:
    """Domain checks with reason codes: unknown_condition / invalid_condition / unknown_indicator,
    unknown_exchange, unknown_symbol, unknown_interval, invalid_source, invalid_template."""
    try:
        condition = parse_condition(data.get("condition"))
    except ConditionError as exc:
        raise _bad(exc.code, str(exc)) from None
    source = data.get("source") or ("event" if condition.kind in EVENT_KINDS else "trade")
    data["source"] = source
    if condition.kind in EVENT_KINDS:
        if source != "event":
            raise _bad("invalid_source", f"{condition.kind} rules have source 'event'")
        data.update(exchange="", symbol="", interval="")
    else:
        if source == "event":
            raise _bad("invalid_source", "only event conditions have source 'event'")
        if condition.kind in KLINE_KINDS and source == "trade":
            raise _bad("invalid_source", f"{condition.kind} is evaluated on klines: use source 'live' or 'closed'")
        exchange, symbol = data.get("exchange", ""), data.get("symbol", "")
        if exchange not in instruments.exchanges():
            raise _bad("unknown_exchange", f"unknown exchange {exchange!r}")
        if instruments.get(exchange, symbol) is None:
            raise _bad("unknown_symbol", f"unknown symbol {symbol!r} on {exchange}; see /api/v1/market/instruments")
        interval = data.get("interval") or ""
        if source == "trade":
            data["interval"] = ""
        elif interval not in INTERVALS:
            raise _bad("unknown_interval", f"interval must be one of {', '.join(INTERVALS)}")
    if data.get("mode") == AlertRule.Mode.COOLDOWN and not data.get("cooldown_s"):
        raise _bad("invalid_cooldown", "cooldown mode needs cooldown_s > 0")
    data.setdefault("message_template", "{symbol}: {rule} fired at {price} ({time})")
    try:
        validate_template(data["message_template"])
    except TemplateError as exc:
        raise _bad("invalid_template", str(exc)) from None
    return data


class FiringSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The shape _firing_out returns, for the OpenAPI schema."""

    id = serializers.IntegerField()
    rule = serializers.IntegerField()
    rule_name = serializers.CharField()
    fired_at = serializers.DateTimeField()
    message = serializers.CharField()
    values = serializers.JSONField()


@extend_schema(tags=TAG)
class RuleViewSet(TenantScopedViewSet):
    serializer_class = RuleSerializer
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "firings": Role.VIEWER,
        "create": Role.TRADER,
        "partial_update": Role.TRADER,
        "destroy": Role.TRADER,
    }

    def safely_get_queryset(self) -> QuerySet[AlertRule]:
        return AlertRule.objects.order_by("-id")

    @extend_schema(parameters=_page_params(RULES_CAP, "rules"))
    def list(self, request: Request) -> Response:
        return Response(RuleSerializer(_page(request, self.get_queryset(), RULES_CAP), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RuleSerializer(self.get_object()).data)

    def create(self, request: Request) -> Response:
        serializer = RuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant_id = self.principal.tenant_id
        assert tenant_id is not None
        check_quota(tenant_id=tenant_id, quota="alert_rules", used=AlertRule.objects.filter(is_active=True).count())
        data = validate_rule(dict(serializer.validated_data))
        row = AlertRule.objects.create(tenant_id=tenant_id, created_by_id=self.principal.user_id, **data)
        return Response(RuleSerializer(row).data, status=201)

    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        serializer = RuleSerializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        merged = {
            f: getattr(row, f) for f in RuleSerializer.Meta.fields if f not in RuleSerializer.Meta.read_only_fields
        }
        merged.update(serializer.validated_data)
        if merged["is_active"] and not row.is_active:
            tenant_id = self.principal.tenant_id
            assert tenant_id is not None
            check_quota(tenant_id=tenant_id, quota="alert_rules", used=AlertRule.objects.filter(is_active=True).count())
        data = validate_rule(merged)
        for field, value in data.items():
            setattr(row, field, value)
        row.version += 1
        row.updated_at = timezone.now()
        row.save()
        return Response(RuleSerializer(row).data)

    def destroy(self, request: Request, pk: str) -> Response:
        self.get_object().delete()
        return Response(status=204)

    @extend_schema(
        summary="Firings of one rule, newest first",
        parameters=_page_params(FIRINGS_CAP, "firings"),
        responses=FiringSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def firings(self, request: Request, pk: str) -> Response:
        rule = self.get_object()
        rows = _page(request, AlertFiring.objects.filter(rule=rule).select_related("rule"), FIRINGS_CAP)
        return Response([_firing_out(f) for f in rows])


def _firing_out(f: AlertFiring) -> dict[str, Any]:
    return {
        "id": f.pk,
        "rule": f.rule_id,
        "rule_name": f.rule.name,
        "fired_at": f.fired_at,
        "message": f.message,
        "values": f.values,
    }


@extend_schema(tags=TAG)
class FiringViewSet(TenantScopedViewSet):
    roles = {"list": Role.VIEWER}
    serializer_class = FiringSerializer

    def safely_get_queryset(self) -> QuerySet[AlertFiring]:
        return AlertFiring.objects.select_related("rule").order_by("-pk")

    @extend_schema(summary="Firings of every rule, newest first", parameters=_page_params(FIRINGS_CAP, "firings"))
    def list(self, request: Request) -> Response:
        return Response([_firing_out(f) for f in _page(request, self.get_queryset(), FIRINGS_CAP)])


class EndpointSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=services.EVENT_TYPES), min_length=1)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "event_types",
            "is_enabled",
            "disabled_reason",
            "consecutive_failures",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "disabled_reason", "consecutive_failures", "created_at", "updated_at"]


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="whsec_...: shown only in this answer")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointRotatedSerializer(EndpointCreatedSerializer):
    previous_valid_until = serializers.DateTimeField(help_text="the old secret keeps signing until then")

    class Meta(EndpointCreatedSerializer.Meta):
        fields = [*EndpointCreatedSerializer.Meta.fields, "previous_valid_until"]


class AttemptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    latency_ms = serializers.IntegerField()
    error = serializers.CharField()
    response_excerpt = serializers.CharField()


class DeliveryLogSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The shape _delivery_out returns, for the OpenAPI schema."""

    id = serializers.IntegerField()
    endpoint = serializers.IntegerField()
    endpoint_url = serializers.CharField()
    event_id = serializers.CharField()
    event_type = serializers.CharField()
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    created_at = serializers.DateTimeField()
    attempts = AttemptSerializer(many=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)


def _check_url(url: str) -> None:
    try:
        check_url(url)
    except UnsafeTarget as exc:
        raise _bad(exc.code, str(exc)) from None


@extend_schema(tags=TAG)
class EndpointViewSet(TenantScopedViewSet):
    serializer_class = EndpointSerializer
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "deliveries": Role.VIEWER,
        "create": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
        "rotate_secret": Role.ADMIN,
        "test": Role.ADMIN,
    }

    def safely_get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return WebhookEndpoint.objects.order_by("id")

    def list(self, request: Request) -> Response:
        return Response(EndpointSerializer(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(EndpointSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a webhook endpoint (admin); the answer carries its signing secret, shown only this once",
        description="Reason codes: unsafe_url and the SSRF guard's codes (400) when the target is refused, "
        "quota_exceeded (403).",
        request=EndpointSerializer,
        responses={201: EndpointCreatedSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = EndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tenant_id = self.principal.tenant_id
        assert tenant_id is not None
        check_quota(tenant_id=tenant_id, quota="webhook_endpoints", used=WebhookEndpoint.objects.count())
        _check_url(serializer.validated_data["url"])
        secret = secrets.generate()
        row = WebhookEndpoint.objects.create(
            tenant_id=tenant_id, secret_encrypted=secrets.encrypt(secret), **serializer.validated_data
        )
        # The only time the secret is shown (and on rotation).
        return Response({**EndpointSerializer(row).data, "secret": secret}, status=201)

    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        serializer = EndpointSerializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "url" in serializer.validated_data:
            _check_url(serializer.validated_data["url"])
        for field, value in serializer.validated_data.items():
            setattr(row, field, value)
        if serializer.validated_data.get("is_enabled"):
            row.consecutive_failures, row.disabled_reason = 0, ""
        row.updated_at = timezone.now()
        row.save()
        return Response(EndpointSerializer(row).data)

    def destroy(self, request: Request, pk: str) -> Response:
        self.get_object().delete()
        return Response(status=204)

    @extend_schema(request=None, responses=EndpointRotatedSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """New secret; the old one keeps signing alongside for webhooks.secret_overlap_s."""
        from django.conf import settings

        row = self.get_object()
        secret = secrets.generate()
        row.previous_secret_encrypted = row.secret_encrypted
        row.previous_secret_expires_at = timezone.now() + dt.timedelta(
            seconds=settings.CONFIG.webhooks.secret_overlap_s
        )
        row.secret_encrypted = secrets.encrypt(secret)
        row.updated_at = timezone.now()
        row.save()
        return Response(
            {**EndpointSerializer(row).data, "secret": secret, "previous_valid_until": row.previous_secret_expires_at}
        )

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "TestEventQueued", {"deliveries": serializers.ListField(child=serializers.IntegerField())}
            )
        },
    )
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        """Send a `test` event to this endpoint now (queued like any delivery)."""
        from django.db import transaction

        row = self.get_object()
        ids = services.emit_event(row.tenant_id, services.TEST_EVENT, {"message": "test event"}, [row.pk])
        transaction.on_commit(lambda: services.enqueue(ids, row.tenant_id))
        return Response({"deliveries": ids}, status=202)

    @extend_schema(
        summary="Delivery log of one endpoint, newest first (every attempt)",
        parameters=_page_params(DELIVERIES_CAP, "deliveries"),
        responses=DeliveryLogSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        rows = _page(request, _deliveries().filter(endpoint=row), DELIVERIES_CAP)
        return Response([_delivery_out(d) for d in rows])


def _deliveries() -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.select_related("event", "endpoint").prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
    )


def _delivery_out(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "endpoint": d.endpoint_id,
        "endpoint_url": d.endpoint.url,
        "event_id": d.event.message_id,
        "event_type": d.event.type,
        "status": d.status,
        "created_at": d.created_at,
        "attempts": [
            {
                "number": a.number,
                "at": a.at,
                "status_code": a.status_code,
                "latency_ms": a.latency_ms,
                "error": a.error,
                "response_excerpt": a.response_excerpt,
            }
            for a in d.attempt_log.all()
        ],
        "next_attempt_at": d.next_attempt_at if d.status == "pending" else None,
    }


@extend_schema(tags=TAG)
class DeliveryViewSet(TenantScopedViewSet):
    serializer_class = DeliveryLogSerializer
    # The log serializer is not a ModelSerializer: name the model for the isolation tests.
    model = WebhookDelivery
    roles = {"list": Role.VIEWER, "resend": Role.ADMIN}

    def safely_get_queryset(self) -> QuerySet[WebhookDelivery]:
        return _deliveries().order_by("-pk")

    @extend_schema(
        summary="Deliveries to every endpoint, newest first (every attempt)",
        parameters=_page_params(DELIVERIES_CAP, "deliveries"),
    )
    def list(self, request: Request) -> Response:
        return Response([_delivery_out(d) for d in _page(request, self.get_queryset(), DELIVERIES_CAP)])

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "ResendQueued", {"delivery": serializers.IntegerField(), "status": serializers.CharField()}
            )
        },
    )
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str) -> Response:
        from django.db import transaction

        delivery = self.get_object()
        services.resend(delivery)
        transaction.on_commit(lambda: services.enqueue([delivery.pk], delivery.tenant_id))
        return Response({"delivery": delivery.pk, "status": "pending"}, status=202)
