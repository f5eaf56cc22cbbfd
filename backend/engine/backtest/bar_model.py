"""How a bar becomes trade prints, so bar backtests run through the paper engine's matching code.

Timing: a target decided at bar i's close is sent as a market order at bar i+1's open
(never at a price the strategy could not have traded at: no look-ahead).

Intrabar path (conservative, the adverse extreme first):
- a bullish bar (close >= open) is walked O -> L -> H -> C,
- a bearish bar O -> H -> L -> C.
Between two path points the price is continuous, so every resting trigger level it passes
is printed on the way: a stop fills at its stop price, or at the open when the bar gaps
through it (max(stop, open) for a buy stop). Resting limits fill at their limit price when
the path trades strictly through them; merely touching the limit (the bar's low equal to
a buy limit) does not fill, since the order's queue position is unknown (the engine's
touch_queue_qty defaults to an infinite queue).
Prints carry an effectively unlimited quantity: bar backtests assume full fills.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from backend.engine.strategy.protocol import CLOSE, HIGH, LOW, OPEN

PRINT_QTY = Decimal("1e15")  # unlimited liquidity at every print


def price_ticks(bars: npt.NDArray[np.float64], tick: Decimal) -> npt.NDArray[np.int64]:
    """Open, high, low, close as integer multiples of the tick, shape (n, 4).

    Float bars carry representation noise (123.45 is 123.4500000000000028...); snapping
    to the tick once, here, gives both backtest paths the same exact prices.
    """
    prices = bars[:, [OPEN, HIGH, LOW, CLOSE]]
    return np.rint(prices / float(tick)).astype(np.int64)


def path(open_: Decimal, high: Decimal, low: Decimal, close: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    if close >= open_:
        return (open_, low, high, close)
    return (open_, high, low, close)


def segment_prints(start: Decimal, end: Decimal, levels: Iterable[Decimal]) -> list[Decimal]:
    """Prints walking from start to end: every level strictly between them in path order, then end."""
    if end > start:
        inside = sorted({lv for lv in levels if start < lv < end})
    elif end < start:
        inside = sorted({lv for lv in levels if end < lv < start}, reverse=True)
    else:
        return []
    inside.append(end)
    return inside
