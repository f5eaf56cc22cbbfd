from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """A WebSocket round trip through the Channels layer, for clients' connectivity checks."""

    async def connect(self) -> None:
        self.group = f"ping.{self.channel_name.replace('!', '_')}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Echo through the layer (Redis), not directly, so the check covers the layer.
        await self.channel_layer.group_send(self.group, {"type": "pong", "echo": content})

    async def pong(self, event: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({"type": "pong", "echo": event["echo"]}))
