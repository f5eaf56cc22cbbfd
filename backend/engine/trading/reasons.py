"""Machine-readable reasons an order is rejected, expired or a risk gate closes."""

from __future__ import annotations

from enum import StrEnum


class RejectReason(StrEnum):
    # the request itself
    INVALID_QUANTITY = "invalid_quantity"  # <= 0, NaN or infinite
    INVALID_PRICE = "invalid_price"  # missing where required, <= 0, NaN or infinite
    INVALID_ORDER = "invalid_order"  # a combination the order type does not allow
    PRICE_OFF_TICK = "price_off_tick"
    QTY_BELOW_LOT = "qty_below_lot"  # nothing left after rounding down to the lot size
    MIN_NOTIONAL = "min_notional"
    UNKNOWN_SYMBOL = "unknown_symbol"
    CURRENCY_MISMATCH = "currency_mismatch"  # the market's quote is not the account's currency
    NO_MARKET_PRICE = "no_market_price"
    # execution instructions
    POST_ONLY_WOULD_TAKE = "post_only_would_take"
    FOK_UNFILLABLE = "fok_unfillable"
    IOC_UNFILLED = "ioc_unfilled"  # the expiry reason of an IOC remainder
    REDUCE_ONLY_WOULD_INCREASE = "reduce_only_would_increase"
    # funds
    INSUFFICIENT_BALANCE = "insufficient_balance"
    MAX_LEVERAGE = "max_leverage"
    # pre-trade risk
    MAX_ORDER_NOTIONAL = "max_order_notional"
    MAX_POSITION = "max_position"
    MAX_GROSS_EXPOSURE = "max_gross_exposure"
    MAX_OPEN_ORDERS = "max_open_orders"
    MAX_DAILY_LOSS = "max_daily_loss"
    DRAWDOWN_BREAKER = "drawdown_breaker"
    PRICE_BAND = "price_band"
    KILL_SWITCH = "kill_switch"
    # cancellation
    CANCELLED_BY_USER = "cancelled_by_user"
    UNKNOWN_ORDER = "unknown_order"
