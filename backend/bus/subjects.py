"""Every NATS subject and JetStream stream the platform uses is named here.

A namespace (config nats.namespace) prefixes all of them so several installations, or
a test run beside the demo, can share one server without their streams overlapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRADE = "md.trade"
KLINE = "md.kline"

# Subject tokens may not contain separators or wildcards; exchange and symbol names
# come from config and exchanges, so they are checked rather than trusted.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    max_age_s: float
    # Window in which a repeated Nats-Msg-Id is dropped by the server, so a publisher
    # that retries after a timeout does not duplicate a batch.
    duplicate_window_s: float
    max_bytes: int = -1


def token(value: str) -> str:
    if not _TOKEN.match(value):
        raise ValueError(f"invalid subject token {value!r}: use letters, digits, '-' and '_'")
    return value


@dataclass(frozen=True)
class Subjects:
    namespace: str = ""

    def _prefixed(self, subject: str) -> str:
        return f"{self.namespace}.{subject}" if self.namespace else subject

    def stream_name(self, base: str) -> str:
        return f"{self.namespace}_{base}" if self.namespace else base

    def trade(self, exchange: str, symbol: str) -> str:
        return self._prefixed(f"{TRADE}.{token(exchange)}.{token(symbol)}")

    def trades(self, exchange: str = "*") -> str:
        """Filter subject for all trades, or all trades of one exchange."""
        suffix = "*" if exchange == "*" else token(exchange)
        return self._prefixed(f"{TRADE}.{suffix}.*")

    def kline(self, interval: str, exchange: str, symbol: str) -> str:
        return self._prefixed(f"{KLINE}.{token(interval)}.{token(exchange)}.{token(symbol)}")

    def streams(self) -> tuple[StreamSpec, ...]:
        day = 86_400.0
        return (
            StreamSpec(
                name=self.stream_name("MD_TRADES"),
                subjects=(self._prefixed(f"{TRADE}.>"),),
                max_age_s=3 * day,
                duplicate_window_s=120.0,
            ),
            StreamSpec(
                name=self.stream_name("MD_KLINES"),
                subjects=(self._prefixed(f"{KLINE}.>"),),
                max_age_s=1 * day,
                duplicate_window_s=120.0,
            ),
        )
