"""Position sizing helpers: how many units to hold, in exact Decimal, rounded down to the lot.

All return an unsigned base quantity (the caller chooses the side); zero when the inputs
leave nothing to trade (no equity, no price, no edge).
"""

from __future__ import annotations

from decimal import Decimal

from backend.engine.trading.funds import floor_quotient

ZERO = Decimal(0)


EXPOSURE_RESOLUTION = 6  # decimal places: exposures are resolved to a millionth of equity


def exposure_decimal(exposure: float) -> Decimal:
    """A strategy's float exposure as an exact decimal with EXPOSURE_RESOLUTION places.

    Fixing the places keeps exposure x equity exact within the decimal context, so every
    path that sizes from the same float computes the same quantity.
    """
    return Decimal(round(exposure * 10**EXPOSURE_RESOLUTION)).scaleb(-EXPOSURE_RESOLUTION)


def exposure_qty(exposure: Decimal, equity: Decimal, price: Decimal, lot: Decimal | None) -> Decimal:
    """Signed target position for a target exposure: value = exposure x equity, rounded toward zero to the lot."""
    qty = floor_quotient(abs(exposure) * equity, price, lot)
    return -qty if exposure < 0 else qty


def fixed_fraction(equity: Decimal, fraction: Decimal, price: Decimal, lot: Decimal | None) -> Decimal:
    """Commit `fraction` of equity to the position (0.1 = a tenth of equity at price)."""
    if fraction <= 0:
        return ZERO
    return floor_quotient(fraction * equity, price, lot)


def fixed_risk(equity: Decimal, risk_fraction: Decimal, entry: Decimal, stop: Decimal, lot: Decimal | None) -> Decimal:
    """Fixed-fractional risk: losing `risk_fraction` of equity if the stop is hit (qty = risk / |entry - stop|)."""
    distance = abs(entry - stop)
    if risk_fraction <= 0 or distance == 0:
        return ZERO
    return floor_quotient(risk_fraction * equity, distance, lot)


def volatility_target(
    equity: Decimal,
    price: Decimal,
    atr: Decimal,
    lot: Decimal | None,
    *,
    risk_per_atr: Decimal = Decimal("0.01"),
    max_fraction: Decimal = Decimal(1),
) -> Decimal:
    """Size so that a one-ATR move changes equity by `risk_per_atr` (a fraction), capped at max_fraction of equity.

    qty = risk_per_atr x equity / ATR (the "turtle" unit); a calmer market gets a larger position.
    """
    if atr <= 0 or price <= 0 or equity <= 0:
        return ZERO
    by_vol = floor_quotient(risk_per_atr * equity, atr, lot)
    cap = floor_quotient(max_fraction * equity, price, lot)
    return min(by_vol, cap)


def kelly_fraction(
    win_rate: Decimal, payoff: Decimal, *, scale: Decimal = Decimal(1), cap: Decimal = Decimal("0.25")
) -> Decimal:
    """Kelly fraction f* = p - (1 - p) / b for win probability p and win/loss ratio b, scaled and capped to [0, cap].

    Full Kelly is the growth-optimal bet only if p and b are known exactly; estimates are
    noisy, hence the scale (0.5 = half Kelly) and the cap.
    """
    if not 0 <= win_rate <= 1:
        raise ValueError(f"win_rate must be within [0, 1], got {win_rate}")
    if payoff <= 0:
        return ZERO
    f = win_rate - (1 - win_rate) / payoff
    return min(max(f * scale, ZERO), cap)
