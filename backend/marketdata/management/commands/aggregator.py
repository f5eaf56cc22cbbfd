from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from backend.marketdata.aggregator import Partition, run_aggregator
from backend.ops.worker import WorkerContext
from backend.ops.worker_command import WorkerCommand


class Command(WorkerCommand):
    help = "Store trades from the bus and aggregate them into klines of every interval."
    default_name = "aggregator"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--partition", type=int, default=0, help="this instance's index (0-based)")
        parser.add_argument("--partitions", type=int, default=1, help="number of aggregator instances")

    def handle(self, *args: Any, **options: Any) -> None:
        index, count = options["partition"], options["partitions"]
        if count < 1 or not 0 <= index < count:
            raise CommandError(f"--partition must be within 0..{count - 1} and --partitions >= 1")
        partition = Partition(index, count)
        if not options["name"] and count > 1:
            options["name"] = f"aggregator-{index}-of-{count}"

        async def body(ctx: WorkerContext) -> None:
            await run_aggregator(ctx, partition)

        self.run_body(options, body)
