"""GET /api/v1/market/indicators: technical indicator series over stored klines, for charts.

The arithmetic is backend.engine.indicators (TA-Lib); this view picks the bars, reads
enough earlier bars for the indicator to warm up, and returns only the requested rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.engine import indicators
from backend.engine.aggregate.klines import Kline
from backend.engine.market.intervals import INTERVAL_MS, INTERVALS
from backend.engine.params import ParamError, ParamSpec
from backend.marketdata import selectors
from backend.marketdata.api import (
    DEFAULT_LIMIT,
    MARKET_PARAMS,
    MAX_LIMIT,
    _bad,
    _history_floor,
    _int_param,
    _limit,
    _market,
)
from backend.ops.errors import ApiError

# Longest history read for warm-up: covers every parameter the registry allows (ADX(500)
# with its seed decay is the largest, under 8,000 bars); a day-anchored VWAP on 1s bars
# would need 86,400 and is refused instead.
MAX_WARMUP_BARS = 10_000
BAR_COLUMN_NAMES = ("open_time", "open", "high", "low", "close", "volume")  # the strategy protocol's bar order


def parse_params(raw: str) -> dict[str, str]:
    """'fast=12,slow=26,signal=9' -> {'fast': '12', ...}; values are checked by the indicator's specs."""
    out: dict[str, str] = {}
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        name, sep, value = (x.strip() for x in item.partition("="))
        if not sep or not name or not value:
            raise ParamError(
                "invalid_param", name or None, f"params must look like name=value[,name=value], got {item!r}"
            )
        if name in out:
            raise ParamError("invalid_param", name, f"{name} is given twice")
        out[name] = value
    return out


def _bars(klines: list[Kline]) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
    rows = np.array(
        [[k.open_time, k.open, k.high, k.low, k.close, k.volume] for k in klines], dtype=np.float64
    ).reshape(-1, 6)
    return {name: np.ascontiguousarray(rows[:, i]) for i, name in enumerate(BAR_COLUMN_NAMES)}


def _cell(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _catalog() -> str:
    lines = []
    for spec in indicators.REGISTRY.values():
        params = ", ".join(f"{p.name} ({_range(p)}, default {p.as_dict()['default']})" for p in spec.params)
        lines.append(
            f"- `{spec.name}`: {spec.description}. Params: {params or 'none'}. Outputs: {', '.join(spec.outputs)}."
        )
    return "\n".join(lines)


def _range(p: ParamSpec) -> str:
    d = p.as_dict()
    return f"{d['type']} {d['min']}..{d['max']}"


class IndicatorsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["market"],
        summary="Technical indicator series over stored klines, ascending",
        description=(
            "Rows cover the same bars `/market/klines` would return for exchange, symbol, interval, "
            "start, end and limit. `params` is a comma-separated list of name=value pairs, e.g. "
            "`period=14` or `fast=12,slow=26,signal=9`; omitted parameters take their defaults. "
            "Earlier bars are read as warm-up (the indicator's lookback plus, for recursive averages "
            "such as EMA/RSI/ATR/ADX/MACD, enough bars for the seed to weigh under 0.1%; for a "
            "day-anchored VWAP, the bars since UTC midnight), so the first returned value is already "
            "valid. Where less history exists (a market's first bars, or the tier's history depth, "
            "which bounds warm-up reads too), leading values are null. Each row is "
            "[open_time_ms, output...] in the order of `columns`; null where undefined.\n\n"
            "Bad input answers 400 with code `unknown_indicator`, `unknown_param`, `invalid_param` or "
            "`param_out_of_range` (detail names the parameter).\n\nIndicators:\n" + _catalog()
        ),
        parameters=[
            *MARKET_PARAMS,
            OpenApiParameter("interval", str, required=True, enum=list(INTERVALS)),
            OpenApiParameter("name", str, required=True, enum=sorted(indicators.REGISTRY)),
            OpenApiParameter("params", str, description="name=value pairs, comma-separated, e.g. fast=12,slow=26"),
            OpenApiParameter("start", int, description="open time from, epoch ms"),
            OpenApiParameter("end", int, description="open time up to, epoch ms"),
            OpenApiParameter("limit", int, description=f"1..{MAX_LIMIT}, default {DEFAULT_LIMIT}"),
        ],
        responses=inline_serializer(
            "IndicatorSeries",
            {
                "name": serializers.CharField(),
                "params": serializers.DictField(child=serializers.FloatField()),
                "interval": serializers.CharField(),
                "columns": serializers.ListField(child=serializers.CharField()),
                "rows": serializers.ListField(child=serializers.ListField(allow_null=True)),
            },
        ),
        examples=[
            OpenApiExample(
                "macd",
                value={
                    "name": "macd",
                    "params": {"fast": 12, "slow": 26, "signal": 9},
                    "interval": "1h",
                    "columns": ["open_time", "macd", "signal", "hist"],
                    "rows": [[1795258800000, 12.41, 10.02, 2.39]],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        exchange, symbol = _market(request)
        interval = request.query_params.get("interval", "")
        if interval not in INTERVALS:
            raise _bad(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}", "unknown_interval")
        try:
            spec = indicators.get(request.query_params.get("name", ""))
            params = spec.validate(parse_params(request.query_params.get("params", "")))
        except ParamError as exc:
            raise ApiError(
                code=exc.code, message=str(exc), detail={"param": exc.param} if exc.param else None
            ) from None
        start, end, limit = _int_param(request, "start"), _int_param(request, "end"), _limit(request)
        if start is not None and end is not None and start > end:
            raise _bad("start must not be after end")
        floor = _history_floor(request, start)

        rows = [
            k
            for k in selectors.klines(
                exchange=exchange, symbol=symbol, interval=interval, start_ms=start, end_ms=end, limit=limit
            )
            if k.open_time >= floor
        ]
        prior: list[Kline] = []
        if rows:
            need = spec.history_bars(params, rows[0].open_time, INTERVAL_MS[interval])
            if need > MAX_WARMUP_BARS:
                raise ApiError(
                    code="invalid_param",
                    message=f"{spec.name} with these params needs {need} bars of {interval} warm-up "
                    f"(at most {MAX_WARMUP_BARS}); use a longer interval",
                )
            if need:
                prior = [
                    k
                    for k in selectors.klines(
                        exchange=exchange,
                        symbol=symbol,
                        interval=interval,
                        start_ms=None,
                        end_ms=rows[0].open_time - 1,
                        limit=need,
                    )
                    if k.open_time >= floor
                ]
        series = spec.run(_bars(prior + rows), params) if rows else {}
        skip = len(prior)
        outputs = [series[name][skip:] for name in spec.outputs] if rows else []
        return Response(
            {
                "name": spec.name,
                "params": {p.name: _num(p, params[p.name]) for p in spec.params},
                "interval": interval,
                "columns": ["open_time", *spec.outputs],
                "rows": [[k.open_time, *(_cell(out[i]) for out in outputs)] for i, k in enumerate(rows)],
            }
        )


def _num(p: ParamSpec, value: float) -> float | int:
    return int(value) if p.kind == "int" else value
