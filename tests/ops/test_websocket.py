from __future__ import annotations

from channels.testing import WebsocketCommunicator

from backend.asgi import application


async def test_websocket_ping_round_trips_through_the_redis_channel_layer() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/v1/ping", headers=[(b"host", b"localhost"), (b"origin", b"http://localhost:8000")]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"hello": 1})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong", "echo": {"hello": 1}}
    await communicator.disconnect()


async def test_websocket_from_a_foreign_origin_is_refused() -> None:
    communicator = WebsocketCommunicator(
        application, "/ws/v1/ping", headers=[(b"host", b"localhost"), (b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
