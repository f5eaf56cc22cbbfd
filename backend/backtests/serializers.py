from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.backtests.models import Backtest
from backend.engine.market.intervals import INTERVALS

MAX_MONTE_CARLO = 10_000


@extend_schema_field(OpenApiTypes.STR)
class TimeMsField(serializers.Field):  # type: ignore[type-arg]
    """Epoch milliseconds or an ISO 8601 datetime (naive = UTC), as epoch milliseconds."""

    default_error_messages = {"invalid": "Give epoch milliseconds or an ISO 8601 datetime."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int) and data >= 0:
            return data
        if isinstance(data, str):
            if data.isdigit():
                return int(data)
            try:
                moment = datetime.fromisoformat(data.replace("Z", "+00:00"))
            except ValueError:
                self.fail("invalid")
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return round(moment.timestamp() * 1000)
        self.fail("invalid")
        raise AssertionError  # fail() raises; this satisfies the type checker

    def to_representation(self, value: Any) -> Any:
        return value


class BacktestIn(serializers.Serializer):  # type: ignore[type-arg]
    strategy = serializers.CharField(max_length=64, help_text="a name from /api/v1/strategies/reference")
    params = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    exchange = serializers.CharField(max_length=32)
    symbol = serializers.CharField(max_length=32, help_text="unified BASE-QUOTE, e.g. BTC-USDT")
    interval = serializers.CharField(max_length=8, help_text=f"one of {', '.join(INTERVALS)}")
    start = TimeMsField(help_text="first kline open time: epoch ms or ISO 8601")
    end = TimeMsField(help_text="last kline open time (inclusive): epoch ms or ISO 8601")
    cash = serializers.DecimalField(
        max_digits=30, decimal_places=8, min_value=Decimal("0.00000001"), max_value=Decimal(10**15), default=10_000
    )
    commission = serializers.DecimalField(
        max_digits=12, decimal_places=8, min_value=Decimal(0), max_value=Decimal("0.1"), default=Decimal("0.001")
    )
    slippage_bps = serializers.DecimalField(
        max_digits=12, decimal_places=4, min_value=Decimal(0), max_value=Decimal(1000), default=Decimal(0)
    )
    monte_carlo_simulations = serializers.IntegerField(
        min_value=0,
        max_value=MAX_MONTE_CARLO,
        default=1000,
        help_text=f"trade-resampling runs for the Monte Carlo distribution (0 = skip, at most {MAX_MONTE_CARLO:,})",
    )


class BacktestOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A backtest without its bulky results (lists)."""

    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = Backtest
        fields = [
            "id",
            "status",
            "progress",
            "error",
            "strategy",
            "params",
            "exchange",
            "symbol",
            "interval",
            "start",
            "end",
            "cash",
            "commission",
            "slippage_bps",
            "monte_carlo_simulations",
            "bars",
            "final_equity",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_start(self, obj: Backtest) -> int:
        return int(obj.start.timestamp() * 1000)

    def get_end(self, obj: Backtest) -> int:
        return int(obj.end.timestamp() * 1000)

    def get_error(self, obj: Backtest) -> dict[str, str] | None:
        return {"code": obj.error_code, "message": obj.error_message} if obj.error_code else None


class BacktestDetailOut(BacktestOut):
    class Meta(BacktestOut.Meta):
        fields = [
            *BacktestOut.Meta.fields,
            "metrics",
            "equity_curve",
            "drawdown_curve",
            "trades",
            "trades_total",
            "trades_truncated",
            "monte_carlo",
        ]
        read_only_fields = fields
