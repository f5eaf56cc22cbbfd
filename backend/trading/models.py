"""Paper trading ledger: accounts, balances, orders, fills, positions, equity samples.

Restart recovery (why these columns): the `paper_engine` worker is the only writer of
engine state, and PostgreSQL is where it rebuilds from. Instead of one opaque engine
snapshot blob per account, each piece of the engine's AccountSnapshot lives in the
row that the API reads anyway: balances in AccountBalance, FIFO lots and the open round
trip in Position, resting orders (with their matching state: trigger flag, trailing
reference, queue ahead, fill counter, locked funds, time priority) in Order, and the
risk state and order counter on PaperAccount. Every engine event batch updates them in
one transaction, so what the API shows and what a restarted worker restores are the
same committed rows; there is no second copy to drift.

Money and quantities are exact: unconstrained NUMERIC (fields.ExactDecimalField).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from backend.tenancy.models import TenantOwned
from backend.trading.fields import ExactDecimalField


class PaperAccount(TenantOwned):
    name = models.CharField(max_length=100)
    exchange = models.CharField(max_length=32)  # whose trade stream fills this account
    currency = models.CharField(max_length=16)  # quote currency; every market traded is quoted in it
    starting_balance = ExactDecimalField()
    maker_fee = ExactDecimalField()
    taker_fee = ExactDecimalField()
    margin = models.BooleanField(default=False)
    leverage = ExactDecimalField(default=1)
    risk_limits = models.JSONField(default=dict, blank=True)  # RiskLimits fields, decimals as strings
    kill_switch = models.BooleanField(default=False)
    breaker_tripped = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # Engine state a restart needs (written by the worker only).
    next_order = models.BigIntegerField(default=0)  # order ids are f"{pk}:{n}", so the counter outlives resets
    peak_equity = ExactDecimalField(null=True, blank=True)
    risk_day = models.BigIntegerField(default=-1)
    day_start_equity = ExactDecimalField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["tenant", "is_active"], name="paper_account_tenant_active")]

    def __str__(self) -> str:
        return f"paper account {self.pk} {self.name}"


class AccountBalance(TenantOwned):
    account = models.ForeignKey(PaperAccount, on_delete=models.CASCADE, related_name="balances")
    asset = models.CharField(max_length=16)
    free = ExactDecimalField()
    locked = ExactDecimalField()
    updated_ms = models.BigIntegerField(default=0)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["account", "asset"], name="balance_unique_asset")]


class Order(TenantOwned):
    OPEN = ("new", "partially_filled")

    account = models.ForeignKey(PaperAccount, on_delete=models.CASCADE, related_name="orders")
    order_id = models.CharField(max_length=64, unique=True)  # the engine's id, f"{account}:{n}"
    client_order_id = models.CharField(max_length=64, null=True, blank=True)
    symbol = models.CharField(max_length=32)
    side = models.CharField(max_length=4)
    type = models.CharField(max_length=24)
    tif = models.CharField(max_length=12)
    qty = ExactDecimalField()
    price = ExactDecimalField(null=True)
    stop_price = ExactDecimalField(null=True)
    trail_offset = ExactDecimalField(null=True)
    trail_bps = ExactDecimalField(null=True)
    reduce_only = models.BooleanField(default=False)
    status = models.CharField(max_length=20)
    filled_qty = ExactDecimalField()
    filled_quote = ExactDecimalField()
    avg_price = ExactDecimalField(null=True)
    fees = ExactDecimalField()
    reject_reason = models.CharField(max_length=40, null=True)
    created_ms = models.BigIntegerField()
    updated_ms = models.BigIntegerField()
    # Matching state, for restoring resting orders exactly.
    triggered = models.BooleanField(default=False)
    trail_ref = ExactDecimalField(null=True)
    queue_ahead = ExactDecimalField(null=True)  # null = infinite (touching the price never fills)
    fill_count = models.IntegerField(default=0)  # fill ids are f"{order_id}-{n}"
    locked = ExactDecimalField()
    seq = models.BigIntegerField()  # time priority

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["account", "client_order_id"],
                condition=Q(client_order_id__isnull=False),
                name="order_unique_client_id",
            )
        ]
        indexes = [
            models.Index(fields=["account", "-seq"], name="order_account_seq"),
            models.Index(fields=["status"], condition=Q(status__in=["new", "partially_filled"]), name="order_open"),
        ]


class Fill(TenantOwned):
    fill_id = models.CharField(max_length=80, unique=True)  # deterministic: a replay inserts nothing
    account = models.ForeignKey(PaperAccount, on_delete=models.CASCADE, related_name="fills")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, to_field="order_id", related_name="+")
    symbol = models.CharField(max_length=32)
    side = models.CharField(max_length=4)
    price = ExactDecimalField()
    qty = ExactDecimalField()
    fee = ExactDecimalField()
    fee_currency = models.CharField(max_length=16)
    liquidity = models.CharField(max_length=5)
    realized_pnl = ExactDecimalField()
    ts_ms = models.BigIntegerField()

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["account", "-ts_ms"], name="fill_account_ts")]


class Position(TenantOwned):
    account = models.ForeignKey(PaperAccount, on_delete=models.CASCADE, related_name="positions")
    symbol = models.CharField(max_length=32)
    qty = ExactDecimalField()
    avg_entry = ExactDecimalField(null=True)
    realized_pnl = ExactDecimalField()
    fees = ExactDecimalField()
    lots = models.JSONField(default=list)  # [[signed qty, price, ts_ms], ...] oldest first, decimals as strings
    trip = models.JSONField(null=True)  # the open round trip (engine's opaque state), decimals as strings
    updated_ms = models.BigIntegerField(default=0)

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["account", "symbol"], name="position_unique_symbol")]


class EquitySample(TenantOwned):
    account = models.ForeignKey(PaperAccount, on_delete=models.CASCADE, related_name="equity_samples")
    ts_ms = models.BigIntegerField()
    equity = ExactDecimalField()

    unscoped = models.Manager()

    class Meta(TenantOwned.Meta):
        indexes = [models.Index(fields=["account", "ts_ms"], name="equity_account_ts")]


class MarketState(models.Model):
    """Per market, the newest trade the engine has applied (not tenant-owned: market data).

    Written in the same transaction as the events that trade caused, so a redelivered or
    republished trade at or before it is skipped: a replay after kill -9 never fills twice.
    The last price also lets market orders fill right after a restart.
    """

    exchange = models.CharField(max_length=32)
    symbol = models.CharField(max_length=32)
    last_price = ExactDecimalField()
    last_ts_ms = models.BigIntegerField()
    last_trade_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exchange", "symbol"], name="trading_market_unique")]
