from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.strategies.models import BuiltinStrategy, Deployment, Signal, StrategyModule


class ModuleOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = StrategyModule
        fields = ["id", "name", "version", "description", "manifest", "sha256", "size", "validation", "created_at"]


class ModuleUploadIn(serializers.Serializer):  # type: ignore[type-arg]
    module = serializers.FileField(help_text="the .wasm file (ABI v1)")
    manifest = serializers.FileField(help_text="its JSON manifest (a file, or the JSON text as a form field)")


class CatalogueOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BuiltinStrategy
        fields = ["name", "version", "description", "manifest", "sha256"]


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
            "entry_price", "last_bar_ms", "created_at", "updated_at", "started_at",
        ]  # fmt: skip

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
    ensemble = serializers.ListField(
        child=serializers.DictField(), required=False, help_text="instead: [{strategy|module, params, weight}, ...]"
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
