"""Wire format of trade batches on the bus: a JSON array of array-encoded trades."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from backend.engine.market.trade import Trade

_encoder = msgspec.json.Encoder(decimal_format="string")
_decoder = msgspec.json.Decoder(list[Trade])


def encode_trades(trades: Sequence[Trade]) -> bytes:
    return _encoder.encode(trades)


def decode_trades(payload: bytes) -> list[Trade]:
    """Raises msgspec.ValidationError / DecodeError on malformed input."""
    return _decoder.decode(payload)
