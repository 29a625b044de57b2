"""Turn an emulated order into a MARKET or LIMIT order when the emulator releases it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from argonaut.model.enums import OrderType, TimeInForce, TrailingOffsetType, TriggerType
from argonaut.model.orders.fsm import ACTIVE_LOCAL

if TYPE_CHECKING:
    from argonaut.model.orders.base import Order
    from argonaut.model.values import Price

# Order slots that hold type parameters: the transformed order gets them from its new
# initialization. Every other slot (state, fills, ids, events) is carried over.
_TYPE_PARAM_SLOTS = frozenset(
    {
        "init_event",
        "time_in_force",
        "expire_time_ns",
        "price",
        "trigger_price",
        "trigger_type",
        "limit_offset",
        "trailing_offset",
        "trailing_offset_type",
        "post_only",
        "display_qty",
        "emulation_trigger",
        "trigger_instrument_id",
    }
)


def transform_order(order: Order, new_order_type: OrderType, price: Price | None = None) -> Order:
    """Return `order` as a MARKET or LIMIT order; see `Order.transform`."""
    who = f"{order.order_type.value} order {order.client_order_id} ({order.status.value})"
    if order.status not in ACTIVE_LOCAL:
        raise ValueError(
            f"cannot transform {who}: only INITIALIZED, EMULATED or RELEASED orders "
            "(not yet at the venue) can change type"
        )
    tif = order.time_in_force
    expire = order.expire_time_ns
    if new_order_type is OrderType.MARKET:
        if tif is TimeInForce.GTD:
            tif = TimeInForce.GTC
            expire = None
        new_price = None
        post_only = False
        display_qty = None
    elif new_order_type is OrderType.LIMIT:
        new_price = price if price is not None else order.price
        if new_price is None:
            raise ValueError(f"cannot transform {who} to LIMIT without a price: pass price=")
        post_only = order.post_only
        display_qty = order.display_qty
    else:
        raise ValueError(
            f"cannot transform {who} to {new_order_type.value}: expected MARKET or LIMIT"
        )
    init = msgspec.structs.replace(
        order.init_event,
        order_type=new_order_type,
        quantity=order.quantity,
        time_in_force=tif,
        expire_time_ns=expire,
        price=new_price,
        trigger_price=None,
        trigger_type=TriggerType.NO_TRIGGER,
        limit_offset=None,
        trailing_offset=None,
        trailing_offset_type=TrailingOffsetType.NO_TRAILING_OFFSET,
        post_only=post_only,
        display_qty=display_qty,
        emulation_trigger=TriggerType.NO_TRIGGER,
        trigger_instrument_id=None,
    )
    from argonaut.model.orders.base import Order  # base imports this module

    new = Order.from_init(init)
    for name in Order.__slots__:
        if name in _TYPE_PARAM_SLOTS:
            continue
        value = getattr(order, name)
        if isinstance(value, list | set | dict):
            value = value.copy()
        setattr(new, name, value)
    return new


__all__ = ["transform_order"]
