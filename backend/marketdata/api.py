"""Market data API: instruments, klines (Binance-compatible rows), trades, ticker.

Any signed-in caller may read it; how far back depends on the tenant's tier.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.engine.market.intervals import DAY_MS, INTERVALS
from backend.marketdata import instruments, selectors
from backend.ops.errors import ApiError
from backend.tenancy.principal import Principal
from backend.tenancy.tiers import TierInfo, default_tier_info, tier_of

MAX_LIMIT = 1500
DEFAULT_LIMIT = 500


def _bad(message: str, code: str = "invalid_input") -> ApiError:
    return ApiError(code=code, message=message, status_code=400)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise _bad(f"{name} must be an integer (epoch milliseconds or a count), got {raw!r}") from None
    if value < 0:
        raise _bad(f"{name} must not be negative")
    return value


def _market(request: Request) -> tuple[str, str]:
    exchange = request.query_params.get("exchange", "")
    symbol = request.query_params.get("symbol", "")
    if exchange not in instruments.exchanges():
        raise _bad(
            f"unknown exchange {exchange!r}; known: {', '.join(sorted(instruments.exchanges()))}", "unknown_exchange"
        )
    if instruments.get(exchange, symbol) is None:
        raise _bad(f"unknown symbol {symbol!r} on {exchange}; see /api/v1/market/instruments", "unknown_symbol")
    return exchange, symbol


def _limit(request: Request) -> int:
    limit = _int_param(request, "limit")
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise _bad(f"limit must be within 1..{MAX_LIMIT}")
    return limit


def _tier(request: Request) -> TierInfo:
    principal = request.auth
    if isinstance(principal, Principal) and principal.tenant_id is not None:
        return principal.tier or tier_of(principal.tenant_id)
    return default_tier_info(settings.CONFIG.default_tier)


def _history_floor(request: Request, start_ms: int | None) -> int:
    """The earliest time the caller's tier may read; an explicit older start is refused."""
    tier = _tier(request)
    floor = int(time.time() * 1000) - tier.history_days * DAY_MS
    if start_ms is not None and start_ms < floor:
        raise ApiError(
            code="history_depth_exceeded",
            message=f"The {tier.code} tier reads {tier.history_days} days of history.",
            status_code=403,
            detail={"history_days": tier.history_days, "earliest_ms": floor, "tier": tier.code},
        )
    return floor


MARKET_PARAMS = [
    OpenApiParameter("exchange", str, required=True, description="exchange id, e.g. sim, binance"),
    OpenApiParameter("symbol", str, required=True, description="unified symbol BASE-QUOTE, e.g. BTC-USDT"),
]


class InstrumentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["market"],
        summary="Instruments by exchange, in unified naming",
        responses=inline_serializer(
            "Instrument",
            {
                "exchange": serializers.CharField(),
                "symbol": serializers.CharField(),
                "base": serializers.CharField(),
                "quote": serializers.CharField(),
                "tick_size": serializers.CharField(),
                "lot_size": serializers.CharField(),
                "min_notional": serializers.CharField(
                    allow_null=True,
                    help_text="smallest order value (qty x price) in the quote currency; null = no minimum",
                ),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "exchange": i.exchange,
                    "symbol": i.symbol,
                    "base": i.base,
                    "quote": i.quote,
                    # Plain notation: 0.00000001, not Decimal's 1E-8.
                    "tick_size": None if i.tick_size is None else format(i.tick_size, "f"),
                    "lot_size": None if i.lot_size is None else format(i.lot_size, "f"),
                    "min_notional": None if i.min_notional is None else format(i.min_notional.normalize(), "f"),
                }
                for i in instruments.all_instruments()
            ]
        )


# A bare array of Binance-style rows: [open_time_ms, open, high, low, close, volume,
# close_time_ms, quote_volume, trades]; times and trades are integers, decimals strings.
KLINE_ROWS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "array",
        "items": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
        "minItems": 9,
        "maxItems": 9,
    },
}


class KlinesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["market"],
        summary="Klines as Binance-compatible arrays, ascending",
        description=(
            "Each row: [open_time_ms, open, high, low, close, volume, close_time_ms, quote_volume, trades], "
            "decimals as strings. With start: from start onwards; without: the latest `limit` up to end."
        ),
        parameters=[
            *MARKET_PARAMS,
            OpenApiParameter("interval", str, required=True, enum=list(INTERVALS)),
            OpenApiParameter("start", int, description="open time from, epoch ms"),
            OpenApiParameter("end", int, description="open time up to, epoch ms"),
            OpenApiParameter("limit", int, description=f"1..{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
        ],
        responses={200: KLINE_ROWS_SCHEMA},
        examples=[
            OpenApiExample(
                "one minute",
                value=[
                    [
                        1795258680000,
                        "65010.12",
                        "65022.00",
                        "65001.50",
                        "65020.01",
                        "1.23456",
                        1795258739999,
                        "80265.12",
                        57,
                    ]
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        exchange, symbol = _market(request)
        interval = request.query_params.get("interval", "")
        if interval not in INTERVALS:
            raise _bad(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}", "unknown_interval")
        start, end, limit = _int_param(request, "start"), _int_param(request, "end"), _limit(request)
        if start is not None and end is not None and start > end:
            raise _bad("start must not be after end")
        floor = _history_floor(request, start)
        rows = selectors.kline_rows(
            exchange=exchange, symbol=symbol, interval=interval, start_ms=start, end_ms=end, limit=limit, floor_ms=floor
        )
        return Response(rows)


class TradesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["market"],
        summary="Stored trades, ascending",
        parameters=[
            *MARKET_PARAMS,
            OpenApiParameter("start", int, description="exchange time from, epoch ms; default: the latest trades"),
            OpenApiParameter("limit", int, description=f"1..{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
        ],
        responses=inline_serializer(
            "TradeRow",
            {
                "id": serializers.IntegerField(),
                "time": serializers.IntegerField(),
                "price": serializers.CharField(),
                "qty": serializers.CharField(),
                "side": serializers.CharField(),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        exchange, symbol = _market(request)
        start, limit = _int_param(request, "start"), _limit(request)
        floor = _history_floor(request, start)
        rows = selectors.trades(exchange=exchange, symbol=symbol, start_ms=start, limit=limit)
        return Response(
            [
                {"id": t.trade_id, "time": t.ts_ms, "price": str(t.price), "qty": str(t.qty), "side": t.side.value}
                for t in rows
                if t.ts_ms >= floor
            ]
        )


class TickerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["market"],
        summary="Last price, 24h change and volume per instrument",
        parameters=[
            OpenApiParameter("exchange", str, description="only this exchange"),
            OpenApiParameter("symbol", str, description="only this symbol"),
        ],
        responses=inline_serializer(
            "Ticker",
            {
                "exchange": serializers.CharField(),
                "symbol": serializers.CharField(),
                "last_price": serializers.CharField(),
                "price_change": serializers.CharField(help_text="last price minus the price 24 h ago"),
                "price_change_percent": serializers.CharField(),
                "high": serializers.CharField(),
                "low": serializers.CharField(),
                "volume": serializers.CharField(help_text="base asset, last 24 h"),
                "quote_volume": serializers.CharField(),
                "trades": serializers.IntegerField(),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        exchange = request.query_params.get("exchange")
        symbol = request.query_params.get("symbol")
        now_ms = int(time.time() * 1000)
        out: list[dict[str, Any]] = []
        for inst in instruments.all_instruments():
            if (exchange and inst.exchange != exchange) or (symbol and inst.symbol != symbol):
                continue
            row = selectors.ticker(exchange=inst.exchange, symbol=inst.symbol, now_ms=now_ms)
            if row is not None:
                out.append(row)
        return Response(out)
