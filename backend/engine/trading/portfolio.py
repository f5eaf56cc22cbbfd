"""Positions as FIFO lots: realized P&L, average entry, marks, and round trips (ClosedTrade).

A position is a queue of lots, each (signed qty, price, time). A fill against the
position's sign consumes lots from the front (first in, first out) and realizes
(fill price - lot price) * qty for longs, the opposite for shorts; what is left of the
fill opens a new lot on the other side. All arithmetic is exact Decimal.

Identity kept for every fill (the property tests check it):
    cash + sum(lot qty * lot price) == initial cash + realized - fees
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import Decimal

from backend.engine.backtest.records import ClosedTrade
from backend.engine.trading.fees import FEE_QUANTUM

ZERO = Decimal(0)


@dataclass(slots=True)
class Lot:
    qty: Decimal  # signed: > 0 long, < 0 short
    price: Decimal
    ts_ms: int


@dataclass(slots=True)
class _Trip:
    """The round trip in progress: from flat to flat."""

    long: bool
    entry_ms: int
    entry_qty: Decimal = ZERO
    entry_quote: Decimal = ZERO
    exit_qty: Decimal = ZERO
    exit_quote: Decimal = ZERO
    exit_ms: int = 0
    realized: Decimal = ZERO
    fees: Decimal = ZERO


class Position:
    __slots__ = ("_trip", "cost", "fees", "lots", "qty", "realized", "symbol")

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.lots: deque[Lot] = deque()
        self.qty = ZERO  # signed sum of lot quantities
        self.cost = ZERO  # signed sum of lot qty * lot price
        self.realized = ZERO  # gross, lifetime
        self.fees = ZERO  # lifetime
        self._trip: _Trip | None = None

    @property
    def avg_entry(self) -> Decimal | None:
        return self.cost / self.qty if self.qty else None

    def unrealized(self, mark: Decimal) -> Decimal:
        return self.qty * mark - self.cost

    def apply(
        self, buy: bool, qty: Decimal, price: Decimal, fee: Decimal, ts_ms: int
    ) -> tuple[Decimal, ClosedTrade | None]:
        """Book one fill; returns the realized P&L (gross) and the round trip it completed, if any."""
        signed = qty if buy else -qty
        realized = ZERO
        closed_qty = ZERO
        lots = self.lots
        while signed and self.qty and (signed > 0) != (self.qty > 0):
            lot = lots[0]
            take = min(abs(signed), abs(lot.qty))
            if lot.qty > 0:
                realized += (price - lot.price) * take
                lot.qty -= take
                self.qty -= take
                self.cost -= take * lot.price
                signed += take
            else:
                realized += (lot.price - price) * take
                lot.qty += take
                self.qty += take
                self.cost += take * lot.price
                signed -= take
            closed_qty += take
            if not lot.qty:
                lots.popleft()
        self.realized += realized
        self.fees += fee

        # Split the fee between the closing and the opening part of a reversing fill; the
        # rounded share goes to the close, the exact remainder to the open, so nothing is lost.
        close_fee = fee if not signed else (fee * closed_qty / qty).quantize(FEE_QUANTUM) if closed_qty else ZERO
        done: ClosedTrade | None = None
        trip = self._trip
        if closed_qty and trip is not None:
            trip.exit_qty += closed_qty
            trip.exit_quote += closed_qty * price
            trip.exit_ms = ts_ms
            trip.realized += realized
            trip.fees += close_fee
            if not self.qty:
                done = ClosedTrade(
                    symbol=self.symbol,
                    direction="long" if trip.long else "short",
                    entry_time_ms=trip.entry_ms,
                    exit_time_ms=trip.exit_ms,
                    entry_price=trip.entry_quote / trip.entry_qty,
                    exit_price=trip.exit_quote / trip.exit_qty,
                    qty=trip.entry_qty,
                    pnl=trip.realized - trip.fees,
                    fees=trip.fees,
                )
                self._trip = None
        if signed:
            lots.append(Lot(signed, price, ts_ms))
            self.qty += signed
            self.cost += signed * price
            if self._trip is None:
                self._trip = _Trip(long=signed > 0, entry_ms=ts_ms)
            opened = abs(signed)
            self._trip.entry_qty += opened
            self._trip.entry_quote += opened * price
            self._trip.fees += fee - close_fee
        return realized, done

    # -- snapshot support ---------------------------------------------------------------
    def trip_state(self) -> tuple[object, ...] | None:
        t = self._trip
        if t is None:
            return None
        return (t.long, t.entry_ms, t.entry_qty, t.entry_quote, t.exit_qty, t.exit_quote, t.exit_ms, t.realized, t.fees)

    def restore(
        self,
        lots: list[tuple[Decimal, Decimal, int]],
        realized: Decimal,
        fees: Decimal,
        trip: tuple[object, ...] | None,
    ) -> None:
        self.lots = deque(Lot(q, p, t) for q, p, t in lots)
        self.qty = sum((lot.qty for lot in self.lots), ZERO)
        self.cost = sum((lot.qty * lot.price for lot in self.lots), ZERO)
        self.realized, self.fees = realized, fees
        self._trip = _Trip(*trip) if trip is not None else None  # type: ignore[arg-type]
