from __future__ import annotations

from django.db import models


class MarketInstrument(models.Model):
    """An instrument known from a connector's exchange info or an import (the simulated
    exchange's are built in). Unified symbol BASE-QUOTE; the exchange's own symbol beside."""

    exchange = models.CharField(max_length=32)
    symbol = models.CharField(max_length=64)
    exchange_symbol = models.CharField(max_length=64)
    tick_size = models.DecimalField(max_digits=38, decimal_places=18, null=True, blank=True)
    lot_size = models.DecimalField(max_digits=38, decimal_places=18, null=True, blank=True)
    # Smallest order value (qty x price) in the quote currency; null = the exchange has none.
    min_notional = models.DecimalField(max_digits=38, decimal_places=18, null=True, blank=True)

    class Meta:
        db_table = "md_instrument"
        constraints = [models.UniqueConstraint(fields=["exchange", "symbol"], name="md_instrument_unique")]

    def __str__(self) -> str:
        return f"{self.exchange}:{self.symbol}"
