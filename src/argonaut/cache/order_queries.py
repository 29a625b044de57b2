"""Order queries: filtered lists and counts over the order indexes.

Every query takes the same optional filters (venue, instrument, strategy, side; a filter
left at its default matches everything) and returns orders in the order they were first
added to the cache, whatever the index the scan starts from.
"""

from __future__ import annotations

from collections.abc import Mapping

from argonaut.cache.base import CacheBase, IdSet, select_ids
from argonaut.model.enums import OrderSide
from argonaut.model.identifiers import (
    ClientOrderId,
    ExecAlgorithmId,
    InstrumentId,
    StrategyId,
    Venue,
)
from argonaut.model.orders import Order

_ANY_SIDE = OrderSide.NO_ORDER_SIDE


class OrderQueryMixin(CacheBase):
    """Order queries of the `Cache`."""

    __slots__ = ()

    def _select_orders(
        self,
        base: Mapping[ClientOrderId, object] | None,
        venue: Venue | None,
        instrument_id: InstrumentId | None,
        strategy_id: StrategyId | None,
        side: OrderSide,
    ) -> list[ClientOrderId]:
        if base is None:
            return []
        filters: list[IdSet[ClientOrderId]] = []
        if venue is not None:
            by_venue = self._index_venue_orders.get(venue)
            if by_venue is None:
                return []
            filters.append(by_venue)
        if instrument_id is not None:
            by_instrument = self._index_instrument_orders.get(instrument_id)
            if by_instrument is None:
                return []
            filters.append(by_instrument)
        if strategy_id is not None:
            by_strategy = self._index_strategy_orders.get(strategy_id)
            if by_strategy is None:
                return []
            filters.append(by_strategy)
        ids = select_ids(base, base is self._orders, filters, self._order_seq)
        if side is not _ANY_SIDE:
            orders = self._orders
            ids = [c for c in ids if orders[c].side is side]
        return ids

    def _count(
        self,
        base: Mapping[ClientOrderId, object],
        venue: Venue | None,
        instrument_id: InstrumentId | None,
        strategy_id: StrategyId | None,
        side: OrderSide,
    ) -> int:
        if venue is None and instrument_id is None and strategy_id is None and side is _ANY_SIDE:
            return len(base)
        return len(self._select_orders(base, venue, instrument_id, strategy_id, side))

    def _objects(self, ids: list[ClientOrderId]) -> list[Order]:
        orders = self._orders
        return [orders[c] for c in ids]

    # -- ids -----------------------------------------------------------------------------

    def client_order_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of every cached order matching the filters."""
        return self._select_orders(self._orders, venue, instrument_id, strategy_id, side)

    def client_order_ids_open(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the open orders matching the filters."""
        base = self._index_orders_open
        return self._select_orders(base, venue, instrument_id, strategy_id, side)

    def client_order_ids_closed(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the closed orders matching the filters."""
        base = self._index_orders_closed
        return self._select_orders(base, venue, instrument_id, strategy_id, side)

    def client_order_ids_inflight(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the in-flight orders matching the filters."""
        base = self._index_orders_inflight
        return self._select_orders(base, venue, instrument_id, strategy_id, side)

    def client_order_ids_emulated(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the emulated orders matching the filters."""
        base = self._index_orders_emulated
        return self._select_orders(base, venue, instrument_id, strategy_id, side)

    # -- orders --------------------------------------------------------------------------

    def orders(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return every cached order matching the filters."""
        return self._objects(self.client_order_ids(venue, instrument_id, strategy_id, side))

    def orders_open(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the open orders matching the filters."""
        return self._objects(self.client_order_ids_open(venue, instrument_id, strategy_id, side))

    def orders_closed(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the closed orders matching the filters."""
        ids = self.client_order_ids_closed(venue, instrument_id, strategy_id, side)
        return self._objects(ids)

    def orders_inflight(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the in-flight orders matching the filters."""
        ids = self.client_order_ids_inflight(venue, instrument_id, strategy_id, side)
        return self._objects(ids)

    def orders_emulated(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the emulated orders matching the filters."""
        ids = self.client_order_ids_emulated(venue, instrument_id, strategy_id, side)
        return self._objects(ids)

    def orders_for_exec_algorithm(
        self,
        exec_algorithm_id: ExecAlgorithmId,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the orders of an execution algorithm matching the filters."""
        base = self._index_exec_algorithm_orders.get(exec_algorithm_id)
        return self._objects(self._select_orders(base, venue, instrument_id, strategy_id, side))

    def orders_for_exec_spawn(self, exec_spawn_id: ClientOrderId) -> list[Order]:
        """Return a primary order and the orders spawned from it, in the order added."""
        base = self._index_exec_spawn_orders.get(exec_spawn_id)
        return self._objects(self._select_orders(base, None, None, None, _ANY_SIDE))

    # -- counts --------------------------------------------------------------------------

    def orders_total_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many cached orders match the filters."""
        return self._count(self._orders, venue, instrument_id, strategy_id, side)

    def orders_open_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many open orders match the filters."""
        return self._count(self._index_orders_open, venue, instrument_id, strategy_id, side)

    def orders_closed_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many closed orders match the filters."""
        return self._count(self._index_orders_closed, venue, instrument_id, strategy_id, side)

    def orders_inflight_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many in-flight orders match the filters."""
        return self._count(self._index_orders_inflight, venue, instrument_id, strategy_id, side)

    def orders_emulated_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many emulated orders match the filters."""
        return self._count(self._index_orders_emulated, venue, instrument_id, strategy_id, side)


__all__ = ["OrderQueryMixin"]
