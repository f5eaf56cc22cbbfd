from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from backend.engine.aggregate.klines import aggregate
from backend.engine.market.binance_files import parse_trades, read_rows
from backend.marketdata import instruments
from tests.marketdata.test_writer import stored_klines

pytestmark = pytest.mark.usefixtures("md_tables")
T0 = 1_767_225_600_000  # 2026-01-01

TRADES_CSV = "\n".join(
    f"{1000 + i},{65000 + i}.50,0.{i + 1},0,{T0 + i * 20_000},{'True' if i % 2 else 'False'},True" for i in range(12)
)


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE exchange = 'binance'")
        return int(cursor.fetchone()[0])


def test_trades_csv_imports_trades_and_klines_of_every_interval(tmp_path: Path) -> None:
    path = tmp_path / "BTCUSDT-trades-2026-01-01.csv"
    path.write_text(TRADES_CSV + "\n")
    call_command("import_trades", "--exchange", "binance", "--symbol", "BTC-USDT", str(path))
    assert count("md_trade") == 12
    trades = list(parse_trades(read_rows(path), exchange="binance", symbol="BTC-USDT"))
    expected = aggregate(trades)
    stored = stored_klines("BTC-USDT")
    assert {k: v for k, v in stored.items() if k in expected} == expected
    assert instruments.get("binance", "BTC-USDT") is not None
    # Importing the same file again adds nothing.
    call_command("import_trades", "--exchange", "binance", "--symbol", "BTC-USDT", str(path))
    assert count("md_trade") == 12


def test_zip_with_header_and_microsecond_timestamps(tmp_path: Path) -> None:
    rows = ["id,price,qty,quote_qty,time,is_buyer_maker,is_best_match"] + [
        f"{1 + i},100.{i},1,100,{(T0 + i * 1000) * 1000},False,True" for i in range(5)
    ]
    path = tmp_path / "ETHUSDT-trades-2026-01.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ETHUSDT-trades-2026-01.csv", "\n".join(rows))
    call_command("import_trades", "--exchange", "binance", "--symbol", "ETH-USDT", str(path))
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(ts), max(ts) FROM md_trade WHERE symbol = 'ETH-USDT'")
        low, high = cursor.fetchone()
    assert int(low.timestamp() * 1000) == T0 and int(high.timestamp() * 1000) == T0 + 4000


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("5,abc,1,1,1767225600000,True,True", "line 3: price must be a decimal number"),
        ("5,1,1,1,yesterday,True,True", "line 3: time must be an integer timestamp"),
        ("5,1,1", "line 3: expected at least 6 columns"),
        ("5,0,1,0,1767225600000,True,True", "line 3: price must be a positive"),
        ("5,1,1,1,1767225600000,maybe,True", "line 3: is buyer maker must be True or False"),
    ],
)
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    good = TRADES_CSV.splitlines()[:2]
    path.write_text("\n".join([*good, row, *TRADES_CSV.splitlines()[2:]]))
    with pytest.raises(CommandError, match=message):
        call_command("import_trades", "--exchange", "binance", "--symbol", "BTC-USDT", str(path))
    assert count("md_trade") == 0 and count("md_kline") == 0


def test_klines_import_rolls_up_and_validates(tmp_path: Path) -> None:
    lines = []
    for i in range(180):  # three hours of minutes
        o = 100 + i
        lines.append(f"{T0 + i * 60_000},{o},{o + 2},{o - 1},{o + 1},10,{T0 + i * 60_000 + 59_999},1000,7,5,500,0")
    path = tmp_path / "BTCUSDT-1m-2026-01-01.csv"
    path.write_text("\n".join(lines))
    call_command("import_klines", "--exchange", "binance", "--symbol", "BTC-USDT", "--interval", "1m", str(path))
    stored = stored_klines("BTC-USDT")
    first_hour = stored[("1h", T0)]
    assert (first_hour.open, first_hour.close, first_hour.high, first_hour.low) == (100, 160, 161, 99)
    assert first_hour.trades == 420 and first_hour.volume == 600
    assert stored[("1d", T0)].trades == 180 * 7
    bad = tmp_path / "bad-klines.csv"
    bad.write_text(f"{T0},100,99,98,100,1,{T0 + 59_999},100,1,0,0,0\n")
    with pytest.raises(CommandError, match="line 1: prices must satisfy low"):
        call_command("import_klines", "--exchange", "binance", "--symbol", "XRP-USDT", "--interval", "1m", str(bad))


def test_bad_arguments_are_clear(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown exchange"):
        call_command("import_trades", "--exchange", "kraken", "--symbol", "BTC-USDT", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="BASE-QUOTE"):
        call_command("import_trades", "--exchange", "binance", "--symbol", "BTCUSDT", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_trades", "--exchange", "binance", "--symbol", "BTC-USDT", str(tmp_path / "x.csv"))
