from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from backend.strategies.catalogue import BuiltinMissing


class Command(BaseCommand):
    help = "Publish the built-in strategies as the platform's reference listings (idempotent; make up runs it)."

    def handle(self, *args: Any, **options: Any) -> None:
        from backend.marketplace.seed import seed

        try:
            lines = seed()
        except BuiltinMissing as exc:
            raise CommandError(str(exc)) from None
        for line in lines:
            self.stdout.write(f"marketplace: {line}")
        rejected = [line for line in lines if ": rejected:" in line]
        if rejected:
            raise CommandError(f"{len(rejected)} reference listing(s) failed validation; see above")
