from __future__ import annotations

import asyncio
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.ops.health import as_json, check_readiness
from backend.ops.readiness import expected_workers, readiness_targets


class Command(BaseCommand):
    help = "Probe readiness like /readyz; exit 0 when every probed component is ok (for container healthchecks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--component",
            action="append",
            default=[],
            help="worker whose heartbeat to check (repeatable); default: the services and every worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        components = tuple(options["component"])
        unknown = sorted(set(components) - set(expected_workers()))
        if unknown:
            self.stderr.write(f"unknown component(s) {', '.join(unknown)}; known: {', '.join(expected_workers())}")
            raise SystemExit(2)
        targets = readiness_targets(workers=components or None)
        results = asyncio.run(check_readiness(targets))
        if components:
            results = {k: v for k, v in results.items() if k.removeprefix("worker:") in components}
        self.stdout.write(json.dumps(as_json(results), indent=2))
        if not all(r.ok for r in results.values()):
            raise SystemExit(1)
