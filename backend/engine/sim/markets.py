from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from backend.engine.market.instrument import Instrument

SIM_EXCHANGE = "sim"


@dataclass(frozen=True)
class SimMarket:
    instrument: Instrument
    start_price: float
    trades_per_s: float
    annual_vol: float
    median_notional: float

    # Simulated markets always know their tick and lot (imported ones may not).
    @property
    def tick_size(self) -> Decimal:
        assert self.instrument.tick_size is not None
        return self.instrument.tick_size

    @property
    def lot_size(self) -> Decimal:
        assert self.instrument.lot_size is not None
        return self.instrument.lot_size


# Like the real spot exchanges' minimums (Binance 5 USDT, Bybit 1-5 USDT): dust orders are refused.
SIM_MIN_NOTIONAL = Decimal(5)


def _market(symbol: str, price: float, tick: str, lot: str, rate: float, vol: float, notional: float) -> SimMarket:
    return SimMarket(
        instrument=Instrument(SIM_EXCHANGE, symbol, Decimal(tick), Decimal(lot), SIM_MIN_NOTIONAL),
        start_price=price,
        trades_per_s=rate,
        annual_vol=vol,
        median_notional=notional,
    )


DEFAULT_MARKETS: dict[str, SimMarket] = {
    m.instrument.symbol: m
    for m in (
        _market("BTC-USDT", 65_000.0, "0.01", "0.00001", 12.0, 0.55, 400.0),
        _market("ETH-USDT", 3_400.0, "0.01", "0.0001", 8.0, 0.70, 300.0),
        _market("SOL-USDT", 150.0, "0.01", "0.001", 5.0, 0.90, 150.0),
    )
}


def synthetic_markets(count: int) -> dict[str, SimMarket]:
    """`count` extra simulated markets (S001-USDT, ...) for load tests at many symbols."""
    markets = {}
    for i in range(1, count + 1):
        market = _market(f"S{i:03d}-USDT", 10.0 + i * 3.7, "0.001", "0.01", 2.0, 0.8, 200.0)
        markets[market.instrument.symbol] = market
    return markets
