"""The shape of config.yaml.

Every key is required here on purpose: config.yaml.example is the one place defaults
live, so a key missing from an operator's file is reported by name at start instead
of silently taking a value nobody chose.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HttpConfig(Section):
    host: str
    port: int = Field(ge=1, le=65535)
    workers: int = Field(ge=1, le=64)
    threads: int = Field(ge=1, le=256)
    static_root: str
    spa_dist: str
    max_body_bytes: int = Field(ge=1024)


class DatabaseConfig(Section):
    url: str = Field(pattern=r"^postgres(ql)?://")
    pool_max_size: int = Field(ge=0, le=200)
    connect_timeout_s: int = Field(ge=1, le=60)
    timescaledb: Literal["auto", "on", "off"]


class RedisConfig(Section):
    url: str = Field(pattern=r"^rediss?://")


class NatsConfig(Section):
    url: str = Field(pattern=r"^(nats|tls)://")
    namespace: str = Field(pattern=r"^[A-Za-z0-9_-]*$")
    connect_timeout_s: float = Field(gt=0, le=30)
    reconnect_wait_s: float = Field(gt=0, le=60)
    max_reconnect_attempts: int = Field(ge=-1)
    trade_partitions: int = Field(ge=1, le=1024)


class CeleryConfig(Section):
    broker_url: str
    task_time_limit_s: int = Field(ge=1)
    concurrency: int = Field(ge=1, le=64)


class LoggingConfig(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"]
    format: Literal["json", "console"]


class HealthConfig(Section):
    probe_timeout_s: float = Field(gt=0, lt=2)
    heartbeat_interval_s: float = Field(gt=0, le=60)
    heartbeat_ttl_s: float = Field(gt=0, le=600)


class WorkerConfig(Section):
    command: str = Field(pattern=r"^[a-z_]+$")
    args: list[str]
    enabled: bool


class MarketDataConfig(Section):
    late_window_ms: int = Field(ge=0)
    publish_throttle_ms: int = Field(ge=0)
    close_grace_ms: int = Field(ge=0)
    trade_retention_days: int = Field(ge=0)
    kline_retention_days: int = Field(ge=0)
    fetch_batch: int = Field(ge=1, le=10_000)
    store_interval_ms: int = Field(ge=0, le=60_000)


class TradingConfig(Section):
    partitions: int = Field(ge=1, le=256)
    command_timeout_s: float = Field(gt=0, le=30)
    equity_sample_interval_s: float = Field(gt=0)
    fetch_batch: int = Field(ge=1, le=10_000)


class ExchangeConfig(Section):
    ws_url: str = Field(pattern=r"^wss?://")
    rest_url: str = Field(pattern=r"^https?://")
    # REST request weight an exchange allows per minute (shared by all our requests).
    rest_weight_per_minute: int = Field(ge=1)
    # Streams (symbol subscriptions) per WebSocket connection before opening another.
    max_streams_per_connection: int = Field(ge=1)


class LocalStackConfig(Section):
    manage_services: bool
    install_packages: bool
    run_dir: str
    postgres_superuser: str


class EmailConfig(Section):
    backend: Literal["console", "file", "smtp"]
    file_path: str
    from_address: str
    smtp_host: str
    smtp_port: int = Field(ge=1, le=65535)
    smtp_user: str
    smtp_password: str
    smtp_tls: bool


class AuthConfig(Section):
    lockout_account_failures: int = Field(ge=1)
    lockout_ip_failures: int = Field(ge=1)
    lockout_window_s: int = Field(ge=1)
    password_reset_timeout_s: int = Field(ge=60)
    invitation_ttl_s: int = Field(ge=60)
    anonymous_requests_per_minute: int = Field(ge=1)


class TierLimits(Section):
    name: str
    requests_per_minute: int = Field(ge=1)
    requests_per_day: int = Field(ge=1)
    websocket_connections: int = Field(ge=0)
    paper_accounts: int = Field(ge=0)
    live_deployments: int = Field(ge=0)
    alert_rules: int = Field(ge=0)
    webhook_endpoints: int = Field(ge=0)
    backtests_per_day: int = Field(ge=0)
    history_days: int = Field(ge=1)


class SandboxTierLimits(Section):
    """backend.engine.sandbox.limits.SandboxLimits, field for field."""

    module_bytes: int = Field(ge=1024)
    memory_bytes: int = Field(ge=65536)
    table_elements: int = Field(ge=0)
    instances: int = Field(ge=1, le=16)
    stack_bytes: int = Field(ge=65536)
    init_fuel: int = Field(ge=1)
    fuel_base: int = Field(ge=0)
    fuel_per_bar: int = Field(ge=1)
    deadline_ms: int = Field(ge=1)
    deadline_us_per_bar: int = Field(ge=0)
    max_batch_bars: int = Field(ge=1)
    log_max_bytes: int = Field(ge=0)
    log_max_lines_per_call: int = Field(ge=0)


class SandboxConfig(Section):
    cache_dir: str
    epoch_tick_ms: float = Field(gt=0, le=100)
    validation_bars: int = Field(ge=100, le=100_000)
    tiers: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], SandboxTierLimits]


class AlertsConfig(Section):
    reload_interval_ms: int = Field(ge=50, le=60_000)
    fetch_batch: int = Field(ge=1, le=10_000)


class WebhooksConfig(Section):
    timeout_s: float = Field(gt=0, le=60)
    max_response_bytes: int = Field(ge=0, le=1_048_576)
    retry_schedule_s: list[float] = Field(min_length=0, max_length=50)
    retry_jitter: float = Field(ge=0, le=1)
    disable_after_failures: int = Field(ge=1)
    allowed_private_networks: list[str]
    signature_tolerance_s: int = Field(ge=1)
    secret_overlap_s: int = Field(ge=0)


class PushConfig(Section):
    send_queue_size: int = Field(ge=1, le=100_000)
    heartbeat_s: float = Field(gt=0, le=300)
    max_frame_bytes: int = Field(ge=64, le=1_048_576)
    max_subscriptions: int = Field(ge=1, le=10_000)
    auth_timeout_s: float = Field(gt=0, le=60)


class MarketplaceConfig(Section):
    max_upload_bytes: int = Field(ge=1024)
    backtest_symbol: str
    backtest_bars: int = Field(ge=100, le=100_000)
    backtest_seed: int
    backtest_start_ms: int = Field(ge=0)
    reference_tenant_slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    reference_exchange: str
    reference_symbol: str
    reference_interval: str
    reference_currency: str
    reference_cash: float = Field(gt=0)


class BillingConfig(Section):
    enabled: bool
    secret_key: str
    webhook_secret: str
    api_base: str = Field(pattern=r"^https?://")
    webhook_tolerance_s: int = Field(ge=1)
    grace_period_days: float = Field(ge=0)
    currency: str = Field(pattern=r"^[a-z]{3}$")
    success_url: str
    cancel_url: str
    portal_return_url: str
    connect_return_url: str
    connect_refresh_url: str
    prices: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], str]
    platform_fee_percent: float = Field(ge=0, le=100)


class Config(Section):
    mode: Literal["development", "production"]
    debug: bool
    secret_key: str = Field(min_length=1)
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    time_zone: str
    http: HttpConfig
    database: DatabaseConfig
    redis: RedisConfig
    nats: NatsConfig
    celery: CeleryConfig
    logging: LoggingConfig
    health: HealthConfig
    marketdata: MarketDataConfig
    trading: TradingConfig
    exchanges: dict[Annotated[str, Field(pattern=r"^[a-z]+$")], ExchangeConfig]
    email: EmailConfig
    auth: AuthConfig
    tiers: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], TierLimits]
    default_tier: str
    workers: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], WorkerConfig]
    local_stack: LocalStackConfig
    sandbox: SandboxConfig
    alerts: AlertsConfig
    webhooks: WebhooksConfig
    push: PushConfig
    marketplace: MarketplaceConfig
    billing: BillingConfig

    @model_validator(mode="after")
    def _sandbox_covers_every_tier(self) -> Config:
        missing = sorted(set(self.tiers) - set(self.sandbox.tiers))
        if missing:
            raise ValueError(f"sandbox.tiers: missing limits for tier {', '.join(missing)}")
        return self
