from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.bus.subjects import mappings_block


class Command(BaseCommand):
    help = "Print the NATS server configuration block that splits trades into N subject partitions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partitions", type=int, help="number of partitions (nats.trade_partitions)")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["partitions"]
        if count < 1:
            self.stderr.write("partitions must be >= 1")
            raise SystemExit(2)
        self.stdout.write(mappings_block(count), ending="")
