"""Maintenance: purges of closed orders, closed positions and old account states, the
own order book audit, and the residual check at shutdown.

The live node's maintenance dispatcher calls these on its coarse timer with the clock's
time (`ts_now`, ns); the cache reads no clock itself.

Safety rules of the purges:
- an open or in-flight order is never purged, nor a closed order whose position is
  still open, whose linked (contingent) orders are still open, or whose spawned
  execution algorithm orders are still working;
- an open position is never purged, nor a closed one with an order that is not closed
  (that order's fill would reopen it);
- every account keeps its latest state.
"""

from __future__ import annotations

from argonaut.cache.base import CacheBase, remove_from, select_ids
from argonaut.cache.db.protocol import DeleteOrder, DeletePosition, PurgeAccountEvents
from argonaut.core.nanos import secs_to_nanos
from argonaut.model.identifiers import ClientOrderId, PositionId
from argonaut.model.orders import Order


def _buffer_ns(secs: float, name: str) -> int:
    if secs < 0:
        raise ValueError(f"{name} must be >= 0 seconds, found {secs}")
    return secs_to_nanos(secs)


class _Working:
    """Membership in the open or in-flight order index, without building a set."""

    __slots__ = ("_inflight", "_open")

    def __init__(self, open_ids: dict[ClientOrderId, None], inflight: dict[ClientOrderId, None]):
        self._open = open_ids
        self._inflight = inflight

    def __contains__(self, item: object) -> bool:
        return item in self._open or item in self._inflight


class MaintenanceMixin(CacheBase):
    """Purges, audits and residual checks of the `Cache`."""

    __slots__ = ()

    # -- orders --------------------------------------------------------------------------

    def purge_order(self, client_order_id: ClientOrderId) -> bool:
        """Remove an order and every index entry about it; return False if not cached.

        This does not check that the order is closed: `purge_closed_orders` does.
        """
        order = self._orders.pop(client_order_id, None)
        if order is None:
            return False
        coid = client_order_id
        del self._order_seq[coid]
        self._db_order_counts.pop(coid, None)
        sink = self._db_sink
        if sink is not None and self._db_purge:
            sink(DeleteOrder(client_order_id=coid))
        remove_from(self._index_venue_orders, order.instrument_id.venue, coid)
        remove_from(self._index_instrument_orders, order.instrument_id, coid)
        remove_from(self._index_strategy_orders, order.strategy_id, coid)
        if order.exec_algorithm_id is not None:
            remove_from(self._index_exec_algorithm_orders, order.exec_algorithm_id, coid)
        if order.exec_spawn_id is not None:
            remove_from(self._index_exec_spawn_orders, order.exec_spawn_id, coid)
        for status_index in (
            self._index_orders_open,
            self._index_orders_closed,
            self._index_orders_inflight,
            self._index_orders_emulated,
        ):
            status_index.pop(coid, None)
        current = self._index_client_order_ids.pop(coid, None)
        reverse = self._index_venue_order_ids
        for voi in (current, *order.venue_order_ids):
            if voi is not None and reverse.get(voi) == coid:
                del reverse[voi]
        self._index_order_client.pop(coid, None)
        linked = self._index_order_prior_positions.pop(coid, [])
        pid = self._index_order_position.pop(coid, None)
        if pid is not None:
            linked.append(pid)
        for position_id in linked:
            remove_from(self._index_position_orders, position_id, coid)
            self._drop_position_links_if_unused(position_id)
        own_book = self._own_order_books.get(order.instrument_id)
        if own_book is not None:
            own_book.delete(coid)
        return True

    def purge_closed_orders(self, ts_now: int, buffer_secs: float = 0) -> list[ClientOrderId]:
        """Purge the orders closed at least `buffer_secs` before `ts_now`; return their ids.

        Orders are kept while their position is open, a linked order is open, or an
        order spawned from them still works (see the module rules). Ids come back in
        the order the orders were added.
        """
        buffer_ns = _buffer_ns(buffer_secs, "buffer_secs")
        purged: list[ClientOrderId] = []
        orders = self._orders
        for coid in self._cached_order_ids(self._index_orders_closed):
            order = orders[coid]
            ts_closed = order.ts_closed if order.ts_closed is not None else order.ts_last
            if ts_closed + buffer_ns > ts_now or self._must_keep_order(order):
                continue
            self.purge_order(coid)
            purged.append(coid)
        if purged:
            self._log.debug(f"purged {len(purged)} closed orders")
        return purged

    def _must_keep_order(self, order: Order) -> bool:
        coid = order.client_order_id
        open_positions = self._index_positions_open
        pid = self._index_order_position.get(coid)
        if pid is not None and pid in open_positions:
            return True
        if order.position_id is not None and order.position_id in open_positions:
            return True
        working = _Working(self._index_orders_open, self._index_orders_inflight)
        if order.linked_order_ids and any(c in working for c in order.linked_order_ids):
            return True
        spawned = self._index_exec_spawn_orders.get(coid)
        return spawned is not None and any(c in working for c in spawned)

    # -- positions -----------------------------------------------------------------------

    def purge_position(self, position_id: PositionId) -> bool:
        """Remove a position, its snapshots and its links to orders; False if not cached."""
        position = self._positions.pop(position_id, None)
        if position is None:
            return False
        pid = position_id
        del self._position_seq[pid]
        self._db_position_fills.pop(pid, None)
        sink = self._db_sink
        if sink is not None and self._db_purge:
            sink(DeletePosition(position_id=pid))
        self._position_oms.pop(pid, None)
        remove_from(self._index_venue_positions, position.instrument_id.venue, pid)
        remove_from(self._index_instrument_positions, position.instrument_id, pid)
        remove_from(self._index_strategy_positions, position.strategy_id, pid)
        self._index_positions_open.pop(pid, None)
        self._index_positions_closed.pop(pid, None)
        self._position_snapshots.pop(pid, None)
        for coid in self._index_position_orders.pop(pid, {}):
            if self._index_order_position.get(coid) == pid:
                del self._index_order_position[coid]
            prior = self._index_order_prior_positions.get(coid)
            if prior is not None and pid in prior:
                prior.remove(pid)
                if not prior:
                    del self._index_order_prior_positions[coid]
        self._index_position_strategy.pop(pid, None)
        self._index_position_venue.pop(pid, None)
        return True

    def purge_closed_positions(self, ts_now: int, buffer_secs: float = 0) -> list[PositionId]:
        """Purge the positions closed at least `buffer_secs` before `ts_now`; return their ids.

        A closed position with an order that is not closed yet is kept. Ids come back in
        the order the positions were added.
        """
        buffer_ns = _buffer_ns(buffer_secs, "buffer_secs")
        purged: list[PositionId] = []
        positions = self._positions
        closed_orders = self._index_orders_closed
        for pid in self._cached_position_ids(self._index_positions_closed):
            position = positions[pid]
            ts_closed = position.ts_closed if position.ts_closed is not None else position.ts_last
            if ts_closed + buffer_ns > ts_now:
                continue
            members = self._index_position_orders.get(pid, {})
            if any(c in self._orders and c not in closed_orders for c in members):
                continue
            self.purge_position(pid)
            purged.append(pid)
        if purged:
            self._log.debug(f"purged {len(purged)} closed positions")
        return purged

    def _drop_position_links_if_unused(self, position_id: PositionId) -> None:
        if position_id not in self._positions and position_id not in self._index_position_orders:
            self._index_position_strategy.pop(position_id, None)
            self._index_position_venue.pop(position_id, None)

    # -- accounts ------------------------------------------------------------------------

    def purge_account_events(self, ts_now: int, lookback_secs: float) -> int:
        """Drop account states older than `lookback_secs` before `ts_now`; return how many.

        Each account keeps its latest state whatever its age; a lookback of 0 keeps
        only the latest.
        """
        cutoff = ts_now - _buffer_ns(lookback_secs, "lookback_secs")
        purged = 0
        for account in self._accounts.values():
            events = account.events
            if len(events) <= 1:
                continue
            kept = [e for e in events[:-1] if e.ts_event > cutoff]
            kept.append(events[-1])
            if len(kept) < len(events):
                purged += len(events) - len(kept)
                events[:] = kept
                if account.id in self._db_account_counts:
                    self._db_account_counts[account.id] = len(kept)
        sink = self._db_sink
        if purged and sink is not None and self._db_purge:
            sink(PurgeAccountEvents(cutoff_ns=cutoff))
        return purged

    # -- helpers -------------------------------------------------------------------------

    def _cached_order_ids(self, index: dict[ClientOrderId, None]) -> list[ClientOrderId]:
        """Return the cached orders of `index` in add order (skipping dangling entries)."""
        orders = self._orders
        cached = {c: None for c in index if c in orders}
        return select_ids(cached, False, (), self._order_seq)

    def _cached_position_ids(self, index: dict[PositionId, None]) -> list[PositionId]:
        """Return the cached positions of `index` in add order (skipping dangling entries)."""
        positions = self._positions
        cached = {p: None for p in index if p in positions}
        return select_ids(cached, False, (), self._position_seq)

    # -- audits --------------------------------------------------------------------------

    def audit_own_order_books(self) -> list[ClientOrderId]:
        """Remove own book entries of orders neither open nor in flight; return their ids.

        Anything removed was left behind by a missed close event, so it is logged as an
        error.
        """
        working = _Working(self._index_orders_open, self._index_orders_inflight)
        removed: list[ClientOrderId] = []
        for book in self._own_order_books.values():
            removed.extend(book.audit_open_orders(working))
        if removed:
            self._log.error(
                f"own order book audit removed {len(removed)} orders that are neither open "
                f"nor in flight: {', '.join(removed)}"
            )
        return removed

    def check_residuals(self) -> list[str]:
        """Return (and log as warnings) the open and in-flight orders and open positions."""
        orders = self._orders
        open_ids = self._index_orders_open
        residuals = [
            f"residual open order {orders[coid]!r}" for coid in self._cached_order_ids(open_ids)
        ]
        inflight = {c: None for c in self._index_orders_inflight if c not in open_ids}
        residuals.extend(
            f"residual in-flight order {orders[coid]!r}"
            for coid in self._cached_order_ids(inflight)
        )
        positions = self._positions
        residuals.extend(
            f"residual open position {positions[pid]!r}"
            for pid in self._cached_position_ids(self._index_positions_open)
        )
        for line in residuals:
            self._log.warning(line)
        return residuals


__all__ = ["MaintenanceMixin"]
