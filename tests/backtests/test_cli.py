"""manage.py backtest: CSV and stored-kline inputs, JSON and table output, input errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from backend.backtests.runs import trade_row
from backend.conf.loader import REPO_ROOT
from backend.engine.backtest.result import BacktestConfig
from backend.engine.backtest.runner import run_backtest
from backend.engine.strategies import build
from backend.engine.trading.fees import FeeSchedule
from backend.engine.trading.slippage import FixedBps
from tests.backtests.data import EXCHANGE, SYMBOL, import_klines, random_bars, recent_t0, write_ohlcv_csv

N = 3_000


def run_cli(*args: str) -> str:
    out = StringIO()
    call_command("backtest", *args, stdout=out)
    return out.getvalue()


def expected(bars: np.ndarray, *, slippage: str = "0", periods: float | None = None) -> tuple[dict, list]:  # type: ignore[type-arg]
    config = BacktestConfig(
        cash=Decimal(10_000),
        fees=FeeSchedule(Decimal("0.001"), Decimal("0.001")),
        slippage=FixedBps(Decimal(slippage)),
        periods_per_year=periods,
    )
    result = run_backtest(build("sma_cross", {"fast": 10, "slow": 20}), bars, config)
    assert result.metrics is not None
    return result.metrics.as_dict() | {"final_equity_exact": str(result.final_equity)}, [
        trade_row(t) for t in result.trades
    ]


def test_csv_json_matches_a_direct_engine_run(tmp_path: Path) -> None:
    bars = random_bars(N)
    path = write_ohlcv_csv(tmp_path / "bars.csv", bars)
    out = json.loads(
        run_cli(
            "--strategy", "sma_cross", "--param", "fast=10", "--param", "slow=20", "--csv", str(path),
            "--cash", "10000", "--commission", "0.001", "--slippage-bps", "2", "--json",
        )
    )  # fmt: skip
    metrics, trades = expected(bars, slippage="2")
    assert out["bars"] == N
    assert out["params"] == {"fast": 10, "slow": 20, "allow_short": 0}
    assert {k: out["metrics"][k] for k in metrics} == metrics
    assert out["trades"] == trades and len(trades) > 20
    first = out["trades"][0]
    assert first["entry_time"].endswith("Z") and isinstance(first["entry_time_ms"], int)
    assert {"entry_price", "exit_price", "qty", "pnl", "fees", "direction"} <= set(first)


def test_csv_with_monte_carlo_and_walk_forward_sections(tmp_path: Path) -> None:
    path = write_ohlcv_csv(tmp_path / "bars.csv", random_bars(N))
    out = json.loads(
        run_cli(
            "--strategy",
            "sma_cross",
            "--csv",
            str(path),
            "--monte-carlo",
            "200",
            "--walk-forward",
            "1000:500",
            "--json",
        )
    )
    mc = out["monte_carlo"]
    assert mc["simulations"] == 200 and set(mc["final_equity"]) == {"5", "25", "50", "75", "95"}
    assert mc["final_equity"]["5"] <= mc["final_equity"]["95"]
    wf = out["walk_forward"]
    assert len(wf["windows"]) == 4  # (3000 - 1000) / 500
    assert all(w["test"]["bars"] == 500 and w["train"]["bars"] == 1000 for w in wf["windows"])


def test_table_output(tmp_path: Path) -> None:
    path = write_ohlcv_csv(tmp_path / "bars.csv", random_bars(N))
    text = run_cli("--strategy", "sma_cross", "--csv", str(path), "--trades", "3")
    assert "sma_cross(fast=10, slow=30, allow_short=0) over 3,000 bars" in text
    assert "max_drawdown" in text and "sharpe" in text
    assert "more trades" in text


def test_a_malformed_row_is_named_by_line(tmp_path: Path) -> None:
    path = write_ohlcv_csv(tmp_path / "bars.csv", random_bars(50))
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[4], "abc", 1)  # close of the third data row (line 4)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError, match=r"line 4: close is not a number") as err:
        run_cli("--strategy", "sma_cross", "--csv", str(path))
    assert err.value.returncode == 2


def test_the_process_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("time,open,high,low,close,volume\n1700000000000,1,2,0.5,1,1\n1700000060000,1,0.5,2,1,1\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.django_settings"}
    proc = subprocess.run(
        [sys.executable, "manage.py", "backtest", "--strategy", "sma_cross", "--csv", str(path)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "line 3: high 0.5 is below low 2" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "nope"], "unknown strategy 'nope'"),
        (["--strategy", "sma_cross", "--param", "fast=1"], "fast must be within 2..500"),
        (["--strategy", "sma_cross", "--param", "speed=3"], "unknown parameter 'speed'"),
        (["--strategy", "sma_cross", "--param", "fast"], "NAME=VALUE"),
        (["--strategy", "sma_cross", "--cash", "-5"], "--cash must be positive"),
        (["--strategy", "sma_cross", "--walk-forward", "10"], "TRAIN:TEST"),
    ],
)
def test_bad_arguments_exit_2_naming_the_problem(tmp_path: Path, args: list[str], message: str) -> None:
    path = write_ohlcv_csv(tmp_path / "bars.csv", random_bars(100))
    with pytest.raises(CommandError, match=message) as err:
        run_cli(*args, "--csv", str(path))
    assert err.value.returncode == 2


def test_stored_klines_match_a_direct_run(md_tables: None, tmp_path: Path) -> None:
    bars = random_bars(N, t0=recent_t0())
    import_klines(tmp_path, bars)
    start, end = int(bars[0, 0]), int(bars[-1, 0])
    out = json.loads(
        run_cli(
            "--strategy", "sma_cross", "--param", "fast=10", "--param", "slow=20",
            "--exchange", EXCHANGE, "--symbol", SYMBOL, "--interval", "1m",
            "--start", str(start), "--end", str(end), "--json",
        )
    )  # fmt: skip
    metrics, trades = expected(bars, periods=525_600.0)
    assert out["bars"] == N
    assert {k: out["metrics"][k] for k in metrics} == metrics
    assert out["trades"] == trades


def test_stored_klines_errors(md_tables: None) -> None:
    with pytest.raises(CommandError, match="--interval, --start, --end") as err:
        run_cli("--strategy", "sma_cross", "--exchange", EXCHANGE, "--symbol", SYMBOL)
    assert err.value.returncode == 2
    with pytest.raises(CommandError, match="no stored 1m klines"):
        run_cli(
            "--strategy", "sma_cross", "--exchange", EXCHANGE, "--symbol", SYMBOL, "--interval", "1m",
            "--start", "2020-01-01", "--end", "2020-01-02",
        )  # fmt: skip
