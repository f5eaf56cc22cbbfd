"""backend.engine.live.deployment on its own: NaN = keep, spot cannot short, ensembles, stops,
rebalance on change, order quantities, and warm() == feeding the bars one by one."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from backend.engine.live import Decision, LiveDeployment, Member, evaluate_all, parse_sizing
from backend.engine.strategies.reference import SmaCross
from backend.engine.strategy.protocol import Bars, Exposures

NAN = math.nan
MINUTE = 60_000


class Scripted:
    """Outputs a fixed exposure per bar it is fed (NaN past the script), counting the bars."""

    def __init__(self, script: list[float], warmup: int = 0) -> None:
        self.script = script
        self.fed = 0
        self.warmup = warmup

    @property
    def warmup_bars(self) -> int:
        return self.warmup

    def on_bars(self, bars: Bars) -> Exposures:
        out = np.array(
            [self.script[i] if i < len(self.script) else NAN for i in range(self.fed, self.fed + len(bars))],
            dtype=np.float64,
        )
        self.fed += len(bars)
        return out


class Broken:
    warmup_bars = 0

    def on_bars(self, bars: Bars) -> Exposures:
        raise RuntimeError("trap")


def bar(i: int, close: float, *, high: float | None = None, low: float | None = None) -> Bars:
    hi = close if high is None else high
    lo = close if low is None else low
    return np.array([[i * MINUTE, close, hi, lo, close, 1.0]], dtype=np.float64)


def bars(closes: list[float]) -> Bars:
    return np.vstack([bar(i, c, high=c + 1, low=c - 1) for i, c in enumerate(closes)])


def one(script: list[float], *, allow_short: bool = False, **kw: float) -> LiveDeployment:
    return LiveDeployment(
        [Member(Scripted(script), 1.0)], parse_sizing("fixed_fraction", {}), allow_short=allow_short, **kw
    )


def run(d: LiveDeployment, closes: list[float]) -> list[Decision | None]:
    return [d.evaluate(bar(i, c)) for i, c in enumerate(closes)]


def targets(decisions: list[Decision | None]) -> list[tuple[int, float, str] | None]:
    return [None if x is None else (x.bar_ms // MINUTE, x.target, x.reason) for x in decisions]


def test_nan_keeps_the_previous_exposure() -> None:
    d = one([NAN, 1.0, NAN, NAN, 0.0, NAN])
    assert targets(run(d, [100.0] * 6)) == [None, (1, 1.0, "signal"), None, None, (4, 0.0, "signal"), None]
    assert d.members[0].last == 0.0


def test_spot_cannot_short_and_margin_can() -> None:
    spot = run(one([0.5, -1.0, -0.5]), [100.0] * 3)
    assert targets(spot) == [(0, 0.5, "signal"), (1, 0.0, "signal"), None]  # -1 and -0.5 are both flat
    assert spot[1] is not None and spot[1].exposure == 0.0
    margin = run(one([0.5, -1.0, -0.5], allow_short=True), [100.0] * 3)
    assert targets(margin) == [(0, 0.5, "signal"), (1, -1.0, "signal"), (2, -0.5, "signal")]
    # Out-of-range outputs are clamped to [-1, 1].
    assert targets(run(one([3.0]), [100.0])) == [(0, 1.0, "signal")]


def test_an_ensemble_is_the_weighted_mean_with_silent_members_counting_as_zero() -> None:
    a, b = Scripted([1.0, 1.0, NAN, 1.0]), Scripted([NAN, -1.0, NAN, 0.0])
    d = LiveDeployment([Member(a, 1.0), Member(b, 3.0)], parse_sizing("fixed_fraction", {}), allow_short=True)
    decided = run(d, [100.0] * 4)
    # bar 0: (1 x 1 + 3 x 0) / 4; bar 1: (1 - 3) / 4; bar 2: both keep; bar 3: (1 + 0) / 4
    assert targets(decided) == [(0, 0.25, "signal"), (1, -0.5, "signal"), None, (3, 0.25, "signal")]
    # On spot the mean is taken first and only then floored at 0.
    spot = LiveDeployment(
        [Member(Scripted([1.0]), 1.0), Member(Scripted([-0.5]), 1.0)], parse_sizing("fixed_fraction", {}),
        allow_short=False,
    )  # fmt: skip
    assert targets(run(spot, [100.0])) == [(0, 0.25, "signal")]


def test_no_decision_before_any_member_has_spoken() -> None:
    assert run(one([NAN, NAN]), [100.0, 100.0]) == [None, None]


def test_rebalance_only_when_the_target_changes() -> None:
    d = one([1.0, 1.0, 1.0, 0.5, 0.5, 1.0])
    assert targets(run(d, [100.0] * 6)) == [
        (0, 1.0, "signal"),
        None,
        None,
        (3, 0.5, "signal"),
        None,
        (5, 1.0, "signal"),
    ]
    # A deployment rebuilt with its stored target does not re-decide the same target.
    again = one([1.0, 0.0], target=1.0)
    assert targets(run(again, [100.0] * 2)) == [None, (1, 0.0, "signal")]
    # Sizing applies before the comparison: half of 1.0 twice is one decision.
    half = LiveDeployment([Member(Scripted([1.0, 1.0]), 1.0)], parse_sizing("fixed_fraction", {"fraction": 0.5}),
                          allow_short=False)  # fmt: skip
    assert targets(run(half, [100.0] * 2)) == [(0, 0.5, "signal"), None]


def test_a_bar_seen_before_is_ignored() -> None:
    d = one([1.0, 0.0])
    assert d.evaluate(bar(0, 100.0)) is not None
    assert d.evaluate(bar(0, 100.0)) is None  # a redelivery
    assert d.members[0].strategy.fed == 1  # type: ignore[attr-defined] - not fed twice
    assert d.evaluate(bar(1, 100.0)) is not None


def test_stop_loss_flattens_and_stays_flat_until_the_strategy_changes_its_mind() -> None:
    d = one([1.0, 1.0, 1.0, 1.0, 0.0, 1.0], stop_loss=0.05)
    first = d.evaluate(bar(0, 100.0))
    assert first is not None and first.target == 1.0
    d.filled(Decimal(10), Decimal(100))
    assert d.evaluate(bar(1, 96.0)) is None  # -4%: inside the stop
    stop = d.evaluate(bar(2, 94.0))  # -6%
    assert stop is not None and (stop.target, stop.reason, stop.exposure) == (0.0, "stop_loss", 1.0)
    d.filled(Decimal(-10), Decimal(94))
    assert d.entry_price is None
    assert d.evaluate(bar(3, 100.0)) is None  # the strategy still says 1: stay flat
    assert d.evaluate(bar(4, 100.0)) is None  # it says 0: already flat
    back = d.evaluate(bar(5, 100.0))  # it says 1 again: a new entry
    assert back is not None and (back.target, back.reason) == (1.0, "signal")


def test_the_stop_latch_survives_a_rebuild_from_stored_state() -> None:
    d = one([1.0, 1.0], stop_loss=0.05)
    d.evaluate(bar(0, 100.0))
    d.filled(Decimal(10), Decimal(100))
    stop = d.evaluate(bar(1, 90.0))
    assert stop is not None and stop.reason == "stop_loss"
    d.filled(Decimal(-10), Decimal(90))
    # A runner restart rebuilds the deployment from what it stored (target, position, latch).
    rebuilt = LiveDeployment(
        [Member(Scripted([1.0, 1.0]), 1.0)], parse_sizing("fixed_fraction", {}), allow_short=False,
        stop_loss=0.05, target=d.target, position=d.position, entry_price=d.entry_price, latched=d.latched,
    )  # fmt: skip
    assert d.latched == 1.0
    assert rebuilt.evaluate(bar(2, 100.0)) is None  # the strategy still says 1: no buying straight back in


def test_take_profit_on_a_short_position() -> None:
    d = one([-1.0, -1.0, -1.0, -0.5], allow_short=True, take_profit=0.1, stop_loss=0.05)
    entry = d.evaluate(bar(0, 100.0))
    assert entry is not None and entry.target == -1.0
    d.filled(Decimal(-5), Decimal(100))
    assert d.evaluate(bar(1, 104.0)) is None  # a 4% loss on the short: inside the stop
    profit = d.evaluate(bar(2, 89.0))  # the price fell 11%: +11% on the short
    assert profit is not None and (profit.target, profit.reason) == (0.0, "take_profit")
    d.filled(Decimal(5), Decimal(89))
    changed = d.evaluate(bar(3, 89.0))  # the strategy changed its mind (-0.5): the latch is released
    assert changed is not None and (changed.target, changed.reason) == (-0.5, "signal")


def test_stop_loss_on_a_short_position() -> None:
    d = one([-1.0, -1.0], allow_short=True, stop_loss=0.05)
    assert d.evaluate(bar(0, 100.0)) is not None
    d.filled(Decimal(-5), Decimal(100))
    stop = d.evaluate(bar(1, 105.0))
    assert stop is not None and (stop.target, stop.reason) == (0.0, "stop_loss")


def test_no_stop_without_a_position() -> None:
    d = one([1.0, 1.0], stop_loss=0.05)
    assert d.evaluate(bar(0, 100.0)) is not None  # decided, but the order never filled
    assert d.evaluate(bar(1, 50.0)) is None


def test_order_qty_is_the_difference_to_the_target_rounded_to_the_lot() -> None:
    d = one([], position=Decimal(100))
    equity, price, lot = Decimal(10_000), Decimal(33), Decimal("0.01")
    # target 1: 10,000 / 33 = 303.0303.. -> 303.03; hold 100 -> buy 203.03
    assert d.order_qty(1.0, equity, price, lot) == Decimal("203.03")
    # target -0.5: -151.51 -> sell 251.51
    assert d.order_qty(-0.5, equity, price, lot) == Decimal("-251.51")
    assert d.order_qty(0.0, equity, price, lot) == Decimal(-100)
    assert d.order_qty(NAN, equity, price, lot) == 0
    assert d.order_qty(1.0, equity, Decimal(40), Decimal(1)) == Decimal(150)  # 250 - 100
    assert d.order_qty(1.0, equity, Decimal(40), None) == Decimal(150)
    assert d.order_qty(0.0031, Decimal(100), Decimal(40), Decimal("0.01")) == Decimal(-100)  # 0.31 / 40 < 1 lot


def test_filled_tracks_position_and_average_entry() -> None:
    d = one([])
    d.filled(Decimal(10), Decimal(100))
    d.filled(Decimal(10), Decimal(110))
    assert (d.position, d.entry_price) == (Decimal(20), Decimal(105))
    d.filled(Decimal(-5), Decimal(120))  # a partial close keeps the entry
    assert (d.position, d.entry_price) == (Decimal(15), Decimal(105))
    d.filled(Decimal(-25), Decimal(90))  # through zero: a new short entry
    assert (d.position, d.entry_price) == (Decimal(-10), Decimal(90))
    d.filled(Decimal(10), Decimal(80))
    assert (d.position, d.entry_price) == (Decimal(0), None)


CLOSES = [100.0 + 10 * math.sin(i / 3) + (i % 7) for i in range(60)]


@pytest.mark.parametrize("sizing", ["fixed_fraction", "volatility_target"])
def test_warm_gives_the_state_of_feeding_the_bars_one_by_one(sizing: str) -> None:
    data = bars(CLOSES)

    def make() -> LiveDeployment:
        members = [Member(SmaCross(2, 5, True), 1.0), Member(SmaCross(3, 8, False), 2.0)]
        params = {"atr_bars": 5} if sizing == "volatility_target" else {}
        return LiveDeployment(members, parse_sizing(sizing, params), allow_short=True)

    warmed, streamed = make(), make()
    warmed.warm(data[:30])
    for i in range(30):
        streamed.evaluate(data[i : i + 1])
    assert [m.last for m in warmed.members] == [m.last for m in streamed.members]
    assert warmed.last_bar_ms == streamed.last_bar_ms == 29 * MINUTE
    assert warmed.sizing.atr == streamed.sizing.atr
    assert warmed.evaluate(data[29:30]) is None  # the warm-up covered it
    for i in range(30, 60):
        a, b = warmed.evaluate(data[i : i + 1]), streamed.evaluate(data[i : i + 1])
        assert warmed.target == streamed.target, i
        if a is not None and b is not None:
            assert (a.exposure, a.target) == (b.exposure, b.target)
        assert [m.last for m in warmed.members] == [m.last for m in streamed.members]
        assert warmed.sizing.atr == streamed.sizing.atr
    equity, price, lot = Decimal(10_000), Decimal(100), Decimal("0.01")
    assert warmed.target is not None
    assert warmed.order_qty(warmed.target, equity, price, lot) == streamed.order_qty(warmed.target, equity, price, lot)


def test_warm_decides_nothing_and_the_first_live_bar_decides() -> None:
    d = one([1.0, 1.0, 1.0])
    d.warm(bars([100.0, 100.0]))
    assert d.target is None and d.members[0].last == 1.0
    first = d.evaluate(bar(2, 100.0))
    assert first is not None and first.target == 1.0
    d.warm(np.empty((0, 6), dtype=np.float64))  # nothing: unchanged
    assert d.last_bar_ms == 2 * MINUTE


def test_evaluate_all_fails_one_deployment_alone() -> None:
    good = one([1.0])
    bad = LiveDeployment([Member(Broken(), 1.0)], parse_sizing("fixed_fraction", {}), allow_short=False)
    quiet = one([NAN])
    decisions, failures = evaluate_all([("good", good), ("bad", bad), ("quiet", quiet)], bar(0, 100.0))
    assert [(k, d.target) for k, d in decisions] == [("good", 1.0)]
    assert [(k, str(e)) for k, e in failures] == [("bad", "trap")]


def test_a_deployment_needs_a_strategy() -> None:
    with pytest.raises(ValueError, match="at least one"):
        LiveDeployment([], parse_sizing("fixed_fraction", {}), allow_short=False)
