from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from backend.engine.sim.generator import SimExchange
from backend.engine.sim.markets import DEFAULT_MARKETS
from backend.marketdata.sim_feed import run_sim_feed
from backend.ops.worker import WorkerContext
from backend.ops.worker_command import WorkerCommand

SUPPORTED_EXCHANGES = ("sim",)


class Command(WorkerCommand):
    help = "Stream an exchange's trades onto the bus (md.trade.<exchange>.<symbol>)."
    default_name = "ingest"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--exchange", required=True, help="exchange id: sim")
        parser.add_argument("--symbols", default="", help="comma-separated BASE-QUOTE symbols (default: all)")
        parser.add_argument("--seed", type=int, default=1, help="sim: random seed (same seed, same trades)")

    def handle(self, *args: Any, **options: Any) -> None:
        exchange = options["exchange"]
        if exchange not in SUPPORTED_EXCHANGES:
            raise CommandError(f"unknown exchange {exchange!r}; supported: {', '.join(SUPPORTED_EXCHANGES)}")
        symbols = [s.strip() for s in options["symbols"].split(",") if s.strip()] or list(DEFAULT_MARKETS)
        unknown = sorted(set(symbols) - set(DEFAULT_MARKETS))
        if unknown:
            raise CommandError(f"unknown sim symbols {', '.join(unknown)}; known: {', '.join(DEFAULT_MARKETS)}")
        sim = SimExchange({s: DEFAULT_MARKETS[s] for s in symbols}, seed=options["seed"])

        async def body(ctx: WorkerContext) -> None:
            await run_sim_feed(ctx, sim, symbols)

        self.run_body(options, body)
