from __future__ import annotations

import dataclasses
import re
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from backend.engine.market.trade import Trade
from backend.engine.sim.generator import SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS, synthetic_markets
from backend.marketdata import instruments
from backend.marketdata.connectors.base import StreamConnector
from backend.marketdata.connectors.binance import BinanceConnector
from backend.marketdata.connectors.bybit import BybitConnector
from backend.marketdata.connectors.okx import OkxConnector
from backend.marketdata.connectors.rest import ExchangeBanned, RestError, WeightBudget
from backend.marketdata.sim_feed import publish_trades, run_sim_feed
from backend.ops.worker import WorkerContext
from backend.ops.worker_command import WorkerCommand

CONNECTORS: dict[str, type[StreamConnector]] = {
    "binance": BinanceConnector,
    "okx": OkxConnector,
    "bybit": BybitConnector,
}
SUPPORTED_EXCHANGES = ("sim", *CONNECTORS)
MAX_SIM_RATE = 100_000
_UNIFIED = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+$")


class Command(WorkerCommand):
    help = "Stream an exchange's trades onto the bus (md.trade.<exchange>.<symbol>)."
    default_name = "ingest"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--exchange", required=True, help="exchange id: sim, binance, okx, bybit")
        parser.add_argument("--symbols", default="", help="comma-separated BASE-QUOTE symbols (default: all)")
        parser.add_argument("--seed", type=int, default=1, help="sim: random seed (same seed, same trades)")
        parser.add_argument(
            "--synthetic", type=int, default=0, help="sim: add this many synthetic markets (load tests)"
        )
        parser.add_argument(
            "--rate", type=float, default=0.0, help="sim: total trades per second over all symbols (default: realistic)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exchange = options["exchange"]
        if exchange not in SUPPORTED_EXCHANGES:
            raise CommandError(f"unknown exchange {exchange!r}; supported: {', '.join(SUPPORTED_EXCHANGES)}")
        symbols = [s.strip() for s in options["symbols"].split(",") if s.strip()]
        if exchange in CONNECTORS:
            self._run_connector(exchange, options, symbols)
            return
        symbols = symbols or list(DEFAULT_MARKETS)
        unknown = sorted(set(symbols) - set(DEFAULT_MARKETS))
        if unknown:
            raise CommandError(f"unknown sim symbols {', '.join(unknown)}; known: {', '.join(DEFAULT_MARKETS)}")
        markets = {s: DEFAULT_MARKETS[s] for s in symbols} | synthetic_markets(max(options["synthetic"], 0))
        symbols = list(markets)
        rate = options["rate"]
        if rate < 0 or rate > MAX_SIM_RATE:
            raise CommandError(f"--rate must be within 0..{MAX_SIM_RATE:,} trades/s")
        if rate:
            # Split the requested rate across markets in proportion to their usual activity.
            base = sum(m.trades_per_s for m in markets.values())
            markets = {s: dataclasses.replace(m, trades_per_s=m.trades_per_s * rate / base) for s, m in markets.items()}
        sim = SimExchange(markets, seed=options["seed"])

        async def body(ctx: WorkerContext) -> None:
            await run_sim_feed(ctx, sim, symbols)

        self.run_body(options, body)

    def _run_connector(self, exchange: str, options: dict[str, Any], symbols: list[str]) -> None:
        bad = [s for s in symbols if not _UNIFIED.match(s)]
        if not symbols or bad:
            raise CommandError(f"--symbols needs unified BASE-QUOTE symbols for {exchange}, e.g. BTC-USDT,ETH-USDT")
        config = settings.CONFIG.exchanges.get(exchange)
        if config is None:
            raise CommandError(f"config has no exchanges.{exchange} section (see config.yaml.example)")
        connector_class = CONNECTORS[exchange]
        register = sync_to_async(instruments.register, thread_sensitive=True)
        for symbol in symbols:
            # Known instruments are what the market data API serves.
            instruments.register(exchange, symbol, connector_class.exchange_symbol(symbol))

        async def body(ctx: WorkerContext) -> None:
            async def publish(symbol: str, trades: list[Trade]) -> None:
                await publish_trades(ctx, exchange, symbol, trades)

            connector = connector_class(
                ws_url=config.ws_url,
                rest_url=config.rest_url,
                symbols=symbols,
                publish=publish,
                budget=WeightBudget(config.rest_weight_per_minute),
                max_streams=config.max_streams_per_connection,
            )
            try:
                for inst in await connector.load_instruments():
                    await register(exchange, inst.symbol, connector_class.exchange_symbol(inst.symbol), inst.tick_size,
                                   inst.lot_size, inst.min_notional)  # fmt: skip
            except (RestError, ExchangeBanned, OSError, KeyError, ValueError) as exc:
                # The stream matters more than the sizes: go on without them, loudly.
                ctx.log.warning("ingest.instruments_unavailable", exchange=exchange, error=str(exc))
            await connector.run(ctx.stop)

        self.run_body(options, body)
