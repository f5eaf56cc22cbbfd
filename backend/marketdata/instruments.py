"""The instruments the platform knows, in unified BASE-QUOTE naming per exchange."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backend.engine.market.instrument import Instrument
from backend.engine.sim.markets import DEFAULT_MARKETS

# Exchange connectors add theirs (loaded from the exchanges' exchange-info endpoints);
# the simulated exchange's are built in.
_REGISTRY: dict[tuple[str, str], Instrument] = {
    (m.instrument.exchange, m.instrument.symbol): m.instrument for m in DEFAULT_MARKETS.values()
}


def _instrument(row: Any) -> Instrument:
    return Instrument(row.exchange, row.symbol, row.tick_size, row.lot_size, row.min_notional)


def _stored() -> dict[tuple[str, str], Instrument]:
    from backend.marketdata.models import MarketInstrument

    return {(row.exchange, row.symbol): _instrument(row) for row in MarketInstrument.objects.all()}


def all_instruments() -> list[Instrument]:
    merged = {**_stored(), **_REGISTRY}
    return sorted(merged.values(), key=lambda i: (i.exchange, i.symbol))


def exchanges() -> set[str]:
    from backend.marketdata.models import MarketInstrument

    return {exchange for exchange, _ in _REGISTRY} | set(
        MarketInstrument.objects.values_list("exchange", flat=True).distinct()
    )


def get(exchange: str, symbol: str) -> Instrument | None:
    from backend.marketdata.models import MarketInstrument

    if (exchange, symbol) in _REGISTRY:
        return _REGISTRY[(exchange, symbol)]
    row = MarketInstrument.objects.filter(exchange=exchange, symbol=symbol).first()
    return _instrument(row) if row else None


def register(
    exchange: str,
    symbol: str,
    exchange_symbol: str,
    tick_size: Decimal | None = None,
    lot_size: Decimal | None = None,
    min_notional: Decimal | None = None,
) -> None:
    """Make an imported or connected market known (idempotent). Sizes, when given (exchange info
    was read), are updated, the minimum notional with them: None then means the exchange has none."""
    from backend.marketdata.models import MarketInstrument

    row, created = MarketInstrument.objects.get_or_create(
        exchange=exchange,
        symbol=symbol,
        defaults={
            "exchange_symbol": exchange_symbol,
            "tick_size": tick_size,
            "lot_size": lot_size,
            "min_notional": min_notional,
        },
    )
    sizes = (tick_size, lot_size, min_notional)
    if not created and tick_size is not None and (row.tick_size, row.lot_size, row.min_notional) != sizes:
        row.tick_size, row.lot_size, row.min_notional = sizes
        row.save(update_fields=["tick_size", "lot_size", "min_notional"])
