"""Semantic versions (MAJOR.MINOR.PATCH, no pre-release tags: published versions are releases)."""

from __future__ import annotations

import re

_SEMVER = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")


def parse(version: object) -> tuple[int, int, int] | None:
    match = _SEMVER.match(version) if isinstance(version, str) else None
    if match is None:
        return None
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch
