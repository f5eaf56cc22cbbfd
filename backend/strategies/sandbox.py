"""The configured sandbox of a tier (config.yaml `sandbox`), shared per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from backend.conf.loader import REPO_ROOT
from backend.engine.sandbox import Sandbox, SandboxLimits


class UnknownTier(ValueError):
    pass


def tier_limits(tier: str) -> SandboxLimits:
    limits = settings.CONFIG.sandbox.tiers.get(tier)
    if limits is None:
        known = ", ".join(settings.CONFIG.sandbox.tiers)
        raise UnknownTier(f"unknown tier {tier!r}; known: {known}")
    return SandboxLimits.from_mapping(limits.model_dump())


def cache_dir() -> Path:
    path = Path(settings.CONFIG.sandbox.cache_dir)
    return path if path.is_absolute() else REPO_ROOT / path


@cache
def sandbox_for(tier: str) -> Sandbox:
    return Sandbox(tier_limits(tier), cache_dir(), tick_ms=settings.CONFIG.sandbox.epoch_tick_ms)


def validation_bars() -> int:
    return int(settings.CONFIG.sandbox.validation_bars)
