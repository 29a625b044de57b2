"""Positions, their indexes and snapshots.

Position ids are whatever the execution engine gives (NETTING: one position per
instrument and strategy with id ``{instrument_id}-{strategy_id}``, reopened in place;
HEDGING: one id per position). Queries filter by venue, instrument, strategy and side
and return positions in the order they were first added to the cache.
"""

from __future__ import annotations

from collections.abc import Mapping

from argonaut.cache.base import CacheBase, IdSet, add_to, select_ids
from argonaut.cache.db.protocol import AddPositionSnapshot
from argonaut.model.enums import OmsType, PositionSide
from argonaut.model.identifiers import (
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
)
from argonaut.model.position import Position, PositionSnapshot

_ANY_SIDE = PositionSide.NO_POSITION_SIDE
_OMS_TYPES = (OmsType.NETTING, OmsType.HEDGING)


class PositionMixin(CacheBase):
    """Positions of the `Cache`."""

    __slots__ = ()

    def add_position(self, position: Position, oms_type: OmsType) -> None:
        """Add a new position opened under `oms_type` (NETTING or HEDGING) and index it.

        The position is linked to its opening order. A position id already cached is
        refused: a reopened NETTING position is the same object, so call
        `update_position` for it.
        """
        if not isinstance(position, Position):
            raise TypeError(f"expected a Position, found {type(position).__name__}")
        if oms_type not in _OMS_TYPES:
            raise ValueError(
                f"oms_type for position {position.id} is {oms_type!r}: expected the OMS in "
                "effect, NETTING or HEDGING"
            )
        pid = position.id
        if pid in self._positions:
            raise ValueError(
                f"position {pid} is already in the cache: call update_position after applying "
                "a fill to it"
            )
        venue = position.instrument_id.venue
        self._link_order_position(pid, venue, position.opening_order_id, position.strategy_id)
        self._positions[pid] = position
        self._position_seq[pid] = self._take_seq()
        self._position_oms[pid] = oms_type
        add_to(self._index_venue_positions, venue, pid)
        add_to(self._index_instrument_positions, position.instrument_id, pid)
        add_to(self._index_strategy_positions, position.strategy_id, pid)
        self._index_position_status(position)
        sink = self._db_sink
        if sink is not None:
            self._db_position(position, sink, oms_type)

    def update_position(self, position: Position) -> None:
        """Re-index a cached position after a fill or adjustment changed it."""
        pid = position.id
        if pid not in self._positions:
            raise ValueError(f"position {pid} is not in the cache: call add_position first")
        self._positions[pid] = position
        if position.signed_qty_raw != 0:  # `_index_position_status` written out (hot path)
            self._index_positions_open[pid] = None
            self._index_positions_closed.pop(pid, None)
        else:
            self._index_positions_closed[pid] = None
            self._index_positions_open.pop(pid, None)
        sink = self._db_sink
        if sink is not None:
            self._db_position(position, sink)

    def _index_position_status(self, position: Position) -> None:
        pid = position.id
        if position.is_open:
            self._index_positions_open[pid] = None
            self._index_positions_closed.pop(pid, None)
        else:
            self._index_positions_closed[pid] = None
            self._index_positions_open.pop(pid, None)

    # -- snapshots -----------------------------------------------------------------------

    def snapshot_position(self, position: Position) -> None:
        """Keep a snapshot of the position's current state (before a NETTING reopen)."""
        snapshot = position.to_snapshot()
        snapshots = self._position_snapshots.get(position.id)
        if snapshots is None:
            self._position_snapshots[position.id] = [snapshot]
        else:
            snapshots.append(snapshot)
        sink = self._db_sink
        if sink is not None:
            sink(AddPositionSnapshot(position_id=position.id, snapshot=snapshot))

    def position_snapshots(self, position_id: PositionId | None = None) -> list[PositionSnapshot]:
        """Return the snapshots of a position (all positions when None), oldest first."""
        if position_id is not None:
            return list(self._position_snapshots.get(position_id, ()))
        return [s for snapshots in self._position_snapshots.values() for s in snapshots]

    # -- lookups -------------------------------------------------------------------------

    def position(self, position_id: PositionId) -> Position | None:
        """Return the cached position with this id, or None."""
        return self._positions.get(position_id)

    def position_exists(self, position_id: PositionId) -> bool:
        """Return True when the position is cached."""
        return position_id in self._positions

    def position_for_order(self, client_order_id: ClientOrderId) -> Position | None:
        """Return the cached position an order is linked to, or None."""
        position_id = self._index_order_position.get(client_order_id)
        return None if position_id is None else self._positions.get(position_id)

    def oms_type_for_position(self, position_id: PositionId) -> OmsType | None:
        """Return the OMS a cached position was opened under, or None."""
        return self._position_oms.get(position_id)

    def is_position_open(self, position_id: PositionId) -> bool:
        """Return True when the position is cached and open."""
        return position_id in self._index_positions_open

    def is_position_closed(self, position_id: PositionId) -> bool:
        """Return True when the position is cached and closed."""
        return position_id in self._index_positions_closed

    # -- queries -------------------------------------------------------------------------

    def _select_positions(
        self,
        base: Mapping[PositionId, object],
        venue: Venue | None,
        instrument_id: InstrumentId | None,
        strategy_id: StrategyId | None,
        side: PositionSide,
    ) -> list[PositionId]:
        filters: list[IdSet[PositionId]] = []
        if venue is not None:
            by_venue = self._index_venue_positions.get(venue)
            if by_venue is None:
                return []
            filters.append(by_venue)
        if instrument_id is not None:
            by_instrument = self._index_instrument_positions.get(instrument_id)
            if by_instrument is None:
                return []
            filters.append(by_instrument)
        if strategy_id is not None:
            by_strategy = self._index_strategy_positions.get(strategy_id)
            if by_strategy is None:
                return []
            filters.append(by_strategy)
        ids = select_ids(base, base is self._positions, filters, self._position_seq)
        if side is not _ANY_SIDE:
            positions = self._positions
            ids = [p for p in ids if positions[p].side is side]
        return ids

    def _positions_of(self, ids: list[PositionId]) -> list[Position]:
        positions = self._positions
        return [positions[p] for p in ids]

    def position_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> list[PositionId]:
        """Return the ids of every cached position matching the filters."""
        return self._select_positions(self._positions, venue, instrument_id, strategy_id, side)

    def position_open_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> list[PositionId]:
        """Return the ids of the open positions matching the filters."""
        base = self._index_positions_open
        return self._select_positions(base, venue, instrument_id, strategy_id, side)

    def position_closed_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> list[PositionId]:
        """Return the ids of the closed positions matching the filters."""
        base = self._index_positions_closed
        return self._select_positions(base, venue, instrument_id, strategy_id, side)

    def positions(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> list[Position]:
        """Return every cached position matching the filters."""
        return self._positions_of(self.position_ids(venue, instrument_id, strategy_id, side))

    def positions_open(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> list[Position]:
        """Return the open positions matching the filters."""
        ids = self.position_open_ids(venue, instrument_id, strategy_id, side)
        return self._positions_of(ids)

    def positions_closed(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> list[Position]:
        """Return the closed positions matching the filters."""
        ids = self.position_closed_ids(venue, instrument_id, strategy_id, side)
        return self._positions_of(ids)

    def positions_total_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> int:
        """Return how many cached positions match the filters."""
        if venue is None and instrument_id is None and strategy_id is None and side is _ANY_SIDE:
            return len(self._positions)
        return len(self.position_ids(venue, instrument_id, strategy_id, side))

    def positions_open_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> int:
        """Return how many open positions match the filters."""
        if venue is None and instrument_id is None and strategy_id is None and side is _ANY_SIDE:
            return len(self._index_positions_open)
        return len(self.position_open_ids(venue, instrument_id, strategy_id, side))

    def positions_closed_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_SIDE,
    ) -> int:
        """Return how many closed positions match the filters."""
        if venue is None and instrument_id is None and strategy_id is None and side is _ANY_SIDE:
            return len(self._index_positions_closed)
        return len(self.position_closed_ids(venue, instrument_id, strategy_id, side))


__all__ = ["PositionMixin"]
