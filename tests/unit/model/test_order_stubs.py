"""Stub builders for order tests (until the shared `argonaut.testkit` exists).

`make_init` / `make_order` build a valid order of any type with overridable fields;
`make_event(order, kind, ...)` builds any order event for that order with defaults;
`order_in_status` drives a STOP_LIMIT order into any of the 14 statuses.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from argonaut.core.uuid import UUIDFactory
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
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.values import USD, Money, Price, Quantity

TRADER = TraderId("TRADER-001")
STRATEGY = StrategyId("S-001")
INSTRUMENT = InstrumentId("BTCUSDT-PERP.SIM")
ACCOUNT = AccountId("SIM-001")
VENUE_ORDER_ID = VenueOrderId("V-1")
_UUIDS = UUIDFactory(seed=42)

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
_TRIGGERED_TYPES = {
    OrderType.STOP_MARKET,
    OrderType.STOP_LIMIT,
    OrderType.MARKET_IF_TOUCHED,
    OrderType.LIMIT_IF_TOUCHED,
    OrderType.TRAILING_STOP_MARKET,
    OrderType.TRAILING_STOP_LIMIT,
}


def make_init(order_type: OrderType = OrderType.LIMIT, **overrides: Any) -> OrderInitialized:
    """Return a valid OrderInitialized of `order_type` (BUY 10, GTC) with `overrides`."""
    fields: dict[str, Any] = {
        "trader_id": TRADER,
        "strategy_id": STRATEGY,
        "instrument_id": INSTRUMENT,
        "client_order_id": ClientOrderId("O-1"),
        "event_id": _UUIDS.generate(),
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
    OrderSubmitted: {"account_id": ACCOUNT},
    OrderAccepted: {"account_id": ACCOUNT, "venue_order_id": VENUE_ORDER_ID},
    OrderRejected: {"account_id": ACCOUNT, "reason": "rejected by test"},
    OrderCanceled: {},
    OrderExpired: {},
    OrderTriggered: {},
    OrderPendingUpdate: {"account_id": ACCOUNT},
    OrderPendingCancel: {"account_id": ACCOUNT},
    OrderModifyRejected: {"reason": "modify rejected by test"},
    OrderCancelRejected: {"reason": "cancel rejected by test"},
    OrderUpdated: {},
    OrderFilled: {
        "account_id": ACCOUNT,
        "venue_order_id": VENUE_ORDER_ID,
        "currency": USD,
        "commission": Money.from_str("0.10 USD"),
        "liquidity_side": LiquiditySide.MAKER,
        "last_qty": Quantity.from_str("1"),
        "last_px": Price.from_str("100.0"),
    },
}

_trade_seq = [0]


def make_event(order: Order, kind: type[OrderEvent], ts: int = 2, **overrides: Any) -> OrderEvent:
    """Return an event of `kind` for `order` with sensible defaults and `overrides`."""
    if kind is OrderInitialized:
        return order.init_event
    fields: dict[str, Any] = {
        "trader_id": order.trader_id,
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "event_id": _UUIDS.generate(),
        "ts_event": ts,
        "ts_init": ts,
    }
    fields.update(_EVENT_DEFAULTS[kind])
    if kind is OrderUpdated:
        fields["quantity"] = order.quantity
    elif kind is OrderFilled:
        _trade_seq[0] += 1
        fields["trade_id"] = TradeId(f"T-{_trade_seq[0]}")
        fields["order_side"] = order.side
        fields["order_type"] = order.order_type
    fields.update(overrides)
    return kind(**fields)


def fill(order: Order, qty: str, px: str, ts: int = 2, **overrides: Any) -> OrderFilled:
    """Return a fill of `qty` at `px` for `order`."""
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
    """Return an order of `order_type` (quantity 10) driven into `status`."""
    order = make_order(order_type)
    for i, kind in enumerate(STATUS_PATHS[status]):
        ts = 10 + i
        if kind is OrderFilled:
            qty = "10" if status is OrderStatus.FILLED else "4"
            order.apply(fill(order, qty, "100.0", ts))
        else:
            order.apply(make_event(order, kind, ts))
    assert order.status is status
    return order


def snapshot(order: Order) -> dict[str, Any]:
    """Return a copy of every slot of `order` (containers copied), to check it is unchanged."""
    return {name: copy.copy(getattr(order, name)) for name in Order.__slots__}
