"""Backtests API: queue a run, list and read runs, and the reference strategy registry."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.backtests import runs, services
from backend.backtests.klines import MAX_BARS
from backend.backtests.models import Backtest
from backend.backtests.serializers import BacktestDetailOut, BacktestIn, BacktestOut
from backend.engine.market.intervals import DAY_MS, INTERVALS, duration_ms
from backend.engine.params import ParamError
from backend.engine.strategies import REFERENCE_STRATEGIES
from backend.marketdata import instruments, selectors
from backend.ops.errors import ApiError
from backend.tenancy.api import TENANT_HEADER_PARAM
from backend.tenancy.models import Role
from backend.tenancy.principal import Principal
from backend.tenancy.tiers import tier_of
from backend.tenancy.viewsets import TenantScopedViewSet

DEFAULT_PAGE = 20
MAX_PAGE = 100
# The list leaves out the bulky results; the detail has them.
HEAVY_FIELDS = ("metrics", "equity_curve", "drawdown_curve", "trades")


def _bad(code: str, message: str, detail: Any = None) -> ApiError:
    return ApiError(code=code, message=message, status_code=400, detail=detail)


def validate_request(data: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """The request's domain checks, each failing with its own reason code; returns create() kwargs."""
    strategy = data["strategy"]
    try:
        params = runs.validated_params(strategy, data["params"])
    except runs.UnknownStrategy as exc:
        raise _bad("unknown_strategy", str(exc), {"known": list(REFERENCE_STRATEGIES)}) from None
    except ParamError as exc:
        raise _bad(exc.code, str(exc), {"param": exc.param}) from None
    interval = data["interval"]
    if interval not in INTERVALS:
        raise _bad("unknown_interval", f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}")
    exchange, symbol = data["exchange"], data["symbol"]
    if exchange not in instruments.exchanges():
        raise _bad("unknown_exchange", f"unknown exchange {exchange!r}")
    if instruments.get(exchange, symbol) is None:
        raise _bad("unknown_symbol", f"unknown symbol {symbol!r} on {exchange}; see /api/v1/market/instruments")
    start, end = data["start"], data["end"]
    if end <= start:
        raise _bad("invalid_range", "end must be after start")
    if (end - start) // duration_ms(interval) + 1 > MAX_BARS:
        raise _bad("range_too_large", f"the range spans more than {MAX_BARS:,} {interval} bars; shorten it")
    assert principal.tenant_id is not None
    tier = principal.tier or tier_of(principal.tenant_id)
    floor = int(time.time() * 1000) - tier.history_days * DAY_MS
    if start < floor:
        raise ApiError(
            code="history_depth_exceeded",
            message=f"The {tier.code} tier reads {tier.history_days} days of history.",
            status_code=403,
            detail={"history_days": tier.history_days, "earliest_ms": floor, "tier": tier.code},
        )
    if not selectors.klines(exchange=exchange, symbol=symbol, interval=interval, start_ms=start, end_ms=end, limit=1):
        raise _bad("no_data", f"no stored {interval} klines of {exchange} {symbol} in that range")
    return {
        "strategy": strategy,
        "params": params,
        "exchange": exchange,
        "symbol": symbol,
        "interval": interval,
        "start_ms": start,
        "end_ms": end,
        "cash": data["cash"],
        "commission": data["commission"],
        "slippage_bps": data["slippage_bps"],
        "monte_carlo_simulations": data.get("monte_carlo_simulations", 0),
    }


def _int_param(request: Request, name: str, default: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise _bad("invalid_input", f"{name} must be an integer, got {raw!r}") from None


@extend_schema_view(
    list=extend_schema(
        summary="Backtests of the tenant, newest first",
        description="Results are left out; read one backtest for them. Pages: `limit`, and `before` = the last id "
        "seen; the `Link` header (rel=next) gives the next page.",
        tags=["backtests"],
        parameters=[
            TENANT_HEADER_PARAM,
            OpenApiParameter("limit", int, description=f"1..{MAX_PAGE}, default {DEFAULT_PAGE}"),
            OpenApiParameter("before", int, description="only backtests with a smaller id (the next page)"),
        ],
    ),
    retrieve=extend_schema(
        summary="One backtest with its status, progress and (when done) results",
        description="metrics, equity and drawdown curves downsampled to at most 1,000 points, "
        f"and the first {runs.TRADES_STORED:,} trades (trades_truncated tells when there were more).",
        tags=["backtests"],
        parameters=[TENANT_HEADER_PARAM],
        responses=BacktestDetailOut,
    ),
)
class BacktestViewSet(TenantScopedViewSet):
    serializer_class = BacktestOut
    roles = {"list": Role.VIEWER, "retrieve": Role.VIEWER, "create": Role.TRADER}

    def safely_get_queryset(self) -> QuerySet[Backtest]:
        return Backtest.objects.order_by("-pk")

    def list(self, request: Request) -> Response:
        limit = _int_param(request, "limit", DEFAULT_PAGE)
        before = _int_param(request, "before", None)
        assert limit is not None
        if not 1 <= limit <= MAX_PAGE:
            raise _bad("invalid_input", f"limit must be within 1..{MAX_PAGE}")
        rows = self.get_queryset().defer(*HEAVY_FIELDS)
        if before is not None:
            rows = rows.filter(pk__lt=before)
        page = list(rows[: limit + 1])
        response = Response(BacktestOut(page[:limit], many=True).data)
        if len(page) > limit:
            params = request.query_params.copy()
            params["before"] = str(page[limit - 1].pk)
            params["limit"] = str(limit)
            response["Link"] = f'<{request.build_absolute_uri(request.path)}?{params.urlencode()}>; rel="next"'
        return response

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(BacktestDetailOut(self.get_object()).data)

    @extend_schema(
        summary="Queue a backtest (trader)",
        description="Validates the strategy, its parameters, the market, interval and range, and the tier's daily "
        "quota, then queues the run and answers 202 with the queued backtest; poll it for progress and results. "
        "Reason codes: unknown_strategy, unknown_param, invalid_param, param_out_of_range, unknown_exchange, "
        "unknown_symbol, unknown_interval, invalid_range, range_too_large, no_data (400); "
        "history_depth_exceeded, quota_exceeded (403).",
        tags=["backtests"],
        parameters=[TENANT_HEADER_PARAM],
        request=BacktestIn,
        responses={202: BacktestOut},
        examples=[
            OpenApiExample(
                "SMA crossover over a week of minutes",
                value={
                    "strategy": "sma_cross",
                    "params": {"fast": 10, "slow": 30},
                    "exchange": "sim",
                    "symbol": "BTC-USDT",
                    "interval": "1m",
                    "start": "2026-01-01T00:00:00Z",
                    "end": "2026-01-07T23:59:00Z",
                    "cash": "10000",
                    "commission": "0.001",
                    "slippage_bps": "1",
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request) -> Response:
        data = BacktestIn(data=request.data)
        data.is_valid(raise_exception=True)
        principal = self.principal
        kwargs = validate_request(dict(data.validated_data), principal)
        assert principal.tenant_id is not None
        backtest = services.backtest_create(tenant_id=principal.tenant_id, user_id=principal.user_id, **kwargs)
        return Response(BacktestOut(backtest).data, status=202)


class ReferenceStrategiesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["backtests"],
        summary="The reference strategies: names, descriptions, parameters with defaults and bounds",
        responses=inline_serializer(
            "ReferenceStrategy",
            {
                "name": serializers.CharField(),
                "description": serializers.CharField(),
                "params": serializers.ListField(child=serializers.DictField()),
                "warmup": serializers.IntegerField(help_text="bars before the first signal, with the defaults"),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        return Response([spec.as_dict() for spec in REFERENCE_STRATEGIES.values()])
