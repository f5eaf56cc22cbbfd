"""The platform's own Prometheus metrics (django-prometheus covers HTTP and the ORM)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

COMPONENT_UP = Gauge("qt_component_up", "1 when the component passed its last readiness probe", ["component"])
PROBE_SECONDS = Histogram(
    "qt_readiness_probe_seconds",
    "Latency of readiness probes",
    ["component"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0),
)
READYZ_TOTAL = Counter("qt_readyz_total", "Readiness checks answered", ["status"])
BUS_PUBLISHED = Counter("qt_bus_published_total", "Messages published to NATS", ["stream"])
BUS_MALFORMED = Counter("qt_bus_malformed_total", "Messages dropped as malformed", ["consumer"])
WORKER_HEARTBEATS = Counter("qt_worker_heartbeats_total", "Heartbeats written", ["component"])
TRADES_STORED = Counter("qt_trades_stored_total", "Trades stored by the aggregator", ["exchange"])
TRADES_DUPLICATE = Counter("qt_trades_duplicate_total", "Trades already stored (replays), skipped", ["exchange"])
TRADES_TOO_LATE = Counter("qt_trades_too_late_total", "Trades beyond the late window, dropped", ["exchange"])
KLINES_PUBLISHED = Counter("qt_klines_published_total", "Kline messages published", ["kind"])
KLINE_LAG = Histogram(
    "qt_kline_publish_lag_seconds",
    "Trade received by ingest -> kline update published",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
)
