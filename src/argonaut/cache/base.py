"""The cache's state (every store and index) and the ordered-set query helper.

Each concern of the `Cache` is a mixin over `CacheBase` (market data, accounts, orders,
positions, maintenance); `CacheBase` declares every attribute once so the mixins share
one slot layout.

Indexes are *ordered sets*: ``dict[key, None]``, whose iteration order is insertion
order. Query results never depend on set iteration order: they come back in the order
the objects were first added to the cache (see `select_ids`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from argonaut.cache.config import CacheConfig
from argonaut.cache.db.protocol import (
    AddOrderEvent,
    AddPositionFill,
    DbOp,
    IndexOrderPosition,
    MarkOrderClosed,
    MarkPositionClosed,
    PutAccountState,
    PutPosition,
)
from argonaut.common.logging import Logger
from argonaut.model.accounts import Account
from argonaut.model.book import OrderBook, OwnOrderBook
from argonaut.model.data import (
    Bar,
    BarType,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentStatus,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import OmsType
from argonaut.model.events.order import OrderFilled
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    ExecAlgorithmId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
    VenueOrderId,
)
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.position import Position, PositionSnapshot
from argonaut.model.values import Currency

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

IdSet = dict[K, None]
"""An ordered set of ids (insertion order)."""


class RingBuffers(dict[K, deque[V]]):
    """Per-key ring buffers: ``buffers[key]`` creates a bounded deque on first use.

    Reads use ``.get(key)`` so a query never creates a buffer.
    """

    __slots__ = ("capacity",)

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def __missing__(self, key: K) -> deque[V]:
        buffer: deque[V] = deque(maxlen=self.capacity)
        self[key] = buffer
        return buffer

    def total(self) -> int:
        """Return the number of items held over every key."""
        return sum(len(b) for b in self.values())


def select_ids(
    base: Mapping[K, object],
    base_in_add_order: bool,
    filters: Sequence[Mapping[K, None]],
    seq: Mapping[K, int],
) -> list[K]:
    """Return the keys of `base` present in every filter, in add order (`seq`).

    The smallest of the sets drives the scan; the result is sorted by `seq` unless the
    driver is `base` already in add order (timsort makes an almost sorted list cheap).
    """
    driver: Mapping[K, object] = base
    ordered = base_in_add_order
    for f in filters:
        if len(f) < len(driver):
            driver = f
            ordered = False
    ids = list(driver)
    for other in sorted((m for m in (base, *filters) if m is not driver), key=len):
        ids = [k for k in ids if k in other]  # narrowest first: each pass shrinks `ids`
    if not ordered and len(ids) > 1:
        ids.sort(key=seq.__getitem__)
    return ids


def add_to(index: dict[K, IdSet[V]], key: K, member: V) -> None:
    """Add `member` to the ordered set of `key` in `index`."""
    members = index.get(key)
    if members is None:
        index[key] = {member: None}
    else:
        members[member] = None


def remove_from(index: dict[K, IdSet[V]], key: K, member: V) -> None:
    """Remove `member` from the set of `key`, dropping the set once empty."""
    members = index.get(key)
    if members is not None:
        members.pop(member, None)
        if not members:
            del index[key]


class CacheBase:
    """Every store and index of the cache (mixins add the behaviour)."""

    __slots__ = (
        "_accounts",
        "_actor_states",
        "_bars",
        "_config",
        "_currencies",
        "_db_account_counts",
        "_db_order_counts",
        "_db_position_fills",
        "_db_purge",
        "_db_sink",
        "_funding_rates",
        "_general",
        "_index_client_order_ids",
        "_index_exec_algorithm_orders",
        "_index_exec_spawn_orders",
        "_index_instrument_orders",
        "_index_instrument_positions",
        "_index_order_client",
        "_index_order_position",
        "_index_order_prior_positions",
        "_index_orders_closed",
        "_index_orders_emulated",
        "_index_orders_inflight",
        "_index_orders_open",
        "_index_position_orders",
        "_index_position_strategy",
        "_index_position_venue",
        "_index_positions_closed",
        "_index_positions_open",
        "_index_prices",
        "_index_strategy_orders",
        "_index_strategy_positions",
        "_index_venue_account",
        "_index_venue_order_ids",
        "_index_venue_orders",
        "_index_venue_positions",
        "_instrument_statuses",
        "_instruments",
        "_log",
        "_mark_prices",
        "_next_seq",
        "_order_books",
        "_order_seq",
        "_orders",
        "_own_order_books",
        "_position_oms",
        "_position_seq",
        "_position_snapshots",
        "_positions",
        "_quote_ticks",
        "_trade_ticks",
    )

    def __init__(self, config: CacheConfig | None = None, *, logger: Logger | None = None) -> None:
        config = CacheConfig() if config is None else config
        if not isinstance(config, CacheConfig):
            raise TypeError(f"config must be a CacheConfig, found {type(config).__name__}")
        self._config = config
        self._log = Logger("Cache", None) if logger is None else logger
        self._next_seq = 0
        # Reference data.
        self._instruments: dict[InstrumentId, Instrument] = {}
        self._currencies: dict[str, Currency] = {}
        # Market data.
        self._quote_ticks: RingBuffers[InstrumentId, QuoteTick] = RingBuffers(config.tick_capacity)
        self._trade_ticks: RingBuffers[InstrumentId, TradeTick] = RingBuffers(config.tick_capacity)
        self._bars: RingBuffers[BarType, Bar] = RingBuffers(config.bar_capacity)
        self._order_books: dict[InstrumentId, OrderBook] = {}
        self._own_order_books: dict[InstrumentId, OwnOrderBook] = {}
        self._mark_prices: dict[InstrumentId, MarkPriceUpdate] = {}
        self._index_prices: dict[InstrumentId, IndexPriceUpdate] = {}
        self._funding_rates: dict[InstrumentId, FundingRateUpdate] = {}
        self._instrument_statuses: dict[InstrumentId, InstrumentStatus] = {}
        # Accounts.
        self._accounts: dict[AccountId, Account] = {}
        self._index_venue_account: dict[Venue, AccountId] = {}
        # Orders.
        self._orders: dict[ClientOrderId, Order] = {}
        self._order_seq: dict[ClientOrderId, int] = {}
        self._index_venue_orders: dict[Venue, IdSet[ClientOrderId]] = {}
        self._index_instrument_orders: dict[InstrumentId, IdSet[ClientOrderId]] = {}
        self._index_strategy_orders: dict[StrategyId, IdSet[ClientOrderId]] = {}
        self._index_exec_algorithm_orders: dict[ExecAlgorithmId, IdSet[ClientOrderId]] = {}
        self._index_exec_spawn_orders: dict[ClientOrderId, IdSet[ClientOrderId]] = {}
        self._index_orders_open: IdSet[ClientOrderId] = {}
        self._index_orders_closed: IdSet[ClientOrderId] = {}
        self._index_orders_inflight: IdSet[ClientOrderId] = {}
        self._index_orders_emulated: IdSet[ClientOrderId] = {}
        self._index_venue_order_ids: dict[VenueOrderId, ClientOrderId] = {}
        self._index_client_order_ids: dict[ClientOrderId, VenueOrderId] = {}
        self._index_order_client: dict[ClientOrderId, ClientId] = {}
        self._index_order_position: dict[ClientOrderId, PositionId] = {}
        # Positions an order was linked to before its current one (a hedging flip).
        self._index_order_prior_positions: dict[ClientOrderId, list[PositionId]] = {}
        # Positions.
        self._positions: dict[PositionId, Position] = {}
        self._position_seq: dict[PositionId, int] = {}
        self._position_oms: dict[PositionId, OmsType] = {}
        self._index_venue_positions: dict[Venue, IdSet[PositionId]] = {}
        self._index_instrument_positions: dict[InstrumentId, IdSet[PositionId]] = {}
        self._index_strategy_positions: dict[StrategyId, IdSet[PositionId]] = {}
        self._index_positions_open: IdSet[PositionId] = {}
        self._index_positions_closed: IdSet[PositionId] = {}
        self._index_position_orders: dict[PositionId, IdSet[ClientOrderId]] = {}
        self._index_position_strategy: dict[PositionId, StrategyId] = {}
        self._index_position_venue: dict[PositionId, Venue] = {}
        self._position_snapshots: dict[PositionId, list[PositionSnapshot]] = {}
        # General and component state.
        self._general: dict[str, bytes] = {}
        self._actor_states: dict[str, dict[str, bytes]] = {}
        # Persistence (see `argonaut.cache.persisting`): where changes go, and how much
        # of each history the database already has.
        self._db_sink: Callable[[DbOp], None] | None = None
        self._db_purge = False
        self._db_order_counts: dict[ClientOrderId, int] = {}
        self._db_account_counts: dict[AccountId, int] = {}
        self._db_position_fills: dict[PositionId, tuple[int, OrderFilled]] = {}

    @property
    def config(self) -> CacheConfig:
        """The configuration the cache was built with."""
        return self._config

    def _take_seq(self) -> int:
        seq = self._next_seq
        self._next_seq = seq + 1
        return seq

    def _link_order_position(
        self,
        position_id: PositionId,
        venue: Venue,
        client_order_id: ClientOrderId,
        strategy_id: StrategyId,
    ) -> None:
        """Link an order to a position (see `Cache.add_position_id`)."""
        owner = self._index_position_strategy.get(position_id)
        if owner is not None and owner != strategy_id:
            raise ValueError(
                f"position {position_id} belongs to strategy {owner}, not {strategy_id}: a "
                "position has a single owner"
            )
        current = self._index_order_position.get(client_order_id)
        if current is not None and current != position_id:
            prior = self._index_order_prior_positions.setdefault(client_order_id, [])
            if current not in prior:
                prior.append(current)
        self._index_order_position[client_order_id] = position_id
        self._index_position_strategy[position_id] = strategy_id
        self._index_position_venue[position_id] = venue
        add_to(self._index_position_orders, position_id, client_order_id)
        sink = self._db_sink
        if sink is not None and current != position_id:
            sink(IndexOrderPosition(client_order_id=client_order_id, position_id=position_id))

    # -- persistence (write-behind ops; see `argonaut.cache.persisting`) ------------------

    def _db_order(self, order: Order, sink: Callable[[DbOp], None]) -> None:
        """Hand the order's events the database does not have yet to `sink`."""
        coid = order.client_order_id
        events = order.events
        counts = self._db_order_counts
        done = counts.get(coid, 0)
        n = len(events)
        if n <= done:
            return
        counts[coid] = n
        if n - done == 1:  # the common case: one new event
            sink(
                AddOrderEvent(client_order_id=coid, strategy_id=order.strategy_id, event=events[-1])
            )
        else:
            strategy_id = order.strategy_id
            for event in events[done:]:
                sink(AddOrderEvent(client_order_id=coid, strategy_id=strategy_id, event=event))
        if coid in self._index_orders_closed:
            sink(MarkOrderClosed(client_order_id=coid))

    def _db_account(self, account: Account, sink: Callable[[DbOp], None]) -> None:
        """Hand the account's states the database does not have yet to `sink`."""
        events = account.events
        done = self._db_account_counts.get(account.id, 0)
        n = len(events)
        if n <= done:
            return
        if done == 0 or self._config.persist_account_events:
            for state in events[done:]:
                sink(PutAccountState(state=state))
        self._db_account_counts[account.id] = n

    def _db_position(
        self, position: Position, sink: Callable[[DbOp], None], oms_type: OmsType | None = None
    ) -> None:
        """Hand the position's new fills to `sink` (the whole cycle after a reopen)."""
        pid = position.id
        fills = position.events
        n = len(fills)
        if n == 0:
            return
        known = self._db_position_fills.get(pid)
        if (
            known is not None
            and oms_type is None
            and n >= known[0]
            and fills[known[0] - 1] is known[1]
        ):
            for fill in fills[known[0] :]:
                sink(AddPositionFill(position_id=pid, fill=fill))
        else:
            oms = oms_type or self._position_oms.get(pid, OmsType.NETTING)
            sink(PutPosition(position_id=pid, oms_type=oms, fills=tuple(fills)))
        self._db_position_fills[pid] = (n, fills[-1])
        if position.signed_qty_raw == 0:
            sink(MarkPositionClosed(position_id=pid))


__all__ = ["CacheBase", "IdSet", "RingBuffers", "add_to", "remove_from", "select_ids"]
