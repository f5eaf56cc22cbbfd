"""backend.engine.live.sizing against hand-computed quantities (equity 10,000, lot 0.01)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backend.engine.live import Sizing, SizingError, parse_sizing
from backend.engine.live.sizing import sizing_warmup

EQUITY = Decimal(10_000)
LOT = Decimal("0.01")


def test_fixed_fraction_scales_the_exposure_and_rounds_down_to_the_lot() -> None:
    s = parse_sizing("fixed_fraction", {"fraction": 0.5})
    assert s.cap(1.0) == 0.5
    assert s.cap(-0.4) == -0.2
    # 0.5 x 10,000 / 33 = 151.5151.. -> 151.51 (151.52 x 33 = 5,000.16 would exceed the value)
    assert s.target_qty(s.cap(1.0), EQUITY, Decimal(33), LOT) == Decimal("151.51")
    assert s.target_qty(s.cap(-1.0), EQUITY, Decimal(33), LOT) == Decimal("-151.51")
    assert s.target_qty(0.0, EQUITY, Decimal(33), LOT) == 0
    # Without a lot the quantity is the exact quotient.
    assert s.target_qty(0.5, EQUITY, Decimal(40), None) == Decimal(125)
    # The default is the strategy's own sizing (what a backtest does).
    assert parse_sizing("fixed_fraction", {}).cap(0.7) == 0.7


def test_kelly_cap_caps_the_exposure_at_the_scaled_kelly_fraction() -> None:
    # f* = p - (1 - p) / b = 0.6 - 0.4 / 2 = 0.4; half Kelly 0.2, under the 0.25 cap.
    s = parse_sizing("kelly_cap", {"win_rate": 0.6, "payoff": 2, "scale": 0.5, "cap": 0.25})
    assert s.kelly_cap == pytest.approx(0.2)
    assert s.cap(1.0) == pytest.approx(0.2)
    assert s.cap(-1.0) == pytest.approx(-0.2)
    assert s.cap(0.1) == 0.1  # under the cap: unchanged
    # 0.2 x 10,000 / 33 = 60.606.. -> 60.60
    assert s.target_qty(s.cap(1.0), EQUITY, Decimal(33), LOT) == Decimal("60.60")
    # Full Kelly 0.4 is capped at 0.25 (the default cap).
    assert parse_sizing("kelly_cap", {"win_rate": 0.6, "payoff": 2}).kelly_cap == pytest.approx(0.25)
    # No edge: nothing to bet.
    assert parse_sizing("kelly_cap", {"win_rate": 0.3, "payoff": 1}).cap(1.0) == 0.0


def _vol(atr_bars: int = 3, **params: float) -> Sizing:
    s = parse_sizing("volatility_target", {"atr_bars": atr_bars, "risk_per_atr": 0.01, **params})
    # True ranges: 102 - 98 = 4 (the first bar: high - low); max(4, |103-100|, |99-100|) = 4;
    # max(6, |106-101|, |100-101|) = 6
    for high, low, close in [(102, 98, 100), (103, 99, 101), (106, 100, 105)]:
        s.observe(high, low, close)
    return s


def test_volatility_target_sizes_by_the_atr_and_caps_at_max_fraction() -> None:
    s = _vol()
    assert s.atr == pytest.approx(14 / 3)
    assert s.cap(0.5) == 0.5  # the exposure is not capped, the quantity is sized
    # unit = 0.01 x 10,000 / (14/3) = 21.428.. -> 21.42; x 0.5 = 10.71
    assert s.target_qty(1.0, EQUITY, Decimal(105), LOT) == Decimal("21.42")
    assert s.target_qty(0.5, EQUITY, Decimal(105), LOT) == Decimal("10.71")
    assert s.target_qty(-0.5, EQUITY, Decimal(105), LOT) == Decimal("-10.71")
    assert s.target_qty(0.0, EQUITY, Decimal(105), LOT) == 0
    # max_fraction 0.1: 1,000 / 105 = 9.5238.. -> 9.52 is below the volatility unit
    assert _vol(max_fraction=0.1).target_qty(1.0, EQUITY, Decimal(105), LOT) == Decimal("9.52")
    # The ATR is the mean of the last atr_bars true ranges: a 4th bar drops the first.
    s.observe(105, 104, 104.5)  # max(1, |105-105|, |104-105|) = 1
    assert s.atr == pytest.approx(11 / 3)


def test_volatility_target_stays_out_until_it_has_an_atr() -> None:
    s = parse_sizing("volatility_target", {"atr_bars": 3})
    s.observe(102, 98, 100)
    s.observe(103, 99, 101)
    assert s.atr is None
    assert s.target_qty(1.0, EQUITY, Decimal(100), LOT) == 0
    assert sizing_warmup(s) == 3
    assert sizing_warmup(parse_sizing("fixed_fraction", {})) == 0


def test_a_sizing_built_directly_keeps_atr_bars_true_ranges() -> None:
    s = Sizing("volatility_target", atr_bars=3)
    for high, low, close in [(102, 98, 100), (103, 99, 101), (106, 100, 105), (105, 104, 104.5)]:
        s.observe(high, low, close)
    assert s.atr == pytest.approx(11 / 3)


@pytest.mark.parametrize(
    ("mode", "params", "field"),
    [
        ("martingale", {}, "sizing"),
        ("fixed_fraction", {"fraction": 1.5}, "fraction"),
        ("fixed_fraction", {"fraction": "half"}, "fraction"),
        ("fixed_fraction", {"cap": 0.1}, "cap"),
        ("volatility_target", {"atr_bars": 1}, "atr_bars"),
        ("kelly_cap", {"payoff": 2}, "win_rate"),
    ],
)
def test_parse_sizing_names_the_bad_field(mode: str, params: dict[str, object], field: str) -> None:
    with pytest.raises(SizingError) as caught:
        parse_sizing(mode, params)
    assert caught.value.field == field
