"""Strategies API: uploaded modules, the built-in catalogue, live deployments.

Viewers read; traders (API keys: trade scope) write. Module bytes are never served (there is
no download endpoint); a module is visible to its own tenant only.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.ops.errors import ApiError
from backend.strategies import selectors, services
from backend.strategies.models import Deployment, StrategyModule
from backend.strategies.serializers import (
    CatalogueOut,
    DeploymentIn,
    DeploymentOut,
    ModuleOut,
    ModuleUploadIn,
    PerformanceOut,
    SignalOut,
)
from backend.tenancy.context import tenant_context
from backend.tenancy.models import Role
from backend.tenancy.principal import Principal
from backend.tenancy.viewsets import TenantScopedViewSet

TAG = ["strategies"]
DEP_TAG = ["deployments"]
ERRORS = {
    400: OpenApiResponse(description="invalid input; error.code names the reason (e.g. invalid_params)"),
    404: OpenApiResponse(description="no such object in your tenant"),
}
LIMIT = OpenApiParameter("limit", int, description="rows, newest first (default 100, max 1000)")


def _limit(request: Request) -> int:
    raw = request.query_params.get("limit", "100")
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(code="invalid_input", message="limit must be an integer") from None
    if not 1 <= value <= 1000:
        raise ApiError(code="invalid_input", message="limit must be within 1..1000")
    return value


def _read_upload(request: Request) -> tuple[bytes, object]:
    module, manifest = request.FILES.get("module"), request.data.get("manifest")
    if module is None:
        raise ApiError(code="module_required", message="send the .wasm file as the multipart field 'module'")
    cap = max(t.module_bytes for t in settings.CONFIG.sandbox.tiers.values())
    if module.size > cap:
        raise ApiError(
            code="module_too_large",
            message=f"the module is {module.size:,} bytes; the limit is {cap:,}",
            status_code=413,
        )
    if manifest is None:
        raise ApiError(code="manifest_required", message="send the JSON manifest as the field 'manifest'")
    raw = manifest.read() if hasattr(manifest, "read") else manifest
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(code="manifest_invalid", message="the manifest is not JSON") from None
    return module.read(), parsed


@extend_schema_view(
    list=extend_schema(summary="Your uploaded strategy modules", tags=TAG, responses=ModuleOut(many=True)),
    retrieve=extend_schema(summary="One module (manifest, validation report)", tags=TAG, responses={200: ModuleOut}),
)
class ModuleViewSet(TenantScopedViewSet):
    serializer_class = ModuleOut
    parser_classes = [MultiPartParser, FormParser]
    roles = {"list": Role.VIEWER, "retrieve": Role.VIEWER, "create": Role.TRADER}

    def safely_get_queryset(self) -> QuerySet[StrategyModule]:
        return selectors.modules()

    def list(self, request: Request) -> Response:
        return Response(ModuleOut(self.get_queryset(), many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ModuleOut(self.get_object()).data)

    @extend_schema(
        summary="Upload a module (validated at once: ABI, imports, limits, determinism, look-ahead, batch == stream)",
        description="201 with the stored module; 200 when the same bytes were uploaded before; 400 with the "
        "rejection code (e.g. forbidden_import, look_ahead) and the validation report in error.detail.",
        tags=TAG,
        request={"multipart/form-data": ModuleUploadIn},
        responses={201: ModuleOut, 200: ModuleOut, **ERRORS, 413: OpenApiResponse(description="module_too_large")},
    )
    def create(self, request: Request) -> Response:
        wasm, manifest = _read_upload(request)
        p = self.principal
        assert p.tenant_id is not None
        row, created = services.module_upload(tenant_id=p.tenant_id, user_id=p.user_id, wasm=wasm, manifest=manifest)
        return Response(ModuleOut(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CatalogueView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="What your tenant may deploy: the built-in strategies, then the marketplace listings you are "
        "entitled to (subscribed, or your own), each with its manifest (parameters, intervals)",
        tags=TAG,
        responses=CatalogueOut(many=True),
    )
    def get(self, request: Request) -> Response:
        principal = request.auth
        tenant_id = principal.tenant_id if isinstance(principal, Principal) else None
        if tenant_id is None:  # no tenant chosen: the built-ins only
            return Response(CatalogueOut(selectors.catalogue_entries(listings=False), many=True).data)
        with tenant_context(tenant_id):
            return Response(CatalogueOut(selectors.catalogue_entries(), many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Live deployments, newest first, with their own P&L",
        description="Pages: `limit`, and `before` = the last id seen; the `Link` header (rel=next) gives the "
        "next page.",
        tags=DEP_TAG,
        parameters=[LIMIT, OpenApiParameter("before", int, description="only deployments with a smaller id")],
        responses=DeploymentOut(many=True),
    ),
    retrieve=extend_schema(summary="One deployment (status, error code)", tags=DEP_TAG, responses={200: DeploymentOut}),
    destroy=extend_schema(
        summary="Delete a stopped deployment", tags=DEP_TAG, responses={204: None, 409: OpenApiResponse(), **ERRORS}
    ),
)
class DeploymentViewSet(TenantScopedViewSet):
    serializer_class = DeploymentOut
    roles = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "signals": Role.VIEWER,
        "performance": Role.VIEWER,
        "create": Role.TRADER,
        "partial_update": Role.TRADER,
        "destroy": Role.TRADER,
        "start": Role.TRADER,
        "pause": Role.TRADER,
        "stop": Role.TRADER,
    }

    def safely_get_queryset(self) -> QuerySet[Deployment]:
        return selectors.with_pnl(selectors.deployments())

    def _out(self, row: Deployment) -> dict[str, object]:
        """The row as the API shows it, re-read with its P&L annotations after a write."""
        return dict(DeploymentOut(self.get_queryset().get(pk=row.pk)).data)

    def list(self, request: Request) -> Response:
        limit = _limit(request)
        before = request.query_params.get("before")
        rows = self.get_queryset()
        if before is not None:
            try:
                rows = rows.filter(pk__lt=int(before))
            except ValueError:
                raise ApiError(code="invalid_input", message="before must be an integer (a deployment id)") from None
        page = list(rows[: limit + 1])
        response = Response(DeploymentOut(page[:limit], many=True).data)
        if len(page) > limit:
            params = request.query_params.copy()
            params["before"], params["limit"] = str(page[limit - 1].pk), str(limit)
            response["Link"] = f'<{request.build_absolute_uri(request.path)}?{params.urlencode()}>; rel="next"'
        return response

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(DeploymentOut(self.get_object()).data)

    @extend_schema(
        summary="Deploy a strategy (or an ensemble) on a paper account; running at once unless start=false "
        "(tier quota live_deployments counts running ones)",
        tags=DEP_TAG,
        request=DeploymentIn,
        responses={201: DeploymentOut, **ERRORS, 403: OpenApiResponse(description="quota_exceeded")},
    )
    def create(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise ApiError(code="invalid_input", message="the body must be a JSON object")
        p = self.principal
        assert p.tenant_id is not None
        row = services.deployment_create(tenant_id=p.tenant_id, user_id=p.user_id, data=dict(request.data))
        return Response(self._out(row), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change name, sizing or stops (takes effect on the runner within a second)",
        tags=DEP_TAG,
        request=DeploymentIn,
        responses={200: DeploymentOut, **ERRORS},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        if not isinstance(request.data, dict):
            raise ApiError(code="invalid_input", message="the body must be a JSON object")
        return Response(self._out(services.deployment_update(self.get_object(), dict(request.data))))

    def destroy(self, request: Request, pk: str) -> Response:
        services.deployment_delete(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, name: str) -> Response:
        return Response(self._out(services.deployment_set_status(self.get_object(), name)))

    @extend_schema(
        summary="Start (or resume) a deployment; clears its error (quota live_deployments)",
        tags=DEP_TAG,
        request=None,
        responses={200: DeploymentOut, 403: OpenApiResponse(description="quota_exceeded"), **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._transition("start")

    @extend_schema(summary="Pause: no new decisions, the position is kept", tags=DEP_TAG, request=None,
                   responses={200: DeploymentOut, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        return self._transition("pause")

    @extend_schema(summary="Stop: no new decisions, the runner closes the position", tags=DEP_TAG, request=None,
                   responses={200: DeploymentOut, **ERRORS})  # fmt: skip
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        return self._transition("stop")

    @extend_schema(summary="The deployment's decisions and the orders they placed, newest first", tags=DEP_TAG,
                   parameters=[LIMIT], responses={200: SignalOut(many=True), **ERRORS})  # fmt: skip
    @action(detail=True, methods=["get"])
    def signals(self, request: Request, pk: str) -> Response:
        deployment = self.get_object()
        return Response(SignalOut(selectors.signals(deployment.pk, _limit(request)), many=True).data)

    @extend_schema(
        summary="Performance: the paper account's equity and drawdown since the deployment started, and the "
        "deployment's own trades (fills of its orders)",
        tags=DEP_TAG,
        parameters=[LIMIT],
        responses={200: PerformanceOut, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def performance(self, request: Request, pk: str) -> Response:
        return Response(selectors.performance(self.get_object(), _limit(request)))
