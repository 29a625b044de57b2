"""The `CacheDatabase` protocol: batched write operations in, the whole state out.

Every state change is a small frozen *op*; a backend applies a batch of ops with one
`write` call, in order, atomically where the store allows it (one transaction for the
SQL backends, one MULTI/EXEC pipeline segment for Redis). Concurrent `write` calls are
applied in the order they were made, so a background writer can batch the cache's
changes and hand them over without waiting for each batch.

Orders and accounts are stored as their append-only event histories (replaying them
rebuilds the object, see `argonaut.cache.db.records`); positions as their fills (and
snapshots of closed cycles). `load` returns everything as a `LoadedState`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, Union

import msgspec

from argonaut.model.enums import OmsType
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import OrderEvent, OrderFilled
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
from argonaut.model.position import PositionSnapshot
from argonaut.model.values import Currency

# -- ops: reference data ---------------------------------------------------------------


class PutCurrency(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Store (or replace) a currency, keyed by its code."""

    currency: Currency


class PutInstrument(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Store (or replace) an instrument definition, keyed by its id."""

    instrument: Instrument


class DeleteInstrument(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete an instrument definition."""

    instrument_id: InstrumentId


# -- ops: accounts ---------------------------------------------------------------------


class PutAccountState(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Append a state to its account's history (the first one builds the account)."""

    state: AccountState


class DeleteAccount(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete an account with its whole state history."""

    account_id: AccountId


class PurgeAccountEvents(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete account states with ``ts_event <= cutoff_ns``, keeping each latest one."""

    cutoff_ns: int


# -- ops: orders -----------------------------------------------------------------------


class AddOrderEvent(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Append an event to its order's list; the first must be `OrderInitialized`.

    Also records the order-to-strategy index.
    """

    client_order_id: ClientOrderId
    strategy_id: StrategyId
    event: OrderEvent


class IndexVenueOrderId(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Map an order to its (current) venue order id."""

    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId


class IndexOrderPosition(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Link an order to the position it fills."""

    client_order_id: ClientOrderId
    position_id: PositionId


class IndexOrderClient(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Link an order to the execution client that routes it."""

    client_order_id: ClientOrderId
    client_id: ClientId


class MarkOrderClosed(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Note that an order reached a closed status (a backend may expire it later)."""

    client_order_id: ClientOrderId


class DeleteOrder(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete an order's events and every index entry of it."""

    client_order_id: ClientOrderId


# -- ops: positions --------------------------------------------------------------------


class PutPosition(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Store (or replace) a position: its OMS type and every fill of its current cycle."""

    position_id: PositionId
    oms_type: OmsType
    fills: tuple[OrderFilled, ...]


class AddPositionFill(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Append a fill to a stored position."""

    position_id: PositionId
    fill: OrderFilled


class AddPositionSnapshot(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Append a snapshot of a closed cycle (before a NETTING position reopens)."""

    position_id: PositionId
    snapshot: PositionSnapshot


class MarkPositionClosed(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Note that a position closed (a backend may expire it later)."""

    position_id: PositionId


class DeletePosition(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete a position, its snapshots and the order links pointing to it."""

    position_id: PositionId


# -- ops: component state and general key/values ---------------------------------------


class PutActorState(msgspec.Struct, frozen=True, kw_only=True):
    """Store (or replace) an actor's or strategy's saved state (``on_save`` output)."""

    component_id: str
    state: dict[str, bytes]


class DeleteActorState(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete an actor's or strategy's saved state."""

    component_id: str


class PutKeyValue(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Store (or replace) a general key/value."""

    key: str
    value: bytes


class DeleteKeyValue(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Delete a general key/value."""

    key: str


DbOp = Union[  # noqa: UP007 - a runtime alias usable in isinstance-free match statements
    PutCurrency,
    PutInstrument,
    DeleteInstrument,
    PutAccountState,
    DeleteAccount,
    PurgeAccountEvents,
    AddOrderEvent,
    IndexVenueOrderId,
    IndexOrderPosition,
    IndexOrderClient,
    MarkOrderClosed,
    DeleteOrder,
    PutPosition,
    AddPositionFill,
    AddPositionSnapshot,
    MarkPositionClosed,
    DeletePosition,
    PutActorState,
    DeleteActorState,
    PutKeyValue,
    DeleteKeyValue,
]
"""Every write operation a `CacheDatabase` applies."""


# -- the loaded state ------------------------------------------------------------------


class PositionRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A stored position: OMS type, the fills of its current cycle, older cycles."""

    position_id: PositionId
    oms_type: OmsType
    fills: tuple[OrderFilled, ...]
    snapshots: tuple[PositionSnapshot, ...] = ()


class LoadedState(msgspec.Struct, kw_only=True):
    """Everything a `CacheDatabase` holds, decoded (what `load` returns).

    Order and account histories are in the order they were written. `corrupt` lists
    the records skipped by a lenient load (empty for a strict one).
    """

    currencies: dict[str, Currency] = msgspec.field(default_factory=dict)
    instruments: dict[InstrumentId, Instrument] = msgspec.field(default_factory=dict)
    accounts: dict[AccountId, list[AccountState]] = msgspec.field(default_factory=dict)
    orders: dict[ClientOrderId, list[OrderEvent]] = msgspec.field(default_factory=dict)
    positions: dict[PositionId, PositionRecord] = msgspec.field(default_factory=dict)
    actor_states: dict[str, dict[str, bytes]] = msgspec.field(default_factory=dict)
    general: dict[str, bytes] = msgspec.field(default_factory=dict)
    index_order_strategy: dict[ClientOrderId, StrategyId] = msgspec.field(default_factory=dict)
    index_venue_order_ids: dict[ClientOrderId, VenueOrderId] = msgspec.field(default_factory=dict)
    index_order_position: dict[ClientOrderId, PositionId] = msgspec.field(default_factory=dict)
    index_order_client: dict[ClientOrderId, ClientId] = msgspec.field(default_factory=dict)
    corrupt: list[str] = msgspec.field(default_factory=list)


# -- the protocol ----------------------------------------------------------------------


class CacheDatabase(Protocol):
    """A persistent store for the cache's state.

    `write` applies a batch of ops in order; concurrent calls are applied in call order.
    `load` returns the full state; with ``strict=True`` (the default) a corrupt record
    raises `CorruptRecord` naming it, otherwise it is skipped and listed in
    `LoadedState.corrupt`. `flush` makes every completed write durable. `close` is
    idempotent; a closed database refuses further calls with `CacheDatabaseError`.
    """

    @property
    def name(self) -> str:
        """The backend's name and location (never a password)."""
        ...

    async def migrate(self) -> None:
        """Create the schema or apply pending migrations (idempotent)."""
        ...

    async def write(self, ops: Sequence[DbOp]) -> None:
        """Apply `ops` in order."""
        ...

    async def load(self, *, strict: bool = True) -> LoadedState:
        """Load and decode everything stored."""
        ...

    async def clear(self) -> None:
        """Delete every record (the ``flush_on_start`` behaviour); keep the schema."""
        ...

    async def flush(self) -> None:
        """Make every completed write durable."""
        ...

    async def close(self) -> None:
        """Release the connection; calling it again does nothing."""
        ...


__all__ = [
    "AddOrderEvent",
    "AddPositionFill",
    "AddPositionSnapshot",
    "CacheDatabase",
    "DbOp",
    "DeleteAccount",
    "DeleteActorState",
    "DeleteInstrument",
    "DeleteKeyValue",
    "DeleteOrder",
    "DeletePosition",
    "IndexOrderClient",
    "IndexOrderPosition",
    "IndexVenueOrderId",
    "LoadedState",
    "MarkOrderClosed",
    "MarkPositionClosed",
    "PositionRecord",
    "PurgeAccountEvents",
    "PutAccountState",
    "PutActorState",
    "PutCurrency",
    "PutInstrument",
    "PutKeyValue",
]
