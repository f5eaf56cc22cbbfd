"""Every condition type, trigger mode, expiry and the index, against hand-computed values."""

from __future__ import annotations

from typing import Any

import pytest

from backend.engine.alerts.conditions import ConditionError, parse_condition
from backend.engine.alerts.index import AlertEngine, KlineIn
from backend.engine.alerts.rules import Rule
from backend.engine.alerts.template import TemplateError, validate_template

_ids = iter(range(1, 1_000_000))


def rule(condition: dict[str, Any], *, source: str = "trade", interval: str | None = None, **kw: Any) -> Rule:
    return Rule(
        id=next(_ids),
        tenant_id=kw.pop("tenant_id", 1),
        exchange="sim",
        symbol=kw.pop("symbol", "BTC-USDT"),
        interval=interval,
        source=source,  # type: ignore[arg-type]
        condition=parse_condition(condition),
        **kw,
    )


def engine_with(*rules: Rule) -> AlertEngine:
    engine = AlertEngine()
    engine.replace_rules(rules)
    return engine


def trades(engine: AlertEngine, *prices: float, symbol: str = "BTC-USDT", t0: int = 1_000) -> list[Any]:
    return engine.on_trades("sim", symbol, [(p, t0 + i * 1000) for i, p in enumerate(prices)])


def closes(engine: AlertEngine, values: list[float], *, volumes: list[float] | None = None, highs=None, lows=None):  # type: ignore[no-untyped-def]
    fired = []
    for i, c in enumerate(values):
        k = KlineIn(
            "sim",
            "BTC-USDT",
            "1m",
            i * 60_000,
            c,
            highs[i] if highs else c,
            lows[i] if lows else c,
            volumes[i] if volumes else 1.0,
            closed=True,
        )
        fired.append(engine.on_kline(k))
    return fired


# --- price on trades --------------------------------------------------------------------------


def test_price_cross_above_fires_on_the_trade_reaching_the_level() -> None:
    engine = engine_with(rule({"type": "price_cross", "direction": "above", "level": 100}))
    fired = trades(engine, 99, 99.5, 100, 101)
    assert [f.values["price"] for f in fired] == [100]
    assert fired[0].values["previous_price"] == 99.5


def test_price_cross_below_and_every_time_refires_after_recrossing() -> None:
    engine = engine_with(rule({"type": "price_cross", "direction": "below", "level": 100}))
    fired = trades(engine, 101, 99, 102, 100, 100, 99)
    assert [f.values["price"] for f in fired] == [99, 100]


def test_once_fires_a_single_time() -> None:
    r = rule({"type": "price_cross", "direction": "above", "level": 100}, mode="once")
    engine = engine_with(r)
    assert len(trades(engine, 99, 101, 99, 101)) == 1
    assert engine.finished() == [r.id]


def test_cooldown_suppresses_firings_inside_the_window() -> None:
    engine = engine_with(
        rule({"type": "price_cross", "direction": "above", "level": 100}, mode="cooldown", cooldown_ms=2500)
    )
    # ts 1000: 99, 2000: 101 (fires), 3000: 99, 4000: 101 (2000 ms later: no), 5000: 99, 6000: 101 (fires)
    fired = trades(engine, 99, 101, 99, 101, 99, 101)
    assert [f.ts_ms for f in fired] == [2000, 6000]


def test_expired_rules_do_not_fire() -> None:
    engine = engine_with(rule({"type": "price_cross", "direction": "above", "level": 100}, expires_ms=2500))
    assert [f.ts_ms for f in trades(engine, 99, 101, 99, 101)] == [2000]


def test_price_range_enter_and_leave() -> None:
    enter = rule({"type": "price_range", "event": "enter", "low": 100, "high": 110})
    leave = rule({"type": "price_range", "event": "leave", "low": 100, "high": 110})
    engine = engine_with(enter, leave)
    fired = trades(engine, 95, 105, 115, 95, 100, 120)
    # 95->105 enters; 105->115 leaves; 115->95 jumps over (neither); 95->100 enters; 100->120 leaves.
    assert [(f.rule_id, f.values["price"]) for f in fired] == [
        (enter.id, 105),
        (leave.id, 115),
        (enter.id, 100),
        (leave.id, 120),
    ]


def test_rules_of_other_markets_are_never_looked_at() -> None:
    engine = engine_with(rule({"type": "price_cross", "direction": "above", "level": 100}, symbol="ETH-USDT"))
    assert trades(engine, 99, 101, symbol="BTC-USDT") == []
    assert engine.markets[("sim", "BTC-USDT")].levels == []
    assert len(trades(engine, 99, 101, symbol="ETH-USDT")) == 1


def test_editing_a_rule_resets_its_state_and_unchanged_rules_keep_theirs() -> None:
    r = rule({"type": "price_cross", "direction": "above", "level": 100}, mode="once")
    engine = engine_with(r)
    trades(engine, 99, 101)
    same = rule({"type": "price_cross", "direction": "above", "level": 100}, mode="once")
    same.id = r.id
    engine.replace_rules([same])
    assert trades(engine, 99, 101) == []  # still done
    edited = rule({"type": "price_cross", "direction": "above", "level": 100}, mode="once", version=1)
    edited.id = r.id
    engine.replace_rules([edited])
    assert len(trades(engine, 99, 101)) == 1


# --- kline conditions -------------------------------------------------------------------------


def test_price_cross_on_closed_klines() -> None:
    engine = engine_with(
        rule({"type": "price_cross", "direction": "above", "level": 100}, source="closed", interval="1m")
    )
    fired = closes(engine, [98, 99, 101, 102])
    assert [len(f) for f in fired] == [0, 0, 1, 0]


def test_pct_change_over_bars() -> None:
    engine = engine_with(
        rule({"type": "pct_change", "bars": 2, "pct": 10, "direction": "up"}, source="closed", interval="1m")
    )
    fired = closes(engine, [100, 105, 110])  # (110 - 100) / 100 = 10 %
    assert [len(f) for f in fired] == [0, 0, 1]
    assert fired[2][0].values["value"] == pytest.approx(10.0)


def test_pct_change_down_and_either() -> None:
    down = rule({"type": "pct_change", "bars": 1, "pct": 5, "direction": "down"}, source="closed", interval="1m")
    either = rule({"type": "pct_change", "bars": 1, "pct": 5, "direction": "either"}, source="closed", interval="1m")
    engine = engine_with(down, either)
    fired = closes(engine, [100, 94, 100])  # -6 %, then +6.38 %
    assert [[f.rule_id for f in step] for step in fired] == [[], [down.id, either.id], []]
    # either held at bar 2 and still holds at bar 3: every_time fires on the edge only


def test_volume_spike_vs_mean_of_previous_bars() -> None:
    engine = engine_with(rule({"type": "volume_spike", "period": 3, "multiplier": 3}, source="closed", interval="1m"))
    fired = closes(engine, [1, 1, 1, 1, 1], volumes=[10, 10, 10, 20, 120])
    # bar 4: 20 / 10 = 2 (no); bar 5: 120 / mean(10, 10, 20) = 9 (yes)
    assert [len(f) for f in fired] == [0, 0, 0, 0, 1]
    assert fired[4][0].values["value"] == pytest.approx(9.0)


def test_rsi_above_threshold_fires_on_the_edge() -> None:
    engine = engine_with(
        rule(
            {"type": "indicator", "indicator": "rsi", "period": 3, "op": "above", "level": 70},
            source="closed",
            interval="1m",
        )
    )
    fired = closes(engine, [10, 9, 8, 7, 6, 7, 8, 9, 10, 11])
    # Only losses first (RSI 0); gains from bar 6. Wilder RSI(3) after the turn: avg loss decays
    # by 2/3 per bar, avg gain rises: RSI passes 70 once and stays above (one firing).
    assert sum(len(f) for f in fired) == 1
    assert fired[-1] == []


def test_sma_crosses_above_level() -> None:
    engine = engine_with(
        rule(
            {"type": "indicator", "indicator": "sma", "period": 3, "op": "crosses_above", "level": 2.5},
            source="closed",
            interval="1m",
        )
    )
    fired = closes(engine, [1, 2, 3, 4, 5])  # SMA3: -, -, 2, 3, 4 -> crosses 2.5 at bar 4
    assert [len(f) for f in fired] == [0, 0, 0, 1, 0]
    assert fired[3][0].values["value"] == pytest.approx(3.0)


def test_ema_below_level() -> None:
    engine = engine_with(
        rule(
            {"type": "indicator", "indicator": "ema", "period": 2, "op": "below", "level": 5},
            source="closed",
            interval="1m",
        )
    )
    # EMA2 seeds with SMA of the first two (10), then alpha 2/3: 10 -> 4/3*... : 10, (1*2/3 + 10/3) = 4
    fired = closes(engine, [10, 10, 10, 1])
    assert [len(f) for f in fired] == [0, 0, 0, 1]
    assert fired[3][0].values["value"] == pytest.approx(4.0)


def test_macd_bullish_and_bearish_cross() -> None:
    bull = rule(
        {"type": "macd_cross", "direction": "bullish", "fast": 3, "slow": 6, "signal": 3},
        source="closed",
        interval="1m",
    )
    bear = rule(
        {"type": "macd_cross", "direction": "bearish", "fast": 3, "slow": 6, "signal": 3},
        source="closed",
        interval="1m",
    )
    engine = engine_with(bull, bear)
    # Flat: MACD and signal are both 0. A jump up: the fast EMA leads, the MACD line turns
    # positive while its signal lags -> bullish on that bar (line 2.143 vs signal 1.071). As the
    # jump's momentum fades the line sinks under its signal (1.978 vs 2.047 at bar 23): bearish.
    series = [100.0] * 20 + [110.0] + [110.0] * 3 + [90.0]
    fired = closes(engine, series)
    assert [f.rule_id for f in fired[20]] == [bull.id]
    assert [f.rule_id for f in fired[23]] == [bear.id]
    assert sum(len(f) for f in fired) == 2


def test_bollinger_touch_upper_and_lower() -> None:
    upper = rule({"type": "bollinger_touch", "band": "upper", "period": 20, "k": 2}, source="closed", interval="1m")
    lower = rule({"type": "bollinger_touch", "band": "lower", "period": 20, "k": 2}, source="closed", interval="1m")
    engine = engine_with(upper, lower)
    values = [99.0, 101.0] * 10  # mean 100, population std 1: bands 102 / 98
    highs = [v + 0.5 for v in values]
    highs[-1] = 102.0  # the last bar's high touches 102
    lows = [v - 0.5 for v in values]
    fired = closes(engine, values, highs=highs, lows=lows)
    assert [f.rule_id for f in fired[19]] == [upper.id]
    assert fired[19][0].values["value"] == pytest.approx(102.0)


def test_sma_cross_golden() -> None:
    engine = engine_with(
        rule(
            {"type": "ma_cross", "ma": "sma", "fast": 2, "slow": 3, "direction": "above"},
            source="closed",
            interval="1m",
        )
    )
    # bar 3: fast 3.5 <= slow 4; bar 4: fast 4.5 > slow 4.33
    fired = closes(engine, [5, 4, 3, 6])
    assert [len(f) for f in fired] == [0, 0, 0, 1]


def test_ema_cross_death() -> None:
    engine = engine_with(
        rule(
            {"type": "ma_cross", "ma": "ema", "fast": 2, "slow": 4, "direction": "below"},
            source="closed",
            interval="1m",
        )
    )
    fired = closes(engine, [10.0] * 8 + [5.0])  # the fast EMA drops under the slow one on the drop
    assert [len(f) for f in fired][-1] == 1
    assert sum(len(f) for f in fired) == 1


def test_live_rules_see_the_open_bar_and_closed_rules_wait() -> None:
    live = rule({"type": "price_cross", "direction": "above", "level": 100}, source="live", interval="1m")
    closed = rule({"type": "price_cross", "direction": "above", "level": 100}, source="closed", interval="1m")
    engine = engine_with(live, closed)
    closes(engine, [99])
    k = KlineIn("sim", "BTC-USDT", "1m", 60_000, 101, 101, 99, 1, closed=False)
    assert [f.rule_id for f in engine.on_kline(k)] == [live.id]
    assert engine.on_kline(KlineIn("sim", "BTC-USDT", "1m", 60_000, 101.5, 101.5, 99, 2, closed=False)) == []
    assert [
        f.rule_id for f in engine.on_kline(KlineIn("sim", "BTC-USDT", "1m", 60_000, 101, 102, 99, 2, closed=True))
    ] == [closed.id]


# --- events, templates, parsing ----------------------------------------------------------------


def test_order_filled_event_rule_matches_its_tenant_and_filter() -> None:
    r = rule({"type": "order_filled", "symbol": "BTC-USDT"}, source="event", tenant_id=7)
    engine = engine_with(r)
    assert engine.on_event(8, "order_filled", {"symbol": "BTC-USDT"}, 1) == []
    assert engine.on_event(7, "order_filled", {"symbol": "ETH-USDT"}, 1) == []
    assert len(engine.on_event(7, "order_filled", {"symbol": "BTC-USDT", "price": "5"}, 1)) == 1


def test_drawdown_breached_and_subscription_lapsed_rules_match_their_filters() -> None:
    dd = rule({"type": "drawdown_breached", "account": 5}, source="event", tenant_id=7)
    lapsed = rule({"type": "subscription_lapsed", "subscription": "listing", "listing": 3}, source="event", tenant_id=7)
    engine = engine_with(dd, lapsed)
    assert engine.on_event(7, "drawdown_breached", {"account": 6}, 1) == []
    assert engine.on_event(8, "drawdown_breached", {"account": 5}, 1) == []
    assert [f.rule_id for f in engine.on_event(7, "drawdown_breached", {"account": 5}, 1)] == [dd.id]
    assert engine.on_event(7, "subscription_lapsed", {"subscription": "plan", "listing": None}, 1) == []
    assert engine.on_event(7, "subscription_lapsed", {"subscription": "listing", "listing": 4}, 1) == []
    fired = engine.on_event(7, "subscription_lapsed", {"subscription": "listing", "listing": 3}, 1)
    assert [f.rule_id for f in fired] == [lapsed.id]
    for bad in (
        {"type": "drawdown_breached", "account": "x"},
        {"type": "drawdown_breached", "level": 1},
        {"type": "subscription_lapsed", "subscription": "trial"},
        {"type": "subscription_lapsed", "listing": True},
    ):
        with pytest.raises(ConditionError):
            parse_condition(bad)


def test_message_template_fields() -> None:
    engine = engine_with(
        rule({"type": "price_cross", "direction": "above", "level": 100}, template="{symbol} > {price} at {time}")
    )
    fired = trades(engine, 99, 100.5)
    assert fired[0].message == "BTC-USDT > 100.5 at 1970-01-01T00:00:02.000Z"


@pytest.mark.parametrize("template", ["{symbol.__class__}", "{nope}", "{price!r}", "{price:>{value}}", "{"])
def test_bad_templates_are_refused(template: str) -> None:
    with pytest.raises(TemplateError):
        validate_template(template)


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ({"type": "price_cross", "direction": "sideways", "level": 1}, "invalid_condition"),
        ({"type": "price_cross", "direction": "above", "level": "x"}, "invalid_condition"),
        ({"type": "price_range", "event": "enter", "low": 5, "high": 1}, "invalid_condition"),
        ({"type": "indicator", "indicator": "foo", "period": 3, "op": "above", "level": 1}, "unknown_indicator"),
        ({"type": "macd_cross", "direction": "bullish", "fast": 30, "slow": 10}, "invalid_condition"),
        ({"type": "volume_spike", "period": 100000, "multiplier": 2}, "invalid_condition"),
        ({"type": "warp"}, "unknown_condition"),
        ({"type": "price_cross", "direction": "above", "level": 1, "extra": 2}, "invalid_condition"),
        ([1, 2], "invalid_condition"),
    ],
)
def test_malformed_conditions_name_a_reason(condition: Any, code: str) -> None:
    with pytest.raises(ConditionError) as err:
        parse_condition(condition)
    assert err.value.code == code
