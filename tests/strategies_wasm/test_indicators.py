"""The SDK's streaming indicators and fixed-window functions against TA-Lib (build/test_indicators.wasm).

SMA, EMA and the MACD line are bit-for-bit equal to TA-Lib. RSI, ATR, the MACD signal,
Stochastic and Bollinger agree to about 1e-13 relative: the TA-Lib build the backend uses
contracts multiply-adds into FMA instructions (and takes the band deviation its own way),
which WebAssembly's unfused f64 arithmetic cannot reproduce bit for bit. The bound checked
is 1e-9 relative, with NaN exactly where TA-Lib has NaN (the lookback).
"""

from __future__ import annotations

import numpy as np
import pytest
import talib

from tests.strategies_wasm.wasm import Instance, module

RTOL = 1e-9
N = 3_000


def series(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 0.01, N)
    steps[rng.random(N) < 0.03] = 0.0
    close = 100.0 * np.exp(np.cumsum(steps))
    high = close * (1.0 + rng.uniform(0.0, 0.01, N))
    low = close * (1.0 - rng.uniform(0.0, 0.01, N))
    return high, low, close


HIGH, LOW, CLOSE = series(5)


class Indicators:
    def __init__(self) -> None:
        self.wasm = Instance("test_indicators")
        self.high, self.low, self.close = (self.wasm.put(a) for a in (HIGH, LOW, CLOSE))

    def outputs(self, k: int) -> list[int]:
        return [self.wasm.alloc(8 * N) for _ in range(k)]

    def run(self, export: str, inputs: list[int], *args: int | float, k: int = 1) -> list[np.ndarray]:
        """Calls export(inputs..., N, args..., outputs...) and reads its k output arrays."""
        outs = self.outputs(k)
        self.wasm.call(export, *inputs, N, *args, *outs)
        return [self.wasm.get(o, N) for o in outs]


@pytest.fixture(scope="module")
def ind() -> Indicators:
    return Indicators()


def close_to(got: np.ndarray, expected: np.ndarray, exact: bool = False) -> None:
    assert np.array_equal(np.isnan(got), np.isnan(expected)), "NaN (lookback) positions differ"
    defined = ~np.isnan(expected)
    assert defined.any()
    if exact:
        np.testing.assert_array_equal(got[defined], expected[defined])
    else:
        np.testing.assert_allclose(got[defined], expected[defined], rtol=RTOL, atol=0.0)


@pytest.mark.parametrize("period", [1, 2, 3, 14, 50, 200])
def test_sma_is_bit_exact(ind: Indicators, period: int) -> None:
    (got,) = ind.run("sma", [ind.close], period)
    close_to(got, talib.SMA(CLOSE, period), exact=True)


@pytest.mark.parametrize("period", [2, 3, 14, 50, 200])
def test_ema_is_bit_exact(ind: Indicators, period: int) -> None:
    (got,) = ind.run("ema", [ind.close], period)
    close_to(got, talib.EMA(CLOSE, period), exact=True)


@pytest.mark.parametrize("period", [2, 3, 14, 50, 200])
def test_rsi(ind: Indicators, period: int) -> None:
    (got,) = ind.run("rsi", [ind.close], period)
    close_to(got, talib.RSI(CLOSE, period))


@pytest.mark.parametrize(("fast", "slow", "signal"), [(12, 26, 9), (3, 10, 1), (5, 6, 2), (26, 12, 9), (50, 200, 30)])
def test_macd(ind: Indicators, fast: int, slow: int, signal: int) -> None:
    line, sig, hist = ind.run("macd", [ind.close], fast, slow, signal, k=3)
    t_line, t_sig, t_hist = talib.MACD(CLOSE, fast, slow, signal)
    close_to(line, t_line, exact=True)
    close_to(sig, t_sig)
    # The histogram is a difference of near-equal values: compare it against the line's scale.
    np.testing.assert_allclose(hist[~np.isnan(t_hist)], t_hist[~np.isnan(t_hist)], rtol=0, atol=1e-9)
    assert np.array_equal(np.isnan(hist), np.isnan(t_hist))


@pytest.mark.parametrize(("period", "k"), [(2, 2.0), (5, 1.0), (20, 2.0), (20, 0.5), (100, 3.0)])
def test_bollinger(ind: Indicators, period: int, k: float) -> None:
    upper, middle, lower = ind.run("bbands", [ind.close], period, k, k=3)
    t_upper, t_middle, t_lower = talib.BBANDS(CLOSE, period, k, k)
    close_to(middle, t_middle, exact=True)
    close_to(upper, t_upper)
    close_to(lower, t_lower)


@pytest.mark.parametrize("period", [1, 2, 14, 50])
def test_atr(ind: Indicators, period: int) -> None:
    (got,) = ind.run("atr", [ind.high, ind.low, ind.close], period)
    close_to(got, talib.ATR(HIGH, LOW, CLOSE, period))


@pytest.mark.parametrize(("k_period", "k_smooth", "d_period"), [(14, 3, 3), (5, 1, 1), (9, 2, 4), (1, 1, 1)])
def test_stochastic(ind: Indicators, k_period: int, k_smooth: int, d_period: int) -> None:
    k, d = ind.run("stoch", [ind.high, ind.low, ind.close], k_period, k_smooth, d_period, k=2)
    t_k, t_d = talib.STOCH(HIGH, LOW, CLOSE, k_period, k_smooth, 0, d_period, 0)
    close_to(k, t_k)
    close_to(d, t_d)


def test_flat_prices(ind: Indicators) -> None:
    """No movement: RSI 0 (TA-Lib's convention), zero-width bands, ATR 0, stochastic 0."""
    wasm = Instance("test_indicators")
    flat = np.full(60, 123.25)
    ptr = wasm.put(flat)
    outs = [wasm.alloc(8 * 60) for _ in range(3)]
    wasm.call("rsi", ptr, 60, 14, outs[0])
    close_to(wasm.get(outs[0], 60), talib.RSI(flat, 14), exact=True)
    wasm.call("bbands", ptr, 60, 20, 2.0, *outs)
    close_to(wasm.get(outs[0], 60), talib.BBANDS(flat, 20, 2.0, 2.0)[0], exact=True)
    wasm.call("atr", ptr, ptr, ptr, 60, 14, outs[0])
    close_to(wasm.get(outs[0], 60), talib.ATR(flat, flat, flat, 14), exact=True)
    wasm.call("stoch", ptr, ptr, ptr, 60, 14, 3, 3, outs[0], outs[1])
    close_to(wasm.get(outs[1], 60), talib.STOCH(flat, flat, flat, 14, 3, 0, 3, 0)[1], exact=True)


@pytest.mark.parametrize("n", [30, 31, 57, 400])
def test_window_functions_equal_talib_on_the_window(n: int) -> None:
    """The fixed-window functions the reference strategies use: talib's last value on the same window."""
    wasm = Instance("test_indicators")
    rng = np.random.default_rng(n)
    for start in rng.integers(0, N - n, 20):
        window = CLOSE[start : start + n]
        ptr = wasm.put(window)
        for period in (2, 10, 30):
            assert wasm.call("sma_last", ptr, n, period) == talib.SMA(window, period)[-1]
            assert wasm.call("ema_last", ptr, n, period) == talib.EMA(window, period)[-1]
            rsi = wasm.call("rsi_last", ptr, n, period)
            expected = talib.RSI(window, period)[-1]
            assert (np.isnan(rsi) and np.isnan(expected)) or rsi == pytest.approx(expected, rel=RTOL)
        for fast, slow, signal in ((12, 26, 5), (2, 3, 1), (5, 20, 9)):
            hist = wasm.call("macd_hist_last", ptr, n, fast, slow, signal)
            expected = talib.MACD(window, fast, slow, signal)[2][-1]
            assert (np.isnan(hist) and np.isnan(expected)) or hist == pytest.approx(expected, rel=0, abs=1e-9)
        out = wasm.alloc(24)
        for period, k in ((n, 1.0), (n, 2.0), (7, 0.5)):
            wasm.call("bands_last", ptr, n, period, k, out)
            upper, middle, lower = (band[-1] for band in talib.BBANDS(window, period, k, k))
            got = wasm.get(out, 3)
            assert got[1] == middle
            np.testing.assert_allclose(got[[0, 2]], [upper, lower], rtol=RTOL)


def test_ring_buffer_reads_the_window_in_order() -> None:
    wasm = Instance("test_indicators")
    values = np.arange(1.0, 101.0)
    ptr = wasm.put(values)
    oldest, newest = wasm.alloc(800), wasm.alloc(800)
    for capacity in (1, 2, 7, 100, 150):
        wasm.call("ring_view", ptr, 100, capacity, oldest, newest)
        np.testing.assert_array_equal(wasm.get(newest, 100), values)
        np.testing.assert_array_equal(wasm.get(oldest, 100), np.maximum(values - capacity + 1, 1.0))


def test_module_has_no_imports() -> None:
    wasm = Instance("test_indicators")
    assert wasm.call("qt_abi_version") == 1
    assert list(module("test_indicators").imports) == []
