from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from backend.identity.models import User
from backend.tenancy import apikeys, selectors, services
from backend.tenancy.context import tenant_context
from backend.tenancy.models import ApiKey, Scope, Tier

DEMO_EMAIL = "demo@quant-trader.local"
DEMO_TENANT = "Demo Capital"


class Command(BaseCommand):
    help = "Create the demo user, tenant and API key (idempotent) and write them to an env file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--env-file", required=True, help="where to write the QT_DEMO_* variables")

    def handle(self, *args: Any, **options: Any) -> None:
        env_file = Path(options["env_file"])
        existing = _read_env(env_file)
        with transaction.atomic():
            user = User.objects.filter(email=DEMO_EMAIL).first()
            password = existing.get("QT_DEMO_PASSWORD")
            if user is None or not password or not user.check_password(password):
                # A fresh random password whenever the recorded one cannot be proven to
                # work, so no fixed credential ever ships with the project.
                password = secrets.token_urlsafe(12)
                if user is None:
                    user = User.objects.create_superuser(email=DEMO_EMAIL, password=password, full_name="Demo")
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
            memberships = selectors.memberships_of(user.pk)
            if memberships:
                tenant = memberships[0].tenant
            else:
                tenant = services.tenant_create(name=DEMO_TENANT, owner=user, tier_code=_demo_tier())
            api_key = existing.get("QT_DEMO_API_KEY", "")
            with tenant_context(tenant.pk):
                if not _key_works(api_key, tenant.pk):
                    _, api_key = services.api_key_create(
                        tenant_id=tenant.pk,
                        name="demo (make up)",
                        scopes=[Scope.READ, Scope.TRADE, Scope.ADMIN],
                        expires_at=None,
                        created_by_id=user.pk,
                        actor_label=user.email,
                        ip=None,
                    )
        env_file.parent.mkdir(parents=True, exist_ok=True)
        env_file.write_text(
            f"QT_DEMO_EMAIL={DEMO_EMAIL}\nQT_DEMO_PASSWORD={password}\nQT_DEMO_TENANT={tenant.slug}\n"
            f"QT_DEMO_API_KEY={api_key}\n",
            encoding="utf-8",
        )
        env_file.chmod(0o600)
        self.stdout.write(f"demo login: {DEMO_EMAIL} / {password} (tenant {tenant.slug})")


def _demo_tier() -> str:
    return (
        "pro"
        if Tier.objects.filter(code="pro").exists()
        else Tier.objects.order_by("pk").values_list("code", flat=True)[0]
    )


def _key_works(raw: str, tenant_id: int) -> bool:
    try:
        key_id, secret = apikeys.parse(raw)
    except apikeys.MalformedKey:
        return False
    key = ApiKey.objects.filter(key_id=key_id, revoked_at=None).first()
    return key is not None and key.tenant_id == tenant_id and apikeys.secret_matches(secret, key.secret_hash)


def _read_env(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {k.strip(): v.strip() for k, v in pairs}
