"""`OrderFactory`: builds a strategy's orders with fresh client order ids.

Every order gets the next id of the factory's `ClientOrderIdGenerator`, an init event id
from the node's UUID factory and ``ts_init`` from the clock. An order given an
`exec_algorithm_id` is a primary order: its `exec_spawn_id` is its own client order id.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from argonaut.common.clock import Clock
from argonaut.core.uuid import UUIDFactory
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
from argonaut.model.order_list import OrderList
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

_GTC = TimeInForce.GTC
_GTD = TimeInForce.GTD
_BUY = OrderSide.BUY
_SELL = OrderSide.SELL
_LIMIT = OrderType.LIMIT
_NO_TRIGGER = TriggerType.NO_TRIGGER
_DEFAULT = TriggerType.DEFAULT

_BRACKET_ENTRY_TYPES = frozenset(
    {
        OrderType.MARKET,
        OrderType.LIMIT,
        OrderType.MARKET_IF_TOUCHED,
        OrderType.LIMIT_IF_TOUCHED,
        OrderType.STOP_MARKET,
        OrderType.STOP_LIMIT,
    }
)


class OrderFactory:
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

    def _common(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        *,
        reduce_only: bool,
        quote_quantity: bool,
        exec_algorithm_id: ExecAlgorithmId | None,
        exec_algorithm_params: dict[str, str] | None,
        tags: tuple[str, ...] | None,
        client_order_id: ClientOrderId | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        coid = client_order_id if client_order_id is not None else self.generate_client_order_id()
        fields: dict[str, Any] = {
            "init_id": self._uuids.generate(),
            "ts_init": self._clock.timestamp_ns(),
            "trader_id": self.trader_id,
            "strategy_id": self.strategy_id,
            "instrument_id": instrument_id,
            "client_order_id": coid,
            "order_side": order_side,
            "quantity": quantity,
            "reduce_only": reduce_only,
            "quote_quantity": quote_quantity,
            "exec_algorithm_id": exec_algorithm_id,
            "exec_algorithm_params": exec_algorithm_params,
            "exec_spawn_id": coid if exec_algorithm_id is not None else None,
            "tags": tags,
        }
        if extra:
            fields.update(extra)
        return fields

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
        return MarketOrder.create(
            time_in_force=time_in_force,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
            ),
        )

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
        return StopMarketOrder.create(
            trigger_price=trigger_price,
            trigger_type=trigger_type,
            time_in_force=time_in_force,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, emulation_trigger, trigger_instrument_id),
            ),
        )

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
        return StopLimitOrder.create(
            price=price,
            trigger_price=trigger_price,
            trigger_type=trigger_type,
            time_in_force=time_in_force,
            post_only=post_only,
            display_qty=display_qty,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, emulation_trigger, trigger_instrument_id),
            ),
        )

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
        return MarketToLimitOrder.create(
            time_in_force=time_in_force,
            display_qty=display_qty,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, _NO_TRIGGER, None),
            ),
        )

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
        return MarketIfTouchedOrder.create(
            trigger_price=trigger_price,
            trigger_type=trigger_type,
            time_in_force=time_in_force,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, emulation_trigger, trigger_instrument_id),
            ),
        )

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
        return LimitIfTouchedOrder.create(
            price=price,
            trigger_price=trigger_price,
            trigger_type=trigger_type,
            time_in_force=time_in_force,
            post_only=post_only,
            display_qty=display_qty,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, emulation_trigger, trigger_instrument_id),
            ),
        )

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
        return TrailingStopMarketOrder.create(
            trailing_offset=trailing_offset,
            trailing_offset_type=trailing_offset_type,
            trigger_price=trigger_price,
            trigger_type=trigger_type,
            time_in_force=time_in_force,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, emulation_trigger, trigger_instrument_id),
            ),
        )

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
        return TrailingStopLimitOrder.create(
            trailing_offset=trailing_offset,
            limit_offset=limit_offset,
            trailing_offset_type=trailing_offset_type,
            price=price,
            trigger_price=trigger_price,
            trigger_type=trigger_type,
            time_in_force=time_in_force,
            post_only=post_only,
            display_qty=display_qty,
            **self._common(
                instrument_id,
                order_side,
                quantity,
                reduce_only=reduce_only,
                quote_quantity=quote_quantity,
                exec_algorithm_id=exec_algorithm_id,
                exec_algorithm_params=exec_algorithm_params,
                tags=tags,
                extra=_extra(expire_time_ns, emulation_trigger, trigger_instrument_id),
            ),
        )

    # -- order lists -------------------------------------------------------------------------

    def bracket(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide,
        quantity: Quantity,
        *,
        tp_price: Price,
        sl_trigger_price: Price,
        entry_price: Price | None = None,
        entry_trigger_price: Price | None = None,
        entry_order_type: OrderType | None = None,
        time_in_force: TimeInForce = _GTC,
        expire_time_ns: int | None = None,
        entry_post_only: bool = False,
        tp_post_only: bool = True,
        sl_trigger_type: TriggerType = _DEFAULT,
        contingency_type: ContingencyType = ContingencyType.OCO,
        emulation_trigger: TriggerType = _NO_TRIGGER,
        quote_quantity: bool = False,
        tags: tuple[str, ...] | None = None,
    ) -> OrderList:
        """Create a bracket: an entry (OTO parent), a take-profit LIMIT and a stop-loss
        STOP_MARKET (reduce-only children linked to each other by `contingency_type`).

        The entry is MARKET when `entry_price` is None, else LIMIT, unless
        `entry_order_type` says otherwise (MARKET_IF_TOUCHED and STOP_MARKET need
        `entry_trigger_price`; LIMIT_IF_TOUCHED and STOP_LIMIT need both prices).
        """
        if contingency_type not in (ContingencyType.OCO, ContingencyType.OUO):
            raise ValueError(
                f"bracket children contingency {contingency_type.value} is invalid: "
                "expected OCO or OUO"
            )
        kind = entry_order_type or (OrderType.MARKET if entry_price is None else OrderType.LIMIT)
        if kind not in _BRACKET_ENTRY_TYPES:
            raise ValueError(
                f"bracket entry order type {kind.value} is not supported: expected one of "
                f"{sorted(t.value for t in _BRACKET_ENTRY_TYPES)}"
            )
        list_id = self.generate_order_list_id()
        entry_id = self.generate_client_order_id()
        tp_id = self.generate_client_order_id()
        sl_id = self.generate_client_order_id()
        exit_side = Order.opposite_side(order_side)
        entry_emulation = _NO_TRIGGER if kind is OrderType.MARKET else emulation_trigger
        entry = self._entry(
            kind,
            instrument_id,
            order_side,
            quantity,
            entry_price,
            entry_trigger_price,
            time_in_force,
            post_only=entry_post_only,
            quote_quantity=quote_quantity,
            tags=tags,
            client_order_id=entry_id,
            extra={
                **_extra(expire_time_ns, entry_emulation, None),
                "contingency_type": ContingencyType.OTO,
                "order_list_id": list_id,
                "linked_order_ids": (tp_id, sl_id),
            },
        )
        child: dict[str, Any] = {
            **_extra(expire_time_ns, emulation_trigger, None),
            "contingency_type": contingency_type,
            "order_list_id": list_id,
            "parent_order_id": entry_id,
        }
        take_profit = LimitOrder.create(
            price=tp_price,
            time_in_force=time_in_force,
            post_only=tp_post_only,
            **self._common(
                instrument_id,
                exit_side,
                quantity,
                reduce_only=True,
                quote_quantity=quote_quantity,
                exec_algorithm_id=None,
                exec_algorithm_params=None,
                tags=tags,
                client_order_id=tp_id,
                extra={**child, "linked_order_ids": (sl_id,)},
            ),
        )
        stop_loss = StopMarketOrder.create(
            trigger_price=sl_trigger_price,
            trigger_type=sl_trigger_type,
            time_in_force=time_in_force,
            **self._common(
                instrument_id,
                exit_side,
                quantity,
                reduce_only=True,
                quote_quantity=quote_quantity,
                exec_algorithm_id=None,
                exec_algorithm_params=None,
                tags=tags,
                client_order_id=sl_id,
                extra={**child, "linked_order_ids": (tp_id,)},
            ),
        )
        return OrderList(
            id=list_id,
            instrument_id=instrument_id,
            strategy_id=self.strategy_id,
            orders=(entry.init_event, take_profit.init_event, stop_loss.init_event),
            ts_init=self._clock.timestamp_ns(),
        )

    def _entry(
        self,
        kind: OrderType,
        instrument_id: InstrumentId,
        side: OrderSide,
        quantity: Quantity,
        price: Price | None,
        trigger_price: Price | None,
        time_in_force: TimeInForce,
        *,
        post_only: bool,
        quote_quantity: bool,
        tags: tuple[str, ...] | None,
        client_order_id: ClientOrderId,
        extra: dict[str, Any],
    ) -> Order:
        fields = self._common(
            instrument_id,
            side,
            quantity,
            reduce_only=False,
            quote_quantity=quote_quantity,
            exec_algorithm_id=None,
            exec_algorithm_params=None,
            tags=tags,
            client_order_id=client_order_id,
            extra=extra,
        )
        if kind is OrderType.MARKET:
            return MarketOrder.create(time_in_force=time_in_force, **fields)
        if kind in (OrderType.MARKET_IF_TOUCHED, OrderType.STOP_MARKET):
            need = _need(trigger_price, "entry_trigger_price", kind)
            cls = MarketIfTouchedOrder if kind is OrderType.MARKET_IF_TOUCHED else StopMarketOrder
            return cls.create(trigger_price=need, time_in_force=time_in_force, **fields)
        limit_px = _need(price, "entry_price", kind)
        if kind is OrderType.LIMIT:
            return LimitOrder.create(
                price=limit_px, time_in_force=time_in_force, post_only=post_only, **fields
            )
        need = _need(trigger_price, "entry_trigger_price", kind)
        cls2 = LimitIfTouchedOrder if kind is OrderType.LIMIT_IF_TOUCHED else StopLimitOrder
        return cls2.create(
            price=limit_px,
            trigger_price=need,
            time_in_force=time_in_force,
            post_only=post_only,
            **fields,
        )


def _extra(
    expire_time_ns: int | None,
    emulation_trigger: TriggerType,
    trigger_instrument_id: InstrumentId | None,
) -> dict[str, Any]:
    return {
        "expire_time_ns": expire_time_ns,
        "emulation_trigger": emulation_trigger,
        "trigger_instrument_id": trigger_instrument_id,
    }


def _need(value: Price | None, name: str, kind: OrderType) -> Price:
    if value is None:
        raise ValueError(f"a bracket with a {kind.value} entry needs {name}")
    return value


__all__ = ["OrderFactory"]
