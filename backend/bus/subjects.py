"""Every NATS subject and JetStream stream the platform uses is named here.

A namespace (config nats.namespace) prefixes all of them so several installations, or
a test run beside the demo, can share one server without their streams overlapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRADE = "md.trade"
KLINE = "md.kline"
# A subject the server maps to "md.partitions.<N>" when trade partitioning is set up,
# so a worker can ask the server how many partitions it assigns (see partition_mappings).
PARTITIONS_PROBE = "md.partitions"
# Paper trading: commands to the engine (request/reply, per engine partition) and what it
# publishes after each commit (per tenant and account, for the push gateway and alerts).
TRADING = "trading"
# Alert firings per tenant (alert engine -> push gateway).
ALERTS = "alerts"
# Live strategy deployments: signals and errors (per tenant and deployment), for owners and the push gateway.
STRATEGY = "strategy"
# Billing: a tenant's subscription lapsed (its plan, or a marketplace listing subscription),
# billing.subscription_lapsed.<tenant>.<subscription id>, JSON {"subscription": "plan"|"listing",
# "id": int, "listing": int|null, "ts_ms": int}; consumed by the alert engine.
BILLING = "billing"

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
        """Filter subject for all trades, or all trades of one exchange: with or without
        the partition token the server's mapping may append."""
        suffix = "*" if exchange == "*" else token(exchange)
        return self._prefixed(f"{TRADE}.{suffix}.>")

    def trade_partition(self, index: int) -> str:
        """Filter subject for the trades the server's mapping put in partition `index`."""
        return self._prefixed(f"{TRADE}.*.*.{index}")

    def partitions_probe(self) -> str:
        return self._prefixed(PARTITIONS_PROBE)

    def kline(self, interval: str, exchange: str, symbol: str) -> str:
        return self._prefixed(f"{KLINE}.{token(interval)}.{token(exchange)}.{token(symbol)}")

    def klines(self) -> str:
        """Filter subject for every kline message."""
        return self._prefixed(f"{KLINE}.>")

    def strategy_event(self, kind: str, tenant_id: int, deployment_id: int) -> str:
        """kind: signal or error; `strategy.<kind>.<tenant>.*` follows a tenant's deployments."""
        return self._prefixed(f"{STRATEGY}.{token(kind)}.{int(tenant_id)}.{int(deployment_id)}")

    def trading_command(self, partition: int) -> str:
        return self._prefixed(f"{TRADING}.cmd.{int(partition)}")

    def trading_event(self, kind: str, tenant_id: int, account_id: int) -> str:
        """kind: fill, order, position or account; `trading.<kind>.*.*` follows every account."""
        return self._prefixed(f"{TRADING}.{token(kind)}.{int(tenant_id)}.{int(account_id)}")

    def subscription_lapsed(self, tenant_id: int, subscription_id: int) -> str:
        """A tenant's subscription lapsed (billing -> alert engine); `billing.subscription_lapsed.*.*` follows all."""
        return self._prefixed(f"{BILLING}.subscription_lapsed.{int(tenant_id)}.{int(subscription_id)}")

    def backtest_progress(self, tenant_id: int, backtest_id: int) -> str:
        """A backtest's status and progress (core NATS, Celery -> push gateway's `backtests` channel)."""
        return self._prefixed(f"backtests.progress.{int(tenant_id)}.{int(backtest_id)}")

    def alert_fired(self, tenant_id: int) -> str:
        """Alert firings of one tenant (core NATS), for the push gateway."""
        return self._prefixed(f"{ALERTS}.fired.{int(tenant_id)}")

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


def partition_mappings(count: int) -> dict[str, str]:
    """NATS server subject mappings that split trades into `count` partitions.

    md.trade.<exchange>.<symbol> becomes md.trade.<exchange>.<symbol>.<p>, p a
    deterministic hash of exchange and symbol (the server's partition() transform), so
    each aggregator's consumer filters one partition and receives only its markets.
    Rules are given for the bare subjects and for any one-token namespace.
    """
    if count < 1:
        raise ValueError("partition count must be >= 1")
    return {
        f"{TRADE}.*.*": f"{TRADE}.{{{{wildcard(1)}}}}.{{{{wildcard(2)}}}}.{{{{partition({count},1,2)}}}}",
        f"*.{TRADE}.*.*": (
            f"{{{{wildcard(1)}}}}.{TRADE}.{{{{wildcard(2)}}}}.{{{{wildcard(3)}}}}.{{{{partition({count},2,3)}}}}"
        ),
        PARTITIONS_PROBE: f"{PARTITIONS_PROBE}.{count}",
        f"*.{PARTITIONS_PROBE}": f"{{{{wildcard(1)}}}}.{PARTITIONS_PROBE}.{count}",
    }


def mappings_block(count: int) -> str:
    """The mappings as a nats-server configuration block."""
    lines = [f'  "{source}": "{destination}"' for source, destination in partition_mappings(count).items()]
    return "mappings = {\n" + "\n".join(lines) + "\n}\n"
