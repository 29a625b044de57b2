"""Order management: which position a fill belongs to, and what the fill does to it.

Position ids. An order's cached position id always wins. Otherwise NETTING uses the one
position per instrument and strategy, ``{instrument_id}-{strategy_id}``; HEDGING uses
the fill's venue position id, else a generated ``{instrument_id}-{strategy_id}-{n}`` with
a counter per strategy, restored from the cached positions on first use. A HEDGING
fill aimed at a closed position opens a new position under a new id (warning).

Fill -> position. No position: `PositionOpened`. A closed NETTING position: snapshotted
in the cache and reopened under the same id (`PositionOpened`). Still open after the
fill: `PositionChanged`; back to zero: `PositionClosed`. A flip is split with
`Position.split_flip` into a closing fill (`PositionClosed`) and an opening fill
(`PositionOpened`: NETTING reopens the same id after a snapshot, HEDGING opens a new
id). A base-currency commission also publishes `PositionAdjusted`. A reduce-only fill
never opens a NETTING position: that part is dropped with an error.

Position events go to the cache first, then to ``events.position.{strategy_id}``.
"""

from __future__ import annotations

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.model.enums import OmsType, OrderSide
from argonaut.model.events.order import OrderFilled
from argonaut.model.events.position import (
    PositionAdjusted,
    PositionChanged,
    PositionClosed,
    PositionOpened,
)
from argonaut.model.identifiers import InstrumentId, PositionId, StrategyId
from argonaut.model.instruments import Instrument
from argonaut.model.position import Position, PositionAdjustment

_FillEventType = type[PositionOpened] | type[PositionChanged] | type[PositionClosed]

_NETTING = OmsType.NETTING
_HEDGING = OmsType.HEDGING
_SELL = OrderSide.SELL


class OrderManagement:
    """Decide position ids for fills and apply fills to positions (for the engine)."""

    __slots__ = (
        "_cache",
        "_clock",
        "_counts",
        "_log",
        "_msgbus",
        "_netting_ids",
        "_pending",
        "_snapshot_positions",
        "_uuids",
        "position_error_count",
    )

    def __init__(
        self,
        cache: Cache,
        msgbus: MessageBus,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
        *,
        snapshot_positions: bool = False,
    ) -> None:
        self._cache = cache
        self._msgbus = msgbus
        self._clock = clock
        self._uuids = uuid_factory
        self._log = logger
        self._snapshot_positions = snapshot_positions
        self._netting_ids: dict[tuple[InstrumentId, StrategyId], PositionId] = {}
        self._counts: dict[StrategyId, int] = {}
        # A generated HEDGING id handed out but not yet used: (id, strategy, n).
        self._pending: tuple[PositionId, StrategyId, int] | None = None
        self.position_error_count = 0

    # -- position ids --------------------------------------------------------------------

    def netting_position_id(
        self, instrument_id: InstrumentId, strategy_id: StrategyId
    ) -> PositionId:
        """Return the NETTING position id ``{instrument_id}-{strategy_id}``."""
        key = (instrument_id, strategy_id)
        position_id = self._netting_ids.get(key)
        if position_id is None:
            position_id = self._netting_ids[key] = PositionId(f"{instrument_id}-{strategy_id}")
        return position_id

    def position_id_for(self, fill: OrderFilled, oms_type: OmsType) -> PositionId:
        """Return the id of the position `fill` goes to under `oms_type`.

        A generated HEDGING id is only reserved: it is used up when `handle_fill` opens
        the position, so a fill refused in between does not consume a number.
        """
        cached = self._cache.position_id(fill.client_order_id)
        if oms_type is not _HEDGING:
            if cached is not None:
                return cached
            return self.netting_position_id(fill.instrument_id, fill.strategy_id)
        position_id = cached if cached is not None else fill.position_id
        if position_id is not None:
            position = self._cache.position(position_id)
            if position is None or position.is_open:
                return position_id
            self._log.warning(
                f"fill {fill.trade_id} of order {fill.client_order_id} is for closed HEDGING "
                f"position {position_id}: opening a new position"
            )
        return self._reserve(fill.instrument_id, fill.strategy_id)

    def _reserve(self, instrument_id: InstrumentId, strategy_id: StrategyId) -> PositionId:
        n = self._count(strategy_id)
        while True:
            n += 1
            position_id = PositionId(f"{instrument_id}-{strategy_id}-{n}")
            if not self._cache.position_exists(position_id):
                break
        self._pending = (position_id, strategy_id, n)
        return position_id

    def _count(self, strategy_id: StrategyId) -> int:
        count = self._counts.get(strategy_id)
        if count is None:
            count = self._restore_count(strategy_id)
            self._counts[strategy_id] = count
        return count

    def _restore_count(self, strategy_id: StrategyId) -> int:
        """Return the highest generated number among the strategy's cached positions."""
        count = 0
        cache = self._cache
        for position_id in cache.position_ids(strategy_id=strategy_id):
            position = cache.position(position_id)
            if position is None:  # pragma: no cover - ids come from the cache itself
                continue
            prefix = f"{position.instrument_id}-{strategy_id}-"
            if position_id.startswith(prefix):
                suffix = position_id[len(prefix) :]
                if suffix.isdigit():
                    count = max(count, int(suffix))
        return count

    def _use(self, position_id: PositionId) -> None:
        pending = self._pending
        if pending is not None and pending[0] == position_id:
            self._counts[pending[1]] = pending[2]
            self._pending = None

    def _generate(self, instrument_id: InstrumentId, strategy_id: StrategyId) -> PositionId:
        position_id = self._reserve(instrument_id, strategy_id)
        self._use(position_id)
        return position_id

    # -- fills ---------------------------------------------------------------------------

    def handle_fill(self, fill: OrderFilled, oms_type: OmsType, *, reduce_only: bool) -> None:
        """Apply `fill` (which carries its position id) to its position and publish.

        Errors (no instrument, a position of another strategy, a fill the position
        refuses) are logged and counted in `position_error_count`.
        """
        position_id = fill.position_id
        if position_id is None:  # pragma: no cover - the engine always sets it
            raise ValueError(f"fill {fill.trade_id} has no position id")
        cache = self._cache
        instrument = cache.instrument(fill.instrument_id)
        if instrument is None:
            self._error(
                f"cannot update position {position_id} with fill {fill.trade_id}: instrument "
                f"{fill.instrument_id} is not in the cache"
            )
            return
        try:
            if cache.position_id(fill.client_order_id) != position_id:
                cache.add_position_id(
                    position_id, fill.instrument_id.venue, fill.client_order_id, fill.strategy_id
                )
            position = cache.position(position_id)
            signed = 0 if position is None else position.signed_qty_raw
            if position is None or signed == 0:  # none or closed
                self._open(instrument, position, fill, oms_type, reduce_only)
            elif ((signed > 0) is (fill.order_side is _SELL)) and fill.last_qty.raw > abs(
                signed
            ):  # `position.would_flip(fill)` written out (hot path)
                self._flip(instrument, position, fill, oms_type, reduce_only)
            else:
                adjustment = position.apply(fill)
                cache.update_position(position)
                # `_emit` written out: no event is built when nobody listens
                topic = topics.position_events(position.strategy_id)
                bus = self._msgbus
                if bus.has_subscribers(topic):
                    kind = PositionClosed if position.signed_qty_raw == 0 else PositionChanged
                    uuid, ts = self._uuids.generate(), self._clock.timestamp_ns()
                    bus.publish(topic, kind.create(position, fill, uuid, ts))
                if adjustment is not None or self._snapshot_positions:
                    self._after(position, adjustment)  # else it does nothing
        except ValueError as exc:
            self._error(f"cannot apply fill {fill.trade_id} to position {position_id}: {exc}")

    def _open(
        self,
        instrument: Instrument,
        closed: Position | None,
        fill: OrderFilled,
        oms_type: OmsType,
        reduce_only: bool,
    ) -> None:
        if reduce_only and oms_type is _NETTING:
            self._error(
                f"reduce-only fill {fill.trade_id} of order {fill.client_order_id} would open "
                f"position {fill.position_id}: not applied"
            )
            return
        cache = self._cache
        if closed is None:
            position = Position(instrument, fill)
            cache.add_position(position, _HEDGING if oms_type is _HEDGING else _NETTING)
            self._use(position.id)
            adjustment = position.adjustments[-1] if position.adjustments else None
        else:
            # A closed position (NETTING, or a HEDGING id the venue reused) reopens.
            if not self._snapshot_positions:  # else its closed state is already kept
                cache.snapshot_position(closed)
            position = closed
            adjustment = position.apply(fill)
            cache.update_position(position)
        self._emit(PositionOpened, position, fill)
        self._after(position, adjustment)

    def _flip(
        self,
        instrument: Instrument,
        position: Position,
        fill: OrderFilled,
        oms_type: OmsType,
        reduce_only: bool,
    ) -> None:
        cache = self._cache
        hedging = oms_type is _HEDGING
        new_id = self._generate(fill.instrument_id, fill.strategy_id) if hedging else None
        closing, opening = Position.split_flip(
            fill,
            position.quantity,
            opening_position_id=new_id,
            opening_event_id=self._uuids.generate(),
        )
        adjustment = position.apply(closing)
        cache.update_position(position)
        self._emit(PositionClosed, position, closing)
        self._after(position, adjustment)
        if reduce_only:
            self._error(
                f"reduce-only fill {fill.trade_id} of order {fill.client_order_id} would flip "
                f"position {position.id}: only the closing {closing.last_qty} was applied"
            )
            return
        # The opening part shares the trade id with the closing part, so it starts a
        # new Position object (a reopen in place would refuse the repeated trade id).
        flipped = Position(instrument, opening)
        if hedging:
            cache.add_position(flipped, _HEDGING)
        else:
            if not self._snapshot_positions:
                cache.snapshot_position(position)
            cache.update_position(flipped)
        self._emit(PositionOpened, flipped, opening)
        self._after(flipped, flipped.adjustments[-1] if flipped.adjustments else None)

    # -- output ----------------------------------------------------------------------------

    def _emit(self, kind: _FillEventType, position: Position, fill: OrderFilled) -> None:
        # A position event only goes to the bus: none is built when nobody listens (e.g.
        # startup reconciliation, where the portfolio rebuilds from the cache afterwards).
        topic = topics.position_events(position.strategy_id)
        bus = self._msgbus
        if bus.has_subscribers(topic):
            event = kind.create(position, fill, self._uuids.generate(), self._clock.timestamp_ns())
            bus.publish(topic, event)

    def _after(self, position: Position, adjustment: PositionAdjustment | None) -> None:
        if adjustment is not None:
            topic = topics.position_events(position.strategy_id)
            bus = self._msgbus
            if bus.has_subscribers(topic):
                event = PositionAdjusted.create(
                    position, adjustment, self._uuids.generate(), self._clock.timestamp_ns()
                )
                bus.publish(topic, event)
        if self._snapshot_positions:
            self._cache.snapshot_position(position)

    def _error(self, message: str) -> None:
        self.position_error_count += 1
        self._log.error(message)
