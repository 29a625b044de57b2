"""`TradingView`: read-only queries over orders, positions and saved state.

Part of `argonaut.cache.view.CacheView`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from argonaut.model.enums import OmsType, OrderSide, PositionSide
from argonaut.model.identifiers import (
    ClientId,
    ClientOrderId,
    ExecAlgorithmId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.position import Position, PositionSnapshot

_ANY_SIDE = OrderSide.NO_ORDER_SIDE
_ANY_POSITION_SIDE = PositionSide.NO_POSITION_SIDE


@runtime_checkable
class TradingView(Protocol):
    """Read-only queries over orders, positions and saved state."""

    # -- orders ----------------------------------------------------------------------

    def order(self, client_order_id: ClientOrderId) -> Order | None:
        """Return the cached order with this client order id, or None."""
        ...

    def order_exists(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is cached."""
        ...

    def is_order_open(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is open (working at the venue)."""
        ...

    def is_order_closed(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is closed."""
        ...

    def is_order_inflight(self, client_order_id: ClientOrderId) -> bool:
        """Return True when a request for the order awaits the venue's answer."""
        ...

    def is_order_emulated(self, client_order_id: ClientOrderId) -> bool:
        """Return True when the order is held by the order emulator."""
        ...

    def client_order_id(self, venue_order_id: VenueOrderId) -> ClientOrderId | None:
        """Return the client order id of a venue order id, or None."""
        ...

    def venue_order_id(self, client_order_id: ClientOrderId) -> VenueOrderId | None:
        """Return the current venue order id of an order, or None."""
        ...

    def strategy_id_for_order(self, client_order_id: ClientOrderId) -> StrategyId | None:
        """Return the strategy that owns a cached order, or None."""
        ...

    def client_id(self, client_order_id: ClientOrderId) -> ClientId | None:
        """Return the execution client an order was routed with, or None."""
        ...

    def position_id(self, client_order_id: ClientOrderId) -> PositionId | None:
        """Return the position an order is linked to, or None."""
        ...

    def orders_for_position(self, position_id: PositionId) -> list[Order]:
        """Return the cached orders linked to a position, in the order added."""
        ...

    # -- order queries ---------------------------------------------------------------

    def client_order_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of every cached order matching the filters."""
        ...

    def client_order_ids_open(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the open orders matching the filters."""
        ...

    def client_order_ids_closed(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the closed orders matching the filters."""
        ...

    def client_order_ids_inflight(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the in-flight orders matching the filters."""
        ...

    def client_order_ids_emulated(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[ClientOrderId]:
        """Return the ids of the emulated orders matching the filters."""
        ...

    def orders(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return every cached order matching the filters."""
        ...

    def orders_open(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the open orders matching the filters."""
        ...

    def orders_closed(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the closed orders matching the filters."""
        ...

    def orders_inflight(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the in-flight orders matching the filters."""
        ...

    def orders_emulated(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the emulated orders matching the filters."""
        ...

    def orders_for_exec_algorithm(
        self,
        exec_algorithm_id: ExecAlgorithmId,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> list[Order]:
        """Return the orders of an execution algorithm matching the filters."""
        ...

    def orders_for_exec_spawn(self, exec_spawn_id: ClientOrderId) -> list[Order]:
        """Return a primary order and the orders spawned from it, in the order added."""
        ...

    def orders_total_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many cached orders match the filters."""
        ...

    def orders_open_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many open orders match the filters."""
        ...

    def orders_closed_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many closed orders match the filters."""
        ...

    def orders_inflight_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many in-flight orders match the filters."""
        ...

    def orders_emulated_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: OrderSide = _ANY_SIDE,
    ) -> int:
        """Return how many emulated orders match the filters."""
        ...

    # -- positions -------------------------------------------------------------------

    def position(self, position_id: PositionId) -> Position | None:
        """Return the cached position with this id, or None."""
        ...

    def position_exists(self, position_id: PositionId) -> bool:
        """Return True when the position is cached."""
        ...

    def position_for_order(self, client_order_id: ClientOrderId) -> Position | None:
        """Return the cached position an order is linked to, or None."""
        ...

    def oms_type_for_position(self, position_id: PositionId) -> OmsType | None:
        """Return the OMS a cached position was opened under, or None."""
        ...

    def is_position_open(self, position_id: PositionId) -> bool:
        """Return True when the position is cached and open."""
        ...

    def is_position_closed(self, position_id: PositionId) -> bool:
        """Return True when the position is cached and closed."""
        ...

    def position_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> list[PositionId]:
        """Return the ids of every cached position matching the filters."""
        ...

    def position_open_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> list[PositionId]:
        """Return the ids of the open positions matching the filters."""
        ...

    def position_closed_ids(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> list[PositionId]:
        """Return the ids of the closed positions matching the filters."""
        ...

    def positions(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> list[Position]:
        """Return every cached position matching the filters."""
        ...

    def positions_open(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> list[Position]:
        """Return the open positions matching the filters."""
        ...

    def positions_closed(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> list[Position]:
        """Return the closed positions matching the filters."""
        ...

    def positions_total_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> int:
        """Return how many cached positions match the filters."""
        ...

    def positions_open_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> int:
        """Return how many open positions match the filters."""
        ...

    def positions_closed_count(
        self,
        venue: Venue | None = None,
        instrument_id: InstrumentId | None = None,
        strategy_id: StrategyId | None = None,
        side: PositionSide = _ANY_POSITION_SIDE,
    ) -> int:
        """Return how many closed positions match the filters."""
        ...

    def position_snapshots(self, position_id: PositionId | None = None) -> list[PositionSnapshot]:
        """Return the snapshots of a position (all positions when None), oldest first."""
        ...

    # -- state -----------------------------------------------------------------------

    def get(self, key: str) -> bytes | None:
        """Return the value stored under `key`, or None."""
        ...

    def general_keys(self) -> list[str]:
        """Return the general keys, in the order first stored."""
        ...

    def actor_state(self, component_id: str) -> dict[str, bytes] | None:
        """Return a copy of a component's saved state, or None."""
        ...


__all__ = ["TradingView"]
