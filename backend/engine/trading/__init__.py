"""Paper trading: orders, matching against the trade stream, balances, FIFO portfolio, risk.

The public surface the Django trading app uses is re-exported here.
"""

from backend.engine.trading.account import AccountConfig, AccountSnapshot, AccountView, PositionView
from backend.engine.trading.engine import CancelResult, EngineSnapshot, PaperEngine, UnknownAccount
from backend.engine.trading.events import (
    BalanceChanged,
    Event,
    Fill,
    OrderAccepted,
    OrderRejected,
    OrderUpdated,
    RiskStateChanged,
    RoundTripClosed,
    SubmitResult,
)
from backend.engine.trading.fees import FeeSchedule
from backend.engine.trading.orders import (
    IllegalTransition,
    Liquidity,
    OrderRequest,
    OrderSnapshot,
    OrderStatus,
    OrderType,
    TimeInForce,
)
from backend.engine.trading.reasons import RejectReason
from backend.engine.trading.risk import RiskLimits
from backend.engine.trading.slippage import FixedBps, SlippageModel, VolumeParticipation
from backend.engine.trading.spec import MarketSpec

__all__ = [
    "AccountConfig",
    "AccountSnapshot",
    "AccountView",
    "BalanceChanged",
    "CancelResult",
    "EngineSnapshot",
    "Event",
    "FeeSchedule",
    "Fill",
    "FixedBps",
    "IllegalTransition",
    "Liquidity",
    "MarketSpec",
    "OrderAccepted",
    "OrderRejected",
    "OrderRequest",
    "OrderSnapshot",
    "OrderStatus",
    "OrderType",
    "OrderUpdated",
    "PaperEngine",
    "PositionView",
    "RejectReason",
    "RiskLimits",
    "RiskStateChanged",
    "RoundTripClosed",
    "SlippageModel",
    "SubmitResult",
    "TimeInForce",
    "UnknownAccount",
    "VolumeParticipation",
]
