"""manage.py backtest: a reference strategy over a CSV file or stored klines.

Exit code 2, with the reason on stderr and no traceback, for anything wrong with the
input: an unknown strategy or parameter, a malformed CSV row (named by line), a bad range.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from backend.backtests import report, runs
from backend.backtests.klines import TooManyBars, load_bars, sizes
from backend.engine.backtest.ohlcv_csv import OhlcvCsvError, read_ohlcv_csv
from backend.engine.market.intervals import INTERVALS
from backend.engine.params import ParamError
from backend.engine.strategies import REFERENCE_STRATEGIES
from backend.engine.strategy.protocol import Bars

INPUT_ERROR = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=INPUT_ERROR)


def parse_time_ms(raw: str, flag: str) -> int:
    """Epoch milliseconds, or an ISO 8601 date/datetime (naive = UTC)."""
    if raw.isdigit():
        return int(raw)
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise fail(f"{flag} must be an ISO 8601 date/datetime or epoch milliseconds, got {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def decimal_option(raw: str, flag: str, *, minimum: Decimal, positive: bool = False) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise fail(f"{flag} must be a number, got {raw!r}") from None
    if not value.is_finite() or value < minimum or (positive and value <= 0):
        raise fail(f"{flag} must be {'positive' if positive else f'at least {minimum}'}, got {raw}")
    return value


class Command(BaseCommand):
    help = "Backtest a reference strategy over an OHLCV CSV file or stored klines; prints metrics and trades."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--strategy", required=True, help=f"one of: {', '.join(REFERENCE_STRATEGIES)}")
        self.add_run_arguments(parser)

    @staticmethod
    def add_run_arguments(parser: CommandParser) -> None:
        """Every option but the strategy (shared with `manage.py strategy backtest`)."""
        parser.add_argument(
            "--param", action="append", default=[], metavar="NAME=VALUE", help="strategy parameter (repeatable)"
        )
        source = parser.add_argument_group("data: a CSV file, or stored klines")
        source.add_argument("--csv", type=Path, help="OHLCV CSV: time (or date), open, high, low, close, volume")
        source.add_argument("--exchange")
        source.add_argument("--symbol", help="unified BASE-QUOTE symbol")
        source.add_argument(
            "--interval", choices=INTERVALS, help="kline interval (with --csv: only sets bars per year)"
        )
        source.add_argument("--start", help="ISO date/datetime or epoch ms (inclusive)")
        source.add_argument("--end", help="ISO date/datetime or epoch ms (inclusive)")
        parser.add_argument("--cash", default="10000", help="starting cash in the quote currency (default 10000)")
        parser.add_argument("--commission", default="0.001", help="fee rate per fill, 0.001 = 0.1 %% (default)")
        parser.add_argument("--slippage-bps", default="0", help="adverse slippage per fill in basis points")
        parser.add_argument("--tick-size", help="price tick for --csv data (default 0.01)")
        parser.add_argument("--lot-size", help="quantity step for --csv data (default 0.00001)")
        parser.add_argument("--monte-carlo", type=int, metavar="N", help="bootstrap the trades N times")
        parser.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
        parser.add_argument("--walk-forward", metavar="TRAIN:TEST", help="rolling windows, in bars, e.g. 5000:1000")
        parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
        parser.add_argument("--trades", type=int, default=20, help="trades listed in the table (default 20)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        strategy = options["strategy"]
        self.run(options, strategy, strategy, self._params(strategy, options["param"]))

    def run(self, options: dict[str, Any], label: str, strategy: runs.StrategySource, params: dict[str, float]) -> None:
        """Everything after choosing the strategy; `manage.py strategy backtest` reuses it for wasm modules."""
        cash = decimal_option(options["cash"], "--cash", minimum=Decimal(0), positive=True)
        commission = decimal_option(options["commission"], "--commission", minimum=Decimal(0))
        slippage = decimal_option(options["slippage_bps"], "--slippage-bps", minimum=Decimal(0))
        walk = self._walk_forward(options["walk_forward"])
        if options["monte_carlo"] is not None and options["monte_carlo"] < 1:
            raise fail("--monte-carlo must be at least 1")

        as_json = options["json"]
        stages = ["load", "signals", "simulate", "report"]
        stages += ["monte carlo"] * (options["monte_carlo"] is not None) + ["walk forward"] * (walk is not None)
        quiet = as_json or options["no_progress"] or not sys.stderr.isatty()
        with tqdm(total=len(stages), desc="load", disable=quiet, file=sys.stderr, leave=False) as bar:

            def stage(name: str) -> None:
                bar.update()
                bar.set_description(name)

            bars, tick, lot, symbol = self._bars(options)
            if bars.shape[0] < 2:
                raise fail(f"need at least 2 bars to backtest, got {bars.shape[0]}")
            config = runs.backtest_config(
                params=params,
                cash=cash,
                commission=commission,
                slippage_bps=slippage,
                interval=options["interval"],
                symbol=symbol,
                tick_size=tick,
                lot_size=lot,
            )
            result = runs.execute(strategy, params, bars, config, stage)
            stage("report")
            out: dict[str, Any] = {
                "strategy": label,
                "params": params,
                "bars": int(bars.shape[0]),
                "metrics": runs.summary(result),
                "trades": [runs.trade_row(t) for t in result.trades],
            }
            if options["monte_carlo"] is not None:
                out["monte_carlo"] = runs.monte_carlo(
                    result, cash=cash, simulations=options["monte_carlo"], seed=options["seed"]
                )
                stage("monte carlo")
            if walk is not None:
                out["walk_forward"] = runs.walk_forward(strategy, params, bars, config, train=walk[0], test=walk[1])
                stage("walk forward")
        if as_json:
            self.stdout.write(json.dumps(out, allow_nan=False))
            return
        self._print_table(out, options["trades"])

    def _params(self, strategy: str, raw: list[str]) -> dict[str, float]:
        given: dict[str, str] = {}
        for item in raw:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise fail(f"--param must look like NAME=VALUE, got {item!r}")
            given[name.strip()] = value.strip()
        try:
            return runs.validated_params(strategy, given)
        except runs.UnknownStrategy as exc:
            raise fail(str(exc)) from None
        except ParamError as exc:
            raise fail(f"strategy {strategy}: {exc}") from None

    def _walk_forward(self, raw: str | None) -> tuple[int, int] | None:
        if raw is None:
            return None
        train, sep, test = raw.partition(":")
        if not (sep and train.isdigit() and test.isdigit() and int(train) > 0 and int(test) > 0):
            raise fail(f"--walk-forward must be TRAIN:TEST bar counts, e.g. 5000:1000, got {raw!r}")
        return int(train), int(test)

    def _bars(self, options: dict[str, Any]) -> tuple[Bars, Decimal | None, Decimal | None, str]:
        symbol = options["symbol"] or "BTC-USDT"
        if options["csv"] is not None:
            tick = (
                decimal_option(options["tick_size"], "--tick-size", minimum=Decimal(0), positive=True)
                if options["tick_size"]
                else None
            )
            lot = (
                decimal_option(options["lot_size"], "--lot-size", minimum=Decimal(0), positive=True)
                if options["lot_size"]
                else None
            )
            try:
                return read_ohlcv_csv(options["csv"]), tick, lot, symbol
            except OhlcvCsvError as exc:
                raise fail(str(exc)) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise fail(f"{options['csv']}: cannot read: {exc}") from None
        missing = [f"--{n}" for n in ("exchange", "symbol", "interval", "start", "end") if not options[n]]
        if missing:
            raise fail(f"give --csv FILE, or stored klines with {', '.join(missing)} too")
        start = parse_time_ms(options["start"], "--start")
        end = parse_time_ms(options["end"], "--end")
        if end <= start:
            raise fail("--end must be after --start")
        try:
            bars = load_bars(
                exchange=options["exchange"], symbol=symbol, interval=options["interval"], start_ms=start, end_ms=end
            )
        except TooManyBars as exc:
            raise fail(str(exc)) from None
        if bars.shape[0] == 0:
            raise fail(f"no stored {options['interval']} klines of {options['exchange']} {symbol} in that range")
        tick, lot = sizes(options["exchange"], symbol)
        return bars, tick, lot, symbol

    def _print_table(self, out: dict[str, Any], limit: int) -> None:
        params = ", ".join(f"{k}={v:g}" for k, v in out["params"].items())
        self.stdout.write(f"{out['strategy']}({params}) over {out['bars']:,} bars\n")
        self.stdout.write(report.metrics_table(out["metrics"]) + "\n")
        self.stdout.write(f"\nTrades ({len(out['trades']):,}):")
        self.stdout.write(report.trades_table(out["trades"][: max(limit, 0)], len(out["trades"])))
        if "monte_carlo" in out:
            self.stdout.write("\n" + report.monte_carlo_text(out["monte_carlo"]))
        if "walk_forward" in out:
            self.stdout.write("\n" + report.walk_forward_text(out["walk_forward"]))
