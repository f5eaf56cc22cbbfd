from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

DEMO_EMAIL = "demo@quant-trader.local"


class Command(BaseCommand):
    help = "Create the demo user (idempotent) and write its credentials to an env file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--env-file", required=True, help="where to write QT_DEMO_EMAIL / QT_DEMO_PASSWORD")

    def handle(self, *args: Any, **options: Any) -> None:
        env_file = Path(options["env_file"])
        existing = _read_env(env_file)
        user_model = get_user_model()
        with transaction.atomic():
            user = user_model.objects.filter(username=DEMO_EMAIL).first()
            password = existing.get("QT_DEMO_PASSWORD")
            if user is None or not password or not user.check_password(password):
                # A fresh random password each time we cannot prove the recorded one works,
                # so no fixed credential ever ships with the project.
                password = secrets.token_urlsafe(12)
                if user is None:
                    user = user_model(username=DEMO_EMAIL, email=DEMO_EMAIL, is_staff=True, is_superuser=True)
                user.set_password(password)
                user.save()
        env_file.parent.mkdir(parents=True, exist_ok=True)
        env_file.write_text(f"QT_DEMO_EMAIL={DEMO_EMAIL}\nQT_DEMO_PASSWORD={password}\n", encoding="utf-8")
        env_file.chmod(0o600)
        self.stdout.write(f"demo login: {DEMO_EMAIL} / {password}")


def _read_env(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}
