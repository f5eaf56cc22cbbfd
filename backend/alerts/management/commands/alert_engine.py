from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from backend.alerts.worker import run_alert_engine
from backend.marketdata.aggregator import Partition
from backend.ops.worker import WorkerContext
from backend.ops.worker_command import WorkerCommand


class Command(WorkerCommand):
    help = "Evaluate alert rules on the live trade and kline stream; record and fan out firings."
    default_name = "alert-engine"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--partition", type=int, default=0)
        parser.add_argument("--partitions", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        partition = Partition(options["partition"], options["partitions"])

        async def body(ctx: WorkerContext) -> None:
            await run_alert_engine(ctx, partition)

        self.run_body(options, body)
