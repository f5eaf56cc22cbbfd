"""The instruments the platform knows, in unified BASE-QUOTE naming per exchange."""

from __future__ import annotations

from backend.engine.market.instrument import Instrument
from backend.engine.sim.markets import DEFAULT_MARKETS

# Exchange connectors add theirs (loaded from the exchanges' exchange-info endpoints);
# the simulated exchange's are built in.
_REGISTRY: dict[tuple[str, str], Instrument] = {
    (m.instrument.exchange, m.instrument.symbol): m.instrument for m in DEFAULT_MARKETS.values()
}


def all_instruments() -> list[Instrument]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.exchange, i.symbol))


def exchanges() -> set[str]:
    return {exchange for exchange, _ in _REGISTRY}


def get(exchange: str, symbol: str) -> Instrument | None:
    return _REGISTRY.get((exchange, symbol))
