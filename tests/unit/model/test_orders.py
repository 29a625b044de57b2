"""Orders: construction, parameter validation, predicates and transformation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.enums import (
    ContingencyType,
    OrderSide,
    OrderStatus,
    OrderType,
    PositionSide,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.events.order import (
    OrderEmulated,
    OrderInitialized,
    OrderReleased,
    OrderSubmitted,
)
from argonaut.model.identifiers import ClientOrderId, ExecAlgorithmId, OrderListId
from argonaut.model.orders import (
    ACTIVE_LOCAL,
    CLOSED,
    IN_FLIGHT,
    OPEN,
    ORDER_CLASSES,
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
from argonaut.testkit import INSTRUMENT_ID as INSTRUMENT
from argonaut.testkit import STRATEGY_ID as STRATEGY
from argonaut.testkit import TRADER_ID as TRADER
from argonaut.testkit import make_event, make_init, make_order, order_in_status
from argonaut.testkit import make_fill as fill

_UUIDS = UUIDFactory(seed=3)
PX = Price.from_str("100.0")
TRIG = Price.from_str("101.0")


def _common(cid: str = "O-1") -> dict[str, Any]:
    return {
        "trader_id": TRADER,
        "strategy_id": STRATEGY,
        "instrument_id": INSTRUMENT,
        "client_order_id": ClientOrderId(cid),
        "order_side": OrderSide.BUY,
        "quantity": Quantity.from_str("10"),
        "init_id": _UUIDS.generate(),
        "ts_init": 7,
    }


# -- construction -------------------------------------------------------------------------


@pytest.mark.parametrize("order_type", list(OrderType), ids=str)
def test_from_init_when_each_type_then_right_class_and_initial_state(
    order_type: OrderType,
) -> None:
    init = make_init(order_type)
    order = Order.from_init(init)
    assert type(order) is ORDER_CLASSES[order_type]
    assert order.order_type is order_type
    assert order.init_event is init
    assert order.events == [init]
    assert order.event_count == 1
    assert order.status is OrderStatus.INITIALIZED
    assert order.previous_status is None
    assert order.filled_qty.raw == 0
    assert order.leaves_qty == order.quantity
    assert order.avg_px is None
    assert order.init_id == init.event_id
    assert order.ts_last == init.ts_event
    assert not hasattr(order, "__dict__")


def test_constructor_when_init_is_of_another_type_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"use Order\.from_init"):
        LimitOrder(make_init(OrderType.MARKET))


def test_order_base_class_when_instantiated_then_type_error() -> None:
    with pytest.raises(TypeError, match="abstract"):
        Order(make_init(OrderType.LIMIT))


def test_create_constructors_build_init_event_and_order() -> None:
    orders: list[Order] = [
        MarketOrder.create(**_common("O-1"), time_in_force=TimeInForce.IOC),
        LimitOrder.create(**_common("O-2"), price=PX, post_only=True, reduce_only=True),
        StopMarketOrder.create(**_common("O-3"), trigger_price=TRIG),
        StopLimitOrder.create(**_common("O-4"), price=PX, trigger_price=TRIG),
        MarketToLimitOrder.create(**_common("O-5")),
        MarketIfTouchedOrder.create(**_common("O-6"), trigger_price=TRIG),
        LimitIfTouchedOrder.create(**_common("O-7"), price=PX, trigger_price=TRIG),
        TrailingStopMarketOrder.create(**_common("O-8"), trailing_offset=Decimal("0.5")),
        TrailingStopLimitOrder.create(
            **_common("O-9"), trailing_offset=Decimal("0.5"), limit_offset=Decimal("0.1")
        ),
    ]
    assert [type(o) for o in orders] == list(ORDER_CLASSES.values())
    for order in orders:
        init = order.init_event
        assert init.order_type is order.order_type
        assert init.ts_init == init.ts_event == order.ts_init == 7
        assert isinstance(init.event_id, UUID4)
        if order.order_type in {OrderType.STOP_MARKET, OrderType.TRAILING_STOP_MARKET}:
            assert order.trigger_type is TriggerType.DEFAULT
    assert orders[0].time_in_force is TimeInForce.IOC
    assert orders[1].post_only
    assert orders[1].is_post_only
    assert orders[1].reduce_only
    assert orders[1].is_reduce_only
    assert orders[7].trailing_offset_type is TrailingOffsetType.PRICE


def test_init_event_when_roundtripped_then_rebuilds_equal_order() -> None:
    order = LimitOrder.create(
        **_common(),
        price=PX,
        time_in_force=TimeInForce.GTD,
        expire_time_ns=10**18,
        display_qty=Quantity.from_str("2"),
        tags=("a", "b"),
        exec_algorithm_id=ExecAlgorithmId("TWAP"),
        exec_algorithm_params={"horizon": "60"},
    )
    data = msgspec.json.encode(order.init_event, enc_hook=enc_hook)
    init = msgspec.json.decode(data, type=OrderInitialized, dec_hook=dec_hook)
    again = Order.from_init(init)
    assert again.init_event == order.init_event
    assert again.expire_time == 10**18
    assert again.display_qty == Quantity.from_str("2")


# -- validation ---------------------------------------------------------------------------

_GTD = TimeInForce.GTD
_INVALID: list[tuple[OrderType, dict[str, Any], str]] = [
    # every type
    (OrderType.LIMIT, {"quantity": Quantity.from_str("0")}, "must be positive"),
    (OrderType.MARKET, {"quantity": Quantity.from_str("0")}, "must be positive"),
    (OrderType.LIMIT, {"order_side": OrderSide.NO_ORDER_SIDE}, "expected BUY or SELL"),
    (OrderType.LIMIT, {"time_in_force": _GTD}, "GTD requires expire_time_ns"),
    (OrderType.STOP_LIMIT, {"time_in_force": _GTD, "expire_time_ns": 0}, "GTD requires"),
    (OrderType.LIMIT, {"expire_time_ns": -1}, "must not be negative"),
    # MARKET
    (OrderType.MARKET, {"time_in_force": _GTD, "expire_time_ns": 5}, "GTD is not valid"),
    (OrderType.MARKET, {"price": PX}, "takes no price"),
    (OrderType.MARKET, {"trigger_price": TRIG}, "takes no trigger_price"),
    (OrderType.MARKET, {"post_only": True}, "post_only is not valid"),
    (OrderType.MARKET, {"display_qty": Quantity.from_str("1")}, "display_qty is not valid"),
    (OrderType.MARKET, {"emulation_trigger": TriggerType.DEFAULT}, "cannot be emulated"),
    (OrderType.MARKET, {"trailing_offset": Decimal(1)}, "trailing parameters"),
    # LIMIT
    (OrderType.LIMIT, {"price": None}, "price is required"),
    (OrderType.LIMIT, {"trigger_price": TRIG}, "takes no trigger_price"),
    (OrderType.LIMIT, {"display_qty": Quantity.from_str("11")}, "exceeds the quantity"),
    (
        OrderType.LIMIT,
        {"display_qty": Quantity.from_str("1"), "time_in_force": TimeInForce.IOC},
        "never rests",
    ),
    (OrderType.LIMIT, {"limit_offset": Decimal(1)}, "limit_offset is only valid"),
    # STOP_MARKET
    (OrderType.STOP_MARKET, {"trigger_price": None}, "trigger_price is required"),
    (OrderType.STOP_MARKET, {"price": PX}, "takes no price"),
    (OrderType.STOP_MARKET, {"trigger_type": TriggerType.NO_TRIGGER}, "NO_TRIGGER is invalid"),
    (OrderType.STOP_MARKET, {"time_in_force": TimeInForce.AT_THE_OPEN}, "AT_THE_OPEN"),
    (OrderType.STOP_MARKET, {"post_only": True}, "post_only is not valid"),
    # STOP_LIMIT
    (OrderType.STOP_LIMIT, {"price": None}, "price is required"),
    (OrderType.STOP_LIMIT, {"trigger_price": None}, "trigger_price is required"),
    (OrderType.STOP_LIMIT, {"time_in_force": TimeInForce.AT_THE_CLOSE}, "AT_THE_CLOSE"),
    # MARKET_TO_LIMIT
    (OrderType.MARKET_TO_LIMIT, {"trigger_price": TRIG}, "takes no trigger_price"),
    (OrderType.MARKET_TO_LIMIT, {"post_only": True}, "post_only is not valid"),
    (OrderType.MARKET_TO_LIMIT, {"emulation_trigger": TriggerType.DEFAULT}, "emulated"),
    # MARKET_IF_TOUCHED
    (OrderType.MARKET_IF_TOUCHED, {"trigger_price": None}, "trigger_price is required"),
    (OrderType.MARKET_IF_TOUCHED, {"price": PX}, "takes no price"),
    # LIMIT_IF_TOUCHED
    (OrderType.LIMIT_IF_TOUCHED, {"price": None}, "price is required"),
    (OrderType.LIMIT_IF_TOUCHED, {"trigger_price": None}, "trigger_price is required"),
    # TRAILING_STOP_MARKET
    (
        OrderType.TRAILING_STOP_MARKET,
        {"trailing_offset_type": TrailingOffsetType.NO_TRAILING_OFFSET},
        "trailing_offset_type is required",
    ),
    (OrderType.TRAILING_STOP_MARKET, {"trailing_offset": None}, "trailing_offset must be"),
    (OrderType.TRAILING_STOP_MARKET, {"trailing_offset": Decimal(-1)}, "non-negative"),
    (OrderType.TRAILING_STOP_MARKET, {"price": PX}, "takes no price"),
    # TRAILING_STOP_LIMIT
    (OrderType.TRAILING_STOP_LIMIT, {"limit_offset": None}, "limit_offset"),
    (
        OrderType.TRAILING_STOP_LIMIT,
        {"trailing_offset_type": TrailingOffsetType.NO_TRAILING_OFFSET},
        "trailing_offset_type is required",
    ),
]


@pytest.mark.parametrize(
    ("order_type", "overrides", "message"),
    _INVALID,
    ids=[f"{t.value}-{m}" for t, _, m in _INVALID],
)
def test_construct_when_parameters_invalid_then_value_error_naming_the_problem(
    order_type: OrderType, overrides: dict[str, Any], message: str
) -> None:
    init = make_init(order_type, **overrides)
    with pytest.raises(ValueError, match=message) as info:
        Order.from_init(init)
    assert f"{order_type.value} order O-1" in str(info.value)


@pytest.mark.parametrize(
    ("order_type", "overrides"),
    [
        (OrderType.MARKET, {"time_in_force": TimeInForce.AT_THE_OPEN}),
        (OrderType.MARKET, {"time_in_force": TimeInForce.FOK}),
        (OrderType.LIMIT, {"time_in_force": TimeInForce.AT_THE_CLOSE}),
        (OrderType.LIMIT, {"time_in_force": _GTD, "expire_time_ns": 10**18}),
        (OrderType.LIMIT, {"display_qty": Quantity.from_str("0")}),
        (OrderType.LIMIT, {"display_qty": Quantity.from_str("10"), "post_only": True}),
        (OrderType.STOP_LIMIT, {"emulation_trigger": TriggerType.BID_ASK}),
        (OrderType.TRAILING_STOP_MARKET, {"trigger_price": TRIG}),
        (OrderType.TRAILING_STOP_LIMIT, {"price": PX, "trigger_price": TRIG}),
        (OrderType.MARKET_TO_LIMIT, {"price": PX}),
    ],
)
def test_construct_when_parameters_valid_combination_then_built(
    order_type: OrderType, overrides: dict[str, Any]
) -> None:
    assert Order.from_init(make_init(order_type, **overrides)).order_type is order_type


# -- predicates and helpers ---------------------------------------------------------------


@pytest.mark.parametrize("status", list(OrderStatus), ids=str)
def test_status_predicates_follow_the_categories(status: OrderStatus) -> None:
    order = order_in_status(status)
    assert order.is_open is (status in OPEN)
    assert order.is_closed is (status in CLOSED)
    assert order.is_inflight is (status in IN_FLIGHT)
    assert order.is_active_local is (status in ACTIVE_LOCAL)
    assert order.is_emulated is (status is OrderStatus.EMULATED)
    assert order.is_pending_update is (status is OrderStatus.PENDING_UPDATE)
    assert order.is_pending_cancel is (status is OrderStatus.PENDING_CANCEL)


def test_side_and_type_predicates() -> None:
    buy = make_order(OrderType.MARKET)
    sell = make_order(OrderType.LIMIT, order_side=OrderSide.SELL)
    assert buy.is_buy
    assert not buy.is_sell
    assert buy.is_aggressive
    assert not buy.is_passive
    assert sell.is_sell
    assert sell.is_passive
    assert not sell.is_aggressive
    assert sell.has_price
    assert not buy.has_price
    assert make_order(OrderType.STOP_MARKET).has_trigger_price
    assert not sell.has_trigger_price
    assert buy.signed_decimal_qty() == Decimal(10)
    assert sell.signed_decimal_qty() == Decimal(-10)
    assert buy.order_side is OrderSide.BUY


def test_contingency_and_algorithm_predicates() -> None:
    parent = make_order(
        contingency_type=ContingencyType.OTO,
        order_list_id=OrderListId("OL-1"),
        linked_order_ids=(ClientOrderId("O-2"),),
    )
    child = make_order(
        client_order_id=ClientOrderId("O-2"),
        contingency_type=ContingencyType.OCO,
        parent_order_id=ClientOrderId("O-1"),
    )
    plain = make_order()
    assert parent.is_contingency
    assert parent.is_parent_order
    assert not parent.is_child_order
    assert child.is_contingency
    assert child.is_child_order
    assert not child.is_parent_order
    assert not plain.is_contingency
    assert not plain.is_parent_order
    algo = ExecAlgorithmId("TWAP")
    primary = make_order(exec_algorithm_id=algo, exec_spawn_id=ClientOrderId("O-1"))
    spawned = make_order(
        client_order_id=ClientOrderId("O-1-E1"),
        exec_algorithm_id=algo,
        exec_spawn_id=ClientOrderId("O-1"),
    )
    assert primary.is_primary
    assert not primary.is_spawned
    assert spawned.is_spawned
    assert not spawned.is_primary


@pytest.mark.parametrize(
    ("side", "position_side", "position_qty", "expected"),
    [
        (OrderSide.SELL, PositionSide.LONG, "10", True),
        (OrderSide.SELL, PositionSide.LONG, "9", False),
        (OrderSide.SELL, PositionSide.SHORT, "10", False),
        (OrderSide.BUY, PositionSide.SHORT, "15", True),
        (OrderSide.BUY, PositionSide.LONG, "15", False),
        (OrderSide.BUY, PositionSide.FLAT, "0", False),
    ],
)
def test_would_reduce_only(
    side: OrderSide, position_side: PositionSide, position_qty: str, expected: bool
) -> None:
    order = make_order(order_side=side)
    assert order.would_reduce_only(position_side, Quantity.from_str(position_qty)) is expected


def test_would_reduce_only_uses_leaves_quantity() -> None:
    order = order_in_status(OrderStatus.ACCEPTED, OrderType.LIMIT)
    order.apply(fill(order, "6", "100"))
    assert order.would_reduce_only(PositionSide.SHORT, Quantity.from_str("4"))


def test_opposite_and_closing_side() -> None:
    assert Order.opposite_side(OrderSide.BUY) is OrderSide.SELL
    assert Order.opposite_side(OrderSide.SELL) is OrderSide.BUY
    with pytest.raises(ValueError, match="no opposite"):
        Order.opposite_side(OrderSide.NO_ORDER_SIDE)
    assert Order.closing_side(PositionSide.LONG) is OrderSide.SELL
    assert Order.closing_side(PositionSide.SHORT) is OrderSide.BUY
    assert Order.closing_side(PositionSide.FLAT) is OrderSide.NO_ORDER_SIDE
    with pytest.raises(ValueError, match="no closing side"):
        Order.closing_side(PositionSide.NO_POSITION_SIDE)


def test_repr_names_type_side_quantity_and_status() -> None:
    text = repr(make_order())
    assert text.startswith("LimitOrder(BUY 10 BTCUSDT-PERP.SIM @ 100.0 GTC")
    assert "status=INITIALIZED" in text


# -- transform ------------------------------------------------------------------------------


def _emulated(order_type: OrderType, **overrides: Any) -> Order:
    order = make_order(order_type, emulation_trigger=TriggerType.BID_ASK, **overrides)
    order.apply(make_event(order, OrderEmulated, ts=3))
    return order


def test_transform_stop_market_to_market_then_same_id_events_and_state() -> None:
    order = _emulated(OrderType.STOP_MARKET, time_in_force=_GTD, expire_time_ns=10**18)
    market = order.transform(OrderType.MARKET)
    assert type(market) is MarketOrder
    assert market.client_order_id == order.client_order_id
    assert market.events == order.events
    assert market.events is not order.events
    assert market.status is OrderStatus.EMULATED
    assert market.price is None
    assert market.trigger_price is None
    assert market.trigger_type is TriggerType.NO_TRIGGER
    assert market.emulation_trigger is TriggerType.NO_TRIGGER
    assert market.time_in_force is TimeInForce.GTC  # a MARKET order cannot be GTD
    assert market.init_event.order_type is OrderType.MARKET
    assert market.init_event.event_id == order.init_id
    assert market.ts_last == 3
    released = make_event(market, OrderReleased, ts=4)
    market.apply(released)
    market.apply(make_event(market, OrderSubmitted, ts=5))
    assert market.status is OrderStatus.SUBMITTED
    assert len(order.events) == 2  # the original is untouched
    assert market.event_count == 4


def test_transform_stop_limit_to_limit_then_keeps_price_and_flags() -> None:
    order = _emulated(OrderType.STOP_LIMIT, post_only=True, display_qty=Quantity.from_str("2"))
    limit = order.transform(OrderType.LIMIT)
    assert type(limit) is LimitOrder
    assert limit.price == PX
    assert limit.trigger_price is None
    assert limit.post_only
    assert limit.display_qty == Quantity.from_str("2")


def test_transform_to_limit_with_price_then_uses_given_price() -> None:
    order = _emulated(OrderType.MARKET_IF_TOUCHED)
    limit = order.transform(OrderType.LIMIT, price=Price.from_str("98.5"))
    assert limit.price == Price.from_str("98.5")


def test_transform_to_limit_without_any_price_then_value_error() -> None:
    order = _emulated(OrderType.STOP_MARKET)
    with pytest.raises(ValueError, match="without a price"):
        order.transform(OrderType.LIMIT)


def test_transform_to_other_type_then_value_error() -> None:
    order = _emulated(OrderType.STOP_LIMIT)
    with pytest.raises(ValueError, match="expected MARKET or LIMIT"):
        order.transform(OrderType.STOP_MARKET)


def test_transform_when_order_at_venue_then_value_error() -> None:
    order = order_in_status(OrderStatus.ACCEPTED)
    with pytest.raises(ValueError, match="only INITIALIZED, EMULATED or RELEASED"):
        order.transform(OrderType.MARKET)
