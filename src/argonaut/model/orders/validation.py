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


_BUY = OrderSide.BUY
_SELL = OrderSide.SELL
_GTD = TimeInForce.GTD
_NO_TRIGGER = TriggerType.NO_TRIGGER
_NO_TRAILING_OFFSET = TrailingOffsetType.NO_TRAILING_OFFSET
_REQUIRED = Need.REQUIRED
_FORBIDDEN = Need.FORBIDDEN


def _who(init: OrderInitialized) -> str:
    return f"{init.order_type.value} order {init.client_order_id}"


def _need(init: OrderInitialized, name: str, value: object, need: Need) -> None:
    if need is _REQUIRED:
        if value is None:
            raise ValueError(
                f"{_who(init)}: {name} is required for a {init.order_type.value} order"
            )
    elif need is _FORBIDDEN and value is not None:
        raise ValueError(
            f"{_who(init)}: a {init.order_type.value} order takes no {name} (found {value}); "
            "use an order type that has one"
        )


def check_init(init: OrderInitialized, rules: OrderTypeRules) -> None:
    """Check `init` against `rules`; raise ValueError saying what is wrong."""
    # The hot path (every new order): messages are built only when raising.
    side = init.order_side
    if side is not _BUY and side is not _SELL:
        raise ValueError(f"{_who(init)}: order side {side.value} is invalid: expected BUY or SELL")
    if init.quantity.raw <= 0:
        raise ValueError(f"{_who(init)}: quantity {init.quantity} must be positive")
    tif = init.time_in_force
    for refused in rules.refused_tifs:  # empty or a few members: no Enum hashing
        if refused is tif:
            _refuse_tif(init, rules)
    expire = init.expire_time_ns
    if tif is _GTD:
        if expire is None or expire <= 0:
            raise ValueError(
                f"{_who(init)}: time in force GTD requires expire_time_ns (a positive UNIX ns "
                f"time), found {expire}"
            )
    elif expire is not None and expire < 0:
        raise ValueError(f"{_who(init)}: expire_time_ns {expire} must not be negative")

    need = rules.price
    price = init.price
    if (need is _REQUIRED and price is None) or (need is _FORBIDDEN and price is not None):
        _need(init, "price", price, need)
    need = rules.trigger_price
    price = init.trigger_price
    if (need is _REQUIRED and price is None) or (need is _FORBIDDEN and price is not None):
        _need(init, "trigger_price", price, need)
    if rules.trigger_price is not _FORBIDDEN and init.trigger_type is _NO_TRIGGER:
        raise ValueError(
            f"{_who(init)}: trigger_type NO_TRIGGER is invalid for a {init.order_type.value} "
            "order: expected e.g. DEFAULT, LAST_PRICE, BID_ASK or MARK_PRICE"
        )

    if rules.trailing:
        _check_trailing(init, rules)
    else:
        if init.trailing_offset is not None or (
            init.trailing_offset_type is not _NO_TRAILING_OFFSET
        ):
            raise ValueError(
                f"{_who(init)}: trailing parameters are only valid for TRAILING_STOP_MARKET "
                "and TRAILING_STOP_LIMIT orders"
            )
        if init.limit_offset is not None:
            raise ValueError(
                f"{_who(init)}: limit_offset is only valid for TRAILING_STOP_LIMIT orders"
            )

    if init.post_only and not rules.post_only:
        raise ValueError(
            f"{_who(init)}: post_only is not valid for a {init.order_type.value} order: only "
            "orders that rest at a limit price (LIMIT, STOP_LIMIT, LIMIT_IF_TOUCHED, "
            "TRAILING_STOP_LIMIT) take it"
        )
    if init.display_qty is not None:
        _check_display_qty(init, rules)
    if init.emulation_trigger is not _NO_TRIGGER and not rules.emulatable:
        raise ValueError(
            f"{_who(init)}: a {init.order_type.value} order cannot be emulated: it has no "
            "trigger or price"
        )


def _refuse_tif(init: OrderInitialized, rules: OrderTypeRules) -> None:
    allowed = ", ".join(t.value for t in TimeInForce if t not in rules.refused_tifs)
    raise ValueError(
        f"{_who(init)}: time in force {init.time_in_force.value} is not valid for "
        f"{init.order_type.value} orders: expected one of {allowed}"
    )


def _check_trailing(init: OrderInitialized, rules: OrderTypeRules) -> None:
    kind = init.order_type.value
    if init.trailing_offset_type is _NO_TRAILING_OFFSET:
        raise ValueError(
            f"{_who(init)}: trailing_offset_type is required for a {kind} order: expected "
            "PRICE, BASIS_POINTS, TICKS or PRICE_TIER"
        )
    offset = init.trailing_offset
    if offset is None or not offset.is_finite() or offset < 0:
        raise ValueError(
            f"{_who(init)}: trailing_offset must be a finite, non-negative Decimal, found {offset}"
        )
    if rules.needs_limit_offset and (
        init.limit_offset is None or not init.limit_offset.is_finite()
    ):
        raise ValueError(
            f"{_who(init)}: limit_offset (a finite Decimal) is required for a {kind} order, "
            f"found {init.limit_offset}"
        )


def _check_display_qty(init: OrderInitialized, rules: OrderTypeRules) -> None:
    display = init.display_qty
    assert display is not None
    if not rules.display_qty:
        raise ValueError(
            f"{_who(init)}: display_qty is not valid for a {init.order_type.value} order"
        )
    if display.raw > init.quantity.raw:
        raise ValueError(
            f"{_who(init)}: display_qty {display} exceeds the quantity {init.quantity}: "
            "expected at most the quantity"
        )
    tif = init.time_in_force
    if tif in _IMMEDIATE:
        raise ValueError(
            f"{_who(init)}: display_qty (iceberg) is not valid with time in force {tif.value}: "
            "an immediate order never rests"
        )


__all__ = ["Need", "OrderTypeRules", "check_init"]
