"""The execution path end to end: strategy -> risk -> execution -> scripted venue -> events
-> positions -> portfolio, all real engines wired by the Kernel under a test clock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from kernel_env import Env, make_env

from argonaut.model.data import QuoteTick
from argonaut.model.enums import OmsType, OrderSide, OrderStatus, PositionSide, TradingState
from argonaut.model.events.order import (
    OrderDenied,
    OrderEvent,
    OrderFilled,
)
from argonaut.model.events.position import PositionEvent
from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price, Quantity
from argonaut.testkit import TS, quote
from argonaut.trading import Strategy, StrategyConfig

BTC = InstrumentId("BTCUSDT-PERP.SIM")


class Recorder(Strategy):
    """A strategy that records what reaches it; tests drive its orders directly."""

    def __init__(self, config: StrategyConfig | None = None) -> None:
        super().__init__(config or StrategyConfig(order_id_tag="001"))
        self.order_events: list[OrderEvent] = []
        self.position_events: list[PositionEvent] = []
        self.quotes: list[QuoteTick] = []

    def on_start(self) -> None:
        self.subscribe_quote_ticks(BTC)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.quotes.append(tick)

    def on_order_event(self, event: OrderEvent) -> None:
        self.order_events.append(event)

    def on_position_event(self, event: PositionEvent) -> None:
        self.position_events.append(event)


def started(env: Env, strategy: Strategy | None = None) -> Any:
    strategy = strategy or Recorder()
    env.kernel.add_strategy(strategy)
    env.kernel.start_trader()
    return strategy


def push_quote(env: Env, bid: str, ask: str) -> None:
    env.data.push(quote(bid=bid, ask=ask, ts=env.clock.timestamp_ns()))


def qty(text: str) -> Quantity:
    return Quantity.from_str(text)


def px(text: str) -> Price:
    return Price.from_str(text)


def kinds(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def test_submit_then_accepted_partially_filled_filled_position_opened_and_pnl_moves() -> None:
    env = make_env()
    s = started(env)
    push_quote(env, "50000.0", "50000.1")
    order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.0"))

    s.submit_order(order)
    env.venue.fill(order.client_order_id, last_qty="0.004")
    env.venue.fill(order.client_order_id)

    assert order.status is OrderStatus.FILLED
    assert kinds(s.order_events) == [
        "OrderSubmitted",
        "OrderAccepted",
        "OrderFilled",
        "OrderFilled",
    ]
    assert kinds(s.position_events) == ["PositionOpened", "PositionChanged"]
    [position] = env.kernel.cache.positions_open()
    assert position.side is PositionSide.LONG
    assert position.quantity == qty("0.010")
    portfolio = env.kernel.portfolio
    push_quote(env, "50100.0", "50100.1")
    assert portfolio.unrealized_pnl(BTC).as_decimal() == Decimal("1.00")  # 0.01 * 100 at bid
    push_quote(env, "49900.0", "49900.1")
    assert portfolio.unrealized_pnl(BTC).as_decimal() == Decimal("-1.00")


def test_modify_then_updated_and_cancel_then_canceled() -> None:
    env = make_env()
    s = started(env)
    order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("49000.0"))
    s.submit_order(order)

    s.modify_order(order, price=px("49500.0"))
    assert order.price == px("49500.0")
    s.cancel_order(order)

    assert order.status is OrderStatus.CANCELED
    assert kinds(s.order_events) == [
        "OrderSubmitted",
        "OrderAccepted",
        "OrderPendingUpdate",
        "OrderUpdated",
        "OrderPendingCancel",
        "OrderCanceled",
    ]
    assert env.kernel.cache.orders_open() == []


def test_submit_when_price_off_tick_then_denied_and_never_reaches_venue() -> None:
    env = make_env()
    s = started(env)
    order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.05"))

    s.submit_order(order)

    assert order.status is OrderStatus.DENIED
    [denied] = s.order_events
    assert isinstance(denied, OrderDenied)
    assert "50000.05" in denied.reason
    assert env.venue.commands == []


def test_trading_state_halted_then_submit_denied_and_cancel_passes() -> None:
    env = make_env()
    s = started(env)
    resting = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("49000.0"))
    s.submit_order(resting)
    env.kernel.risk_engine.set_trading_state(TradingState.HALTED, "test")

    blocked = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("49000.0"))
    s.submit_order(blocked)
    s.cancel_order(resting)

    assert blocked.status is OrderStatus.DENIED
    assert resting.status is OrderStatus.CANCELED


def test_trading_state_reducing_then_only_reducing_orders_pass() -> None:
    env = make_env()
    s = started(env)
    entry = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.0"))
    s.submit_order(entry)
    env.venue.fill(entry.client_order_id)
    env.kernel.risk_engine.set_trading_state(TradingState.REDUCING, "test")

    more = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.0"))
    s.submit_order(more)
    exit_ = s.factory.limit(BTC, OrderSide.SELL, qty("0.010"), px("50100.0"))
    s.submit_order(exit_)

    assert more.status is OrderStatus.DENIED
    assert exit_.status is OrderStatus.ACCEPTED


def test_netting_fill_larger_than_position_then_flips_with_close_and_open() -> None:
    env = make_env(oms_type=OmsType.NETTING)
    s = started(env)
    buy = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.0"))
    s.submit_order(buy)
    env.venue.fill(buy.client_order_id)
    sell = s.factory.limit(BTC, OrderSide.SELL, qty("0.030"), px("50100.0"))
    s.submit_order(sell)
    env.venue.fill(sell.client_order_id)

    assert kinds(s.position_events) == ["PositionOpened", "PositionClosed", "PositionOpened"]
    [position] = env.kernel.cache.positions_open()
    assert position.side is PositionSide.SHORT
    assert position.quantity == qty("0.020")


def test_hedging_two_buys_then_two_positions() -> None:
    env = make_env(oms_type=OmsType.HEDGING)
    s = started(env)
    for _ in range(2):
        order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.0"))
        s.submit_order(order)
        env.venue.fill(order.client_order_id)

    positions = env.kernel.cache.positions_open()
    assert len(positions) == 2
    assert positions[0].id != positions[1].id


def test_bracket_then_entry_fill_activates_children_and_take_profit_fill_cancels_stop() -> None:
    env = make_env()
    s = started(env)
    push_quote(env, "50000.0", "50000.1")
    bracket = s.factory.bracket(
        BTC,
        OrderSide.BUY,
        qty("0.010"),
        entry_price=px("50000.0"),
        tp_price=px("51000.0"),
        sl_trigger_price=px("49000.0"),
    )
    s.submit_order_list(bracket)
    entry, take_profit, stop_loss = (env.kernel.cache.order(c) for c in bracket.client_order_ids)
    assert entry is not None
    assert take_profit is not None
    assert stop_loss is not None
    assert entry.status is OrderStatus.ACCEPTED
    assert take_profit.status is OrderStatus.INITIALIZED  # held until the entry fills

    env.venue.fill(entry.client_order_id)
    assert take_profit.status is OrderStatus.ACCEPTED
    env.venue.fill(take_profit.client_order_id)

    stop_loss = env.kernel.cache.order(stop_loss.client_order_id)
    assert stop_loss is not None
    assert stop_loss.is_closed
    assert env.kernel.cache.positions_open() == []


def test_emulated_stop_when_quote_crosses_trigger_then_released_as_market() -> None:
    env = make_env()
    s = started(env)
    push_quote(env, "50000.0", "50000.1")
    from argonaut.model.enums import TriggerType

    stop = s.factory.stop_market(
        BTC,
        OrderSide.BUY,
        qty("0.010"),
        trigger_price=px("50100.0"),
        emulation_trigger=TriggerType.BID_ASK,
    )
    s.submit_order(stop)
    assert env.kernel.cache.order(stop.client_order_id).status is OrderStatus.EMULATED  # type: ignore[union-attr]
    assert env.venue.commands == []

    push_quote(env, "50100.0", "50100.1")

    released = env.kernel.cache.order(stop.client_order_id)
    assert released is not None
    assert released.order_type.name == "MARKET"
    assert [type(c).__name__ for c in env.venue.commands] == ["SubmitOrder"]


def test_duplicate_strategy_id_then_refused() -> None:
    env = make_env()
    env.kernel.add_strategy(Recorder())
    with pytest.raises(ValueError, match="Recorder-001"):
        env.kernel.add_strategy(Recorder())


def test_fill_events_reach_strategy_with_position_id() -> None:
    env = make_env()
    s = started(env)
    order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("50000.0"))
    s.submit_order(order)
    env.venue.fill(order.client_order_id)

    fill = next(e for e in s.order_events if isinstance(e, OrderFilled))
    assert fill.position_id is not None
    assert str(fill.position_id) == "BTCUSDT-PERP.SIM-Recorder-001"
    assert fill.ts_event >= TS


def test_cancel_when_venue_has_not_answered_then_pending_cancel_and_second_cancel_not_sent() -> (
    None
):
    env = make_env()
    s = started(env)
    order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("49000.0"))
    s.submit_order(order)
    assert order.status is OrderStatus.ACCEPTED
    env.venue.auto_cancel = False  # the venue goes quiet

    s.cancel_order(order)
    assert order.status is OrderStatus.PENDING_CANCEL
    sent = len(env.venue.commands)
    s.cancel_order(order)  # refused locally: the first cancel's outcome is awaited

    assert len(env.venue.commands) == sent
    assert kinds(s.order_events)[-1] == "OrderPendingCancel"


def test_modify_when_risk_engine_refuses_then_pending_update_reverts_to_previous_status() -> None:
    env = make_env()
    s = started(env)
    order = s.factory.limit(BTC, OrderSide.BUY, qty("0.010"), px("49000.0"))
    s.submit_order(order)

    s.modify_order(order, price=px("49000.05"))  # off the 0.1 tick

    assert order.status is OrderStatus.ACCEPTED
    assert order.price == px("49000.0")
    assert kinds(s.order_events)[-2:] == ["OrderPendingUpdate", "OrderModifyRejected"]
