from __future__ import annotations

from typing import Any

from trading_env import SEC, T0, Env

from argonaut.common import topics
from argonaut.model.commands.trading import (
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    SubmitOrder,
    SubmitOrderList,
)
from argonaut.model.enums import OrderSide, PositionSide, TimeInForce, TriggerType
from argonaut.model.events.order import OrderEvent
from argonaut.model.values import Price, Quantity
from argonaut.testkit import accepted, canceled, filled, open_position, position_opened, submitted
from argonaut.testkit.ids import STRATEGY_ID
from argonaut.trading import Strategy, StrategyConfig

QTY = Quantity.from_str("1.000")
PX = Price.from_str("50000.0")


class Recorder(Strategy):
    def __init__(self, config: StrategyConfig | None = None) -> None:
        super().__init__(config)
        self.calls: list[tuple[str, str]] = []

    def on_order_accepted(self, event: Any) -> None:
        self.calls.append(("on_order_accepted", type(event).__name__))

    def on_order_filled(self, event: Any) -> None:
        self.calls.append(("on_order_filled", type(event).__name__))
        raise RuntimeError("specific handler failed")

    def on_order_event(self, event: OrderEvent) -> None:
        self.calls.append(("on_order_event", type(event).__name__))

    def on_position_opened(self, event: Any) -> None:
        self.calls.append(("on_position_opened", type(event).__name__))

    def on_position_event(self, event: Any) -> None:
        self.calls.append(("on_position_event", type(event).__name__))

    def on_event(self, event: Any) -> None:
        self.calls.append(("on_event", type(event).__name__))


def started(env: Env, config: StrategyConfig | None = None) -> Recorder:
    strategy = Recorder(config)
    env.trader.add_strategy(strategy)
    env.trader.start()
    return strategy


def test_strategy_id_then_class_name_and_tag(env: Env) -> None:
    assert Recorder().id == "Recorder-000"
    assert Recorder(StrategyConfig(order_id_tag="007")).id == "Recorder-007"
    assert Recorder(StrategyConfig(strategy_id="Mine-001")).id == "Mine-001"


def test_submit_order_then_cached_and_sent_to_risk_engine(env: Env) -> None:
    strategy = started(env)
    order = strategy.factory.limit(env.instrument.id, OrderSide.BUY, QTY, PX)

    strategy.submit_order(order)

    [command] = env.sent[topics.RISK_ENGINE_EXECUTE]
    assert isinstance(command, SubmitOrder)
    assert command.order_init is order.init_event
    assert env.cache.order(order.client_order_id) is order


def test_submit_emulated_order_then_sent_to_emulator(env: Env) -> None:
    strategy = started(env)
    order = strategy.factory.limit(
        env.instrument.id, OrderSide.BUY, QTY, PX, emulation_trigger=TriggerType.BID_ASK
    )

    strategy.submit_order(order)

    assert env.sent[topics.RISK_ENGINE_EXECUTE] == []
    assert isinstance(env.sent[topics.ORDER_EMULATOR_EXECUTE][0], SubmitOrder)


def test_submit_bracket_then_every_order_cached_and_list_sent_to_emulator(env: Env) -> None:
    strategy = started(env)
    bracket = strategy.factory.bracket(
        env.instrument.id,
        OrderSide.BUY,
        QTY,
        entry_price=PX,
        tp_price=Price.from_str("52000.0"),
        sl_trigger_price=Price.from_str("49000.0"),
    )

    strategy.submit_order_list(bracket)

    [command] = env.sent[topics.ORDER_EMULATOR_EXECUTE]
    assert isinstance(command, SubmitOrderList)
    assert all(env.cache.order_exists(c) for c in bracket.client_order_ids)


def test_modify_and_cancel_then_commands_sent_to_risk_engine(env: Env) -> None:
    strategy = started(env)
    order = strategy.factory.limit(env.instrument.id, OrderSide.BUY, QTY, PX)
    strategy.submit_order(order)

    strategy.modify_order(order, price=PX)  # unchanged: not sent
    strategy.modify_order(order, price=Price.from_str("49999.0"))
    strategy.cancel_order(order)

    _, modify, cancel = env.sent[topics.RISK_ENGINE_EXECUTE]
    assert isinstance(modify, ModifyOrder)
    assert modify.price == Price.from_str("49999.0")
    assert isinstance(cancel, CancelOrder)


def test_order_event_then_specific_then_on_order_event_then_on_event(env: Env) -> None:
    strategy = started(env)
    order = strategy.factory.limit(env.instrument.id, OrderSide.BUY, QTY, PX)
    strategy.submit_order(order)
    topic = topics.order_events(strategy.id)

    order.apply(submitted(order))
    event = accepted(order)
    order.apply(event)
    env.bus.publish(topic, event)
    fill = filled(order)
    env.bus.publish(topic, fill)

    assert strategy.calls == [
        ("on_order_accepted", "OrderAccepted"),
        ("on_order_event", "OrderAccepted"),
        ("on_event", "OrderAccepted"),
        ("on_order_filled", "OrderFilled"),  # raises: logged, counted, the rest still run
        ("on_order_event", "OrderFilled"),
        ("on_event", "OrderFilled"),
    ]
    assert strategy.handler_error_count == 1


def test_position_event_then_specific_then_on_position_event_then_on_event(env: Env) -> None:
    strategy = Recorder(StrategyConfig(strategy_id=str(STRATEGY_ID)))
    env.trader.add_strategy(strategy)
    env.trader.start()

    env.bus.publish(topics.position_events(strategy.id), position_opened())

    assert [c[0] for c in strategy.calls] == [
        "on_position_opened",
        "on_position_event",
        "on_event",
    ]


def test_gtd_order_when_managed_then_cancelled_at_expire_time(env: Env) -> None:
    strategy = started(env, StrategyConfig(manage_gtd_expiry=True))
    order = strategy.factory.limit(
        env.instrument.id,
        OrderSide.BUY,
        QTY,
        PX,
        time_in_force=TimeInForce.GTD,
        expire_time_ns=T0 + 10 * SEC,
    )
    strategy.submit_order(order)
    order.apply(submitted(order))
    order.apply(accepted(order))

    env.run_to(T0 + 10 * SEC - 1)
    assert len(env.sent[topics.RISK_ENGINE_EXECUTE]) == 1
    env.run_to(T0 + 10 * SEC)

    cancel = env.sent[topics.RISK_ENGINE_EXECUTE][-1]
    assert isinstance(cancel, CancelOrder)
    assert cancel.client_order_id == order.client_order_id


def test_gtd_order_closed_before_expiry_then_alert_removed(env: Env) -> None:
    strategy = started(env, StrategyConfig(manage_gtd_expiry=True))
    order = strategy.factory.limit(
        env.instrument.id,
        OrderSide.BUY,
        QTY,
        PX,
        time_in_force=TimeInForce.GTD,
        expire_time_ns=T0 + 10 * SEC,
    )
    strategy.submit_order(order)
    order.apply(submitted(order))
    order.apply(accepted(order))
    event = canceled(order)
    order.apply(event)
    env.cache.update_order(order)

    env.bus.publish(topics.order_events(strategy.id), event)
    env.run_to(T0 + 20 * SEC)

    assert strategy.clock.timer_names == []
    assert len(env.sent[topics.RISK_ENGINE_EXECUTE]) == 1


def test_manage_stop_then_orders_cancelled_and_positions_closed(env: Env) -> None:
    from argonaut.model.enums import OmsType

    strategy = Recorder(StrategyConfig(strategy_id=str(STRATEGY_ID), manage_stop=True))
    env.trader.add_strategy(strategy)
    env.trader.start()
    order = strategy.factory.limit(env.instrument.id, OrderSide.BUY, QTY, PX)
    strategy.submit_order(order)
    position, _ = open_position()
    env.cache.add_position(position, OmsType.NETTING)

    env.trader.stop()

    sent = env.sent[topics.RISK_ENGINE_EXECUTE]
    cancel_all, close = sent[1], sent[2]
    assert isinstance(cancel_all, CancelAllOrders)
    assert cancel_all.instrument_id == env.instrument.id
    assert isinstance(close, SubmitOrder)
    assert close.order_init.order_side is OrderSide.SELL
    assert close.order_init.reduce_only
    assert close.order_init.quantity == position.quantity
    assert close.position_id == position.id
    assert strategy.is_stopped


def test_close_all_positions_when_side_filtered_then_only_that_side(env: Env) -> None:
    from argonaut.model.enums import OmsType

    strategy = Recorder(StrategyConfig(strategy_id=str(STRATEGY_ID)))
    env.trader.add_strategy(strategy)
    env.trader.start()
    position, _ = open_position()
    env.cache.add_position(position, OmsType.NETTING)

    strategy.close_all_positions(env.instrument.id, PositionSide.SHORT)
    assert env.sent[topics.RISK_ENGINE_EXECUTE] == []
    strategy.close_all_positions(env.instrument.id, PositionSide.LONG)
    assert len(env.sent[topics.RISK_ENGINE_EXECUTE]) == 1


def test_query_order_then_sent_to_exec_engine(env: Env) -> None:
    strategy = started(env)
    order = strategy.factory.limit(env.instrument.id, OrderSide.BUY, QTY, PX)
    strategy.submit_order(order)

    strategy.query_order(order)

    assert type(env.sent[topics.EXEC_ENGINE_EXECUTE][0]).__name__ == "QueryOrder"
