"""Record encoding shared by every backend, and rebuilding objects from their histories.

Backends store opaque MessagePack blobs and hand back a `RawState` of (key, blob)
rows; `decode_state` turns it into a `LoadedState`. Anything that cannot be decoded or
does not fit (a truncated blob, an unknown type tag, an order list that does not open
with `OrderInitialized`, an event filed under another order) raises `CorruptRecord`
naming the record key (``orders:O-1``, ``accounts:SIM-001`` ...) and the reason, or is
skipped and listed under a lenient load. `rebuild_order`, `rebuild_account` and
`rebuild_position` replay histories into model objects with the same guarantee.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial
from typing import TypeVar

import msgspec

from argonaut.cache.db.errors import CorruptRecord
from argonaut.cache.db.protocol import LoadedState, PositionRecord
from argonaut.model.accounts import Account
from argonaut.model.enums import OmsType
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import OrderEvent, OrderFilled, OrderInitialized
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    VenueOrderId,
)
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.position import InstrumentLike, Position, PositionSnapshot
from argonaut.model.serialization import MsgPackSerializer, SerializationError
from argonaut.model.values import Currency

T = TypeVar("T")

Row = tuple[str, bytes]
OrderIndexRow = tuple[str, str | None, str | None, str | None, str | None]
"""(client_order_id, strategy_id, venue_order_id, position_id, client_id)."""


class RawState(msgspec.Struct, kw_only=True):
    """What a backend read, undecoded: (key, blob) rows in write order."""

    currencies: list[Row] = msgspec.field(default_factory=list)
    instruments: list[Row] = msgspec.field(default_factory=list)
    account_events: list[Row] = msgspec.field(default_factory=list)
    order_events: list[Row] = msgspec.field(default_factory=list)
    order_index: list[OrderIndexRow] = msgspec.field(default_factory=list)
    positions: list[tuple[str, str]] = msgspec.field(default_factory=list)  # (id, oms)
    position_fills: list[Row] = msgspec.field(default_factory=list)
    position_snapshots: list[Row] = msgspec.field(default_factory=list)
    actor_states: list[Row] = msgspec.field(default_factory=list)
    general: list[Row] = msgspec.field(default_factory=list)


class RecordCodec:
    """Encode and decode stored records (MessagePack, type-tagged messages)."""

    __slots__ = ("_currency_dec", "_messages", "_plain", "_state_dec")

    def __init__(self) -> None:
        self._messages = MsgPackSerializer(extra_types=(PositionSnapshot,))
        self._plain = msgspec.msgpack.Encoder()
        self._currency_dec = msgspec.msgpack.Decoder(Currency)
        self._state_dec = msgspec.msgpack.Decoder(dict[str, bytes])

    def encode(self, message: msgspec.Struct) -> bytes:
        """Encode one tagged message (event, instrument, snapshot)."""
        return self._messages.encode(message)

    def encode_currency(self, currency: Currency) -> bytes:
        """Encode a currency."""
        return self._plain.encode(currency)

    def encode_state(self, state: dict[str, bytes]) -> bytes:
        """Encode an actor's saved state."""
        return self._plain.encode(state)

    def decode(self, key: str, blob: bytes, expected: type[T]) -> T:
        """Decode one tagged message that must be an `expected`, or raise CorruptRecord."""
        try:
            message = self._messages.decode(blob)
        except SerializationError as e:
            raise CorruptRecord(key, str(e)) from e
        if not isinstance(message, expected):
            raise CorruptRecord(
                key, f"holds a {type(message).__name__}, expected a {expected.__name__}"
            )
        return message

    def decode_currency(self, key: str, blob: bytes) -> Currency:
        """Decode a currency, or raise CorruptRecord."""
        try:
            return self._currency_dec.decode(blob)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as e:
            raise CorruptRecord(key, f"cannot decode the currency: {e}") from e

    def decode_state(self, key: str, blob: bytes) -> dict[str, bytes]:
        """Decode an actor's saved state, or raise CorruptRecord."""
        try:
            return self._state_dec.decode(blob)
        except (msgspec.DecodeError, msgspec.ValidationError) as e:
            raise CorruptRecord(key, f"cannot decode the saved state: {e}") from e


def _ident(key: str, cls: Callable[[str], T], value: str) -> T:
    try:
        return cls(value)
    except (TypeError, ValueError) as e:
        raise CorruptRecord(key, f"invalid identifier {value!r}: {e}") from e


def _group(rows: Iterable[Row]) -> dict[str, list[bytes]]:
    groups: dict[str, list[bytes]] = {}
    for key, blob in rows:
        blobs = groups.get(key)
        if blobs is None:
            groups[key] = [blob]
        else:
            blobs.append(blob)
    return groups


class _Decoder:
    """One `decode_state` run: strict raises, lenient skips and lists the record."""

    def __init__(self, codec: RecordCodec, strict: bool) -> None:
        self.codec = codec
        self.strict = strict
        self.state = LoadedState()

    def guard(self, key: str, build: Callable[[], None]) -> None:
        try:
            build()
        except CorruptRecord as e:
            if self.strict:
                raise
            self.state.corrupt.append(str(e))

    def order(self, coid: str, blobs: list[bytes]) -> None:
        key = f"orders:{coid}"
        oid = _ident(key, ClientOrderId, coid)
        events: list[OrderEvent] = []
        for i, blob in enumerate(blobs):
            event = self.codec.decode(f"{key} (event {i})", blob, OrderEvent)
            if event.client_order_id != oid:
                raise CorruptRecord(
                    key, f"event {i} ({type(event).__name__}) is for order {event.client_order_id}"
                )
            events.append(event)
        if not isinstance(events[0], OrderInitialized):
            raise CorruptRecord(
                key,
                f"the list opens with {type(events[0]).__name__}, expected OrderInitialized "
                "(the list is truncated)",
            )
        self.state.orders[oid] = events

    def account(self, account_id: str, blobs: list[bytes]) -> None:
        key = f"accounts:{account_id}"
        aid = _ident(key, AccountId, account_id)
        states = [
            self.codec.decode(f"{key} (state {i})", b, AccountState) for i, b in enumerate(blobs)
        ]
        for i, state in enumerate(states):
            if state.account_id != aid:
                raise CorruptRecord(key, f"state {i} is for account {state.account_id}")
        self.state.accounts[aid] = states

    def position(self, pid: str, oms: str, fills: list[bytes], snapshots: list[bytes]) -> None:
        key = f"positions:{pid}"
        position_id = _ident(key, PositionId, pid)
        try:
            oms_type = OmsType(oms)
        except ValueError as e:
            raise CorruptRecord(key, f"unknown OMS type {oms!r}") from e
        if not fills:
            raise CorruptRecord(key, "the position has no fills (its fill list is truncated)")
        self.state.positions[position_id] = PositionRecord(
            position_id=position_id,
            oms_type=oms_type,
            fills=tuple(
                self.codec.decode(f"{key} (fill {i})", b, OrderFilled) for i, b in enumerate(fills)
            ),
            snapshots=tuple(
                self.codec.decode(f"{key} (snapshot {i})", b, PositionSnapshot)
                for i, b in enumerate(snapshots)
            ),
        )

    def order_index(self, row: OrderIndexRow) -> None:
        coid, strategy, venue_order_id, position, client = row
        key = f"index:orders:{coid}"
        oid = _ident(key, ClientOrderId, coid)
        s = self.state
        if strategy is not None:
            s.index_order_strategy[oid] = _ident(key, StrategyId, strategy)
        if venue_order_id is not None:
            s.index_venue_order_ids[oid] = _ident(key, VenueOrderId, venue_order_id)
        if position is not None:
            s.index_order_position[oid] = _ident(key, PositionId, position)
        if client is not None:
            s.index_order_client[oid] = _ident(key, ClientId, client)


def decode_state(raw: RawState, codec: RecordCodec, *, strict: bool = True) -> LoadedState:
    """Decode what a backend read; raise `CorruptRecord` naming the first bad record.

    With ``strict=False`` bad records are skipped and listed in `LoadedState.corrupt`.
    """
    d = _Decoder(codec, strict)
    s = d.state
    for code, blob in raw.currencies:

        def currency(code: str = code, blob: bytes = blob) -> None:
            s.currencies[code] = codec.decode_currency(f"currencies:{code}", blob)

        d.guard(f"currencies:{code}", currency)
    for iid, blob in raw.instruments:

        def instrument(iid: str = iid, blob: bytes = blob) -> None:
            key = f"instruments:{iid}"
            s.instruments[_ident(key, InstrumentId, iid)] = codec.decode(key, blob, Instrument)

        d.guard(f"instruments:{iid}", instrument)
    for aid, blobs in _group(raw.account_events).items():
        d.guard(f"accounts:{aid}", partial(d.account, aid, blobs))
    for coid, blobs in _group(raw.order_events).items():
        d.guard(f"orders:{coid}", partial(d.order, coid, blobs))
    fills = _group(raw.position_fills)
    snapshots = _group(raw.position_snapshots)
    for pid, oms in raw.positions:
        record = partial(d.position, pid, oms, fills.pop(pid, []), snapshots.pop(pid, []))
        d.guard(f"positions:{pid}", record)
    for pid in (*fills, *snapshots):
        key = f"positions:{pid}"
        d.guard(key, partial(_raise, key, "fills or snapshots without a position"))
    for row in raw.order_index:
        d.guard(f"index:orders:{row[0]}", partial(d.order_index, row))
    for cid, blob in raw.actor_states:

        def actor(cid: str = cid, blob: bytes = blob) -> None:
            s.actor_states[cid] = codec.decode_state(f"actors:{cid}", blob)

        d.guard(f"actors:{cid}", actor)
    s.general.update(raw.general)
    return s


def _raise(key: str, reason: str) -> None:
    raise CorruptRecord(key, reason)


def rebuild_order(client_order_id: ClientOrderId, events: list[OrderEvent]) -> Order:
    """Replay an order's events into an `Order`; raise CorruptRecord if they do not fit."""
    key = f"orders:{client_order_id}"
    if not events or not isinstance(events[0], OrderInitialized):
        found = type(events[0]).__name__ if events else "nothing"
        raise CorruptRecord(key, f"the list opens with {found}, expected OrderInitialized")
    try:
        order = Order.from_init(events[0])
    except (TypeError, ValueError) as e:
        raise CorruptRecord(key, f"cannot build the order from its OrderInitialized: {e}") from e
    for i, event in enumerate(events[1:], start=1):
        try:
            order.apply(event)
        except (TypeError, ValueError) as e:
            raise CorruptRecord(
                key, f"event {i} ({type(event).__name__}) does not apply: {e}"
            ) from e
    return order


def rebuild_account(
    account_id: AccountId,
    states: list[AccountState],
    *,
    allow_borrowing: bool = False,
    default_leverage: Decimal | None = None,
) -> Account:
    """Replay an account's states into an `Account` (options as for `Account.from_state`)."""
    key = f"accounts:{account_id}"
    if not states:
        raise CorruptRecord(key, "the account has no states")
    try:
        account = Account.from_state(
            states[0], allow_borrowing=allow_borrowing, default_leverage=default_leverage
        )
        for state in states[1:]:
            account.apply(state)
    except (TypeError, ValueError) as e:
        raise CorruptRecord(key, f"the states do not replay: {e}") from e
    return account


def rebuild_position(record: PositionRecord, instrument: InstrumentLike) -> Position:
    """Replay a position's fills into a `Position` for `instrument`."""
    key = f"positions:{record.position_id}"
    if not record.fills:
        raise CorruptRecord(key, "the position has no fills")
    try:
        position = Position(instrument, record.fills[0])
        for fill in record.fills[1:]:
            position.apply(fill)
    except (TypeError, ValueError) as e:
        raise CorruptRecord(key, f"the fills do not replay: {e}") from e
    return position


__all__ = [
    "OrderIndexRow",
    "RawState",
    "RecordCodec",
    "Row",
    "decode_state",
    "rebuild_account",
    "rebuild_order",
    "rebuild_position",
]
