from __future__ import annotations

import random
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.engine.aggregate.klines import aggregate, fold_trades
from backend.engine.market.intervals import INTERVALS, UnknownInterval, duration_ms, window_start
from backend.engine.market.trade import Side, Trade

PANDAS_RULE = {
    "1s": "1s", "1m": "1min", "3m": "3min", "5m": "5min", "15m": "15min", "30m": "30min",
    "1h": "1h", "2h": "2h", "4h": "4h", "6h": "6h", "12h": "12h", "1d": "1D", "1w": "W-MON",
}  # fmt: skip
BASE_MS = 1_767_225_600_000  # 2026-01-01, a Thursday


def random_trades(rng: random.Random, n: int, span_ms: int) -> list[Trade]:
    trades = []
    for i in range(n):
        price = Decimal(rng.randrange(1, 10**9)) / Decimal(10**4)
        qty = Decimal(rng.randrange(1, 10**8)) / Decimal(10**8)
        side = rng.choice([Side.BUY, Side.SELL])
        trades.append(Trade("binance", "BTC-USDT", 1_000 + i, BASE_MS + rng.randrange(span_ms), price, qty, side, 0))
    # Ids follow exchange time, as exchanges assign them.
    trades.sort(key=lambda t: t.ts_ms)
    return [Trade(t.exchange, t.symbol, 1_000 + i, t.ts_ms, t.price, t.qty, t.side, 0) for i, t in enumerate(trades)]


def reference(trades: list[Trade], interval: str) -> dict[int, tuple[object, ...]]:
    """The same klines from pandas resample, independently of our code."""
    frame = pd.DataFrame(
        {
            "ts": pd.to_datetime([t.ts_ms for t in trades], unit="ms", utc=True),
            "price": [t.price for t in trades],
            "qty": [t.qty for t in trades],
            "quote": [t.price * t.qty for t in trades],
        }
    ).set_index("ts")
    # Sub-day rules count from the epoch (as exchanges do); day and week rules anchor themselves.
    origin = "epoch" if duration_ms(interval) < 86_400_000 else "start_day"
    resampler = frame.resample(PANDAS_RULE[interval], closed="left", label="left", origin=origin)
    out = {}
    for open_ts, group in resampler:
        if group.empty:
            continue
        prices = list(group["price"])
        out[int(open_ts.value // 1_000_000)] = (
            prices[0], max(prices), min(prices), prices[-1], sum(group["qty"], Decimal(0)),
            sum(group["quote"], Decimal(0)), len(group),
        )  # fmt: skip
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("interval", INTERVALS)
def test_every_interval_equals_pandas_resample_exactly(seed: int, interval: str) -> None:
    # Spans of a few thousand windows: many windows with several trades, some empty.
    span = min(20 * 86_400_000, duration_ms(interval) * 3_000)
    trades = random_trades(random.Random(seed), 2_000, span)
    ours = aggregate(trades)
    mine = {
        k.open_time: (k.open, k.high, k.low, k.close, k.volume, k.quote_volume, k.trades)
        for (iv, _), k in ours.items()
        if iv == interval
    }
    assert mine == reference(trades, interval)


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=6), st.integers(0, 2**32))
@settings(max_examples=50, deadline=None)
def test_folding_in_batches_equals_folding_at_once(cuts: list[int], seed: int) -> None:
    trades = random_trades(random.Random(seed), 200, 3 * 3_600_000)
    rng = random.Random(seed)
    shuffled = trades[:]
    rng.shuffle(shuffled)  # batches may arrive out of time order (late trades)
    current: dict[tuple[str, int], object] = {}
    position = 0
    for cut in [*cuts, len(shuffled)]:
        fold_trades(current, shuffled[position : position + cut])  # type: ignore[arg-type]
        position += cut
    fold_trades(current, shuffled[position:])  # type: ignore[arg-type]
    assert current == aggregate(trades)


def test_windows_align_to_epoch_and_weeks_to_monday() -> None:
    assert window_start("1m", BASE_MS + 61_234) == BASE_MS + 60_000
    assert window_start("4h", BASE_MS + 5 * 3_600_000) == BASE_MS + 4 * 3_600_000
    monday = BASE_MS + 4 * 86_400_000  # 2026-01-05
    assert pd.Timestamp(monday, unit="ms").day_name() == "Monday"
    assert window_start("1w", monday + 3 * 86_400_000) == monday
    assert window_start("1w", monday - 1) == monday - 7 * 86_400_000
    assert duration_ms("12h") == 43_200_000
    with pytest.raises(UnknownInterval, match="2d"):
        duration_ms("2d")


def test_binance_row_format() -> None:
    [kline] = [k for (iv, _), k in aggregate(random_trades(random.Random(9), 1, 1000)).items() if iv == "1m"]
    row = kline.binance_row()
    assert row[0] == kline.open_time and row[6] == kline.open_time + 59_999
    assert all(isinstance(v, str) for v in row[1:6]) and row[8] == 1


@pytest.mark.parametrize("coarse", ["3m", "1h", "4h", "1d", "1w"])
def test_rolling_up_minutes_equals_aggregating_the_trades(coarse: str) -> None:
    from backend.engine.aggregate.klines import rollup

    trades = random_trades(random.Random(4), 3_000, 15 * 86_400_000)
    minutes = [k for (iv, _), k in aggregate(trades, ["1m"]).items()]
    direct = {k.open_time: k for (iv, _), k in aggregate(trades, [coarse]).items()}
    assert {k.open_time: k for k in rollup(minutes, coarse)} == direct
