"""`OrderView`: read-only queries over an order's state (derived values, predicates).

A mixin of `Order`; it holds no state of its own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.enums import (
    ContingencyType,
    OrderSide,
    OrderStatus,
    OrderType,
    PositionSide,
)
from argonaut.model.events.order import OrderEvent
from argonaut.model.identifiers import ClientOrderId, ExecAlgorithmId
from argonaut.model.orders.fsm import ACTIVE_LOCAL, CLOSED, IN_FLIGHT, OPEN
from argonaut.model.values import Price, Quantity


class OrderView:
    """Derived values and predicates of an order (mixed into `Order`)."""

    __slots__ = ()

    order_type: ClassVar[OrderType]
    # State and parameters the queries read (slots of `Order`).
    status: OrderStatus
    side: OrderSide
    quantity: Quantity
    filled_qty: Quantity
    leaves_qty: Quantity
    price: Price | None
    trigger_price: Price | None
    expire_time_ns: int | None
    post_only: bool
    reduce_only: bool
    quote_quantity: bool
    contingency_type: ContingencyType
    parent_order_id: ClientOrderId | None
    exec_algorithm_id: ExecAlgorithmId | None
    exec_spawn_id: ClientOrderId | None
    client_order_id: ClientOrderId
    events: list[OrderEvent]
    _fill_notional_raw: int

    @property
    def avg_px(self) -> float | None:
        """The average fill price (None before any fill), rounded once from the exact ratio."""
        filled = self.filled_qty.raw
        if filled == 0:
            return None
        return self._fill_notional_raw / (filled * FIXED_SCALAR)

    @property
    def event_count(self) -> int:
        """The number of events applied, the initialization included."""
        return len(self.events)

    @property
    def last_event(self) -> OrderEvent:
        """The most recent event."""
        return self.events[-1]

    @property
    def order_side(self) -> OrderSide:
        """The order side (same as `side`, named like the event field)."""
        return self.side

    @property
    def expire_time(self) -> int | None:
        """The expire time in UNIX nanoseconds (same as `expire_time_ns`)."""
        return self.expire_time_ns

    @property
    def is_post_only(self) -> bool:
        """True when the order must only add liquidity."""
        return self.post_only

    @property
    def is_reduce_only(self) -> bool:
        """True when the order may only reduce a position."""
        return self.reduce_only

    @property
    def is_quote_quantity(self) -> bool:
        """True when the quantity is in the quote currency."""
        return self.quote_quantity

    def signed_decimal_qty(self) -> Decimal:
        """Return the quantity as a Decimal, negative for a sell."""
        qty = self.quantity.as_decimal()
        return qty if self.side is OrderSide.BUY else -qty

    def would_reduce_only(self, position_side: PositionSide, position_qty: Quantity) -> bool:
        """Return True when filling what is left of this order only reduces the position."""
        if self.side is OrderSide.BUY:
            return position_side is PositionSide.SHORT and self.leaves_qty <= position_qty
        return position_side is PositionSide.LONG and self.leaves_qty <= position_qty

    @staticmethod
    def opposite_side(side: OrderSide) -> OrderSide:
        """Return SELL for BUY and BUY for SELL."""
        if side is OrderSide.BUY:
            return OrderSide.SELL
        if side is OrderSide.SELL:
            return OrderSide.BUY
        raise ValueError(f"order side {side.value} has no opposite: expected BUY or SELL")

    @staticmethod
    def closing_side(position_side: PositionSide) -> OrderSide:
        """Return the order side that closes a position (NO_ORDER_SIDE when FLAT)."""
        if position_side is PositionSide.LONG:
            return OrderSide.SELL
        if position_side is PositionSide.SHORT:
            return OrderSide.BUY
        if position_side is PositionSide.FLAT:
            return OrderSide.NO_ORDER_SIDE
        raise ValueError(
            f"position side {position_side.value} has no closing side: expected LONG, SHORT or FLAT"
        )

    # -- predicates -------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """True when working at the venue (ACCEPTED, TRIGGERED, PENDING_*, PARTIALLY_FILLED)."""
        return self.status in OPEN

    @property
    def is_closed(self) -> bool:
        """True when DENIED, REJECTED, CANCELED, EXPIRED or FILLED."""
        return self.status in CLOSED

    @property
    def is_inflight(self) -> bool:
        """True when a request to the venue awaits its outcome (SUBMITTED, PENDING_*)."""
        return self.status in IN_FLIGHT

    @property
    def is_emulated(self) -> bool:
        """True when held by the order emulator."""
        return self.status is OrderStatus.EMULATED

    @property
    def is_active_local(self) -> bool:
        """True when the order lives only locally (INITIALIZED, EMULATED, RELEASED)."""
        return self.status in ACTIVE_LOCAL

    @property
    def is_canceled(self) -> bool:
        """True when CANCELED."""
        return self.status is OrderStatus.CANCELED

    @property
    def is_pending_update(self) -> bool:
        """True when a modify awaits its outcome."""
        return self.status is OrderStatus.PENDING_UPDATE

    @property
    def is_pending_cancel(self) -> bool:
        """True when a cancel awaits its outcome."""
        return self.status is OrderStatus.PENDING_CANCEL

    @property
    def is_buy(self) -> bool:
        """True for a buy order."""
        return self.side is OrderSide.BUY

    @property
    def is_sell(self) -> bool:
        """True for a sell order."""
        return self.side is OrderSide.SELL

    @property
    def is_passive(self) -> bool:
        """True for every type but MARKET."""
        return self.order_type is not OrderType.MARKET

    @property
    def is_aggressive(self) -> bool:
        """True for a MARKET order."""
        return self.order_type is OrderType.MARKET

    @property
    def is_contingency(self) -> bool:
        """True when the order belongs to an OCO, OTO or OUO group."""
        return self.contingency_type is not ContingencyType.NO_CONTINGENCY

    @property
    def is_parent_order(self) -> bool:
        """True for the parent of an OTO group (its fills release the children)."""
        return self.contingency_type is ContingencyType.OTO

    @property
    def is_child_order(self) -> bool:
        """True when the order has a parent order."""
        return self.parent_order_id is not None

    @property
    def is_primary(self) -> bool:
        """True for an execution algorithm's primary order."""
        return self.exec_algorithm_id is not None and self.exec_spawn_id == self.client_order_id

    @property
    def is_spawned(self) -> bool:
        """True for an order an execution algorithm spawned from a primary order."""
        return (
            self.exec_algorithm_id is not None
            and self.exec_spawn_id is not None
            and self.exec_spawn_id != self.client_order_id
        )

    @property
    def has_price(self) -> bool:
        """True when the order has a limit price."""
        return self.price is not None

    @property
    def has_trigger_price(self) -> bool:
        """True when the order has a trigger price."""
        return self.trigger_price is not None


__all__ = ["OrderView"]
