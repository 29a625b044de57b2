from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.emulator import (
    MatchingCore,
    OrderEmulator,
    OrderEmulatorConfig,
    Source,
    is_triggered,
    released_type,
    trail_from,
)
from argonaut.model.commands.data import SubscribeQuoteTicks, SubscribeTradeTicks
from argonaut.model.commands.trading import CancelOrder, ModifyOrder, SubmitOrder
from argonaut.model.enums import (
    ContingencyType,
    OrderSide,
    OrderStatus,
    OrderType,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.events.order import (
    OrderCanceled,
    OrderDenied,
    OrderEmulated,
    OrderEvent,
    OrderFilled,
    OrderReleased,
    OrderUpdated,
)
from argonaut.model.identifiers import ClientOrderId, OrderListId
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.testkit import (
    BTCUSDT_PERP,
    INSTRUMENT_ID,
    TRADER_ID,
    TS,
    accepted,
    cancel_all_orders,
    cancel_order,
    canceled,
    filled,
    limit_if_touched_order,
    limit_order,
    market_if_touched_order,
    modify_order,
    quote,
    stop_limit_order,
    stop_market_order,
    submit_order,
    submit_order_list,
    submitted,
    trade,
    trailing_stop_limit_order,
    trailing_stop_market_order,
)

NOW = TS + 1_000
BUY, SELL = OrderSide.BUY, OrderSide.SELL
BID_ASK, LAST = TriggerType.BID_ASK, TriggerType.LAST_PRICE


def px(text: str) -> Price:
    return Price.from_str(text)


def qty(text: str) -> Quantity:
    return Quantity.from_str(text)


class Env:
    """An emulator on a real bus, cache and test clock, with recording endpoints.

    ``ExecEngine.process`` is a minimal execution engine: it records each event, applies
    it to the cached order and publishes it, as the real one does.
    """

    def __init__(self, *, exec_engine: bool = True, cached_instrument: bool = True) -> None:
        self.clock = TestClock(NOW)
        self.bus = MessageBus(TRADER_ID)
        self.cache = Cache()
        if cached_instrument:
            self.cache.add_instrument(BTCUSDT_PERP)
        self.risk: list[Any] = []
        self.data: list[Any] = []
        self.processed: list[OrderEvent] = []
        self.published: list[OrderEvent] = []
        self.bus.register(topics.RISK_ENGINE_EXECUTE, self.risk.append)
        self.bus.register(topics.DATA_ENGINE_EXECUTE, self.data.append)
        if exec_engine:
            self.bus.register(topics.EXEC_ENGINE_PROCESS, self.process)
        self.bus.subscribe(topics.all_order_events(), self.published.append)
        self.emulator = OrderEmulator(
            self.bus,
            self.cache,
            self.clock,
            config=OrderEmulatorConfig(debug=True),
            uuid_factory=UUIDFactory(seed=3),
        )

    def process(self, event: OrderEvent) -> None:
        self.processed.append(event)
        order = self.cache.order(event.client_order_id)
        assert order is not None
        order.apply(event)
        self.cache.update_order(order)
        self.bus.publish(topics.order_events(event.strategy_id), event)
        if isinstance(event, OrderFilled):  # as the real engine: fills topic last
            self.bus.publish(topics.fill_events(event.instrument_id), event)

    # -- strategy side ----------------------------------------------------------------

    def submit(self, order: Order, **kwargs: Any) -> Order:
        self.cache.add_order(order)
        self.emulator.execute(submit_order(order, **kwargs))
        return order

    def submit_list(self, orders: Sequence[Order]) -> None:
        for order in orders:
            self.cache.add_order(order)
        self.emulator.execute(submit_order_list(orders))

    # -- market and venue -------------------------------------------------------------

    def quote(self, bid: str, ask: str) -> None:
        tick = quote(bid=bid, ask=ask)
        self.cache.add_quote_tick(tick)
        self.bus.publish(topics.quotes(INSTRUMENT_ID), tick)

    def trade(self, price: str) -> None:
        tick = trade(price=price)
        self.cache.add_trade_tick(tick)
        self.bus.publish(topics.trades(INSTRUMENT_ID), tick)

    def order(self, client_order_id: str) -> Order:
        order = self.cache.order(ClientOrderId(client_order_id))
        assert order is not None
        return order

    def work(self, client_order_id: str, venue_order_id: str) -> Order:
        """Have the venue acknowledge a submitted order."""
        order = self.order(client_order_id)
        self.process(submitted(order))
        self.process(accepted(order, venue_order_id=venue_order_id))
        return order

    def fill(self, client_order_id: str, last_qty: str | None = None) -> None:
        order = self.order(client_order_id)
        self.process(filled(order, last_qty=last_qty, last_px=order.price or px("50000.0")))

    # -- records ----------------------------------------------------------------------

    def submits(self) -> list[SubmitOrder]:
        return [c for c in self.risk if isinstance(c, SubmitOrder)]

    def released(self) -> list[OrderReleased]:
        return [e for e in self.processed if isinstance(e, OrderReleased)]

    def updates(self) -> list[OrderUpdated]:
        return [e for e in self.processed if isinstance(e, OrderUpdated)]


@pytest.fixture
def env() -> Iterator[Env]:
    env = Env()
    yield env
    assert env.bus.handler_error_count == 0  # handler errors are logged, not raised
    assert env.bus.undelivered_count == 0


# -- submit and data subscriptions ------------------------------------------------------


def test_submit_emulated_order_then_emulated_and_quotes_subscribed(env: Env) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))

    assert order.status is OrderStatus.EMULATED
    assert [type(e) for e in env.processed] == [OrderEmulated]
    assert env.cache.orders_emulated() == [order]
    assert env.emulator.is_emulating(order.client_order_id)
    (command,) = env.data
    assert isinstance(command, SubscribeQuoteTicks)
    assert command.instrument_id == INSTRUMENT_ID
    assert command.subscriber == env.emulator.component_id
    assert env.bus.has_subscribers(topics.quotes(INSTRUMENT_ID))
    assert env.risk == []


def test_submit_order_without_trigger_then_forwarded_to_risk_engine(env: Env) -> None:
    order = limit_order()
    command = submit_order(order)
    env.cache.add_order(order)
    env.emulator.execute(command)

    assert env.risk == [command]
    assert env.processed == []
    assert env.data == []


def test_second_order_on_same_instrument_then_no_second_subscription(env: Env) -> None:
    env.submit(stop_market_order(client_order_id="O-1", emulation_trigger=BID_ASK))
    env.submit(stop_market_order(client_order_id="O-2", emulation_trigger=BID_ASK))

    assert len(env.data) == 1
    assert env.emulator.subscribed_quotes() == [INSTRUMENT_ID]


def test_submit_with_mark_price_trigger_then_denied(env: Env) -> None:
    order = env.submit(stop_market_order(emulation_trigger=TriggerType.MARK_PRICE))

    assert order.status is OrderStatus.DENIED
    (denial,) = env.processed
    assert isinstance(denial, OrderDenied)
    assert "MARK_PRICE" in denial.reason
    assert env.data == []


def test_no_trigger_without_market_data(env: Env) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.trade("60000.0")  # trades are not what a BID_ASK trigger watches

    assert order.status is OrderStatus.EMULATED
    assert env.risk == []


def test_submit_when_cached_quote_already_through_trigger_then_released_at_once(
    env: Env,
) -> None:
    env.cache.add_quote_tick(quote(bid="50199.9", ask="50200.0"))
    env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.MARKET
    assert env.released()[0].released_price == px("50200.0")


# -- triggers per order type ------------------------------------------------------------


def test_stop_market_buy_when_ask_crosses_trigger_then_released_as_market_and_submitted(
    env: Env,
) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.quote("50099.8", "50099.9")
    assert env.risk == []

    env.quote("50099.9", "50100.0")

    (submit,) = env.submits()
    released = env.order("O-1")
    assert submit.order_init.order_type is OrderType.MARKET
    assert submit.order_init.client_order_id == order.client_order_id
    assert submit.order_init.emulation_trigger is TriggerType.NO_TRIGGER
    assert released.order_type is OrderType.MARKET
    assert released.status is OrderStatus.RELEASED
    assert env.released()[0].released_price == px("50100.0")
    assert env.cache.orders_emulated() == []
    assert not env.emulator.is_emulating(order.client_order_id)
    assert env.emulator.released_count == 1


def test_stop_market_sell_with_last_price_trigger_then_released_on_trade(env: Env) -> None:
    env.submit(stop_market_order(side=SELL, trigger_price="49900.0", emulation_trigger=LAST))
    (command,) = env.data
    assert isinstance(command, SubscribeTradeTicks)

    env.quote("49000.0", "49000.1")  # quotes are not watched
    env.trade("49900.1")
    assert env.risk == []

    env.trade("49900.0")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.MARKET
    assert env.released()[0].released_price == px("49900.0")


def test_stop_limit_when_triggered_then_released_as_limit_at_its_price(env: Env) -> None:
    env.submit(
        stop_limit_order(price="50110.0", trigger_price="50100.0", emulation_trigger=BID_ASK)
    )
    env.quote("50100.0", "50100.1")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.LIMIT
    assert submit.order_init.price == px("50110.0")
    assert submit.order_init.trigger_price is None
    assert env.order("O-1").order_type is OrderType.LIMIT
    assert env.released()[0].released_price == px("50110.0")


def test_limit_if_touched_buy_when_ask_falls_to_trigger_then_released_as_limit(
    env: Env,
) -> None:
    env.submit(
        limit_if_touched_order(price="49890.0", trigger_price="49900.0", emulation_trigger=BID_ASK)
    )
    env.quote("49949.9", "49950.0")
    assert env.risk == []

    env.quote("49899.9", "49900.0")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.LIMIT
    assert submit.order_init.price == px("49890.0")


def test_market_if_touched_sell_when_bid_rises_to_trigger_then_released_as_market(
    env: Env,
) -> None:
    env.submit(
        market_if_touched_order(side=SELL, trigger_price="50100.0", emulation_trigger=BID_ASK)
    )
    env.quote("50099.9", "50100.0")
    assert env.risk == []

    env.quote("50100.0", "50100.1")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.MARKET
    assert env.released()[0].released_price == px("50100.0")


def test_emulated_limit_when_market_touches_price_then_released_as_limit(env: Env) -> None:
    env.submit(limit_order(price="49900.0", emulation_trigger=BID_ASK))
    env.quote("49900.0", "49900.1")
    assert env.risk == []

    env.quote("49899.8", "49899.9")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.LIMIT
    assert submit.order_init.price == px("49900.0")
    assert env.order("O-1").status is OrderStatus.RELEASED


def test_mid_point_trigger_then_compares_the_mid(env: Env) -> None:
    env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=TriggerType.MID_POINT))
    env.quote("50099.9", "50100.0")  # mid 50099.95
    assert env.risk == []

    env.quote("50100.0", "50100.1")

    assert len(env.submits()) == 1


def test_double_bid_ask_trigger_needs_two_consecutive_quotes(env: Env) -> None:
    env.submit(
        stop_market_order(trigger_price="50100.0", emulation_trigger=TriggerType.DOUBLE_BID_ASK)
    )
    env.quote("50100.0", "50100.1")
    env.quote("50000.0", "50000.1")  # streak broken
    env.quote("50100.0", "50100.1")
    assert env.risk == []

    env.quote("50100.1", "50100.2")

    assert len(env.submits()) == 1


def test_last_or_bid_ask_trigger_then_either_data_triggers() -> None:
    for feed in ("quote", "trade"):
        env = Env()
        env.submit(
            stop_market_order(
                trigger_price="50100.0", emulation_trigger=TriggerType.LAST_OR_BID_ASK
            )
        )
        assert {type(c) for c in env.data} == {SubscribeQuoteTicks, SubscribeTradeTicks}
        if feed == "quote":
            env.quote("50100.0", "50100.1")
        else:
            env.trade("50100.0")
        assert len(env.submits()) == 1, feed


# -- trailing stops ---------------------------------------------------------------------


def test_trailing_stop_price_offset_follows_bid_up_and_triggers_on_reversal(env: Env) -> None:
    order = env.submit(
        trailing_stop_market_order(side=SELL, trailing_offset="100.0", emulation_trigger=BID_ASK)
    )
    env.quote("50000.0", "50000.1")
    assert order.trigger_price == px("49900.0")

    env.quote("50200.0", "50200.1")
    assert order.trigger_price == px("50100.0")

    env.quote("50150.0", "50150.1")  # a move against the stop never loosens it
    assert order.trigger_price == px("50100.0")
    assert [u.trigger_price for u in env.updates()] == [px("49900.0"), px("50100.0")]
    assert env.risk == []

    env.quote("50100.0", "50100.1")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.MARKET
    assert env.released()[0].released_price == px("50100.0")


def test_trailing_stop_basis_points_buy_follows_ask_down_and_triggers_on_reversal(
    env: Env,
) -> None:
    order = env.submit(
        trailing_stop_market_order(
            side=BUY,
            trailing_offset="100",
            trailing_offset_type=TrailingOffsetType.BASIS_POINTS,
            emulation_trigger=BID_ASK,
        )
    )
    env.quote("49999.9", "50000.0")
    assert order.trigger_price == px("50500.0")

    env.quote("48999.9", "49000.0")
    assert order.trigger_price == px("49490.0")

    env.quote("49489.9", "49490.0")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.MARKET


def test_trailing_stop_ticks_offset_uses_the_instrument_tick_size(env: Env) -> None:
    order = env.submit(
        trailing_stop_market_order(
            side=SELL,
            trailing_offset="10",
            trailing_offset_type=TrailingOffsetType.TICKS,
            emulation_trigger=LAST,
        )
    )
    env.trade("50000.0")

    assert order.trigger_price == px("49999.0")


def test_trailing_stop_ticks_without_cached_instrument_then_denied() -> None:
    env = Env(cached_instrument=False)
    order = env.submit(
        trailing_stop_market_order(
            trailing_offset="10",
            trailing_offset_type=TrailingOffsetType.TICKS,
            emulation_trigger=BID_ASK,
        )
    )

    assert order.status is OrderStatus.DENIED


def test_trailing_stop_limit_trails_trigger_and_price_then_released_as_limit(env: Env) -> None:
    order = env.submit(
        trailing_stop_limit_order(
            side=SELL, trailing_offset="100.0", limit_offset="50.0", emulation_trigger=BID_ASK
        )
    )
    env.quote("50000.0", "50000.1")
    assert (order.trigger_price, order.price) == (px("49900.0"), px("49950.0"))

    env.quote("49900.0", "49900.1")

    (submit,) = env.submits()
    assert submit.order_init.order_type is OrderType.LIMIT
    assert submit.order_init.price == px("49950.0")


# -- modify and cancel ------------------------------------------------------------------


def test_modify_emulated_order_then_updated_locally_and_new_trigger_used(env: Env) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.emulator.execute(modify_order(order, trigger_price="50200.0", quantity="2.000"))

    (update,) = env.updates()
    assert update.trigger_price == px("50200.0")
    assert order.trigger_price == px("50200.0")
    assert order.quantity == qty("2.000")
    assert order.status is OrderStatus.EMULATED

    env.quote("50149.9", "50150.0")
    assert env.risk == []
    env.quote("50199.9", "50200.0")

    (submit,) = env.submits()
    assert submit.order_init.quantity == qty("2.000")


def test_modify_trigger_through_the_market_then_released_at_once(env: Env) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.quote("50049.9", "50050.0")

    env.emulator.execute(modify_order(order, trigger_price="50000.0"))

    assert len(env.submits()) == 1


def test_modify_price_of_stop_market_then_refused(env: Env) -> None:
    order = env.submit(stop_market_order(emulation_trigger=BID_ASK))
    env.emulator.execute(modify_order(order, price="50000.0"))

    assert env.updates() == []
    assert env.emulator.command_error_count == 1


def test_cancel_emulated_order_then_canceled_locally_and_never_released(env: Env) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.emulator.execute(cancel_order(order))

    assert order.status is OrderStatus.CANCELED
    assert isinstance(env.processed[-1], OrderCanceled)
    assert not env.emulator.is_emulating(order.client_order_id)
    env.quote("50200.0", "50200.1")
    assert env.risk == []


def test_cancel_released_order_then_forwarded_to_risk_engine(env: Env) -> None:
    env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.quote("50100.0", "50100.1")
    env.work("O-1", "V-1")
    command = cancel_order(env.order("O-1"))

    env.emulator.execute(command)

    assert env.risk[-1] == command


def test_emulated_order_canceled_elsewhere_then_no_longer_matched(env: Env) -> None:
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.process(canceled(order))

    assert not env.emulator.is_emulating(order.client_order_id)
    env.quote("50200.0", "50200.1")
    assert env.risk == []


def test_cancel_all_orders_then_cancels_emulated_orders_of_that_side(env: Env) -> None:
    buy = env.submit(stop_market_order(client_order_id="O-1", emulation_trigger=BID_ASK))
    sell = env.submit(
        stop_market_order(
            client_order_id="O-2", side=SELL, trigger_price="49000.0", emulation_trigger=BID_ASK
        )
    )
    env.emulator.execute(cancel_all_orders(order_side=SELL))

    assert buy.status is OrderStatus.EMULATED
    assert sell.status is OrderStatus.CANCELED


# -- event sink ---------------------------------------------------------------------------


def test_without_exec_engine_then_events_applied_and_published_locally() -> None:
    env = Env(exec_engine=False)
    order = env.submit(stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK))
    env.quote("50100.0", "50100.1")

    assert env.order("O-1").status is OrderStatus.RELEASED
    assert [type(e) for e in env.published] == [OrderEmulated, OrderReleased]
    assert env.bus.undelivered_count == 0
    assert order.client_order_id == env.submits()[0].client_order_id


def test_injected_event_sink_receives_every_event() -> None:
    clock, bus, cache = TestClock(NOW), MessageBus(TRADER_ID), Cache()
    seen: list[OrderEvent] = []
    emulator = OrderEmulator(bus, cache, clock, uuid_factory=UUIDFactory(1), event_sink=seen.append)
    order = stop_market_order(emulation_trigger=BID_ASK)
    cache.add_order(order)
    bus.register(topics.DATA_ENGINE_EXECUTE, lambda _: None)
    emulator.execute(submit_order(order))

    assert [type(e) for e in seen] == [OrderEmulated]
    assert order.status is OrderStatus.INITIALIZED  # the sink did not apply it


def test_start_resumes_orders_emulated_in_the_cache() -> None:
    env = Env()
    order = stop_market_order(trigger_price="50100.0", emulation_trigger=BID_ASK)
    env.cache.add_order(order)
    env.process(
        OrderEmulated(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            event_id=UUIDFactory(9).generate(),
            ts_event=NOW,
            ts_init=NOW,
        )
    )
    env.emulator.start()
    env.quote("50100.0", "50100.1")

    assert len(env.submits()) == 1


# -- contingent orders ----------------------------------------------------------------------


def bracket(*, emulate_sl: bool, children: ContingencyType = ContingencyType.OCO) -> list[Order]:
    """Entry BUY LIMIT (OTO) with a SELL stop loss O-2 and take profit O-3 linked by OCO."""
    olid = OrderListId("OL-1")
    entry_id, sl_id, tp_id = ClientOrderId("O-1"), ClientOrderId("O-2"), ClientOrderId("O-3")
    entry = limit_order(
        client_order_id=entry_id,
        contingency_type=ContingencyType.OTO,
        linked_order_ids=(sl_id, tp_id),
        order_list_id=olid,
    )
    common: dict[str, Any] = {
        "order_list_id": olid,
        "side": SELL,
        "contingency_type": children,
        "parent_order_id": entry_id,
        "reduce_only": True,
    }
    stop = stop_market_order(
        client_order_id=sl_id,
        trigger_price="49000.0",
        linked_order_ids=(tp_id,),
        emulation_trigger=BID_ASK if emulate_sl else TriggerType.NO_TRIGGER,
        **common,
    )
    take = limit_order(client_order_id=tp_id, price="52000.0", linked_order_ids=(sl_id,), **common)
    return [entry, stop, take]


def test_bracket_submit_then_entry_sent_and_children_held(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))

    assert [s.client_order_id for s in env.submits()] == ["O-1"]
    assert env.emulator.contingency.held_ids() == ["O-2", "O-3"]
    assert env.order("O-2").status is OrderStatus.INITIALIZED
    assert env.processed == []


def test_bracket_entry_fill_then_children_activated(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.fill("O-1")

    assert [s.client_order_id for s in env.submits()] == ["O-1", "O-3"]
    assert env.order("O-2").status is OrderStatus.EMULATED
    assert env.emulator.contingency.held_ids() == []


def test_bracket_take_profit_fill_then_emulated_stop_loss_canceled_locally(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.work("O-3", "V-3")
    env.fill("O-3")

    assert env.order("O-2").status is OrderStatus.CANCELED
    assert not any(isinstance(c, CancelOrder) for c in env.risk)
    env.quote("48000.0", "48000.1")
    assert len(env.submits()) == 2  # the stop loss never released


def test_bracket_take_profit_fill_then_stop_loss_at_venue_canceled_via_risk(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=False))
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.work("O-2", "V-2")
    env.work("O-3", "V-3")
    env.fill("O-3")

    (cancel,) = [c for c in env.risk if isinstance(c, CancelOrder)]
    assert cancel.client_order_id == "O-2"
    assert cancel.venue_order_id == "V-2"


def test_bracket_stop_loss_triggers_then_released_and_its_fill_cancels_take_profit(
    env: Env,
) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.work("O-3", "V-3")
    env.quote("49000.0", "49000.1")
    assert [s.client_order_id for s in env.submits()] == ["O-1", "O-3", "O-2"]

    env.work("O-2", "V-2")
    env.fill("O-2")

    (cancel,) = [c for c in env.risk if isinstance(c, CancelOrder)]
    assert cancel.client_order_id == "O-3"


def test_bracket_entry_canceled_without_fill_then_children_canceled(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.process(canceled(env.order("O-1")))

    assert env.order("O-2").status is OrderStatus.CANCELED
    assert env.order("O-3").status is OrderStatus.CANCELED
    assert env.emulator.contingency.held_ids() == []
    assert len(env.submits()) == 1


def test_bracket_entry_partial_fill_then_children_sized_to_filled_quantity(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.fill("O-1", last_qty="0.400")

    tp_submit = env.submits()[-1]
    assert tp_submit.client_order_id == "O-3"
    assert tp_submit.order_init.quantity == qty("0.400")
    assert env.order("O-2").quantity == qty("0.400")

    env.work("O-3", "V-3")
    env.fill("O-1", last_qty="0.600")

    assert env.order("O-2").quantity == qty("1.000")  # emulated: updated locally
    (modify,) = [c for c in env.risk if isinstance(c, ModifyOrder)]
    assert (modify.client_order_id, modify.quantity) == ("O-3", qty("1.000"))


def test_oco_leg_canceled_then_other_leg_canceled(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.work("O-3", "V-3")
    env.emulator.execute(cancel_order(env.order("O-2")))

    (cancel,) = [c for c in env.risk if isinstance(c, CancelOrder)]
    assert cancel.client_order_id == "O-3"


def test_ouo_partial_fill_then_other_venue_leg_reduced_by_modify(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=False, children=ContingencyType.OUO))
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.work("O-2", "V-2")
    env.work("O-3", "V-3")
    env.fill("O-3", last_qty="0.400")

    (modify,) = [c for c in env.risk if isinstance(c, ModifyOrder)]
    assert (modify.client_order_id, modify.quantity) == ("O-2", qty("0.600"))
    assert not any(isinstance(c, CancelOrder) for c in env.risk)


def test_ouo_partial_fill_then_emulated_leg_reduced_locally(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True, children=ContingencyType.OUO))
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.work("O-3", "V-3")
    env.fill("O-3", last_qty="0.250")

    assert env.order("O-2").quantity == qty("0.750")
    assert env.order("O-2").status is OrderStatus.EMULATED

    env.fill("O-3")  # the rest: the take profit closes, the stop loss goes

    assert env.order("O-2").status is OrderStatus.CANCELED


def test_child_submitted_alone_after_parent_filled_then_routed_at_once(env: Env) -> None:
    entry, stop, _ = bracket(emulate_sl=False)
    env.submit(entry)
    env.work("O-1", "V-1")
    env.fill("O-1")
    env.submit(stop)

    assert [s.client_order_id for s in env.submits()] == ["O-1", "O-2"]


# -- matching rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order_type", "side", "market", "expected"),
    [
        (OrderType.STOP_MARKET, BUY, 100, True),
        (OrderType.STOP_MARKET, BUY, 99, False),
        (OrderType.STOP_MARKET, SELL, 100, True),
        (OrderType.STOP_MARKET, SELL, 101, False),
        (OrderType.TRAILING_STOP_LIMIT, SELL, 99, True),
        (OrderType.MARKET_IF_TOUCHED, BUY, 100, True),
        (OrderType.MARKET_IF_TOUCHED, BUY, 101, False),
        (OrderType.LIMIT_IF_TOUCHED, SELL, 101, True),
        (OrderType.LIMIT_IF_TOUCHED, SELL, 99, False),
        (OrderType.LIMIT, BUY, 99, True),
        (OrderType.LIMIT, SELL, 99, False),
    ],
)
def test_is_triggered_table(
    order_type: OrderType, side: OrderSide, market: int, expected: bool
) -> None:
    assert is_triggered(order_type, side, 100, market) is expected


@pytest.mark.parametrize(
    ("order_type", "expected"),
    [
        (OrderType.STOP_MARKET, OrderType.MARKET),
        (OrderType.MARKET_IF_TOUCHED, OrderType.MARKET),
        (OrderType.TRAILING_STOP_MARKET, OrderType.MARKET),
        (OrderType.STOP_LIMIT, OrderType.LIMIT),
        (OrderType.LIMIT_IF_TOUCHED, OrderType.LIMIT),
        (OrderType.TRAILING_STOP_LIMIT, OrderType.LIMIT),
        (OrderType.LIMIT, OrderType.LIMIT),
    ],
)
def test_released_type_table(order_type: OrderType, expected: OrderType) -> None:
    assert released_type(order_type) is expected


def test_trail_from_rounds_basis_points_to_the_tick() -> None:
    tick = px("0.1")
    # 50000.0 * 3 bps = 15.0; 50000.3 * 3 bps = 15.00009 -> 49985.29991 -> 49985.3
    assert trail_from(px("50000.0"), Decimal(3), _bps(), tick, sell=True) == px("49985.0")
    assert trail_from(px("50000.3"), Decimal(3), _bps(), tick, sell=True) == px("49985.3")
    assert trail_from(
        px("50000.0"), Decimal("2.5"), TrailingOffsetType.TICKS, tick, sell=False
    ) == (
        px("50000.2")  # 2.5 ticks -> 50000.25 -> half-even 50000.2
    )
    assert trail_from(px("50000.0"), Decimal(2), TrailingOffsetType.TICKS, None, sell=True) is None


def _bps() -> TrailingOffsetType:
    return TrailingOffsetType.BASIS_POINTS


def test_matching_core_without_prices_then_nothing_triggers() -> None:
    core = MatchingCore(INSTRUMENT_ID)
    order = stop_market_order(emulation_trigger=BID_ASK)
    core.add(order)

    assert core.watched_prices(order) == ()
    assert core.check(order, Source.QUOTE) is None
    assert len(core) == 1


def test_events_of_unwatched_orders_then_contingency_manager_not_called(env: Env) -> None:
    calls: list[ClientOrderId] = []
    contingency = env.emulator.contingency
    on_event = contingency.on_event
    contingency_type = type(contingency)

    def spy(self: Any, event: OrderEvent) -> None:
        calls.append(event.client_order_id)
        on_event(event)

    env.submit_list(bracket(emulate_sl=True))
    plain = env.submit(limit_order(client_order_id=ClientOrderId("O-9")))
    original = contingency_type.on_event
    contingency_type.on_event = spy  # type: ignore[method-assign]
    try:
        env.work("O-9", "V-9")
        env.fill("O-9")
        env.work("O-1", "V-1")
        env.fill("O-1")
    finally:
        contingency_type.on_event = original  # type: ignore[method-assign]

    assert plain.status is OrderStatus.FILLED
    assert ClientOrderId("O-1") in calls  # watched: the bracket entry
    assert ClientOrderId("O-9") not in calls  # not watched: never reaches the manager
    assert [s.client_order_id for s in env.submits()] == ["O-1", "O-9", "O-3"]


def test_reset_then_new_bracket_entry_fill_still_activates_children(env: Env) -> None:
    env.submit_list(bracket(emulate_sl=True))
    env.emulator.start()
    env.emulator.stop()
    env.emulator.reset()
    assert env.emulator.contingency.held_ids() == []
    env.cache.reset()

    env.submit_list(bracket(emulate_sl=True))
    env.work("O-1", "V-1")
    env.fill("O-1")

    assert env.order("O-2").status is OrderStatus.EMULATED
    assert env.emulator.contingency.held_ids() == []
