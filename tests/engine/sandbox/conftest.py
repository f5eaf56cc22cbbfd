from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from backend.engine.sandbox import Sandbox, SandboxLimits, SandboxStrategy, parse_manifest
from backend.engine.sandbox.data import random_walk_bars
from tests.engine.sandbox.wat import SMA_CROSS, SMA_MANIFEST

# Small enough that limits are reached fast, large enough for the SMA module's validation.
TEST_LIMITS = SandboxLimits(memory_bytes=8 << 20, fuel_base=200_000, fuel_per_bar=2_000, init_fuel=2_000_000)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(TEST_LIMITS, cache_dir=tmp_path / "cache")


class Neighbour:
    """A well-behaved deployment running beside each hostile module: its outputs must not change."""

    CHUNK = 37

    def __init__(self, strategy: SandboxStrategy, bars: np.ndarray, expected: np.ndarray) -> None:
        self.strategy, self.bars, self.expected, self.pos = strategy, bars, expected, 0

    def step(self) -> None:
        if self.pos + self.CHUNK > self.bars.shape[0]:
            return
        out = self.strategy.on_bars(self.bars[self.pos : self.pos + self.CHUNK])
        np.testing.assert_array_equal(out, self.expected[self.pos : self.pos + self.CHUNK])
        self.pos += self.CHUNK


@pytest.fixture(scope="module")
def neighbour() -> Iterator[Neighbour]:
    sandbox = Sandbox(TEST_LIMITS)
    manifest = parse_manifest(SMA_MANIFEST)
    bars = random_walk_bars(2_000, seed=3)
    expected = sandbox.load(SMA_CROSS, manifest).on_bars(bars)
    n = Neighbour(sandbox.load(SMA_CROSS, manifest), bars, expected)
    yield n
    n.step()
