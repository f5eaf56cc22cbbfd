"""Client channel names -> NATS subjects. Private channels take the tenant from the
authenticated connection, never from the client's message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backend.bus.subjects import Subjects, token
from backend.engine.market.intervals import INTERVALS

PUBLIC = ("klines", "trades", "ticker")
PRIVATE = ("orders", "fills", "positions", "balances", "alerts", "deployments", "backtests")
_TRADING_KIND = {"orders": "order", "fills": "fill", "positions": "position", "balances": "account"}


class BadChannel(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Channel:
    key: str
    subjects: tuple[str, ...]
    private: bool
    market: tuple[str, str, str] | None = None  # (exchange, symbol, interval) for the snapshot


def _market(msg: dict[str, Any]) -> tuple[str, str]:
    exchange, symbol = msg.get("exchange"), msg.get("symbol")
    if not isinstance(exchange, str) or not isinstance(symbol, str):
        raise BadChannel("invalid_channel", "exchange and symbol are required strings")
    try:
        return token(exchange), token(symbol)
    except ValueError as exc:
        raise BadChannel("invalid_channel", str(exc)) from None


def resolve(msg: dict[str, Any], subjects: Subjects, tenant_id: int | None) -> Channel:
    name = msg.get("channel")
    if name in PUBLIC:
        exchange, symbol = _market(msg)
        if name == "klines":
            interval = msg.get("interval")
            if interval not in INTERVALS:
                raise BadChannel("unknown_interval", f"interval must be one of {', '.join(INTERVALS)}")
            subject = subjects.kline(str(interval), exchange, symbol)
            return Channel(
                f"klines:{exchange}:{symbol}:{interval}", (subject,), False, (exchange, symbol, str(interval))
            )
        if name == "ticker":
            # The ticker is the live one-day kline (last, open, high, low, volume of the UTC day).
            return Channel(
                f"ticker:{exchange}:{symbol}",
                (subjects.kline("1d", exchange, symbol),),
                False,
                (exchange, symbol, "1d"),
            )
        trade = subjects.trade(exchange, symbol)
        # With subject partitioning the server appends a partition token.
        return Channel(f"trades:{exchange}:{symbol}", (trade, f"{trade}.*"), False)
    if name in PRIVATE:
        if tenant_id is None:
            raise BadChannel("not_authenticated", "private channels need an authenticated connection")
        t = int(tenant_id)
        prefix = f"{subjects.namespace}." if subjects.namespace else ""
        if name in _TRADING_KIND:
            subject = f"{prefix}trading.{_TRADING_KIND[name]}.{t}.*"
        elif name == "alerts":
            subject = subjects.alert_fired(t)
        elif name == "deployments":
            subject = f"{prefix}strategy.*.{t}.*"
        else:
            subject = f"{prefix}backtests.progress.{t}.*"
        return Channel(str(name), (subject,), True)
    raise BadChannel("unknown_channel", f"channel must be one of {', '.join(PUBLIC + PRIVATE)}")
