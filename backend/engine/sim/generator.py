"""A deterministic simulated exchange.

The price path is anchored hourly by a slow random walk from `epoch_ms`; inside an hour a
Brownian bridge with GARCH variance fixes the price at each minute boundary, a second
bridge at each second, and the trades inside a second come from an RNG seeded by
(seed, symbol, second): the work per call stays bounded at any trade rate. So the trades at any moment are a pure
function of the seed and the clock: a restarted ingest worker regenerates exactly the
trades (same ids, prices, sizes) it may already have published, and the bus's
de-duplication drops them. Within a segment: Hawkes-style bursty arrivals, GARCH(1,1)
volatility clustering, rare jumps, a drift that bridges to the next hour's anchor, and
taker sides that lean with the price move.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from backend.engine.market.trade import Side, Trade
from backend.engine.sim.markets import SIM_EXCHANGE, SimMarket

HOUR_MS = 3_600_000
SECOND_MS = 1_000
SECONDS_PER_YEAR = 365.0 * 86_400.0
# 2026-01-01T00:00:00Z: the hourly anchor walk starts here.
DEFAULT_EPOCH_MS = 1_767_225_600_000
# Trade ids encode the exchange timestamp so they stay unique and increasing across
# restarts: id = ts_ms * IDS_PER_MS + sequence within that millisecond.
IDS_PER_MS = 1_000

_GARCH_ALPHA = 0.06
_GARCH_BETA = 0.92
# Hawkes self-excitation: each trade adds on average _BRANCHING / _BURST_DECAY_S
# trades/s of intensity, decaying over _BURST_DECAY_S. A branching ratio below 1 keeps
# bursts finite; the mean rate is base / (1 - _BRANCHING).
_BRANCHING = 0.6
_BURST_DECAY_S = 1.5
_JUMPS_PER_DAY = 3.0
_JUMP_SIGMA = 0.004


class SimExchange:
    def __init__(self, markets: dict[str, SimMarket], *, seed: int, epoch_ms: int = DEFAULT_EPOCH_MS) -> None:
        self.markets = markets
        self.seed = seed
        self.epoch_ms = epoch_ms
        self._anchor_walks: dict[str, tuple[list[float], random.Random]] = {}

    def trades(self, symbol: str, start_ms: int, end_ms: int) -> Iterator[Trade]:
        """All trades of `symbol` with start_ms <= ts < end_ms, in order."""
        market = self.markets[symbol]
        if start_ms < self.epoch_ms:
            raise ValueError(f"the simulated exchange has no trades before its epoch ({self.epoch_ms} ms)")
        second = (start_ms - self.epoch_ms) // SECOND_MS
        while self.epoch_ms + second * SECOND_MS < end_ms:
            minute, in_minute = divmod(second, 60)
            hour, in_hour = divmod(minute, 60)
            anchors = self.anchor_price(market, hour), self.anchor_price(market, hour + 1)
            minutes = _bridge(market, self.seed, "minutes", hour, math.log(anchors[0]), math.log(anchors[1]), None)
            seconds = _bridge(market, self.seed, "seconds", minute, minutes[in_hour][0], minutes[in_hour + 1][0],
                              minutes[in_hour][1])  # fmt: skip
            segment = _segment(market, self.seed, self.epoch_ms, second, seconds[in_minute], seconds[in_minute + 1])
            for trade in segment:
                if trade.ts_ms >= end_ms:
                    return
                if trade.ts_ms >= start_ms:
                    yield trade
            second += 1

    def anchor_price(self, market: SimMarket, hour: int) -> float:
        """Opening price of an hour: a seeded hourly random walk from the epoch."""
        symbol = market.instrument.symbol
        if symbol not in self._anchor_walks:
            self._anchor_walks[symbol] = ([0.0], random.Random(f"{self.seed}:{symbol}:anchor"))
        walk, rng = self._anchor_walks[symbol]
        sigma_h = market.annual_vol * math.sqrt(3600.0 / SECONDS_PER_YEAR)
        while len(walk) <= hour:
            walk.append(walk[-1] + rng.gauss(0.0, sigma_h))
        return market.start_price * math.exp(walk[hour])


@lru_cache(maxsize=4096)
def _bridge(
    market: SimMarket, seed: int, level: str, index: int, log_open: float, log_close: float, var_s: float | None
) -> tuple[tuple[float, float], ...]:
    """(log price, variance per second) at 61 evenly spaced points: a Brownian bridge
    from log_open to log_close whose variance follows GARCH(1,1) step to step, so
    volatility clusters across steps. Hours are cut into minutes, minutes into seconds."""
    step_s = 60.0 if level == "minutes" else 1.0
    rng = random.Random(f"{seed}:{market.instrument.symbol}:{level}:{index}")
    base_var_s = market.annual_vol**2 / SECONDS_PER_YEAR
    omega = base_var_s * (1.0 - _GARCH_ALPHA - _GARCH_BETA)
    var = base_var_s if var_s is None else var_s
    walk = [0.0]
    variances = [var]
    for _ in range(60):
        shock = math.sqrt(var * step_s) * rng.gauss(0.0, 1.0)
        walk.append(walk[-1] + shock)
        var = min(omega + _GARCH_ALPHA * shock * shock / step_s + _GARCH_BETA * var, base_var_s * 50)
        variances.append(var)
    drift = walk[60] - (log_close - log_open)
    return tuple((log_open + walk[i] - i / 60 * drift, variances[i]) for i in range(61))


@lru_cache(maxsize=1024)
def _segment(
    market: SimMarket, seed: int, epoch_ms: int, second: int, start: tuple[float, float], end: tuple[float, float]
) -> tuple[Trade, ...]:
    """The trades of one second, bridging the path's prices at its two ends."""
    inst = market.instrument
    rng = random.Random(f"{seed}:{inst.symbol}:segment:{second}")
    seg_start = epoch_ms + second * SECOND_MS
    base_var_s = market.annual_vol**2 / SECONDS_PER_YEAR
    omega = base_var_s * (1.0 - _GARCH_ALPHA - _GARCH_BETA)
    log_p, var_s = start
    log_target = end[0]
    tick = float(market.tick_size)
    lot = float(market.lot_size)
    base_rate = market.trades_per_s * (1.0 - _BRANCHING)
    # Each second starts at the process's stationary excitation, so the mean rate is the
    # market's rate even though segments are generated independently.
    excitation = market.trades_per_s * _BRANCHING
    t = 0.0  # seconds into the segment
    last_ms = -1
    seq = 0
    out: list[Trade] = []
    while True:
        dt = rng.expovariate(base_rate + excitation)
        t += dt
        if t >= 1.0:
            break
        excitation = excitation * math.exp(-dt / _BURST_DECAY_S) + rng.expovariate(_BURST_DECAY_S / _BRANCHING)
        # Drift bridges the walk to the next anchor so segments join without a gap.
        remaining = max(1.0 - t + dt, dt)
        drift = (log_target - log_p) * dt / remaining
        shock = math.sqrt(var_s * dt) * rng.gauss(0.0, 1.0)
        if rng.random() < _JUMPS_PER_DAY * dt / 86_400.0:
            shock += rng.gauss(0.0, _JUMP_SIGMA)
        ret = drift + shock
        log_p += ret
        var_s = omega + _GARCH_ALPHA * (shock * shock / dt if dt > 0 else 0.0) + _GARCH_BETA * var_s
        var_s = min(var_s, base_var_s * 50)
        price_ticks = max(1, round(math.exp(log_p) / tick))
        lean = 0.5 + 0.3 * math.tanh(ret / math.sqrt(base_var_s * dt + 1e-18))
        side = Side.BUY if rng.random() < lean else Side.SELL
        notional = market.median_notional * math.exp(rng.gauss(0.0, 1.1))
        lots = max(1, round(notional / (price_ticks * tick) / lot))
        ts_ms = seg_start + int(t * 1000.0)
        seq = seq + 1 if ts_ms == last_ms else 0
        if seq >= IDS_PER_MS:
            continue
        last_ms = ts_ms
        price = Decimal(price_ticks) * market.tick_size
        out.append(
            Trade(
                exchange=SIM_EXCHANGE,
                symbol=inst.symbol,
                trade_id=ts_ms * IDS_PER_MS + seq,
                ts_ms=ts_ms,
                price=price,
                qty=Decimal(lots) * market.lot_size,
                side=side,
                recv_ms=ts_ms,
            )
        )
    return tuple(out)
