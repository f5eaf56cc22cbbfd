from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.strategies.models import Deployment, Signal, StrategyModule


class ModuleOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = StrategyModule
        fields = ["id", "name", "version", "description", "manifest", "sha256", "size", "validation", "created_at"]


class ModuleUploadIn(serializers.Serializer):  # type: ignore[type-arg]
    module = serializers.FileField(help_text="the .wasm file (ABI v1)")
    manifest = serializers.FileField(help_text="its JSON manifest (a file, or the JSON text as a form field)")


class CatalogueOut(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(["builtin", "listing"], help_text="builtin, or a marketplace listing")
    name = serializers.CharField(help_text="the strategy's manifest name (deploy a built-in as strategy=name)")
    version = serializers.CharField()
    description = serializers.CharField()
    manifest = serializers.JSONField(help_text="name, version, description, params, warmup_bars, intervals")
    sha256 = serializers.CharField()
    listing = serializers.CharField(allow_null=True, help_text="the listing's slug (kind listing)")
    listing_name = serializers.CharField(allow_null=True)
    listing_version = serializers.IntegerField(
        allow_null=True, help_text="deploy a listing with listing_version=this (the subscription's version)"
    )


class DeploymentOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    account = serializers.IntegerField(source="account_id", read_only=True)
    error = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="running, paused, errored or stopped")
    position_qty = serializers.CharField(read_only=True)
    entry_price = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Deployment
        fields = [
            "id", "name", "members", "exchange", "symbol", "interval", "account", "sizing", "sizing_params",
            "stop_loss", "take_profit", "max_drawdown", "status", "error", "target_exposure", "position_qty",
            "entry_price", "last_bar_ms", "created_at", "updated_at", "started_at", "realized_pnl", "fees",
            "unrealized_pnl",
        ]  # fmt: skip

    realized_pnl = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    unrealized_pnl = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="of its own fills, gross of fees (FIFO)"))
    def get_realized_pnl(self, obj: Deployment) -> str | None:
        return str(obj.pnl_realized or 0) if hasattr(obj, "pnl_realized") else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="fees of its own fills"))
    def get_fees(self, obj: Deployment) -> str | None:
        return str(obj.pnl_fees or 0) if hasattr(obj, "pnl_fees") else None

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="its open position at the market's last price")
    )
    def get_unrealized_pnl(self, obj: Deployment) -> str | None:
        if not obj.position_qty:
            return "0"
        last = getattr(obj, "last_price", None)
        if last is None or obj.entry_price is None:
            return None
        return str(Decimal(obj.position_qty) * (Decimal(last) - Decimal(obj.entry_price)))

    @extend_schema_field(serializers.DictField(allow_null=True, help_text="{code, message, at}: why it stopped"))
    def get_error(self, obj: Deployment) -> dict[str, object] | None:
        if not obj.error_code:
            return None
        return {"code": obj.error_code, "message": obj.error_message, "at": obj.error_at}


class DeploymentIn(serializers.Serializer):  # type: ignore[type-arg]
    """Documentation of the create body; the view validates it (stable error codes)."""

    name = serializers.CharField(required=False)
    strategy = serializers.CharField(required=False, help_text="a built-in name (see /strategies/catalogue)")
    module = serializers.IntegerField(required=False, help_text="or an uploaded module's id")
    params = serializers.DictField(required=False)
    listing_version = serializers.IntegerField(
        required=False, help_text="or a marketplace version id (a catalogue entry's listing_version)"
    )
    ensemble = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="instead: [{strategy|module|listing_version, params, weight}, ...]",
    )
    exchange = serializers.CharField(required=False, help_text="defaults to the account's")
    symbol = serializers.CharField()
    interval = serializers.CharField()
    account = serializers.IntegerField(help_text="a paper account of your tenant")
    sizing = serializers.ChoiceField(["fixed_fraction", "volatility_target", "kelly_cap"], required=False)
    sizing_params = serializers.DictField(required=False)
    stop_loss = serializers.FloatField(required=False)
    take_profit = serializers.FloatField(required=False)
    max_drawdown = serializers.FloatField(required=False)
    start = serializers.BooleanField(required=False, default=True)


class SignalOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    price = serializers.CharField(allow_null=True)
    equity = serializers.CharField(allow_null=True)
    qty = serializers.CharField()

    class Meta:
        model = Signal
        fields = ["id", "bar_open_ms", "exposure", "target", "reason", "price", "equity", "qty", "orders", "ts"]


class PerformanceTradeOut(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    order_id = serializers.CharField()
    side = serializers.CharField()
    price = serializers.CharField()
    qty = serializers.CharField()
    fee = serializers.CharField()
    realized_pnl = serializers.CharField()
    ts_ms = serializers.IntegerField()


class PerformanceOut(serializers.Serializer):  # type: ignore[type-arg]
    """Documentation of /deployments/{id}/performance (selectors.performance builds it)."""

    deployment = serializers.IntegerField()
    account = serializers.IntegerField()
    position_qty = serializers.CharField()
    entry_price = serializers.CharField(allow_null=True)
    realized_pnl = serializers.CharField(help_text="of the trades below")
    fees = serializers.CharField()
    max_drawdown = serializers.FloatField(help_text="of the account's equity since the deployment was created")
    equity = serializers.ListField(child=serializers.ListField(), help_text="[[ts_ms, equity as a string], ...]")
    drawdown = serializers.ListField(child=serializers.ListField(), help_text="[[ts_ms, fraction below the peak], ...]")
    trades = PerformanceTradeOut(many=True, help_text="the deployment's own fills, oldest first")
