"""Built-in reference strategies implementing backend.engine.strategy.protocol.Strategy."""

from backend.engine.strategies.registry import REFERENCE_STRATEGIES, StrategySpec, build

__all__ = ["REFERENCE_STRATEGIES", "StrategySpec", "build"]
