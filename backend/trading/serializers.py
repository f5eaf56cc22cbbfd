"""Request and response shapes of the trading API.

Money and quantities are decimal strings both ways (numbers are accepted on input and
read through their text, so 0.1 stays 0.1). Order requests are checked by
`validation.parse_order`, which answers with the engine's own reason codes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.marketdata import instruments
from backend.trading.models import AccountBalance, EquitySample, Fill, Order, PaperAccount, Position
from backend.trading.state import InvalidRiskLimits, clean_risk_limits


@extend_schema_field({"type": "string", "format": "decimal", "example": "0.001"})
class DecimalText(serializers.Field):  # type: ignore[type-arg]
    """An exact decimal: a string (or a JSON number, read through its text); finite, within bounds."""

    default_error_messages = {
        "invalid": 'must be a decimal number given as a string, e.g. "0.001"',
        "not_finite": "must be finite (no NaN or Infinity)",
        "min": "must be at least {bound}",
        "above_min": "must be greater than {bound}",
        "max": "must be at most {bound}",
    }

    def __init__(
        self,
        *,
        min_value: Decimal | None = None,
        exclusive_min: bool = False,
        max_value: Decimal | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.min_value, self.exclusive_min, self.max_value = min_value, exclusive_min, max_value

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, (str, int, float)):
            self.fail("invalid")
        try:
            value = Decimal(str(data).strip())
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("not_finite")
        if self.min_value is not None:
            if self.exclusive_min and value <= self.min_value:
                self.fail("above_min", bound=self.min_value)
            if not self.exclusive_min and value < self.min_value:
                self.fail("min", bound=self.min_value)
        if self.max_value is not None and value > self.max_value:
            self.fail("max", bound=self.max_value)
        return value

    def to_representation(self, value: Any) -> str | None:
        return None if value is None else str(value)


def _risk_limits(value: Any) -> dict[str, Any]:
    try:
        return clean_risk_limits(value)
    except InvalidRiskLimits as exc:
        raise serializers.ValidationError(exc.errors) from None


class RiskLimitsField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> dict[str, Any]:
        return _risk_limits(super().to_internal_value(data))


class AccountIn(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100)
    exchange = serializers.CharField(max_length=32, default="sim")
    currency = serializers.CharField(max_length=16, default="USDT")
    starting_balance = DecimalText(min_value=Decimal(0), exclusive_min=True, max_value=Decimal(10) ** 15)
    maker_fee = DecimalText(min_value=Decimal("-0.01"), max_value=Decimal("0.1"), default=Decimal("0.001"))
    taker_fee = DecimalText(min_value=Decimal(0), max_value=Decimal("0.1"), default=Decimal("0.001"))
    margin = serializers.BooleanField(default=False)
    leverage = DecimalText(min_value=Decimal(1), max_value=Decimal(125), default=Decimal(1))
    risk_limits = RiskLimitsField(default=dict)

    def validate_exchange(self, value: str) -> str:
        known = instruments.exchanges()
        if value not in known:
            raise serializers.ValidationError(f"unknown exchange; known: {', '.join(sorted(known))}")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["margin"] and attrs["leverage"] != 1:
            raise serializers.ValidationError({"leverage": "spot accounts (margin false) have leverage 1"})
        quotes = {i.quote for i in instruments.all_instruments() if i.exchange == attrs["exchange"]}
        if attrs["currency"] not in quotes:
            raise serializers.ValidationError(
                {"currency": f"no {attrs['exchange']} market is quoted in it; known: {', '.join(sorted(quotes))}"}
            )
        return attrs


IMMUTABLE_ACCOUNT_FIELDS = ("exchange", "currency", "starting_balance", "maker_fee", "taker_fee", "margin", "leverage")


class AccountUpdateIn(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100, required=False)
    risk_limits = RiskLimitsField(required=False)
    kill_switch = serializers.BooleanField(required=False)
    reset_breaker = serializers.BooleanField(required=False, help_text="re-arm a tripped drawdown breaker")


class AccountOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    starting_balance = DecimalText(read_only=True)
    maker_fee = DecimalText(read_only=True)
    taker_fee = DecimalText(read_only=True)
    leverage = DecimalText(read_only=True)

    class Meta:
        model = PaperAccount
        fields = [
            "id",
            "name",
            "exchange",
            "currency",
            "starting_balance",
            "maker_fee",
            "taker_fee",
            "margin",
            "leverage",
            "risk_limits",
            "kill_switch",
            "breaker_tripped",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrderIn(serializers.Serializer):  # type: ignore[type-arg]
    """Documentation of the order request (parse_order does the checking, with engine reason codes)."""

    symbol = serializers.CharField(help_text="unified BASE-QUOTE on the account's exchange")
    side = serializers.ChoiceField(["buy", "sell"])
    type = serializers.ChoiceField(
        ["market", "limit", "stop_market", "stop_limit", "take_profit_market", "take_profit_limit", "trailing_stop"],
        default="limit",
    )
    tif = serializers.ChoiceField(["gtc", "ioc", "fok", "post_only"], default="gtc")
    qty = serializers.CharField(help_text="base quantity, decimal string > 0 (rounded down to the lot size)")
    price = serializers.CharField(required=False, help_text="limit price, on the tick (limit types)")
    stop_price = serializers.CharField(required=False, help_text="trigger, on the tick (stop / take-profit types)")
    trail_offset = serializers.CharField(required=False, help_text="trailing_stop: price distance")
    trail_bps = serializers.CharField(required=False, help_text="trailing_stop: basis points")
    reduce_only = serializers.BooleanField(default=False)
    client_order_id = serializers.CharField(required=False, max_length=64, help_text="idempotency key per account")


class OrderOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    """The order as the API returns it (wire.order_out / order_out_row build exactly this)."""

    id = serializers.CharField(source="order_id")
    qty = DecimalText()
    price = DecimalText(allow_null=True)
    stop_price = DecimalText(allow_null=True)
    trail_offset = DecimalText(allow_null=True)
    trail_bps = DecimalText(allow_null=True)
    filled_qty = DecimalText()
    avg_price = DecimalText(allow_null=True)
    fees = DecimalText()

    class Meta:
        model = Order
        fields = [
            "id",
            "account",
            "client_order_id",
            "symbol",
            "side",
            "type",
            "tif",
            "qty",
            "price",
            "stop_price",
            "trail_offset",
            "trail_bps",
            "reduce_only",
            "status",
            "filled_qty",
            "avg_price",
            "fees",
            "reject_reason",
            "created_ms",
            "updated_ms",
        ]


class FillOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.CharField(source="fill_id")
    order_id = serializers.CharField()
    price = DecimalText()
    qty = DecimalText()
    fee = DecimalText()
    realized_pnl = DecimalText()

    class Meta:
        model = Fill
        fields = [
            "id",
            "order_id",
            "account",
            "symbol",
            "side",
            "price",
            "qty",
            "fee",
            "fee_currency",
            "liquidity",
            "realized_pnl",
            "ts_ms",
        ]


class PositionOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    qty = DecimalText()
    avg_entry = DecimalText(allow_null=True)
    realized_pnl = DecimalText()
    fees = DecimalText()
    mark = serializers.CharField(allow_null=True, help_text="last trade price the engine applied")
    unrealized_pnl = serializers.CharField(allow_null=True)

    class Meta:
        model = Position
        fields = ["symbol", "qty", "avg_entry", "mark", "unrealized_pnl", "realized_pnl", "fees", "updated_ms"]


class BalanceOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    free = DecimalText()
    locked = DecimalText()
    total = serializers.SerializerMethodField()

    class Meta:
        model = AccountBalance
        fields = ["asset", "free", "locked", "total", "updated_ms"]

    def get_total(self, row: AccountBalance) -> str:
        return str(row.free + row.locked)


class EquityOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    equity = DecimalText()

    class Meta:
        model = EquitySample
        fields = ["ts_ms", "equity"]
