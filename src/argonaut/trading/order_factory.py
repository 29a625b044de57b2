"""`OrderFactory`: builds a strategy's orders with fresh client order ids.

Every order gets the next id of the factory's `ClientOrderIdGenerator`, an init event id
from the node's UUID factory and ``ts_init`` from the clock. An order given an
`exec_algorithm_id` is a primary order: its `exec_spawn_id` is its own client order id.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import msgspec

from argonaut.common.clock import Clock
from argonaut.core.uuid import UUIDFactory
from argonaut.model.enums import (
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
from argonaut.model.orders import (
    LimitIfTouchedOrder,
    LimitOrder,
    MarketIfTouchedOrder,
    MarketOrder,
    MarketToLimitOrder,
    Order,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopLimitOrder,
    TrailingStopMarketOrder,
)
from argonaut.model.values import Price, Quantity
from argonaut.trading.ids import ClientOrderIdGenerator, OrderListIdGenerator
from argonaut.trading.order_factory_bracket import OrderFactoryBrackets, _extra

_GTC = TimeInForce.GTC
_GTD = TimeInForce.GTD
_BUY = OrderSide.BUY
_SELL = OrderSide.SELL
_LIMIT = OrderType.LIMIT
_NO_TRIGGER = TriggerType.NO_TRIGGER
_DEFAULT = TriggerType.DEFAULT

_O = TypeVar("_O", bound=Order)


class OrderFactory(OrderFactoryBrackets):
    """Create orders and order lists for one strategy of one trader."""

    def __init__(
        self,
        trader_id: TraderId,
        strategy_id: StrategyId,
        clock: Clock,
        uuid_factory: UUIDFactory,
        *,
        initial_count: int = 0,
    ) -> None:
        self.trader_id = trader_id
        self.strategy_id = strategy_id
        self._clock = clock
        self._uuids = uuid_factory
        self.client_order_ids = ClientOrderIdGenerator(
            trader_id, strategy_id, clock, initial_count=initial_count
        )
        self.order_list_ids = OrderListIdGenerator(trader_id, strategy_id, clock)

    @property
    def count(self) -> int:
        """The count of the last client order id generated."""
        return self.client_order_ids.count

    def set_count(self, count: int) -> None:
        """Restore the client order id count (the next id has ``count + 1``)."""
        self.client_order_ids.set_count(count)

    def set_order_list_count(self, count: int) -> None:
        """Restore the order list id count."""
        self.order_list_ids.set_count(count)

    def reset(self) -> None:
        """Set both id counts back to 0."""
        self.client_order_ids.reset()
        self.order_list_ids.reset()

    def generate_client_order_id(self) -> ClientOrderId:
        """Return the next client order id."""
        return self.client_order_ids.generate()

    def generate_order_list_id(self) -> OrderListId:
        """Return the next order list id."""
        return self.order_list_ids.generate()

    def _create(self, create: Callable[..., _O], kwargs: dict[str, Any]) -> _O:
        # `kwargs` is the calling method's `locals()`: its parameters, named as the order's
        # init fields. The common ones go through `_common`, the rest to `create`.
        fields = dict(kwargs)
        del fields["self"]
        extra = None
        if "expire_time_ns" in fields:
            extra = _extra(
                fields.pop("expire_time_ns"),
                fields.pop("emulation_trigger", _NO_TRIGGER),
                fields.pop("trigger_instrument_id", None),
            )
        common = self._common(
            fields.pop("instrument_id"),
            fields.pop("order_side"),
            fields.pop("quantity"),
            reduce_only=fields.pop("reduce_only"),
            quote_quantity=fields.pop("quote_quantity"),
            exec_algorithm_id=fields.pop("exec_algorithm_id"),
            exec_algorithm_params=fields.pop("exec_algorithm_params"),
            tags=fields.pop("tags"),
            extra=extra,
        )
        return create(**fields, **common)

    # -- single orders ---------------------------------------------------------------------

    def market(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        time_in_force: TimeInForce = _GTC,
        *,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> MarketOrder:
        """Create a MARKET order."""
        return self._create(MarketOrder.create, locals())

    def limit(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        price: Price,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        post_only: bool = False,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        display_qty: Quantity | None = None,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> LimitOrder:
        """Create a LIMIT order."""
        # The tick-to-order hot path: build the initialization directly (no field dicts).
        # A call with more than 15 keywords compiles to a dict-building call, so the
        # options are set by a second step, only when one is not at its default.
        defaults = (
            post_only is False
            and reduce_only is False
            and quote_quantity is False
            and expire_time_ns is None
            and display_qty is None
            and emulation_trigger is _NO_TRIGGER
            and trigger_instrument_id is None
            and exec_algorithm_id is None
            and exec_algorithm_params is None
            and tags is None
        )
        ts_init = self._clock.timestamp_ns()
        coid = self.client_order_ids.generate(ts_init)
        init = OrderInitialized(
            trader_id=self.trader_id,
            strategy_id=self.strategy_id,
            instrument_id=instrument_id,
            client_order_id=coid,
            event_id=self._uuids.generate(),
            ts_event=ts_init,
            ts_init=ts_init,
            order_side=order_side,
            order_type=_LIMIT,
            quantity=quantity,
            time_in_force=time_in_force,
            price=price,
        )
        if not defaults:
            return LimitOrder(
                msgspec.structs.replace(
                    init,
                    post_only=post_only,
                    reduce_only=reduce_only,
                    quote_quantity=quote_quantity,
                    expire_time_ns=expire_time_ns,
                    display_qty=display_qty,
                    emulation_trigger=emulation_trigger,
                    trigger_instrument_id=trigger_instrument_id,
                    exec_algorithm_id=exec_algorithm_id,
                    exec_algorithm_params=exec_algorithm_params,
                    exec_spawn_id=coid if exec_algorithm_id is not None else None,
                    tags=tags,
                )
            )
        if (
            (order_side is _BUY or order_side is _SELL)
            and quantity.raw > 0
            and time_in_force is not _GTD
            and price is not None
        ):  # all that `check_init` asks of a LIMIT order with every option at its default
            return LimitOrder.from_checked_init(init)
        return LimitOrder(init)  # raises the ValueError saying what is wrong

    def stop_market(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> StopMarketOrder:
        """Create a STOP_MARKET order."""
        return self._create(StopMarketOrder.create, locals())

    def stop_limit(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        price: Price,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        post_only: bool = False,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        display_qty: Quantity | None = None,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> StopLimitOrder:
        """Create a STOP_LIMIT order."""
        return self._create(StopLimitOrder.create, locals())

    def market_to_limit(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        display_qty: Quantity | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> MarketToLimitOrder:
        """Create a MARKET_TO_LIMIT order."""
        return self._create(MarketToLimitOrder.create, locals())

    def market_if_touched(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> MarketIfTouchedOrder:
        """Create a MARKET_IF_TOUCHED order."""
        return self._create(MarketIfTouchedOrder.create, locals())

    def limit_if_touched(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        price: Price,
        trigger_price: Price,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        post_only: bool = False,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        display_qty: Quantity | None = None,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> LimitIfTouchedOrder:
        """Create a LIMIT_IF_TOUCHED order."""
        return self._create(LimitIfTouchedOrder.create, locals())

    def trailing_stop_market(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        trailing_offset: Decimal,
        trailing_offset_type: TrailingOffsetType = TrailingOffsetType.PRICE,
        trigger_price: Price | None = None,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> TrailingStopMarketOrder:
        """Create a TRAILING_STOP_MARKET order."""
        return self._create(TrailingStopMarketOrder.create, locals())

    def trailing_stop_limit(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        limit_offset: Decimal,
        trailing_offset: Decimal,
        trailing_offset_type: TrailingOffsetType = TrailingOffsetType.PRICE,
        price: Price | None = None,
        trigger_price: Price | None = None,
        trigger_type: TriggerType = _DEFAULT,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        *,
        post_only: bool = False,
        reduce_only: bool = False,
        quote_quantity: bool = False,
        display_qty: Quantity | None = None,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        trigger_instrument_id: InstrumentId | None = None,
        exec_algorithm_id: ExecAlgorithmId | None = None,
        exec_algorithm_params: dict[str, str] | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> TrailingStopLimitOrder:
        """Create a TRAILING_STOP_LIMIT order."""
        return self._create(TrailingStopLimitOrder.create, locals())


__all__ = ["OrderFactory"]
