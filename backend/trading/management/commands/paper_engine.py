from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from backend.ops.worker import WorkerContext
from backend.ops.worker_command import WorkerCommand
from backend.trading.worker import run_paper_engine


class Command(WorkerCommand):
    help = "Run the paper trading engine: order commands and trades in, orders/fills/positions persisted and published."
    default_name = "paper-engine"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--partition", type=int, default=0, help="this instance's index (0-based)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = settings.CONFIG.trading.partitions
        index = options["partition"]
        if not 0 <= index < count:
            raise CommandError(f"--partition must be within 0..{count - 1} (trading.partitions is {count})")
        if not options["name"] and count > 1:
            options["name"] = f"paper-engine-{index}-of-{count}"

        async def body(ctx: WorkerContext) -> None:
            await run_paper_engine(ctx, index, count)

        self.run_body(options, body)
