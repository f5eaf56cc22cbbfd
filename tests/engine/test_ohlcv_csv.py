from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from backend.engine.backtest.ohlcv_csv import OhlcvCsvError, read_ohlcv_csv

T = 1_704_067_200_000  # 2024-01-01T00:00:00Z


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bars.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (str(T // 1000), str(T // 1000 + 60)),  # epoch seconds
        (str(T), str(T + 60_000)),  # epoch milliseconds
        (str(T * 1000), str((T + 60_000) * 1000)),  # epoch microseconds
        ("2024-01-01T00:00:00Z", "2024-01-01T00:01:00+00:00"),
        ("2024-01-01 00:00:00", "2024-01-01 00:01:00"),  # naive: UTC
    ],
)
def test_time_formats(tmp_path: Path, first: str, second: str) -> None:
    path = write(tmp_path, f"time,open,high,low,close,volume\n{first},1,2,0.5,1.5,10\n{second},1.5,3,1,2,0\n")
    bars = read_ohlcv_csv(path)
    assert bars.dtype == np.float64 and bars.shape == (2, 6)
    np.testing.assert_array_equal(bars[:, 0], [T, T + 60_000])
    np.testing.assert_array_equal(bars[0, 1:], [1, 2, 0.5, 1.5, 10])


def test_dates_header_case_order_and_extra_columns(tmp_path: Path) -> None:
    text = (
        "\ufeffSymbol,Close,DATE,Volume,Open,High,Low,Adj Close\n"
        "X,101,2024-01-01,5,100,102,99,1\nX,103,2024-01-02,6,101,104,100,1\n"
    )
    bars = read_ohlcv_csv(write(tmp_path, text))
    np.testing.assert_array_equal(bars, [[T, 100, 102, 99, 101, 5], [T + 86_400_000, 101, 104, 100, 103, 6]])


def test_empty_lines_are_skipped_and_an_empty_body_gives_no_bars(tmp_path: Path) -> None:
    assert read_ohlcv_csv(write(tmp_path, "time,open,high,low,close,volume\n\n")).shape == (0, 6)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("1,1,2,1,1,1\n2,1,abc,1,1,1\n", "line 3: high is not a number: 'abc'"),
        ("1,1,2,1,1,1\n2,1,2,3,2,1\n", "line 3: high 2 is below low 3"),
        ("1,1,2,1,1,1\n1,1,2,1,1,1\n", "line 3: time does not increase"),
        ("2,1,2,1,1,1\n1,1,2,1,1,1\n", "line 3: time does not increase"),
        ("1,1,2,1,1,-1\n", "line 2: volume is negative"),
        ("1,5,2,1,1,1\n", "line 2: open 5 is outside low..high 1..2"),
        ("1,1,2,1,nan,1\n", "line 2: close is not finite"),
        ("1,1,2,1,1\n", "line 2: expected 6 fields, got 5"),
        ("1,1,2,1,1,1\nyesterday,1,2,1,1,1\n", "line 3: time is not a valid time: 'yesterday'"),
        ("2024-01-01,1,2,1,1,1\n2024-13-01,1,2,1,1,1\n", "line 3: time is not a valid time"),
    ],
)
def test_bad_rows_name_the_line_and_column(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(OhlcvCsvError, match=message.replace("(", r"\(").replace(".", r"\.")):
        read_ohlcv_csv(write(tmp_path, "time,open,high,low,close,volume\n" + body))


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(OhlcvCsvError, match="missing column\\(s\\): time \\(or date\\), volume"):
        read_ohlcv_csv(write(tmp_path, "open,high,low,close\n1,1,1,1\n"))
    with pytest.raises(OhlcvCsvError, match="empty file"):
        read_ohlcv_csv(write(tmp_path, ""))
