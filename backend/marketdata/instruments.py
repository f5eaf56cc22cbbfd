"""The instruments the platform knows, in unified BASE-QUOTE naming per exchange."""

from __future__ import annotations

from decimal import Decimal

from backend.engine.market.instrument import Instrument
from backend.engine.sim.markets import DEFAULT_MARKETS

# Exchange connectors add theirs (loaded from the exchanges' exchange-info endpoints);
# the simulated exchange's are built in.
_REGISTRY: dict[tuple[str, str], Instrument] = {
    (m.instrument.exchange, m.instrument.symbol): m.instrument for m in DEFAULT_MARKETS.values()
}


def _stored() -> dict[tuple[str, str], Instrument]:
    from backend.marketdata.models import MarketInstrument

    return {
        (row.exchange, row.symbol): Instrument(row.exchange, row.symbol, row.tick_size, row.lot_size)
        for row in MarketInstrument.objects.all()
    }


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
    return Instrument(row.exchange, row.symbol, row.tick_size, row.lot_size) if row else None


def register(
    exchange: str, symbol: str, exchange_symbol: str, tick_size: Decimal | None = None, lot_size: Decimal | None = None
) -> None:
    """Make an imported or connected market known (idempotent); sizes, when given, are updated."""
    from backend.marketdata.models import MarketInstrument

    row, created = MarketInstrument.objects.get_or_create(
        exchange=exchange,
        symbol=symbol,
        defaults={"exchange_symbol": exchange_symbol, "tick_size": tick_size, "lot_size": lot_size},
    )
    if not created and tick_size is not None and (row.tick_size, row.lot_size) != (tick_size, lot_size):
        row.tick_size, row.lot_size = tick_size, lot_size
        row.save(update_fields=["tick_size", "lot_size"])
