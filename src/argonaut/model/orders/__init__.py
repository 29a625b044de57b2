"""Orders and the order state machine.

`fsm` holds the transition table as data and the status categories; `base.Order` is the
mutable order driven by its events (`Order.apply`); `types` has the nine order types
with their parameter rules and `create(...)` constructors. Imports only `argonaut.core`
and `argonaut.model` (enums, identifiers, values, events).
"""

from argonaut.core.errors import InvalidStateTransition
from argonaut.model.orders.base import DuplicateFill, Order, OverfillError
from argonaut.model.orders.fsm import (
    ACTIVE_LOCAL,
    BY_FILLED_QTY,
    CANCELLABLE_STATUSES,
    CLOSED,
    IN_FLIGHT,
    OPEN,
    PENDING,
    RESTORE_PREVIOUS,
    TERMINAL,
    TRANSITIONS,
    TRIGGERABLE_ORDER_TYPES,
    DeferredStatus,
    allowed_events,
    next_status,
)
from argonaut.model.orders.types import (
    ORDER_CLASSES,
    LimitIfTouchedOrder,
    LimitOrder,
    MarketIfTouchedOrder,
    MarketOrder,
    MarketToLimitOrder,
    OrderParams,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopLimitOrder,
    TrailingStopMarketOrder,
)
from argonaut.model.orders.validation import Need, OrderTypeRules

__all__ = [
    "ACTIVE_LOCAL",
    "BY_FILLED_QTY",
    "CANCELLABLE_STATUSES",
    "CLOSED",
    "IN_FLIGHT",
    "OPEN",
    "ORDER_CLASSES",
    "PENDING",
    "RESTORE_PREVIOUS",
    "TERMINAL",
    "TRANSITIONS",
    "TRIGGERABLE_ORDER_TYPES",
    "DeferredStatus",
    "DuplicateFill",
    "InvalidStateTransition",
    "LimitIfTouchedOrder",
    "LimitOrder",
    "MarketIfTouchedOrder",
    "MarketOrder",
    "MarketToLimitOrder",
    "Need",
    "Order",
    "OrderParams",
    "OrderTypeRules",
    "OverfillError",
    "StopLimitOrder",
    "StopMarketOrder",
    "TrailingStopLimitOrder",
    "TrailingStopMarketOrder",
    "allowed_events",
    "next_status",
]
