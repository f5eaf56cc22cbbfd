"""Resting orders of one market, indexed so a trade print only touches what it crosses.

- Limit orders by price level (FIFO within a level), price lists kept sorted, so a print
  finds the crossed levels by bisection and stops at the first uncrossed one.
- Stop / take-profit triggers in two sorted lists: "up" fires when a print >= level (buy
  stops, sell take-profits), "down" when a print <= level (sell stops, buy take-profits).
- Trailing stops (their triggers move with every print) in insertion order.

Each market has its own book, so the cost of a print does not grow with orders on other
markets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from decimal import Decimal

from backend.engine.market.trade import Side
from backend.engine.trading.orders import Order, OrderType

_UP_TYPES = {(Side.BUY, OrderType.STOP_MARKET), (Side.BUY, OrderType.STOP_LIMIT)}
_UP_TYPES |= {(Side.SELL, OrderType.TAKE_PROFIT_MARKET), (Side.SELL, OrderType.TAKE_PROFIT_LIMIT)}


def fires_upward(order: Order) -> bool:
    return (order.side, order.type) in _UP_TYPES


class Book:
    __slots__ = ("ask_prices", "asks", "bid_prices", "bids", "down", "trailing", "up")

    def __init__(self) -> None:
        self.bids: dict[Decimal, list[Order]] = {}
        self.bid_prices: list[Decimal] = []  # ascending; best bid last
        self.asks: dict[Decimal, list[Order]] = {}
        self.ask_prices: list[Decimal] = []  # ascending; best ask first
        self.up: list[tuple[Decimal, int, Order]] = []  # ascending trigger
        self.down: list[tuple[Decimal, int, Order]] = []  # ascending trigger
        self.trailing: dict[str, Order] = {}

    def __len__(self) -> int:
        return (
            sum(map(len, self.bids.values()))
            + sum(map(len, self.asks.values()))
            + len(self.up)
            + len(self.down)
            + len(self.trailing)
        )

    # -- limits ----------------------------------------------------------------------------
    def add_limit(self, order: Order) -> None:
        assert order.price is not None
        levels, prices = (self.bids, self.bid_prices) if order.side is Side.BUY else (self.asks, self.ask_prices)
        level = levels.get(order.price)
        if level is None:
            levels[order.price] = [order]
            insort(prices, order.price)
        else:
            level.append(order)

    def remove_limit(self, order: Order) -> bool:
        assert order.price is not None
        levels, prices = (self.bids, self.bid_prices) if order.side is Side.BUY else (self.asks, self.ask_prices)
        level = levels.get(order.price)
        if level is None or order not in level:
            return False
        level.remove(order)
        if not level:
            del levels[order.price]
            del prices[bisect_left(prices, order.price)]
        return True

    def crossed_bids(self, price: Decimal) -> list[tuple[Decimal, list[Order]]]:
        """Bid levels at or above the print, best first (copies: matching may remove orders)."""
        prices = self.bid_prices
        lo = bisect_left(prices, price)
        return [(p, list(self.bids[p])) for p in reversed(prices[lo:])]

    def crossed_asks(self, price: Decimal) -> list[tuple[Decimal, list[Order]]]:
        prices = self.ask_prices
        hi = bisect_right(prices, price)
        return [(p, list(self.asks[p])) for p in prices[:hi]]

    # -- triggers --------------------------------------------------------------------------
    def add_trigger(self, order: Order) -> None:
        assert order.stop_price is not None
        insort(self.up if fires_upward(order) else self.down, (order.stop_price, order.seq, order))

    def remove_trigger(self, order: Order) -> bool:
        assert order.stop_price is not None
        entries = self.up if fires_upward(order) else self.down
        i = bisect_left(entries, (order.stop_price, order.seq))
        if i < len(entries) and entries[i][2] is order:
            del entries[i]
            return True
        return False

    def pop_triggered(self, price: Decimal) -> list[Order]:
        """Trigger orders this print fires, nearest trigger first, removed from the book."""
        fired: list[Order] = []
        up = self.up
        if up and up[0][0] <= price:
            n = bisect_right(up, (price, float("inf")))
            fired += [entry[2] for entry in up[:n]]
            del up[:n]
        down = self.down
        if down and down[-1][0] >= price:
            n = bisect_left(down, (price,))
            fired += [entry[2] for entry in reversed(down[n:])]
            del down[n:]
        return fired

    def trigger_levels(self) -> list[Decimal]:
        return [entry[0] for entry in self.up] + [entry[0] for entry in self.down]

    # -- all kinds -------------------------------------------------------------------------
    def may_act(self, price: Decimal) -> bool:
        """Whether a print at this price can fill or trigger anything (cheap, checked per print)."""
        return bool(
            (self.bid_prices and self.bid_prices[-1] >= price)
            or (self.ask_prices and self.ask_prices[0] <= price)
            or (self.up and self.up[0][0] <= price)
            or (self.down and self.down[-1][0] >= price)
            or self.trailing
        )

    def remove(self, order: Order) -> None:
        """Take an order out of whichever index holds it (a no-op for orders that never rested)."""
        if order.type is OrderType.TRAILING_STOP:
            self.trailing.pop(order.order_id, None)
        elif order.price is not None and (order.type is OrderType.LIMIT or order.triggered):
            self.remove_limit(order)
        elif order.stop_price is not None and not order.triggered:
            self.remove_trigger(order)
