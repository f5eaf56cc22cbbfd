"""The one place that talks to NATS: connection, JetStream set-up, publish, consume."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import nats
import structlog
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from backend.bus.subjects import StreamSpec, Subjects

# How long a follow-up fetch waits: only for messages the server already holds.
_ALREADY_THERE_S = 0.002

log = structlog.get_logger(__name__)


class BusUnavailable(Exception):
    """NATS could not be reached or has no JetStream; the message says how to fix it."""


@dataclass(frozen=True)
class BusSettings:
    url: str
    namespace: str = ""
    connect_timeout_s: float = 2.0
    reconnect_wait_s: float = 1.0
    max_reconnect_attempts: int = -1

    @classmethod
    def from_config(cls, nats_config: Any) -> BusSettings:
        return cls(
            url=nats_config.url,
            namespace=nats_config.namespace,
            connect_timeout_s=nats_config.connect_timeout_s,
            reconnect_wait_s=nats_config.reconnect_wait_s,
            max_reconnect_attempts=nats_config.max_reconnect_attempts,
        )


def unavailable_message(url: str, reason: str) -> str:
    return (
        f"NATS at {url} is not reachable ({reason}). Start it with `make up`, or run "
        "`nats-server -js` yourself, or point QT_NATS__URL at a server with JetStream."
    )


class Bus:
    def __init__(self, nc: Client, settings: BusSettings) -> None:
        self.nc = nc
        self.js: JetStreamContext = nc.jetstream()
        self.settings = settings
        self.subjects = Subjects(settings.namespace)

    @classmethod
    async def connect(cls, settings: BusSettings, *, name: str, startup_timeout_s: float | None = None) -> Bus:
        """Connect, retrying within `startup_timeout_s`; afterwards reconnect per settings."""

        async def on_error(exc: Exception) -> None:
            log.warning("bus.error", error=str(exc) or type(exc).__name__, url=settings.url)

        async def on_disconnected() -> None:
            log.warning("bus.disconnected", url=settings.url)

        async def on_reconnected() -> None:
            log.info("bus.reconnected", url=settings.url)

        deadline = startup_timeout_s if startup_timeout_s is not None else settings.connect_timeout_s * 3
        try:
            nc = await asyncio.wait_for(
                nats.connect(
                    servers=[settings.url],
                    name=name,
                    connect_timeout=settings.connect_timeout_s,
                    reconnect_time_wait=settings.reconnect_wait_s,
                    max_reconnect_attempts=settings.max_reconnect_attempts,
                    error_cb=on_error,
                    disconnected_cb=on_disconnected,
                    reconnected_cb=on_reconnected,
                ),
                timeout=deadline,
            )
        except (TimeoutError, OSError, nats.errors.Error) as exc:
            raise BusUnavailable(unavailable_message(settings.url, str(exc) or type(exc).__name__)) from None
        bus = cls(nc, settings)
        try:
            await bus.js.account_info()
        except (TimeoutError, nats.errors.Error) as exc:
            await nc.close()
            raise BusUnavailable(
                f"NATS at {settings.url} answers but JetStream is not enabled ({exc}); start nats-server with -js"
            ) from None
        return bus

    async def ensure_streams(self, specs: Sequence[StreamSpec] | None = None) -> None:
        """Create the platform's streams, or bring existing ones to the declared config."""
        for spec in specs if specs is not None else self.subjects.streams():
            config = StreamConfig(
                name=spec.name,
                subjects=list(spec.subjects),
                storage=StorageType.FILE,
                max_age=spec.max_age_s,
                max_bytes=spec.max_bytes,
                duplicate_window=spec.duplicate_window_s,
                discard=DiscardPolicy.OLD,
            )
            try:
                await self.js.stream_info(spec.name)
            except NotFoundError:
                await self.js.add_stream(config)
                log.info("bus.stream_created", stream=spec.name, subjects=list(spec.subjects))
            else:
                await self.js.update_stream(config)

    async def publish(self, subject: str, payload: bytes, *, msg_id: str | None = None) -> int:
        """Publish to JetStream and wait for the ack; returns the stream sequence.

        `msg_id` makes a retried publish idempotent within the stream's duplicate window.
        """
        headers = {"Nats-Msg-Id": msg_id} if msg_id else None
        ack = await self.js.publish(subject, payload, headers=headers)
        return int(ack.seq)

    async def publish_core(self, subject: str, payload: bytes) -> None:
        """Fire-and-forget publish (no persistence), for ephemeral updates."""
        await self.nc.publish(subject, payload)

    async def subscribe_core(self, subject: str, handler: Callable[[Msg], Awaitable[None]]) -> Any:
        return await self.nc.subscribe(subject, cb=handler)

    async def pull_consumer(
        self,
        *,
        stream: str,
        durable: str,
        filter_subject: str,
        deliver_new_only: bool = False,
        start_seq: int | None = None,
    ) -> JetStreamContext.PullSubscription:
        """A durable pull consumer with explicit acks: a crashed worker resumes where it left.

        `start_seq` (a new consumer only) starts delivery at that stream sequence.
        """
        policy = DeliverPolicy.NEW if deliver_new_only else DeliverPolicy.ALL
        config = ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE if start_seq is not None else policy,
            opt_start_seq=start_seq,
            filter_subject=filter_subject,
            max_ack_pending=10_000,
            ack_wait=30,
        )
        return await self.js.pull_subscribe(filter_subject, durable=durable, stream=stream, config=config)

    @staticmethod
    async def fetch_available(
        sub: JetStreamContext.PullSubscription, batch: int, *, idle_timeout_s: float
    ) -> list[Msg]:
        """Up to `batch` messages, returning as soon as there are any.

        nats-py's fetch(batch) keeps a waiting pull open until the batch is full or the
        timeout passes, which adds the whole timeout to the latency of a quiet stream.
        Waiting for one message and then taking whatever else is already there does not.
        """
        try:
            first = await sub.fetch(1, timeout=idle_timeout_s)
        except (TimeoutError, nats.errors.TimeoutError):
            return []
        if batch <= 1:
            return first
        try:
            rest = await sub.fetch(batch - 1, timeout=_ALREADY_THERE_S)
        except (TimeoutError, nats.errors.TimeoutError):
            rest = []
        return first + rest

    async def trade_partitions(self, timeout_s: float = 1.0) -> int:
        """How many partitions the server's subject mapping splits trades into (1 = no mapping)."""
        probe = self.subjects.partitions_probe()
        sub = await self.nc.subscribe(f"{probe}.*", max_msgs=1)
        try:
            await self.nc.publish(probe, b"")
            reply = await sub.next_msg(timeout=timeout_s)
        except (TimeoutError, nats.errors.TimeoutError):
            return 1
        finally:
            with contextlib.suppress(nats.errors.Error):
                await sub.unsubscribe()
        return int(reply.subject.rsplit(".", 1)[1])

    async def flush(self, timeout_s: float = 1.0) -> None:
        await self.nc.flush(timeout=timeout_s)

    async def close(self) -> None:
        """Flush what was published, then close. (Not drain(): with a pull subscription
        open it waits out nats-py's 30 s drain timeout.)"""
        if self.nc.is_closed:
            return
        with contextlib.suppress(TimeoutError, nats.errors.Error):
            await self.nc.flush(timeout=2)
        await self.nc.close()
