"""Polymorphic JSON and MessagePack codecs for every message of the model.

Every message, event, command, report, data type and instrument is a tagged
`msgspec.Struct`: its encoded form carries ``"type": "<ClassName>"`` and decoding
without naming a type picks the class from that tag. Identifiers travel as strings and
are re-validated on decode (see `argonaut.model.codec`). The wire schema is described
in ``docs/wire-format.md``.

Decoding errors become `SerializationError`, whose message names the record's type tag
when it can be read, so a corrupt or unknown record is reported, never crashed on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Union

import msgspec

from argonaut.model.book_data import BookOrder, OrderBookDelta, OrderBookDeltas, OrderBookDepth10
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.commands import (
    DATA_COMMAND_TYPES,
    DATA_RESPONSE_TYPES,
    REPORT_COMMAND_TYPES,
    SYSTEM_COMMAND_TYPES,
    TRADING_COMMAND_TYPES,
)
from argonaut.model.data import DATA_TYPES, BarSpecification, BarType
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import BATCH_EVENT_TYPES, ORDER_EVENT_TYPES
from argonaut.model.events.position import POSITION_EVENT_TYPES
from argonaut.model.events.risk import TradingStateChanged
from argonaut.model.instruments import INSTRUMENT_TYPES
from argonaut.model.order_list import OrderList
from argonaut.model.reports import REPORT_TYPES


class SerializationError(ValueError):
    """A record could not be encoded or decoded; the message names the record."""


BOOK_DATA_TYPES: tuple[type[msgspec.Struct], ...] = (
    BookOrder,
    OrderBookDelta,
    OrderBookDeltas,
    OrderBookDepth10,
)

# Every type a serializer decodes by tag. Order matters only for documentation.
MESSAGE_TYPES: tuple[type[msgspec.Struct], ...] = (
    *DATA_TYPES,
    BarSpecification,
    BarType,
    *BOOK_DATA_TYPES,
    *INSTRUMENT_TYPES,
    *ORDER_EVENT_TYPES,
    *BATCH_EVENT_TYPES,
    *POSITION_EVENT_TYPES,
    AccountState,
    TradingStateChanged,
    *REPORT_TYPES,
    OrderList,
    *TRADING_COMMAND_TYPES,
    *DATA_COMMAND_TYPES,
    *DATA_RESPONSE_TYPES,
    *REPORT_COMMAND_TYPES,
    *SYSTEM_COMMAND_TYPES,
)


def _tag_of(cls: type[msgspec.Struct]) -> str:
    tag = msgspec.inspect.type_info(cls).tag  # type: ignore[attr-defined]
    return str(tag)


class _Codec:
    """Shared encoder/decoder plumbing for one wire format."""

    __slots__ = ("_decoder", "_encoder", "_module", "_typed", "_types")

    def __init__(self, module: Any, extra_types: Iterable[type[msgspec.Struct]] = ()) -> None:
        types = tuple(dict.fromkeys((*MESSAGE_TYPES, *extra_types)))
        tags = [_tag_of(t) for t in types]
        duplicates = {t for t in tags if tags.count(t) > 1}
        if duplicates:
            raise ValueError(f"message types share the type tags {sorted(duplicates)}")
        self._module = module
        self._types = types
        self._encoder = module.Encoder(enc_hook=enc_hook)
        union = Union[types]  # type: ignore[valid-type]  # noqa: UP007
        self._decoder = module.Decoder(union, dec_hook=dec_hook)
        self._typed: dict[type[Any], Any] = {}

    @property
    def types(self) -> tuple[type[msgspec.Struct], ...]:
        """The message types this codec decodes by tag."""
        return self._types

    def encode(self, obj: msgspec.Struct) -> bytes:
        """Encode one message."""
        try:
            return self._encoder.encode(obj)  # type: ignore[no-any-return]
        except (TypeError, ValueError) as e:
            raise SerializationError(f"cannot encode {type(obj).__name__}: {e}") from e

    def decode(self, data: bytes) -> Any:
        """Decode one message, choosing its class by the type tag it carries."""
        try:
            return self._decoder.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError) as e:
            raise SerializationError(f"cannot decode {self._describe(data)}: {e}") from e

    def decode_as(self, data: bytes, cls: type[Any]) -> Any:
        """Decode one message that must be of type `cls` (or a list of them, etc.)."""
        decoder = self._typed.get(cls)
        if decoder is None:
            decoder = self._typed[cls] = self._module.Decoder(cls, dec_hook=dec_hook)
        try:
            return decoder.decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError) as e:
            raise SerializationError(f"cannot decode {self._describe(data)}: {e}") from e

    def _describe(self, data: bytes) -> str:
        """Name a record by its type tag when it can be read at all."""
        try:
            raw = self._module.decode(data)
        except (msgspec.DecodeError, ValueError):
            return f"record of {len(data)} bytes (not valid {self.format_name})"
        if isinstance(raw, dict) and "type" in raw:
            return f"record of type {raw['type']!r}"
        return f"record {str(raw)[:80]!r} (no type tag)"

    @property
    def format_name(self) -> str:
        """The wire format's name."""
        return "JSON" if self._module is msgspec.json else "MessagePack"


class JsonSerializer(_Codec):
    """JSON codec: human-readable, for configs, logs, debugging and the SQL stores."""

    __slots__ = ()

    def __init__(self, extra_types: Iterable[type[msgspec.Struct]] = ()) -> None:
        super().__init__(msgspec.json, extra_types)


class MsgPackSerializer(_Codec):
    """MessagePack codec: compact and fast, for persistence and streaming."""

    __slots__ = ()

    def __init__(self, extra_types: Iterable[type[msgspec.Struct]] = ()) -> None:
        super().__init__(msgspec.msgpack, extra_types)
