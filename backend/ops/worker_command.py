from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.ops.worker import WorkerBody, run_worker


class WorkerCommand(BaseCommand):
    """Base of every platform worker command: `--name` names the instance for heartbeats,
    so several instances of one command (partitions, exchanges) are told apart."""

    default_name = ""
    # Django's system checks import the URL conf, and with it every API module and what
    # those import (numpy, TA-Lib with pandas, wasmtime): ~60 MB a worker does not need.
    # The web process and `manage.py check` run the checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default="", help="worker instance name for heartbeats and logs")

    def run_body(self, options: dict[str, Any], body: WorkerBody) -> None:
        code = asyncio.run(run_worker(options["name"] or self.default_name, body))
        if code:
            raise SystemExit(code)
