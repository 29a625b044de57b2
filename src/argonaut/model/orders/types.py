"""The nine order types: their parameter rules and `create(...)` constructors.

``XOrder.create(...)`` builds the `OrderInitialized` event from keyword arguments and the
order from it; the caller supplies `init_id` and `ts_init` (the model never makes UUIDs
or reads a clock). Parameters shared by every type (ids, side, quantity, flags,
contingency, execution algorithm, tags) are the keys of `OrderParams`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NotRequired, Required, TypedDict, Unpack

from argonaut.core.uuid import UUID4
from argonaut.model.enums import (
    ContingencyType,
    OrderSide,
    OrderType,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.events.order import OrderInitialized
from argonaut.model.identifiers import (
    ClientOrderId,
    ExecAlgorithmId,
    InstrumentId,
    OrderListId,
    StrategyId,
    TraderId,
)
from argonaut.model.orders.base import Order
from argonaut.model.orders.validation import Need, OrderTypeRules
from argonaut.model.values import Price, Quantity

_GTC = TimeInForce.GTC
_DEFAULT = TriggerType.DEFAULT


class OrderParams(TypedDict, total=False):
    """Keyword parameters every order type's `create` takes (`OrderInitialized` fields)."""

    trader_id: Required[TraderId]
    strategy_id: Required[StrategyId]
    instrument_id: Required[InstrumentId]
    client_order_id: Required[ClientOrderId]
    order_side: Required[OrderSide]
    quantity: Required[Quantity]
    expire_time_ns: NotRequired[int | None]
    reduce_only: NotRequired[bool]
    quote_quantity: NotRequired[bool]
    emulation_trigger: NotRequired[TriggerType]
    trigger_instrument_id: NotRequired[InstrumentId | None]
    contingency_type: NotRequired[ContingencyType]
    order_list_id: NotRequired[OrderListId | None]
    linked_order_ids: NotRequired[tuple[ClientOrderId, ...] | None]
    parent_order_id: NotRequired[ClientOrderId | None]
    exec_algorithm_id: NotRequired[ExecAlgorithmId | None]
    exec_algorithm_params: NotRequired[dict[str, str] | None]
    exec_spawn_id: NotRequired[ClientOrderId | None]
    tags: NotRequired[tuple[str, ...] | None]


_R, _O, _F = Need.REQUIRED, Need.OPTIONAL, Need.FORBIDDEN


class MarketOrder(Order):
    """Execute immediately at the best available price."""

    __slots__ = ()
    order_type = OrderType.MARKET
    rules = OrderTypeRules(
        price=_F, trigger_price=_F, emulatable=False, refused_tifs=frozenset({TimeInForce.GTD})
    )

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        time_in_force: TimeInForce = _GTC,
        **params: Unpack[OrderParams],
    ) -> MarketOrder:
        """Build a MARKET order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.MARKET,
                time_in_force=time_in_force,
                **params,
            )
        )


class LimitOrder(Order):
    """Rest at `price` or better."""

    __slots__ = ()
    order_type = OrderType.LIMIT
    rules = OrderTypeRules(
        price=_R, trigger_price=_F, post_only=True, display_qty=True, refused_tifs=frozenset()
    )

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        price: Price,
        time_in_force: TimeInForce = _GTC,
        post_only: bool = False,
        display_qty: Quantity | None = None,
        **params: Unpack[OrderParams],
    ) -> LimitOrder:
        """Build a LIMIT order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.LIMIT,
                time_in_force=time_in_force,
                price=price,
                post_only=post_only,
                display_qty=display_qty,
                **params,
            )
        )


class StopMarketOrder(Order):
    """Become a market order when the market reaches `trigger_price`."""

    __slots__ = ()
    order_type = OrderType.STOP_MARKET
    rules = OrderTypeRules(price=_F, trigger_price=_R)

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        **params: Unpack[OrderParams],
    ) -> StopMarketOrder:
        """Build a STOP_MARKET order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.STOP_MARKET,
                time_in_force=time_in_force,
                trigger_price=trigger_price,
                trigger_type=trigger_type,
                **params,
            )
        )


class StopLimitOrder(Order):
    """Become a limit order at `price` when the market reaches `trigger_price`."""

    __slots__ = ()
    order_type = OrderType.STOP_LIMIT
    rules = OrderTypeRules(price=_R, trigger_price=_R, post_only=True, display_qty=True)

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        price: Price,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        post_only: bool = False,
        display_qty: Quantity | None = None,
        **params: Unpack[OrderParams],
    ) -> StopLimitOrder:
        """Build a STOP_LIMIT order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.STOP_LIMIT,
                time_in_force=time_in_force,
                price=price,
                trigger_price=trigger_price,
                trigger_type=trigger_type,
                post_only=post_only,
                display_qty=display_qty,
                **params,
            )
        )


class MarketToLimitOrder(Order):
    """Execute at market; any remainder rests as a limit at the first fill's price.

    The price is absent until the venue sets it (an `OrderUpdated` after the first fill).
    """

    __slots__ = ()
    order_type = OrderType.MARKET_TO_LIMIT
    rules = OrderTypeRules(price=_O, trigger_price=_F, display_qty=True, emulatable=False)

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        time_in_force: TimeInForce = _GTC,
        display_qty: Quantity | None = None,
        **params: Unpack[OrderParams],
    ) -> MarketToLimitOrder:
        """Build a MARKET_TO_LIMIT order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.MARKET_TO_LIMIT,
                time_in_force=time_in_force,
                display_qty=display_qty,
                **params,
            )
        )


class MarketIfTouchedOrder(Order):
    """Become a market order when the market touches `trigger_price` (take profit)."""

    __slots__ = ()
    order_type = OrderType.MARKET_IF_TOUCHED
    rules = OrderTypeRules(price=_F, trigger_price=_R)

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        **params: Unpack[OrderParams],
    ) -> MarketIfTouchedOrder:
        """Build a MARKET_IF_TOUCHED order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.MARKET_IF_TOUCHED,
                time_in_force=time_in_force,
                trigger_price=trigger_price,
                trigger_type=trigger_type,
                **params,
            )
        )


class LimitIfTouchedOrder(Order):
    """Become a limit order at `price` when the market touches `trigger_price`."""

    __slots__ = ()
    order_type = OrderType.LIMIT_IF_TOUCHED
    rules = OrderTypeRules(price=_R, trigger_price=_R, post_only=True, display_qty=True)

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        price: Price,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        post_only: bool = False,
        display_qty: Quantity | None = None,
        **params: Unpack[OrderParams],
    ) -> LimitIfTouchedOrder:
        """Build a LIMIT_IF_TOUCHED order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.LIMIT_IF_TOUCHED,
                time_in_force=time_in_force,
                price=price,
                trigger_price=trigger_price,
                trigger_type=trigger_type,
                post_only=post_only,
                display_qty=display_qty,
                **params,
            )
        )


class TrailingStopMarketOrder(Order):
    """A stop-market whose trigger trails the market by `trailing_offset`.

    The trigger price may be absent until the emulator or the venue computes it.
    """

    __slots__ = ()
    order_type = OrderType.TRAILING_STOP_MARKET
    rules = OrderTypeRules(price=_F, trigger_price=_O, trailing=True)

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        trailing_offset: Decimal,
        trailing_offset_type: TrailingOffsetType = TrailingOffsetType.PRICE,
        trigger_price: Price | None = None,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        **params: Unpack[OrderParams],
    ) -> TrailingStopMarketOrder:
        """Build a TRAILING_STOP_MARKET order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.TRAILING_STOP_MARKET,
                time_in_force=time_in_force,
                trigger_price=trigger_price,
                trigger_type=trigger_type,
                trailing_offset=trailing_offset,
                trailing_offset_type=trailing_offset_type,
                **params,
            )
        )


class TrailingStopLimitOrder(Order):
    """A stop-limit whose trigger trails the market; the limit sits `limit_offset` away.

    The price and trigger price may be absent until the emulator or the venue computes
    them.
    """

    __slots__ = ()
    order_type = OrderType.TRAILING_STOP_LIMIT
    rules = OrderTypeRules(
        price=_O,
        trigger_price=_O,
        trailing=True,
        needs_limit_offset=True,
        post_only=True,
        display_qty=True,
    )

    @classmethod
    def create(
        cls,
        *,
        init_id: UUID4,
        ts_init: int,
        trailing_offset: Decimal,
        limit_offset: Decimal,
        trailing_offset_type: TrailingOffsetType = TrailingOffsetType.PRICE,
        price: Price | None = None,
        trigger_price: Price | None = None,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        post_only: bool = False,
        display_qty: Quantity | None = None,
        **params: Unpack[OrderParams],
    ) -> TrailingStopLimitOrder:
        """Build a TRAILING_STOP_LIMIT order and its `OrderInitialized` event."""
        return cls(
            OrderInitialized(
                event_id=init_id,
                ts_event=ts_init,
                ts_init=ts_init,
                order_type=OrderType.TRAILING_STOP_LIMIT,
                time_in_force=time_in_force,
                price=price,
                trigger_price=trigger_price,
                trigger_type=trigger_type,
                trailing_offset=trailing_offset,
                trailing_offset_type=trailing_offset_type,
                limit_offset=limit_offset,
                post_only=post_only,
                display_qty=display_qty,
                **params,
            )
        )


ORDER_CLASSES: dict[OrderType, type[Order]] = {
    cls.order_type: cls
    for cls in (
        MarketOrder,
        LimitOrder,
        StopMarketOrder,
        StopLimitOrder,
        MarketToLimitOrder,
        MarketIfTouchedOrder,
        LimitIfTouchedOrder,
        TrailingStopMarketOrder,
        TrailingStopLimitOrder,
    )
}

__all__ = [
    "ORDER_CLASSES",
    "LimitIfTouchedOrder",
    "LimitOrder",
    "MarketIfTouchedOrder",
    "MarketOrder",
    "MarketToLimitOrder",
    "OrderParams",
    "StopLimitOrder",
    "StopMarketOrder",
    "TrailingStopLimitOrder",
    "TrailingStopMarketOrder",
]
