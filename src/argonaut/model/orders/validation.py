"""Parameter rules of each order type, as data, and the check of an `OrderInitialized`.

Each order type declares an `OrderTypeRules`: whether it needs, allows or refuses a
limit price and a trigger price, whether it trails, whether it may rest passively
(post-only, iceberg display quantity), whether it can be emulated, and which times in
force it refuses. `check_init` applies the rules and raises `ValueError` naming the
order and what would be valid.
"""

from __future__ import annotations

from enum import Enum, unique

import msgspec

from argonaut.model.enums import OrderSide, TimeInForce, TrailingOffsetType, TriggerType
from argonaut.model.events.order import OrderInitialized


@unique
class Need(Enum):
    """Whether an order type needs a parameter."""

    REQUIRED = "REQUIRED"
    OPTIONAL = "OPTIONAL"  # may be absent until computed (trailing stops, market-to-limit)
    FORBIDDEN = "FORBIDDEN"


_OPEN_CLOSE = frozenset({TimeInForce.AT_THE_OPEN, TimeInForce.AT_THE_CLOSE})
_IMMEDIATE = frozenset({TimeInForce.IOC, TimeInForce.FOK})


class OrderTypeRules(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """The parameter rules of one order type."""

    price: Need
    trigger_price: Need
    trailing: bool = False
    needs_limit_offset: bool = False
    post_only: bool = False
    display_qty: bool = False
    emulatable: bool = True
    refused_tifs: frozenset[TimeInForce] = _OPEN_CLOSE


def _need(init: OrderInitialized, who: str, name: str, value: object, need: Need) -> None:
    if need is Need.REQUIRED and value is None:
        raise ValueError(f"{who}: {name} is required for a {init.order_type.value} order")
    if need is Need.FORBIDDEN and value is not None:
        raise ValueError(
            f"{who}: a {init.order_type.value} order takes no {name} (found {value}); "
            "use an order type that has one"
        )


def check_init(init: OrderInitialized, rules: OrderTypeRules) -> None:
    """Check `init` against `rules`; raise ValueError saying what is wrong."""
    kind = init.order_type.value
    who = f"{kind} order {init.client_order_id}"
    if init.order_side is not OrderSide.BUY and init.order_side is not OrderSide.SELL:
        raise ValueError(
            f"{who}: order side {init.order_side.value} is invalid: expected BUY or SELL"
        )
    if init.quantity.raw <= 0:
        raise ValueError(f"{who}: quantity {init.quantity} must be positive")
    tif = init.time_in_force
    if tif in rules.refused_tifs:
        allowed = ", ".join(t.value for t in TimeInForce if t not in rules.refused_tifs)
        raise ValueError(
            f"{who}: time in force {tif.value} is not valid for {kind} orders: "
            f"expected one of {allowed}"
        )
    if tif is TimeInForce.GTD:
        if init.expire_time_ns is None or init.expire_time_ns <= 0:
            raise ValueError(
                f"{who}: time in force GTD requires expire_time_ns (a positive UNIX ns "
                f"time), found {init.expire_time_ns}"
            )
    elif init.expire_time_ns is not None and init.expire_time_ns < 0:
        raise ValueError(f"{who}: expire_time_ns {init.expire_time_ns} must not be negative")

    _need(init, who, "price", init.price, rules.price)
    _need(init, who, "trigger_price", init.trigger_price, rules.trigger_price)
    if rules.trigger_price is not Need.FORBIDDEN and init.trigger_type is TriggerType.NO_TRIGGER:
        raise ValueError(
            f"{who}: trigger_type NO_TRIGGER is invalid for a {kind} order: expected e.g. "
            "DEFAULT, LAST_PRICE, BID_ASK or MARK_PRICE"
        )

    if rules.trailing:
        if init.trailing_offset_type is TrailingOffsetType.NO_TRAILING_OFFSET:
            raise ValueError(
                f"{who}: trailing_offset_type is required for a {kind} order: expected "
                "PRICE, BASIS_POINTS, TICKS or PRICE_TIER"
            )
        offset = init.trailing_offset
        if offset is None or not offset.is_finite() or offset < 0:
            raise ValueError(
                f"{who}: trailing_offset must be a finite, non-negative Decimal, found {offset}"
            )
        if rules.needs_limit_offset and (
            init.limit_offset is None or not init.limit_offset.is_finite()
        ):
            raise ValueError(
                f"{who}: limit_offset (a finite Decimal) is required for a {kind} order, "
                f"found {init.limit_offset}"
            )
    else:
        if init.trailing_offset is not None or (
            init.trailing_offset_type is not TrailingOffsetType.NO_TRAILING_OFFSET
        ):
            raise ValueError(
                f"{who}: trailing parameters are only valid for TRAILING_STOP_MARKET and "
                "TRAILING_STOP_LIMIT orders"
            )
        if init.limit_offset is not None:
            raise ValueError(f"{who}: limit_offset is only valid for TRAILING_STOP_LIMIT orders")

    if init.post_only and not rules.post_only:
        raise ValueError(
            f"{who}: post_only is not valid for a {kind} order: only orders that rest at a "
            "limit price (LIMIT, STOP_LIMIT, LIMIT_IF_TOUCHED, TRAILING_STOP_LIMIT) take it"
        )
    display = init.display_qty
    if display is not None:
        if not rules.display_qty:
            raise ValueError(f"{who}: display_qty is not valid for a {kind} order")
        if display.raw > init.quantity.raw:
            raise ValueError(
                f"{who}: display_qty {display} exceeds the quantity {init.quantity}: "
                "expected at most the quantity"
            )
        if tif in _IMMEDIATE:
            raise ValueError(
                f"{who}: display_qty (iceberg) is not valid with time in force {tif.value}: "
                "an immediate order never rests"
            )
    if init.emulation_trigger is not TriggerType.NO_TRIGGER and not rules.emulatable:
        raise ValueError(f"{who}: a {kind} order cannot be emulated: it has no trigger or price")


__all__ = ["Need", "OrderTypeRules", "check_init"]
