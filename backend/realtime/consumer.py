"""/ws/v1: the push gateway's WebSocket endpoint (docs/websocket.md).

Authenticated by the session cookie (?tenant=<id|slug> when the user has several) or an
API key (?api_key=... or a first {"type":"auth","api_key":...} message). Each
connection has a bounded send queue drained by its own task: a client that reads too
slowly fills it and is closed with 4008, so it never holds up the bridge or other
clients. Connections per tenant are limited by tier (a Redis sorted set of live
connections, each refreshed by its heartbeat, so a crashed process's slots expire).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

import redis.asyncio as aioredis
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from backend.bus.subjects import Subjects
from backend.realtime import auth
from backend.realtime.channels_map import BadChannel, Channel, resolve
from backend.realtime.hub import hub

CLOSE_SLOW = 4008
CLOSE_AUTH = 4001
CLOSE_LIMIT = 4029
CLOSE_TOO_BIG = 1009
_redis: dict[int, aioredis.Redis] = {}


def _redis_client() -> aioredis.Redis:
    loop_id = id(asyncio.get_running_loop())
    if loop_id not in _redis:
        _redis[loop_id] = aioredis.Redis.from_url(settings.CONFIG.redis.url)
    return _redis[loop_id]


def _slots_key(tenant_id: int) -> str:
    return f"qt:ws:conns:{tenant_id}"


class PushConsumer(AsyncWebsocketConsumer):
    # No Channels layer per connection: messages come from the in-process NATS hub.
    channel_layer_alias = "__none__"

    async def connect(self) -> None:
        cfg = settings.CONFIG.push
        self.conn_id = uuid.uuid4().hex
        self.tenant_id: int | None = None
        self.channels: dict[str, Channel] = {}
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=cfg.send_queue_size)
        self.closing = False
        self.subjects = Subjects(settings.QT_NATS.namespace)
        await self.accept()
        self.sender = asyncio.create_task(self._send_loop())
        self.beats = asyncio.create_task(self._heartbeat_loop())
        query = parse_qs(self.scope.get("query_string", b"").decode())
        principal = await database_sync_to_async(auth.from_scope)(
            self.scope.get("user"), query.get("api_key", [None])[0], query.get("tenant", [None])[0]
        )
        if isinstance(principal, auth.AuthFailure):
            await self._fail_auth(principal)
            return
        if principal is not None:
            await self._authenticated(principal)
        else:
            self.auth_timer = asyncio.get_running_loop().call_later(cfg.auth_timeout_s, self._auth_timeout)

    def _auth_timeout(self) -> None:
        if self.tenant_id is None and not self.closing:
            self.offer(json.dumps({"type": "error", "code": "auth_timeout", "message": "authenticate first"}))
            self.closer = asyncio.ensure_future(self._close(CLOSE_AUTH))

    async def _fail_auth(self, failure: auth.AuthFailure) -> None:
        await self.send(text_data=json.dumps({"type": "error", "code": failure.code, "message": failure.message}))
        await self._close(CLOSE_AUTH)

    async def _authenticated(self, principal: auth.WsPrincipal) -> None:
        limit = principal.connection_limit
        redis = _redis_client()
        key, now = _slots_key(principal.tenant_id), time.time()
        ttl = settings.CONFIG.push.heartbeat_s * 3
        pipe = redis.pipeline()
        pipe.zremrangebyscore(key, "-inf", now)
        pipe.zcard(key)
        _, used = await pipe.execute()
        if used >= limit:
            await self.send(
                text_data=json.dumps(
                    {"type": "error", "code": "connection_limit", "message": f"your tier allows {limit} connections"}
                )
            )
            await self._close(CLOSE_LIMIT)
            return
        await redis.zadd(key, {self.conn_id: now + ttl})
        await redis.expire(key, int(ttl) + 1)
        self.tenant_id = principal.tenant_id
        self.offer(json.dumps({"type": "welcome", "tenant": principal.tenant_id, "connection": self.conn_id}))

    async def disconnect(self, code: int) -> None:
        self.closing = True
        for task in (getattr(self, "sender", None), getattr(self, "beats", None)):
            if task is not None:
                task.cancel()
        h = hub()
        for channel in self.channels.values():
            for subject in channel.subjects:
                await h.remove(subject, channel.key, self)
        self.channels.clear()
        if self.tenant_id is not None:
            await _redis_client().zrem(_slots_key(self.tenant_id), self.conn_id)

    # --- outgoing ---------------------------------------------------------------------------

    def offer(self, frame: str) -> None:
        """Called by the hub for every message; never blocks."""
        if self.closing:
            return
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            # The sender is stuck in send(): the server's transport is over its high-water mark
            # because the client does not read. Stop it (nothing more is written) and close.
            self.closing = True
            sender = getattr(self, "sender", None)
            if sender is not None:
                sender.cancel()
            self.closer = asyncio.ensure_future(self._close(CLOSE_SLOW))

    async def _send_loop(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            await self.send(text_data=frame)

    async def _heartbeat_loop(self) -> None:
        interval = settings.CONFIG.push.heartbeat_s
        # A random phase per connection: connections opened together (a deploy, a reconnect
        # storm, a bench) would otherwise beat together, a burst of frames and Redis writes
        # that stalls fan-out on this process every interval.
        await asyncio.sleep(random.uniform(0, interval))  # noqa: S311 (a phase, not a secret)
        while True:
            self.offer(json.dumps({"type": "heartbeat", "ts": int(time.time() * 1000)}))
            if self.tenant_id is not None:
                await _redis_client().zadd(_slots_key(self.tenant_id), {self.conn_id: time.time() + interval * 3})
            await asyncio.sleep(interval)

    async def _close(self, code: int) -> None:
        self.closing = True
        await self.close(code=code)

    def _error(self, code: str, message: str) -> None:
        self.offer(json.dumps({"type": "error", "code": code, "message": message}))

    # --- incoming ---------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        raw = text_data if text_data is not None else (bytes_data or b"").decode(errors="replace")
        if len(raw) > settings.CONFIG.push.max_frame_bytes:
            await self._close(CLOSE_TOO_BIG)
            return
        try:
            msg = json.loads(raw)
        except ValueError:
            self._error("malformed_message", "messages are JSON objects with a type")
            return
        if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
            self._error("malformed_message", "messages are JSON objects with a type")
            return
        kind = msg["type"]
        if kind == "ping":
            self.offer(json.dumps({"type": "pong", "id": msg.get("id")}))
        elif kind == "auth":
            await self._auth_message(msg)
        elif kind == "subscribe":
            await self._subscribe(msg)
        elif kind == "unsubscribe":
            await self._unsubscribe(msg)
        else:
            self._error("unknown_type", "type must be auth, subscribe, unsubscribe or ping")

    async def _auth_message(self, msg: dict[str, Any]) -> None:
        if self.tenant_id is not None:
            self._error("already_authenticated", "this connection is authenticated")
            return
        key = msg.get("api_key")
        if not isinstance(key, str):
            self._error("malformed_message", "auth needs api_key")
            return
        principal = await database_sync_to_async(auth.from_scope)(None, key, None)
        if principal is None or isinstance(principal, auth.AuthFailure):
            await self._fail_auth(principal or auth.AuthFailure("api_key_invalid", "The API key is not valid."))
            return
        timer = getattr(self, "auth_timer", None)
        if timer is not None:
            timer.cancel()
        await self._authenticated(principal)

    async def _subscribe(self, msg: dict[str, Any]) -> None:
        try:
            channel = resolve(msg, self.subjects, self.tenant_id)
        except BadChannel as exc:
            self._error(exc.code, str(exc))
            return
        if channel.key in self.channels:
            self.offer(json.dumps({"type": "subscribed", "channel": channel.key}))
            return
        if len(self.channels) >= settings.CONFIG.push.max_subscriptions:
            self._error("too_many_subscriptions", "unsubscribe from something first")
            return
        if channel.market is not None and not await database_sync_to_async(auth.known_market)(*channel.market[:2]):
            self._error("unknown_symbol", f"unknown symbol {channel.market[1]} on {channel.market[0]}")
            return
        self.channels[channel.key] = channel
        self.offer(json.dumps({"type": "subscribed", "channel": channel.key}))
        if channel.market is not None:
            snapshot = await database_sync_to_async(auth.last_kline)(*channel.market)
            if snapshot is not None:
                self.offer(json.dumps({"type": "snapshot", "channel": channel.key, "data": snapshot}))
        for subject in channel.subjects:
            await hub().add(subject, channel.key, self)
        if channel.key == "positions" and self.tenant_id is not None:
            # After joining the hub: the engine publishes after its commit, so a delta queued
            # before this snapshot is already in it, and any later one follows it.
            rows = await database_sync_to_async(auth.positions_snapshot)(self.tenant_id)
            self.offer(json.dumps({"type": "snapshot", "channel": channel.key, "data": rows}))

    async def _unsubscribe(self, msg: dict[str, Any]) -> None:
        try:
            channel = resolve(msg, self.subjects, self.tenant_id)
        except BadChannel as exc:
            self._error(exc.code, str(exc))
            return
        if self.channels.pop(channel.key, None) is not None:
            for subject in channel.subjects:
                await hub().remove(subject, channel.key, self)
        self.offer(json.dumps({"type": "unsubscribed", "channel": channel.key}))
