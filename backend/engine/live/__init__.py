"""Live deployments, pure: strategies fed one closed bar at a time, combined, sized and stopped.

The strategy_runner worker (backend/strategies/runner.py) owns the I/O; everything that
decides what a deployment wants to hold lives here, so it is tested and benchmarked
without a database or a bus.
"""

from backend.engine.live.deployment import Decision, LiveDeployment, Member, evaluate_all
from backend.engine.live.sizing import Sizing, SizingError, parse_sizing

__all__ = ["Decision", "LiveDeployment", "Member", "Sizing", "SizingError", "evaluate_all", "parse_sizing"]
