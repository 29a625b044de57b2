"""Trading commands: what a strategy asks the execution side to do.

Commands are immutable and hold no live objects: an order travels as its
`OrderInitialized` event and engines look up the `Order` in the cache by client order
id. Routing: `client_id` when given, else the instrument's venue, else the default
client. `params` carries venue-specific options for the adapter.
"""

from __future__ import annotations

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.enums import OrderSide
from argonaut.model.events.order import OrderInitialized
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    ExecAlgorithmId,
    InstrumentId,
    PositionId,
    StrategyId,
    TraderId,
    Venue,
    VenueOrderId,
)
from argonaut.model.order_list import OrderList
from argonaut.model.values import Price, Quantity


class TradingCommand(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """Fields every trading command carries (base class, never sent itself)."""

    trader_id: TraderId
    command_id: UUID4
    ts_init: int
    client_id: ClientId | None = None
    params: dict[str, str] | None = None


class SubmitOrder(TradingCommand, frozen=True, kw_only=True, tag=True):
    """Submit one order (the hot path: no validation on construction)."""

    order_init: OrderInitialized
    position_id: PositionId | None = None
    exec_algorithm_id: ExecAlgorithmId | None = None

    @property
    def client_order_id(self) -> ClientOrderId:
        """The order's client order id."""
        return self.order_init.client_order_id

    @property
    def instrument_id(self) -> InstrumentId:
        """The order's instrument."""
        return self.order_init.instrument_id

    @property
    def strategy_id(self) -> StrategyId:
        """The strategy that owns the order."""
        return self.order_init.strategy_id

    @property
    def venue(self) -> Venue:
        """The order's venue (used for routing when `client_id` is None)."""
        return self.order_init.instrument_id.venue


class SubmitOrderList(TradingCommand, frozen=True, kw_only=True, tag=True):
    """Submit the orders of an order list together."""

    order_list: OrderList
    position_id: PositionId | None = None

    @property
    def instrument_id(self) -> InstrumentId:
        """The list's instrument."""
        return self.order_list.instrument_id

    @property
    def strategy_id(self) -> StrategyId:
        """The strategy that owns the list."""
        return self.order_list.strategy_id

    @property
    def client_order_ids(self) -> tuple[ClientOrderId, ...]:
        """The client order ids of the list, in order."""
        return self.order_list.client_order_ids

    @property
    def venue(self) -> Venue:
        """The list's venue (used for routing when `client_id` is None)."""
        return self.order_list.instrument_id.venue


class _InstrumentCommand(TradingCommand, frozen=True, kw_only=True, tag=True):
    """A trading command of one strategy about one instrument."""

    strategy_id: StrategyId
    instrument_id: InstrumentId

    @property
    def venue(self) -> Venue:
        """The instrument's venue (used for routing when `client_id` is None)."""
        return self.instrument_id.venue


class ModifyOrder(_InstrumentCommand, frozen=True, kw_only=True, tag=True):
    """Change an open order's quantity, price and/or trigger price.

    Raises `ValueError` when none of the three is given (nothing to modify).
    """

    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId | None = None
    quantity: Quantity | None = None
    price: Price | None = None
    trigger_price: Price | None = None

    def __post_init__(self) -> None:
        if self.quantity is None and self.price is None and self.trigger_price is None:
            raise ValueError(
                f"modify of order {self.client_order_id} changes nothing: "
                "give a quantity, a price or a trigger price"
            )


class CancelOrder(_InstrumentCommand, frozen=True, kw_only=True, tag=True):
    """Cancel one order."""

    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId | None = None


class CancelAllOrders(_InstrumentCommand, frozen=True, kw_only=True, tag=True):
    """Cancel every open order of the strategy on the instrument (one side, or both
    when `order_side` is NO_ORDER_SIDE)."""

    order_side: OrderSide = OrderSide.NO_ORDER_SIDE


class BatchCancelOrders(_InstrumentCommand, frozen=True, kw_only=True, tag=True):
    """Cancel several orders of one instrument in one venue request.

    Raises `ValueError` when `cancels` is empty or holds a cancel for another instrument.
    """

    cancels: tuple[CancelOrder, ...]

    def __post_init__(self) -> None:
        if not self.cancels:
            raise ValueError(
                f"batch cancel for {self.instrument_id} is empty: expected at least one cancel"
            )
        for cancel in self.cancels:
            if cancel.instrument_id != self.instrument_id:
                raise ValueError(
                    f"batch cancel for {self.instrument_id} holds a cancel of order "
                    f"{cancel.client_order_id} on {cancel.instrument_id}: "
                    "every cancel must be for the batch's instrument"
                )

    @property
    def client_order_ids(self) -> tuple[ClientOrderId, ...]:
        """The client order ids to cancel, in order."""
        return tuple(cancel.client_order_id for cancel in self.cancels)


class QueryOrder(_InstrumentCommand, frozen=True, kw_only=True, tag=True):
    """Ask the venue for the current state of one order."""

    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId | None = None


class QueryAccount(TradingCommand, frozen=True, kw_only=True, tag=True):
    """Ask the venue for the current state of an account."""

    account_id: AccountId


TRADING_COMMAND_TYPES: tuple[type[TradingCommand], ...] = (
    SubmitOrder,
    SubmitOrderList,
    ModifyOrder,
    CancelOrder,
    CancelAllOrders,
    BatchCancelOrders,
    QueryOrder,
    QueryAccount,
)
