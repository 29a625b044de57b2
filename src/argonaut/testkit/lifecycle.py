"""Generic order-lifecycle helpers for order state machine tests.

`make_init(order_type)` / `make_order(order_type)` build a BUY 10 of any order type
with round prices near 100.0 (no instrument grid); `make_event(order, kind)` builds any
order event for an order from the event *class*, so a test can enumerate the
transition table; `order_in_status(status)` drives an order into any of the 14
statuses; `snapshot(order)` copies every slot so a test can check a refused event left
the order unchanged. Fills default to 1 @ 100.0 with a
0.10 USD commission.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from argonaut.model.enums import (
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderDenied,
    OrderEmulated,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderInitialized,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingUpdate,
    OrderRejected,
    OrderReleased,
    OrderSubmitted,
    OrderTriggered,
    OrderUpdated,
)
from argonaut.model.identifiers import ClientOrderId
from argonaut.model.orders import Order
from argonaut.model.values import USD, Money, Price, Quantity
from argonaut.testkit.ids import (
    ACCOUNT_ID,
    INSTRUMENT_ID,
    STRATEGY_ID,
    TRADER_ID,
    VENUE_ORDER_ID,
    next_trade_id,
    next_uuid,
)

_TYPE_DEFAULTS: dict[OrderType, dict[str, Any]] = {
    OrderType.MARKET: {},
    OrderType.LIMIT: {"price": Price.from_str("100.0")},
    OrderType.STOP_MARKET: {"trigger_price": Price.from_str("101.0")},
    OrderType.STOP_LIMIT: {
        "price": Price.from_str("100.0"),
        "trigger_price": Price.from_str("101.0"),
    },
    OrderType.MARKET_TO_LIMIT: {},
    OrderType.MARKET_IF_TOUCHED: {"trigger_price": Price.from_str("99.0")},
    OrderType.LIMIT_IF_TOUCHED: {
        "price": Price.from_str("100.0"),
        "trigger_price": Price.from_str("99.0"),
    },
    OrderType.TRAILING_STOP_MARKET: {
        "trailing_offset": Decimal("1.0"),
        "trailing_offset_type": TrailingOffsetType.PRICE,
    },
    OrderType.TRAILING_STOP_LIMIT: {
        "trailing_offset": Decimal("1.0"),
        "limit_offset": Decimal("0.5"),
        "trailing_offset_type": TrailingOffsetType.PRICE,
    },
}
_TRIGGERED_TYPES = frozenset(
    {
        OrderType.STOP_MARKET,
        OrderType.STOP_LIMIT,
        OrderType.MARKET_IF_TOUCHED,
        OrderType.LIMIT_IF_TOUCHED,
        OrderType.TRAILING_STOP_MARKET,
        OrderType.TRAILING_STOP_LIMIT,
    }
)


def make_init(order_type: OrderType = OrderType.LIMIT, **overrides: Any) -> OrderInitialized:
    """Return a valid OrderInitialized of `order_type` (BUY 10 GTC, ts 1) with `overrides`.

    Prices are round numbers near 100.0 (limit 100.0, stop 101.0, if-touched 99.0); the
    instrument id is `INSTRUMENT_ID` but no instrument grid is applied.
    """
    fields: dict[str, Any] = {
        "trader_id": TRADER_ID,
        "strategy_id": STRATEGY_ID,
        "instrument_id": INSTRUMENT_ID,
        "client_order_id": ClientOrderId("O-1"),
        "event_id": next_uuid(),
        "ts_event": 1,
        "ts_init": 1,
        "order_side": OrderSide.BUY,
        "order_type": order_type,
        "quantity": Quantity.from_str("10"),
        "time_in_force": TimeInForce.GTC,
    }
    if order_type in _TRIGGERED_TYPES:
        fields["trigger_type"] = TriggerType.DEFAULT
    fields.update(_TYPE_DEFAULTS[order_type])
    fields.update(overrides)
    return OrderInitialized(**fields)


def make_order(order_type: OrderType = OrderType.LIMIT, **overrides: Any) -> Order:
    """Return a valid order of `order_type` (see `make_init`)."""
    return Order.from_init(make_init(order_type, **overrides))


_EVENT_DEFAULTS: dict[type[OrderEvent], dict[str, Any]] = {
    OrderDenied: {"reason": "denied by test"},
    OrderEmulated: {},
    OrderReleased: {"released_price": Price.from_str("100.0")},
    OrderSubmitted: {"account_id": ACCOUNT_ID},
    OrderAccepted: {"account_id": ACCOUNT_ID, "venue_order_id": VENUE_ORDER_ID},
    OrderRejected: {"account_id": ACCOUNT_ID, "reason": "rejected by test"},
    OrderCanceled: {},
    OrderExpired: {},
    OrderTriggered: {},
    OrderPendingUpdate: {"account_id": ACCOUNT_ID},
    OrderPendingCancel: {"account_id": ACCOUNT_ID},
    OrderModifyRejected: {"reason": "modify rejected by test"},
    OrderCancelRejected: {"reason": "cancel rejected by test"},
    OrderUpdated: {},
    OrderFilled: {
        "account_id": ACCOUNT_ID,
        "venue_order_id": VENUE_ORDER_ID,
        "currency": USD,
        "commission": Money.from_str("0.10 USD"),
        "liquidity_side": LiquiditySide.MAKER,
        "last_qty": Quantity.from_str("1"),
        "last_px": Price.from_str("100.0"),
    },
}


def make_event(order: Order, kind: type[OrderEvent], ts: int = 2, **overrides: Any) -> OrderEvent:
    """Return an event of class `kind` for `order` with test defaults and `overrides`.

    `OrderInitialized` returns the order's own init event; an `OrderUpdated` keeps the
    order's quantity; an `OrderFilled` gets the next trade id of the seeded sequence.
    """
    if kind is OrderInitialized:
        return order.init_event
    fields: dict[str, Any] = {
        "trader_id": order.trader_id,
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "event_id": next_uuid(),
        "ts_event": ts,
        "ts_init": ts,
    }
    fields.update(_EVENT_DEFAULTS[kind])
    if kind is OrderUpdated:
        fields["quantity"] = order.quantity
    elif kind is OrderFilled:
        fields["trade_id"] = next_trade_id()
        fields["order_side"] = order.side
        fields["order_type"] = order.order_type
    fields.update(overrides)
    return kind(**fields)


def make_fill(order: Order, qty: str, px: str, ts: int = 2, **overrides: Any) -> OrderFilled:
    """Return a fill of `qty` at `px` for `order` (see `make_event`)."""
    event = make_event(
        order,
        OrderFilled,
        ts,
        last_qty=Quantity.from_str(qty),
        last_px=Price.from_str(px),
        **overrides,
    )
    assert isinstance(event, OrderFilled)
    return event


# Event paths from INITIALIZED to each status (on a STOP_LIMIT order of quantity 10).
STATUS_PATHS: dict[OrderStatus, tuple[type[OrderEvent], ...]] = {
    OrderStatus.INITIALIZED: (),
    OrderStatus.DENIED: (OrderDenied,),
    OrderStatus.EMULATED: (OrderEmulated,),
    OrderStatus.RELEASED: (OrderEmulated, OrderReleased),
    OrderStatus.SUBMITTED: (OrderSubmitted,),
    OrderStatus.ACCEPTED: (OrderSubmitted, OrderAccepted),
    OrderStatus.REJECTED: (OrderSubmitted, OrderRejected),
    OrderStatus.CANCELED: (OrderSubmitted, OrderAccepted, OrderCanceled),
    OrderStatus.EXPIRED: (OrderSubmitted, OrderAccepted, OrderExpired),
    OrderStatus.TRIGGERED: (OrderSubmitted, OrderAccepted, OrderTriggered),
    OrderStatus.PENDING_UPDATE: (OrderSubmitted, OrderAccepted, OrderPendingUpdate),
    OrderStatus.PENDING_CANCEL: (OrderSubmitted, OrderAccepted, OrderPendingCancel),
    OrderStatus.PARTIALLY_FILLED: (OrderSubmitted, OrderAccepted, OrderFilled),
    OrderStatus.FILLED: (OrderSubmitted, OrderAccepted, OrderFilled),
}


def order_in_status(status: OrderStatus, order_type: OrderType = OrderType.STOP_LIMIT) -> Order:
    """Return an order of `order_type` (quantity 10) driven into `status`.

    PARTIALLY_FILLED is 4 of 10 filled; events are stamped 10, 11, 12.
    """
    order = make_order(order_type)
    for i, kind in enumerate(STATUS_PATHS[status]):
        ts = 10 + i
        if kind is OrderFilled:
            qty = "10" if status is OrderStatus.FILLED else "4"
            order.apply(make_fill(order, qty, "100.0", ts))
        else:
            order.apply(make_event(order, kind, ts))
    if order.status is not status:  # pragma: no cover - STATUS_PATHS is wrong
        raise AssertionError(f"expected the order in {status.value}, found {order.status.value}")
    return order


def snapshot(order: Order) -> dict[str, Any]:
    """Return a copy of every slot of `order` (containers copied), to check it is unchanged."""
    return {name: copy.copy(getattr(order, name)) for name in Order.__slots__}


__all__ = [
    "STATUS_PATHS",
    "make_event",
    "make_fill",
    "make_init",
    "make_order",
    "order_in_status",
    "snapshot",
]
