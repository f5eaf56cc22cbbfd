from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.core.management.base import CommandError, CommandParser

from backend.ops.worker import WorkerContext
from backend.ops.worker_command import WorkerCommand
from backend.strategies.catalogue import BUILD_DIR, sync_builtin
from backend.strategies.runner import Partition, run_strategy_runner


class Command(WorkerCommand):
    help = "Run live strategy deployments: closed klines -> sandboxed strategies -> paper orders."
    default_name = "strategy-runner"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--partition", type=int, default=0, help="this instance's index (0-based)")
        parser.add_argument("--partitions", type=int, default=1, help="runner instances (deployment id % N)")

    def handle(self, *args: Any, **options: Any) -> None:
        index, count = options["partition"], options["partitions"]
        if count < 1 or not 0 <= index < count:
            raise CommandError(f"--partition must be within 0..{count - 1} and --partitions >= 1")
        if not options["name"] and count > 1:
            options["name"] = f"strategy-runner-{index}-of-{count}"

        async def body(ctx: WorkerContext) -> None:
            if BUILD_DIR.is_dir():
                # Where the image carries the built catalogue (compose), register it, so
                # built-in deployments run without a separate sync step; idempotent.
                changed = await sync_to_async(sync_builtin)()
                if changed:
                    ctx.log.info("strategy_runner.builtins_synced", changed=changed)
            await run_strategy_runner(ctx, Partition(index, count))

        self.run_body(options, body)
