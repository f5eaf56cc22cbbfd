from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from backend.ops.errors import ApiError
from backend.tenancy import selectors, services
from backend.tenancy.audit import client_ip
from backend.tenancy.authentication import SESSION_TENANT_KEY
from backend.tenancy.models import ApiKey, AuditEvent, Invitation, Membership, Role, Tenant
from backend.tenancy.principal import Principal
from backend.tenancy.serializers import (
    ApiKeyCreatedOut,
    ApiKeyIn,
    ApiKeyOut,
    ApiKeyUpdateIn,
    AuditEventOut,
    InvitationAcceptIn,
    InvitationIn,
    InvitationOut,
    InvitationPreviewOut,
    MembershipIn,
    MembershipOut,
    TenantIn,
    TenantOut,
)
from backend.tenancy.viewsets import TenantScopedViewSet

TENANT_HEADER_PARAM = OpenApiParameter(
    "X-Tenant",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Tenant id or slug to act for (session users with several tenants). API keys imply their tenant.",
)


def _people_only(principal: Principal) -> int:
    if principal.user_id is None:
        raise ApiError(
            code="user_required", message="This endpoint is for signed-in users, not API keys.", status_code=403
        )
    return principal.user_id


PAGE_DEFAULT = 100
PAGE_MAX = 500
PAGE_PARAMS = [
    OpenApiParameter("limit", int, description=f"1..{PAGE_MAX}, default {PAGE_DEFAULT}"),
    OpenApiParameter("before", int, description="only rows with a smaller id (the next page)"),
]


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ApiError(code="invalid_input", message=f"{name} must be an integer", status_code=400) from None


def _page_limit(request: Request) -> int:
    return min(max(_int_param(request, "limit") or PAGE_DEFAULT, 1), PAGE_MAX)


def _keyset_response(request: Request, rows: list[Any], limit: int, serializer: Any) -> Response:
    """One page (rows holds up to limit + 1); the Link header (rel=next) names the next page."""
    response = Response(serializer(rows[:limit], many=True).data)
    if len(rows) > limit:
        params = request.query_params.copy()
        params["before"] = str(rows[limit - 1].pk)
        params["limit"] = str(limit)
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{params.urlencode()}>; rel="next"'
    return response


def _newest_first_page(request: Request, rows: QuerySet[Any], serializer: Any) -> Response:
    limit = _page_limit(request)
    before = _int_param(request, "before")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    return _keyset_response(request, list(rows.order_by("-pk")[: limit + 1]), limit, serializer)


@extend_schema_view(
    list=extend_schema(summary="Tenants you are a member of", tags=["tenants"]),
    retrieve=extend_schema(summary="One of your tenants", tags=["tenants"]),
)
class TenantViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Tenants are reached through the caller's memberships, so another tenant's id is a 404."""

    serializer_class = TenantOut
    permission_classes = [IsAuthenticated]
    lookup_value_regex = "[0-9]+"

    def _principal(self) -> Principal:
        auth = self.request.auth
        if not isinstance(auth, Principal):
            raise ApiError(code="not_authenticated", message="Sign in first.", status_code=401)
        return auth

    def _mine(self) -> tuple[list[Tenant], dict[int, str]]:
        principal = self._principal()
        if principal.user_id is None:
            # An API key sees the one tenant it belongs to.
            tenant = Tenant.objects.select_related("tier").get(pk=principal.tenant_id)
            return [tenant], {tenant.pk: str(principal.role)}
        memberships = selectors.memberships_of(principal.user_id)
        return [m.tenant for m in memberships], {m.tenant_id: m.role for m in memberships}

    def _one(self, pk: str) -> tuple[Tenant, dict[int, str]]:
        tenants, roles = self._mine()
        for tenant in tenants:
            if str(tenant.pk) == str(pk):
                return tenant, roles
        raise ApiError(code="not_found", message="No such tenant.", status_code=404)

    def list(self, request: Request) -> Response:
        tenants, roles = self._mine()
        return Response(TenantOut(tenants, many=True, context={"roles": roles}).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        tenant, roles = self._one(pk)
        return Response(TenantOut(tenant, context={"roles": roles}).data)

    @extend_schema(request=TenantIn, responses={201: TenantOut}, tags=["tenants"], summary="Create a tenant you own")
    def create(self, request: Request) -> Response:
        _people_only(self._principal())
        data = TenantIn(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = services.tenant_create(name=data.validated_data["name"], owner=request.user, ip=client_ip(request))
        return Response(TenantOut(tenant, context={"roles": {tenant.pk: Role.OWNER}}).data, status=201)

    @extend_schema(request=TenantIn, responses=TenantOut, tags=["tenants"], summary="Rename a tenant (owner)")
    def partial_update(self, request: Request, pk: str) -> Response:
        tenant, roles = self._one(pk)
        if roles.get(tenant.pk) != Role.OWNER or self._principal().is_api_key:
            raise ApiError(code="role_required", message="Only owners can rename a tenant.", status_code=403)
        data = TenantIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.tenant_rename(
            tenant=tenant, name=data.validated_data["name"], principal=self._principal(), ip=client_ip(request)
        )
        return Response(TenantOut(tenant, context={"roles": roles}).data)

    @extend_schema(request=None, responses=TenantOut, tags=["tenants"], summary="Make this the session's active tenant")
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        _people_only(self._principal())
        tenant, roles = self._one(pk)
        request.session[SESSION_TENANT_KEY] = tenant.pk
        return Response(TenantOut(tenant, context={"roles": roles}).data)


@extend_schema_view(
    list=extend_schema(summary="Members of the tenant", tags=["members"], parameters=[TENANT_HEADER_PARAM]),
    retrieve=extend_schema(summary="One member", tags=["members"], parameters=[TENANT_HEADER_PARAM]),
    destroy=extend_schema(summary="Remove a member (owner)", tags=["members"], parameters=[TENANT_HEADER_PARAM]),
)
class MemberViewSet(TenantScopedViewSet):
    serializer_class = MembershipOut
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "partial_update": Role.OWNER,
        "destroy": Role.OWNER,
    }

    def safely_get_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.select_related("user").order_by("pk")

    def list(self, request: Request) -> Response:
        return Response(MembershipOut(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MembershipOut(self.get_object()).data)

    @extend_schema(
        request=MembershipIn, responses=MembershipOut, tags=["members"], summary="Change a member's role (owner)"
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        membership = self.get_object()
        data = MembershipIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.membership_change_role(
            membership=membership, role=data.validated_data["role"], principal=self.principal, ip=client_ip(request)
        )
        return Response(MembershipOut(membership).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.membership_remove(membership=self.get_object(), principal=self.principal, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="Invitations, newest first (owner)",
        tags=["members"],
        parameters=[
            TENANT_HEADER_PARAM,
            *PAGE_PARAMS,
            OpenApiParameter("status", str, enum=["pending", "accepted"], description="pending: not accepted yet"),
        ],
    ),
    retrieve=extend_schema(summary="One invitation", tags=["members"], parameters=[TENANT_HEADER_PARAM]),
    destroy=extend_schema(summary="Withdraw an invitation (owner)", tags=["members"], parameters=[TENANT_HEADER_PARAM]),
)
class InvitationViewSet(TenantScopedViewSet):
    serializer_class = InvitationOut
    roles = {"list": Role.OWNER, "retrieve": Role.OWNER, "create": Role.OWNER, "destroy": Role.OWNER}

    def safely_get_queryset(self) -> QuerySet[Invitation]:
        return Invitation.objects.order_by("-pk")

    def list(self, request: Request) -> Response:
        rows = self.get_queryset()
        wanted = request.query_params.get("status")
        if wanted not in (None, "", "pending", "accepted"):
            raise ApiError(code="invalid_input", message="status must be pending or accepted", status_code=400)
        if wanted:
            rows = rows.filter(accepted_at__isnull=wanted == "pending")
        return _newest_first_page(request, rows, InvitationOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(InvitationOut(self.get_object()).data)

    @extend_schema(
        request=InvitationIn,
        responses={201: InvitationOut},
        tags=["members"],
        summary="Invite someone by email (owner); the token is emailed",
        parameters=[TENANT_HEADER_PARAM],
        examples=[
            OpenApiExample("invite a trader", value={"email": "ana@example.com", "role": "trader"}, request_only=True)
        ],
    )
    def create(self, request: Request) -> Response:
        data = InvitationIn(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _token = services.invitation_create(
            tenant_id=self.principal.tenant_id,  # type: ignore[arg-type]
            email=data.validated_data["email"],
            role=data.validated_data["role"],
            principal=self.principal,
            ip=client_ip(request),
            accept_url_base=request.build_absolute_uri("/invitations/accept"),
        )
        return Response(InvitationOut(invitation).data, status=201)

    def destroy(self, request: Request, pk: str) -> Response:
        services.invitation_revoke(invitation=self.get_object(), principal=self.principal, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptViewSet(viewsets.ViewSet):
    def get_permissions(self) -> list[BasePermission]:
        # The preview is for the invitee before they sign in or sign up: the token is the credential.
        return [AllowAny()] if self.action == "preview" else [IsAuthenticated()]

    @extend_schema(
        summary="What an invitation is for (tenant, role, invited email), by its token; no sign-in needed",
        tags=["members"],
        parameters=[OpenApiParameter("token", str, required=True, description="the token from the invitation email")],
        responses={200: InvitationPreviewOut},
    )
    def preview(self, request: Request) -> Response:
        token = request.query_params.get("token", "")
        if not token or len(token) > 200:
            raise ApiError(code="invitation_invalid", message="This invitation is not valid.", status_code=404)
        return Response(InvitationPreviewOut(services.invitation_preview(token=token)).data)

    @extend_schema(
        request=InvitationAcceptIn,
        responses={201: MembershipOut},
        tags=["members"],
        summary="Accept an invitation sent to your email",
    )
    def create(self, request: Request) -> Response:
        principal = request.auth
        if not isinstance(principal, Principal):
            raise ApiError(code="not_authenticated", message="Sign in first.", status_code=401)
        _people_only(principal)
        data = InvitationAcceptIn(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.invitation_accept(
            token=data.validated_data["token"], user=request.user, ip=client_ip(request)
        )
        return Response(MembershipOut(membership).data, status=201)


@extend_schema_view(
    list=extend_schema(
        summary="API keys of the tenant, newest first (admin)",
        tags=["api-keys"],
        parameters=[TENANT_HEADER_PARAM, *PAGE_PARAMS],
    ),
    retrieve=extend_schema(summary="One API key (admin)", tags=["api-keys"], parameters=[TENANT_HEADER_PARAM]),
    destroy=extend_schema(
        summary="Revoke an API key (admin); takes effect on the next request",
        tags=["api-keys"],
        parameters=[TENANT_HEADER_PARAM],
    ),
)
class ApiKeyViewSet(TenantScopedViewSet):
    serializer_class = ApiKeyOut
    roles = {
        "list": Role.ADMIN,
        "retrieve": Role.ADMIN,
        "create": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
    }

    def safely_get_queryset(self) -> QuerySet[ApiKey]:
        return ApiKey.objects.order_by("-pk")

    def list(self, request: Request) -> Response:
        return _newest_first_page(request, self.get_queryset(), ApiKeyOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ApiKeyOut(self.get_object()).data)

    @extend_schema(
        request=ApiKeyIn,
        responses={201: ApiKeyCreatedOut},
        tags=["api-keys"],
        summary="Create an API key (admin); the full key is in this response only",
        parameters=[TENANT_HEADER_PARAM],
        examples=[
            OpenApiExample("read-only key", value={"name": "dashboard", "scopes": ["read"]}, request_only=True),
            OpenApiExample(
                "trading bot key, expiring",
                value={"name": "bot", "scopes": ["read", "trade"], "expires_at": "2027-01-01T00:00:00Z"},
                request_only=True,
            ),
        ],
    )
    def create(self, request: Request) -> Response:
        data = ApiKeyIn(data=request.data)
        data.is_valid(raise_exception=True)
        principal = self.principal
        key, raw = services.api_key_create(
            tenant_id=principal.tenant_id,  # type: ignore[arg-type]
            name=data.validated_data["name"],
            scopes=data.validated_data["scopes"],
            expires_at=data.validated_data.get("expires_at"),
            created_by_id=principal.user_id,
            actor_label=principal.label,
            ip=client_ip(request),
        )
        body: dict[str, Any] = {**ApiKeyOut(key).data, "key": raw}
        return Response(body, status=201)

    @extend_schema(request=ApiKeyUpdateIn, responses=ApiKeyOut, tags=["api-keys"], summary="Rename an API key (admin)")
    def partial_update(self, request: Request, pk: str) -> Response:
        key = self.get_object()
        data = ApiKeyUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        key.name = data.validated_data["name"]
        key.save(update_fields=["name"])
        return Response(ApiKeyOut(key).data)

    def destroy(self, request: Request, pk: str) -> Response:
        principal = self.principal
        services.api_key_revoke(
            api_key=self.get_object(),
            actor_label=principal.label,
            actor_user_id=principal.user_id,
            ip=client_ip(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="The tenant's audit log, newest first (admin)",
        description="Pages: `limit`, and `before` = the id of the last event seen; the `Link` header (rel=next) "
        "gives the next page. `action` keeps one kind of event (see /audit-log/actions).",
        tags=["audit"],
        parameters=[
            TENANT_HEADER_PARAM,
            OpenApiParameter("limit", int, description=f"1..{PAGE_MAX}, default {PAGE_DEFAULT}"),
            OpenApiParameter("before", int, description="only events older than this event id (the next page)"),
            OpenApiParameter("action", str, description="only events of this action, e.g. api_key.created"),
        ],
    ),
    retrieve=extend_schema(summary="One audit event (admin)", tags=["audit"], parameters=[TENANT_HEADER_PARAM]),
)
class AuditLogViewSet(TenantScopedViewSet):
    serializer_class = AuditEventOut
    roles = {"list": Role.ADMIN, "retrieve": Role.ADMIN, "actions": Role.ADMIN}

    def safely_get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.order_by("-created_at", "-pk")

    def list(self, request: Request) -> Response:
        limit = _page_limit(request)
        rows = self.get_queryset()
        action_name = request.query_params.get("action")
        if action_name:
            rows = rows.filter(action=action_name)
        before = _int_param(request, "before")
        if before is not None:
            # Keyset on (created_at, id), the list's order, so it rides the (tenant, -created_at) index.
            anchor = self.get_queryset().filter(pk=before).values_list("created_at", flat=True).first()
            if anchor is None:
                raise ApiError(code="invalid_input", message="before: no such audit event", status_code=400)
            rows = rows.filter(Q(created_at__lt=anchor) | Q(created_at=anchor, pk__lt=before))
        return _keyset_response(request, list(rows[: limit + 1]), limit, AuditEventOut)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AuditEventOut(self.get_object()).data)

    @extend_schema(
        summary="The actions the tenant's audit log holds (for filtering), sorted (admin)",
        tags=["audit"],
        parameters=[TENANT_HEADER_PARAM],
        responses=serializers.ListSerializer(child=serializers.CharField()),
    )
    @action(detail=False, methods=["get"])
    def actions(self, request: Request) -> Response:
        names = self.get_queryset().order_by("action").values_list("action", flat=True).distinct()
        return Response(list(names))
