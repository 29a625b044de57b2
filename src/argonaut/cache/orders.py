"""Orders and their indexes.

Identity indexes (venue, instrument, strategy, execution algorithm, execution spawn)
are set when an order is added; status sets (open, closed, in-flight, emulated) and the
venue order id map follow the order's state on every `update_order`, in O(1). The status
sets use the order state machine's categories (`argonaut.model.orders.fsm`): OPEN,
CLOSED and IN_FLIGHT, and EMULATED for status EMULATED. An order may be both open and
in flight (PENDING_UPDATE, PENDING_CANCEL).

The queries over these indexes are in `order_queries`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from argonaut.cache.base import CacheBase, add_to, remove_from, select_ids
from argonaut.cache.db.protocol import (
    DbOp,
    DeleteOrder,
    IndexOrderClient,
    IndexOrderPosition,
    IndexVenueOrderId,
)
from argonaut.model.book import OwnBookOrder, OwnOrderBook
from argonaut.model.enums import OrderStatus
from argonaut.model.identifiers import (
    ClientId,
    ClientOrderId,
    PositionId,
    StrategyId,
    Venue,
    VenueOrderId,
)
from argonaut.model.orders import CLOSED, IN_FLIGHT, OPEN, Order

# Status value -> membership of (open, closed, in-flight, emulated). Keyed by the value
# string: `Enum.__hash__` is a Python-level call (~60 ns), a str hashes at C speed.
_STATUS_SETS: Final[dict[str, tuple[bool, bool, bool, bool]]] = {
    s.value: (s in OPEN, s in CLOSED, s in IN_FLIGHT, s is OrderStatus.EMULATED)
    for s in OrderStatus
}


class OrderMixin(CacheBase):
    """Orders of the `Cache`."""

    __slots__ = ()

    # -- adding and updating -------------------------------------------------------------

    def add_order(
        self,
        order: Order,
        position_id: PositionId | None = None,
        client_id: ClientId | None = None,
        *,
        override: bool = False,
    ) -> None:
        """Add an order and index it (by venue, instrument, strategy, algorithm, status).

        A client order id already cached is refused unless `override` (replacing the
        cached order, e.g. by its transformed version, keeps its place in every index).
        `position_id` links the order to a position, `client_id` to the execution client
        that routes it.
        """
        if not isinstance(order, Order):
            raise TypeError(f"expected an Order, found {type(order).__name__}")
        coid = order.client_order_id
        cached = self._orders.get(coid)
        if cached is not None and not override:
            raise ValueError(
                f"client order id {coid} is already in the cache ({cached!r}): a client order "
                "id is never reused; pass override=True to replace the cached order"
            )
        if position_id is not None:
            owner = self._index_position_strategy.get(position_id)
            if owner is not None and owner != order.strategy_id:
                raise ValueError(
                    f"order {coid} of strategy {order.strategy_id} cannot join position "
                    f"{position_id} of strategy {owner}: a position has a single owner"
                )
        if cached is None:
            seq = self._next_seq  # `_take_seq`, written out (the hot path)
            self._next_seq = seq + 1
            self._order_seq[coid] = seq
            self._orders[coid] = order
            self._index_identity(order)
            # A new order is in no status set yet: only the sets it joins change.
            is_open, is_closed, is_inflight, is_emulated = _STATUS_SETS[order.status._value_]
            if is_inflight:
                self._index_orders_inflight[coid] = None
            if is_open:
                self._index_orders_open[coid] = None
            if is_closed:
                self._index_orders_closed[coid] = None
            if is_emulated:
                self._index_orders_emulated[coid] = None
        else:
            self._unindex_identity(cached, order)
            self._orders[coid] = order
            self._index_identity(order)
            self._index_status(order)
        venue_order_id = order.venue_order_id
        if venue_order_id is not None and self._index_client_order_ids.get(coid) != venue_order_id:
            self._map_venue_order_id(order, venue_order_id)
        sink = self._db_sink
        if sink is not None:
            if cached is not None:  # the replacement's history replaces the stored one
                sink(DeleteOrder(client_order_id=coid))
                self._db_order_counts.pop(coid, None)
            self._db_order(order, sink)
            if cached is not None:
                self._db_reindex_order(coid, sink)
        if position_id is not None:
            self.add_position_id(position_id, order.instrument_id.venue, coid, order.strategy_id)
        if client_id is not None:
            self._index_order_client[coid] = client_id
            if sink is not None:
                sink(IndexOrderClient(client_order_id=coid, client_id=client_id))

    def update_order(self, order: Order) -> None:
        """Re-index an order after the engine applied an event to it (O(1)).

        Moves it between the status sets and maps a new venue order id (a cancel-replace
        keeps the old id as an alias). A venue order id that already belongs to another
        order is not remapped: that is logged as an error for reconciliation.
        """
        coid = order.client_order_id
        cached = self._orders.get(coid)
        if cached is None:
            raise ValueError(f"order {coid} is not in the cache: call add_order first")
        if cached is not order:
            self._unindex_identity(cached, order)
            self._orders[coid] = order
            self._index_identity(order)
        self._index_status(order)
        venue_order_id = order.venue_order_id
        if venue_order_id is not None and self._index_client_order_ids.get(coid) != venue_order_id:
            self._map_venue_order_id(order, venue_order_id)
        sink = self._db_sink
        if sink is not None:
            self._db_order(order, sink)

    def _db_reindex_order(self, coid: ClientOrderId, sink: Callable[[DbOp], None]) -> None:
        """Write an order's index entries again (after its stored history was replaced)."""
        client_id = self._index_order_client.get(coid)
        if client_id is not None:
            sink(IndexOrderClient(client_order_id=coid, client_id=client_id))
        position_id = self._index_order_position.get(coid)
        if position_id is not None:
            sink(IndexOrderPosition(client_order_id=coid, position_id=position_id))
        venue_order_id = self._index_client_order_ids.get(coid)
        if venue_order_id is not None:
            sink(IndexVenueOrderId(client_order_id=coid, venue_order_id=venue_order_id))

    def _index_identity(self, order: Order) -> None:
        coid = order.client_order_id
        instrument_id = order.instrument_id
        # `add_to` written out for the three indexes every order joins (the hot path)
        venue = instrument_id.venue
        members = self._index_venue_orders.get(venue)
        if members is None:
            self._index_venue_orders[venue] = {coid: None}
        else:
            members[coid] = None
        members = self._index_instrument_orders.get(instrument_id)
        if members is None:
            self._index_instrument_orders[instrument_id] = {coid: None}
        else:
            members[coid] = None
        strategy_id = order.strategy_id
        members = self._index_strategy_orders.get(strategy_id)
        if members is None:
            self._index_strategy_orders[strategy_id] = {coid: None}
        else:
            members[coid] = None
        if order.exec_algorithm_id is not None:
            add_to(self._index_exec_algorithm_orders, order.exec_algorithm_id, coid)
        if order.exec_spawn_id is not None:
            add_to(self._index_exec_spawn_orders, order.exec_spawn_id, coid)

    def _unindex_identity(self, old: Order, new: Order) -> None:
        """Remove `old`'s identity entries whose key `new` does not share."""
        coid = old.client_order_id
        if old.instrument_id != new.instrument_id:
            remove_from(self._index_instrument_orders, old.instrument_id, coid)
            if old.instrument_id.venue != new.instrument_id.venue:
                remove_from(self._index_venue_orders, old.instrument_id.venue, coid)
        if old.strategy_id != new.strategy_id:
            remove_from(self._index_strategy_orders, old.strategy_id, coid)
        if old.exec_algorithm_id is not None and old.exec_algorithm_id != new.exec_algorithm_id:
            remove_from(self._index_exec_algorithm_orders, old.exec_algorithm_id, coid)
        if old.exec_spawn_id is not None and old.exec_spawn_id != new.exec_spawn_id:
            remove_from(self._index_exec_spawn_orders, old.exec_spawn_id, coid)

    def _index_status(self, order: Order) -> None:
        coid = order.client_order_id
        is_open, is_closed, is_inflight, is_emulated = _STATUS_SETS[order.status._value_]
        if is_inflight:
            self._index_orders_inflight[coid] = None
        else:
            self._index_orders_inflight.pop(coid, None)
        if is_open:
            self._index_orders_open[coid] = None
        else:
            self._index_orders_open.pop(coid, None)
        if is_closed:
            self._index_orders_closed[coid] = None
        else:
            self._index_orders_closed.pop(coid, None)
        if is_emulated:
            self._index_orders_emulated[coid] = None
        else:
            self._index_orders_emulated.pop(coid, None)

    # -- venue order ids -----------------------------------------------------------------

    def add_venue_order_id(
        self,
        client_order_id: ClientOrderId,
        venue_order_id: VenueOrderId,
        overwrite: bool = False,
    ) -> None:
        """Map a cached order to its venue order id (and back).

        A conflicting mapping (the order already has another venue order id, or the
        venue order id belongs to another order) is refused unless `overwrite`, which
        takes the venue order id from its previous order.
        """
        if client_order_id not in self._orders:
            raise ValueError(
                f"order {client_order_id} is not in the cache: add the order before mapping "
                f"venue order id {venue_order_id} to it"
            )
        existing = self._index_client_order_ids.get(client_order_id)
        owner = self._index_venue_order_ids.get(venue_order_id)
        if not overwrite:
            if existing is not None and existing != venue_order_id:
                raise ValueError(
                    f"order {client_order_id} is already mapped to venue order id {existing}, "
                    f"not {venue_order_id}: pass overwrite=True when the venue replaced the id"
                )
            if owner is not None and owner != client_order_id:
                raise ValueError(
                    f"venue order id {venue_order_id} already belongs to order {owner}, not "
                    f"{client_order_id}: pass overwrite=True to move it"
                )
        elif (
            owner is not None
            and owner != client_order_id
            and self._index_client_order_ids.get(owner) == venue_order_id
        ):
            del self._index_client_order_ids[owner]  # the id moves to this order
        self._index_client_order_ids[client_order_id] = venue_order_id
        self._index_venue_order_ids[venue_order_id] = client_order_id
        sink = self._db_sink
        if sink is not None:
            sink(IndexVenueOrderId(client_order_id=client_order_id, venue_order_id=venue_order_id))

    def _map_venue_order_id(self, order: Order, venue_order_id: VenueOrderId) -> None:
        coid = order.client_order_id
        owner = self._index_venue_order_ids.get(venue_order_id)
        if owner is not None and owner != coid:
            self._log.error(
                f"venue order id {venue_order_id} of order {coid} already belongs to order "
                f"{owner}: mapping left unchanged, reconcile the two orders"
            )
            return
        self._index_client_order_ids[coid] = venue_order_id
        self._index_venue_order_ids[venue_order_id] = coid
        sink = self._db_sink
        if sink is not None:
            sink(IndexVenueOrderId(client_order_id=coid, venue_order_id=venue_order_id))

    def client_order_id(self, venue_order_id: VenueOrderId) -> ClientOrderId | None:
        """Return the client order id of a venue order id, or None."""
        return self._index_venue_order_ids.get(venue_order_id)

    def venue_order_id(self, client_order_id: ClientOrderId) -> VenueOrderId | None:
        """Return the current venue order id of an order, or None."""
        return self._index_client_order_ids.get(client_order_id)

    # -- links to strategies, clients and positions --------------------------------------

    def strategy_id_for_order(self, client_order_id: ClientOrderId) -> StrategyId | None:
        """Return the strategy that owns a cached order, or None."""
        order = self._orders.get(client_order_id)
        return None if order is None else order.strategy_id

    def client_id(self, client_order_id: ClientOrderId) -> ClientId | None:
        """Return the execution client an order was routed with, or None."""
        return self._index_order_client.get(client_order_id)

    def position_id(self, client_order_id: ClientOrderId) -> PositionId | None:
        """Return the position an order is linked to, or None."""
        return self._index_order_position.get(client_order_id)

    def add_position_id(
        self,
        position_id: PositionId,
        venue: Venue,
        client_order_id: ClientOrderId,
        strategy_id: StrategyId,
    ) -> None:
        """Link an order to a position of `strategy_id` at `venue` (before or after it opens).

        Relinking an order to another position (a hedging flip) keeps it listed under
        both. A position already owned by another strategy is refused.
        """
        self._link_order_position(position_id, venue, client_order_id, strategy_id)

    def orders_for_position(self, position_id: PositionId) -> list[Order]:
        """Return the cached orders linked to a position, in the order added."""
        ids = self._index_position_orders.get(position_id)
        if not ids:
            return []
        orders = self._orders
        cached = {c: None for c in ids if c in orders}
        return [orders[c] for c in select_ids(cached, False, (), self._order_seq)]

    # -- own order books -----------------------------------------------------------------

    def update_own_order_book(self, order: Order) -> None:
        """Rest a priced open or in-flight order in its instrument's own book, else remove it.

        The own book is created on first use; the resting size is the order's leaves
        quantity.
        """
        book = self._own_order_books.get(order.instrument_id)
        if book is None:
            book = self._own_order_books[order.instrument_id] = OwnOrderBook(order.instrument_id)
        price = order.price
        status = order.status
        working = status in OPEN or status in IN_FLIGHT
        if price is None or not working or order.leaves_qty.raw == 0:
            book.delete(order.client_order_id)
            return
        book.update(
            OwnBookOrder(
                trader_id=order.trader_id,
                client_order_id=order.client_order_id,
                side=order.side,
                price=price,
                size=order.leaves_qty,
                order_type=order.order_type,
                time_in_force=order.time_in_force,
                status=status,
                ts_last=order.ts_last,
                ts_init=order.ts_init,
            )
        )

    # -- lookups and predicates ----------------------------------------------------------

    def order(self, client_order_id: ClientOrderId) -> Order | None:
        """Return the cached order with this client order id, or None."""
        return self._orders.get(client_order_id)

    def order_exists(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is cached."""
        return client_order_id in self._orders

    def is_order_open(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is open (working at the venue)."""
        return client_order_id in self._index_orders_open

    def is_order_closed(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is closed."""
        return client_order_id in self._index_orders_closed

    def is_order_inflight(self, client_order_id: ClientOrderId) -> bool:
        """Return True when a request for the order awaits the venue's answer."""
        return client_order_id in self._index_orders_inflight

    def is_order_emulated(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is held by the order emulator."""
        return client_order_id in self._index_orders_emulated


__all__ = ["OrderMixin"]
