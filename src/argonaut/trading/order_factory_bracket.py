"""The order-list side of `OrderFactory`: the shared order fields and brackets."""

from __future__ import annotations

from typing import Any

from argonaut.common.clock import Clock
from argonaut.core.uuid import UUIDFactory
from argonaut.model.enums import ContingencyType, OrderSide, OrderType, TimeInForce, TriggerType
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
    Order,
    StopLimitOrder,
    StopMarketOrder,
)
from argonaut.model.values import Price, Quantity

_GTC = TimeInForce.GTC
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


class OrderFactoryBrackets:
    """Base of `OrderFactory`: the fields every order shares, and bracket order lists."""

    trader_id: TraderId
    strategy_id: StrategyId
    _clock: Clock
    _uuids: UUIDFactory

    def generate_client_order_id(self) -> ClientOrderId:
        raise NotImplementedError  # the OrderFactory's id generator

    def generate_order_list_id(self) -> OrderListId:
        raise NotImplementedError  # the OrderFactory's id generator

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
            **self._member(
                instrument_id,
                exit_side,
                quantity,
                quote_quantity,
                tags,
                tp_id,
                {**child, "linked_order_ids": (sl_id,)},
                reduce_only=True,
            ),
        )
        stop_loss = StopMarketOrder.create(
            trigger_price=sl_trigger_price,
            trigger_type=sl_trigger_type,
            time_in_force=time_in_force,
            **self._member(
                instrument_id,
                exit_side,
                quantity,
                quote_quantity,
                tags,
                sl_id,
                {**child, "linked_order_ids": (tp_id,)},
                reduce_only=True,
            ),
        )
        return OrderList(
            id=list_id,
            instrument_id=instrument_id,
            strategy_id=self.strategy_id,
            orders=(entry.init_event, take_profit.init_event, stop_loss.init_event),
            ts_init=self._clock.timestamp_ns(),
        )

    def _member(
        self,
        instrument_id: InstrumentId,
        side: OrderSide,
        quantity: Quantity,
        quote_quantity: bool,
        tags: tuple[str, ...] | None,
        client_order_id: ClientOrderId,
        extra: dict[str, Any],
        *,
        reduce_only: bool = False,
    ) -> dict[str, Any]:
        return self._common(
            instrument_id,
            side,
            quantity,
            reduce_only=reduce_only,
            quote_quantity=quote_quantity,
            exec_algorithm_id=None,
            exec_algorithm_params=None,
            tags=tags,
            client_order_id=client_order_id,
            extra=extra,
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
        fields = self._member(
            instrument_id, side, quantity, quote_quantity, tags, client_order_id, extra
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


__all__ = ["OrderFactoryBrackets"]
