"""Simulated history as one-minute klines, consistent with the live simulated exchange.

Seeding 30 days of trades would mean ~100 million rows; charts and backtests need
klines, so history is generated at one-minute resolution directly: each hour follows
the same seeded hourly anchors as the live generator (so history flows into the live
feed), and inside the hour a Brownian bridge with volatility clustering is sampled on
ten-second steps to give each minute its open, high, low and close.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from decimal import Decimal

from backend.engine.aggregate.klines import Kline
from backend.engine.market.intervals import HOUR_MS, MINUTE_MS
from backend.engine.sim.generator import SECONDS_PER_YEAR, SimExchange
from backend.engine.sim.markets import SIM_EXCHANGE

STEPS_PER_MINUTE = 6


def minute_klines(sim: SimExchange, symbol: str, start_ms: int, end_ms: int) -> Iterator[Kline]:
    market = sim.markets[symbol]
    tick = market.tick_size
    lot = market.lot_size
    first_hour = (start_ms - sim.epoch_ms) // HOUR_MS
    last_hour = (end_ms - 1 - sim.epoch_ms) // HOUR_MS
    step_var = market.annual_vol**2 / SECONDS_PER_YEAR * (60 / STEPS_PER_MINUTE)
    for hour in range(first_hour, last_hour + 1):
        rng = random.Random(f"{sim.seed}:{symbol}:history:{hour}")
        log_p = math.log(sim.anchor_price(market, hour))
        log_target = math.log(sim.anchor_price(market, hour + 1))
        steps = 60 * STEPS_PER_MINUTE
        vol_scale = 1.0
        hour_start = sim.epoch_ms + hour * HOUR_MS
        for minute in range(60):
            open_time = hour_start + minute * MINUTE_MS
            path = [log_p]
            for step in range(STEPS_PER_MINUTE):
                remaining = steps - (minute * STEPS_PER_MINUTE + step)
                vol_scale = min(max(vol_scale * math.exp(rng.gauss(0.0, 0.1)), 0.3), 4.0)
                log_p += (log_target - log_p) / remaining + math.sqrt(step_var) * vol_scale * rng.gauss(0.0, 1.0)
                path.append(log_p)
            if not start_ms <= open_time < end_ms:
                continue
            prices = [_on_tick(math.exp(x), tick) for x in path]
            trades = max(1, int(rng.gammavariate(4.0, market.trades_per_s * 60 / 4.0) * vol_scale))
            mid = prices[len(prices) // 2]
            volume = _on_tick(trades * market.median_notional * 1.8 / float(mid), lot)
            yield Kline(
                SIM_EXCHANGE, symbol, "1m", open_time, prices[0], max(prices), min(prices), prices[-1],
                volume, (volume * mid).quantize(Decimal("0.00000001")), trades,
                (open_time, 0), (open_time + MINUTE_MS - 1, 0),
            )  # fmt: skip


def _on_tick(value: float, tick: Decimal) -> Decimal:
    return max(Decimal(round(value / float(tick))), Decimal(1)) * tick
