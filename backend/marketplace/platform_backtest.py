"""The platform backtest every listing version gets: the same simulated data set for all.

The bars are simulated one-minute klines (engine/sim/history.py) from the configured seed
and start, so they are identical on every machine and for every version: a comparable,
in-sample, hypothetical measure. They are generated, never read from a tenant's storage.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings

from backend.backtests import runs
from backend.engine.market.intervals import MINUTE_MS
from backend.engine.sandbox import Sandbox, parse_manifest
from backend.engine.sim.generator import SimExchange
from backend.engine.sim.history import minute_klines
from backend.engine.sim.markets import DEFAULT_MARKETS
from backend.engine.strategy.protocol import Bars

CASH = Decimal(10_000)
COMMISSION = Decimal("0.001")
METHOD = (
    "Hypothetical, in-sample: the platform ran this exact module (default parameters) over "
    "{bars} simulated one-minute {symbol} bars (seed {seed}, from {start}) with {cash} starting cash, "
    "0.1% commission per side, exposure decided at a bar's close executed at the next bar's open. "
    "Return = final/initial equity - 1; Sharpe = mean/std of bar returns x sqrt(bars per year); "
    "max drawdown = largest peak-to-trough fall of equity. Computed by the platform, not the author."
)


@cache
def _standard_bars(symbol: str, bars: int, seed: int, start_ms: int) -> Bars:
    sim = SimExchange(DEFAULT_MARKETS, seed=seed)
    start = max(start_ms, sim.epoch_ms)
    rows = [
        [k.open_time, float(k.open), float(k.high), float(k.low), float(k.close), float(k.volume)]
        for k in minute_klines(sim, symbol, start, start + bars * MINUTE_MS)
    ]
    return np.array(rows, dtype=np.float64).reshape(-1, 6)


def standard_bars() -> Bars:
    cfg = settings.CONFIG.marketplace
    return _standard_bars(cfg.backtest_symbol, cfg.backtest_bars, cfg.backtest_seed, cfg.backtest_start_ms)


def run(sandbox: Sandbox, wasm: bytes, manifest: object) -> dict[str, Any]:
    """Metrics, equity curve and the method text of the platform backtest of one module."""
    cfg = settings.CONFIG.marketplace
    parsed = parse_manifest(manifest)
    params = parsed.resolve({})
    compiled = sandbox.compile(wasm)
    bars = standard_bars()
    config = runs.backtest_config(
        params=params, cash=CASH, commission=COMMISSION, interval="1m", symbol=cfg.backtest_symbol
    )
    result = runs.execute(lambda: sandbox.instantiate(compiled, parsed, params), params, bars, config)
    equity, drawdown = runs.equity_and_drawdown(result, points=200)
    start = runs.iso(int(bars[0][0])) if len(bars) else "-"
    return {
        "kind": "hypothetical",
        "sample": "in_sample",
        "data_set": {
            "exchange": "sim",
            "symbol": cfg.backtest_symbol,
            "interval": "1m",
            "bars": len(bars),
            "seed": cfg.backtest_seed,
            "start": start,
        },
        "params": params,
        "metrics": runs.summary(result),
        "equity": equity,
        "drawdown": drawdown,
        "method": METHOD.format(
            bars=len(bars), symbol=cfg.backtest_symbol, seed=cfg.backtest_seed, start=start, cash=CASH
        ),
    }
