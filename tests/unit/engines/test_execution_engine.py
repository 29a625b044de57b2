from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.logging import ERROR, WARNING, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution import ExecEngineConfig, ExecutionClient, ExecutionEngine
from argonaut.model.commands.trading import TradingCommand
from argonaut.model.enums import OmsType, OrderSide, OrderStatus, PositionSide
from argonaut.model.events.order import (
    OrderAccepted,
    OrderDenied,
    OrderEvent,
    OrderFilled,
    OrderSubmitted,
)
from argonaut.model.events.position import (
    PositionChanged,
    PositionClosed,
    PositionEvent,
    PositionOpened,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
)
from argonaut.model.orders import Order
from argonaut.model.values import Quantity
from argonaut.testkit import (
    ACCOUNT_ID,
    STRATEGY_ID,
    TRADER_ID,
    TS,
    accepted,
    accepted_batch,
    batch_cancel_orders,
    btcusdt_perp,
    cancel_all_orders,
    cancel_order,
    canceled,
    filled,
    limit_order,
    market_order,
    modify_order,
    query_account,
    query_order,
    submit_order,
    submit_order_list,
    submitted,
    submitted_batch,
)

IID = InstrumentId("BTCUSDT-PERP.SIM")
NETTING_ID = PositionId(f"{IID}-{STRATEGY_ID}")
OTHER_STRATEGY = StrategyId("S-002")


class FakeExecClient:
    """A scripted execution client: records every call; `on_submit` may answer."""

    def __init__(
        self,
        client_id: str,
        venue: str | None = "SIM",
        *,
        oms_type: OmsType = OmsType.NETTING,
        on_submit: Callable[[Any], None] | None = None,
    ) -> None:
        self.client_id = ClientId(client_id)
        self.venue = None if venue is None else Venue(venue)
        self.oms_type = oms_type
        self.account_id: AccountId | None = ACCOUNT_ID
        self.is_connected = True
        self.calls: list[tuple[str, TradingCommand]] = []
        self._on_submit = on_submit

    def _record(self, name: str, command: TradingCommand) -> None:
        self.calls.append((name, command))

    def submit_order(self, command: Any) -> None:
        self._record("submit_order", command)
        if self._on_submit is not None:
            self._on_submit(command)

    def submit_order_list(self, command: Any) -> None:
        self._record("submit_order_list", command)

    def modify_order(self, command: Any) -> None:
        self._record("modify_order", command)

    def cancel_order(self, command: Any) -> None:
        self._record("cancel_order", command)

    def cancel_all_orders(self, command: Any) -> None:
        self._record("cancel_all_orders", command)

    def batch_cancel_orders(self, command: Any) -> None:
        self._record("batch_cancel_orders", command)

    def query_order(self, command: Any) -> None:
        self._record("query_order", command)

    def query_account(self, command: Any) -> None:
        self._record("query_account", command)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


def _is_client(client: FakeExecClient) -> ExecutionClient:
    return client  # the fake satisfies the protocol (checked by mypy)


class Env:
    def __init__(
        self,
        config: ExecEngineConfig | None = None,
        cache: Cache | None = None,
        logger: Logger | None = None,
    ):
        self.clock = TestClock(TS)
        self.bus = MessageBus(TRADER_ID)
        self.cache = Cache() if cache is None else cache
        if cache is None:
            self.cache.add_instrument(btcusdt_perp())
        self.engine = ExecutionEngine(
            self.bus,
            self.cache,
            self.clock,
            config=config,
            logger=logger,
            uuid_factory=UUIDFactory(seed=1),
        )
        self.order_events: list[OrderEvent] = []
        self.position_events: list[PositionEvent] = []
        self.fills: list[OrderFilled] = []
        self.bus.subscribe(topics.all_order_events(), self.order_events.append)
        self.bus.subscribe(topics.all_position_events(), self.position_events.append)
        self.bus.subscribe(topics.fill_events(IID), self.fills.append)
        self._venue_ids = 0

    def add_client(self, client: FakeExecClient, *, default: bool = False) -> FakeExecClient:
        if default:
            self.engine.register_default_client(client)
        else:
            self.engine.register_client(client)
        return client

    def open_order(self, order: Order) -> Order:
        """Cache, submit and accept `order` (a fresh venue order id each time)."""
        self._venue_ids += 1
        self.cache.add_order(order)
        self.engine.execute(submit_order(order))
        self.engine.process(submitted(order))
        self.engine.process(accepted(order, venue_order_id=f"V-{self._venue_ids}"))
        return order

    def fill(self, order: Order, qty: str, px: str = "50000.0", **kw: Any) -> OrderFilled:
        event = filled(order, last_qty=qty, last_px=px, **kw)
        self.engine.process(event)
        return event

    def trade(self, side: OrderSide, qty: str, coid: str, px: str = "50000.0", **kw: Any) -> Order:
        order = self.open_order(market_order(side=side, quantity=qty, client_order_id=coid, **kw))
        self.fill(order, qty, px)
        return order

    def position_kinds(self) -> list[tuple[str, PositionId, PositionSide, Quantity]]:
        return [(type(e).__name__, e.position_id, e.side, e.quantity) for e in self.position_events]


@pytest.fixture
def env() -> Env:
    e = Env()
    e.add_client(FakeExecClient("SIM"))
    return e


def sim_client(env: Env) -> FakeExecClient:
    client = env.engine._clients[ClientId("SIM")]
    assert isinstance(client, FakeExecClient)
    return client


def q(value: str) -> Quantity:
    return Quantity.from_str(value)


# -- routing -----------------------------------------------------------------------------


def test_execute_when_client_id_given_then_routed_to_that_client_not_the_venue_one() -> None:
    env = Env()
    venue_client = env.add_client(FakeExecClient("SIM"))
    named = env.add_client(FakeExecClient("OTHER", venue="OTHER"))
    order = limit_order()
    env.cache.add_order(order)

    cmd = submit_order(order, client_id=ClientId("OTHER"))
    env.engine.execute(cmd)

    assert named.calls == [("submit_order", cmd)]
    assert venue_client.calls == []


def test_execute_when_no_client_id_then_routed_by_instrument_venue() -> None:
    env = Env()
    default = env.add_client(FakeExecClient("MULTI", venue=None), default=True)
    venue_client = env.add_client(FakeExecClient("SIM"))
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order))

    assert venue_client.names == ["submit_order"]
    assert default.calls == []


def test_execute_when_no_client_for_venue_then_routed_to_default_client() -> None:
    env = Env()
    default = env.add_client(FakeExecClient("MULTI", venue=None), default=True)
    env.add_client(FakeExecClient("OTHER", venue="OTHER"))
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order))
    env.engine.execute(cancel_order(order))

    assert default.names == ["submit_order", "cancel_order"]
    assert env.engine.default_client == ClientId("MULTI")


def test_submit_when_no_client_then_order_denied_and_denial_published() -> None:
    env = Env()
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order))

    assert order.status is OrderStatus.DENIED
    assert env.cache.is_order_closed(order.client_order_id)
    [event] = env.order_events
    assert isinstance(event, OrderDenied)
    assert event.reason.startswith("NO_EXECUTION_CLIENT: ")
    assert env.engine.denied_count == 1


def test_cancel_when_no_client_then_error_counted_and_nothing_sent() -> None:
    env = Env()
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(cancel_order(order))

    assert env.engine.routing_error_count == 1
    assert env.order_events == []


def test_deregister_client_when_deregistered_then_commands_no_longer_reach_it() -> None:
    env = Env()
    client = env.add_client(FakeExecClient("SIM"), default=True)
    env.engine.deregister_client(client)
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order))

    assert client.calls == []
    assert order.status is OrderStatus.DENIED
    assert env.engine.registered_clients == []
    with pytest.raises(ValueError, match="not registered"):
        env.engine.deregister_client(client)


def test_register_client_when_client_id_taken_then_raises() -> None:
    env = Env()
    env.add_client(FakeExecClient("SIM"))
    with pytest.raises(ValueError, match="already registered"):
        env.engine.register_client(FakeExecClient("SIM"))


def test_check_connected_when_one_client_disconnected_then_false() -> None:
    env = Env()
    a = env.add_client(FakeExecClient("SIM"))
    b = env.add_client(FakeExecClient("OTHER", venue="OTHER"))
    assert env.engine.check_connected()
    b.is_connected = False
    assert not env.engine.check_connected()
    a.is_connected = False
    assert env.engine.check_disconnected()


def test_engine_registers_execute_and_process_endpoints(env: Env) -> None:
    order = limit_order()
    env.cache.add_order(order)

    env.bus.send(topics.EXEC_ENGINE_EXECUTE, submit_order(order))
    env.bus.send(topics.EXEC_ENGINE_PROCESS, submitted(order))

    assert sim_client(env).names == ["submit_order"]
    assert order.status is OrderStatus.SUBMITTED


# -- commands ------------------------------------------------------------------------------


def test_submit_order_when_order_cached_then_reaches_client_unchanged(env: Env) -> None:
    order = limit_order()
    env.cache.add_order(order)
    cmd = submit_order(order)

    env.engine.execute(cmd)

    assert sim_client(env).calls == [("submit_order", cmd)]
    assert env.cache.order(order.client_order_id) is order
    assert env.engine.command_count == 1


def test_submit_order_when_order_not_cached_then_added_from_order_init(env: Env) -> None:
    order = limit_order(client_order_id="O-9")

    env.engine.execute(submit_order(order))

    cached = env.cache.order(ClientOrderId("O-9"))
    assert cached is not None
    assert cached.init_event == order.init_event
    assert env.cache.client_id(ClientOrderId("O-9")) == ClientId("SIM")
    assert sim_client(env).names == ["submit_order"]


def test_submit_order_when_client_answers_synchronously_then_events_applied() -> None:
    env = Env()

    def answer(cmd: Any) -> None:
        order = env.cache.order(cmd.client_order_id)
        assert order is not None
        env.bus.send(topics.EXEC_ENGINE_PROCESS, submitted(order))
        env.bus.send(topics.EXEC_ENGINE_PROCESS, accepted(order))

    env.add_client(FakeExecClient("SIM", on_submit=answer))
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order))

    assert order.status is OrderStatus.ACCEPTED
    assert [type(e) for e in env.order_events] == [OrderSubmitted, OrderAccepted]


def test_submit_order_when_netting_and_other_position_id_then_denied(env: Env) -> None:
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order, position_id="P-OTHER"))

    assert sim_client(env).calls == []
    [event] = env.order_events
    assert isinstance(event, OrderDenied)
    assert event.reason.startswith("INVALID_POSITION_ID: ")
    assert env.cache.position_id(order.client_order_id) is None


def test_submit_order_when_netting_and_netting_position_id_then_sent_and_linked(env: Env) -> None:
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order, position_id=NETTING_ID))

    assert sim_client(env).names == ["submit_order"]
    assert env.cache.position_id(order.client_order_id) == NETTING_ID


def test_submit_order_list_when_routed_then_orders_cached_and_list_sent(env: Env) -> None:
    orders = [limit_order(client_order_id="O-1"), limit_order(client_order_id="O-2")]

    env.engine.execute(submit_order_list(orders))

    assert sim_client(env).names == ["submit_order_list"]
    assert env.cache.order_exists(ClientOrderId("O-1"))
    assert env.cache.order_exists(ClientOrderId("O-2"))


def test_submit_order_list_when_no_client_then_every_order_denied() -> None:
    env = Env()
    orders = [limit_order(client_order_id="O-1"), limit_order(client_order_id="O-2")]

    env.engine.execute(submit_order_list(orders))

    assert [type(e) for e in env.order_events] == [OrderDenied, OrderDenied]
    for coid in ("O-1", "O-2"):
        cached = env.cache.order(ClientOrderId(coid))
        assert cached is not None
        assert cached.status is OrderStatus.DENIED


def test_other_commands_when_routed_then_forwarded_to_client_method(env: Env) -> None:
    order = env.open_order(limit_order())

    env.engine.execute(modify_order(order, price="50100.0"))
    env.engine.execute(cancel_order(order))
    env.engine.execute(cancel_all_orders())
    env.engine.execute(batch_cancel_orders([order]))
    env.engine.execute(query_order(order))
    env.engine.execute(query_account())

    assert sim_client(env).names == [
        "submit_order",
        "modify_order",
        "cancel_order",
        "cancel_all_orders",
        "batch_cancel_orders",
        "query_order",
        "query_account",
    ]


def test_execute_when_not_a_trading_command_then_error_counted(env: Env) -> None:
    env.engine.execute(object())  # type: ignore[arg-type]

    assert env.engine.command_error_count == 1
    assert sim_client(env).calls == []


# -- order events --------------------------------------------------------------------------


def test_process_accepted_when_submitted_then_cache_updated_and_event_published(
    env: Env,
) -> None:
    order = limit_order()
    env.cache.add_order(order)
    env.engine.execute(submit_order(order))
    env.engine.process(submitted(order))
    event = accepted(order, venue_order_id="V-7")

    env.engine.process(event)

    assert order.status is OrderStatus.ACCEPTED
    assert env.cache.is_order_open(order.client_order_id)
    assert env.cache.client_order_id(event.venue_order_id) == order.client_order_id
    assert env.order_events[-1] is event


def test_process_fill_when_accepted_then_order_filled_and_fill_published_with_position_id(
    env: Env,
) -> None:
    order = env.open_order(limit_order())
    env.order_events.clear()

    env.fill(order, "1.000")

    assert order.status is OrderStatus.FILLED
    assert env.cache.is_order_closed(order.client_order_id)
    [event] = env.order_events
    assert isinstance(event, OrderFilled)
    assert event.position_id == NETTING_ID
    assert env.fills == [event]
    assert order.position_id == NETTING_ID
    assert env.cache.position_id(order.client_order_id) == NETTING_ID


def test_process_when_invalid_transition_then_counted_order_unchanged_not_published(
    env: Env,
) -> None:
    order = env.open_order(limit_order())
    env.fill(order, "1.000")
    published = len(env.order_events)
    events_before = list(order.events)

    env.engine.process(canceled(order))

    assert env.engine.invalid_transition_count == 1
    assert order.status is OrderStatus.FILLED
    assert order.events == events_before
    assert len(env.order_events) == published


def test_process_when_refused_events_then_warning_or_error_logged() -> None:
    sink = MemorySink()
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(TS), sinks=[sink]) as system:
        env = Env(logger=Logger("ExecEngine", system))
        env.add_client(FakeExecClient("SIM"))
        order = env.open_order(limit_order())
        fill = env.fill(order, "1.000")

        env.engine.process(canceled(order))
        env.engine.process(fill)
        env.engine.process(submitted(limit_order(client_order_id="O-404")))

        assert system.flush()
        warnings = sink.messages(WARNING)
        errors = sink.messages(ERROR)
    assert len(warnings) == 2
    assert "OrderCanceled" in warnings[0]
    assert "T-" in warnings[1]
    assert len(errors) == 1
    assert "O-404" in errors[0]


def test_process_fill_when_duplicate_trade_id_then_dropped(env: Env) -> None:
    order = env.open_order(limit_order(quantity="2.000"))
    first = env.fill(order, "1.000")
    published = len(env.order_events)

    env.engine.process(msgspec.structs.replace(first, event_id=first.event_id))

    assert env.engine.duplicate_fill_count == 1
    assert order.filled_qty == q("1.000")
    assert len(env.order_events) == published
    assert len(env.fills) == 1
    position = env.cache.position(NETTING_ID)
    assert position is not None
    assert position.quantity == q("1.000")


def test_process_fill_when_overfill_and_not_allowed_then_dropped(env: Env) -> None:
    order = env.open_order(limit_order(quantity="1.000"))

    env.fill(order, "1.500")

    assert env.engine.overfill_count == 1
    assert order.status is OrderStatus.ACCEPTED
    assert env.fills == []
    assert env.cache.position(NETTING_ID) is None


def test_process_fill_when_overfill_allowed_then_applied_and_excess_tracked() -> None:
    env = Env(ExecEngineConfig(allow_overfills=True))
    env.add_client(FakeExecClient("SIM"))
    order = env.open_order(limit_order(quantity="1.000"))

    env.fill(order, "1.500")

    assert order.status is OrderStatus.FILLED
    assert order.overfill_qty == q("0.500")
    assert env.engine.overfill_count == 1
    position = env.cache.position(NETTING_ID)
    assert position is not None
    assert position.quantity == q("1.500")


def test_process_when_order_unknown_then_error_counted(env: Env) -> None:
    order = limit_order(client_order_id="O-404")

    env.engine.process(submitted(order))

    assert env.engine.unknown_order_count == 1
    assert env.order_events == []


def test_process_when_client_order_id_unknown_but_venue_order_id_known_then_applied(
    env: Env,
) -> None:
    order = env.open_order(limit_order())
    event = canceled(order, client_order_id=ClientOrderId("O-FROM-VENUE"))

    env.engine.process(event)

    assert order.status is OrderStatus.CANCELED
    published = env.order_events[-1]
    assert published.client_order_id == order.client_order_id
    assert published.event_id == event.event_id


def test_process_when_batch_events_then_expanded_per_order(env: Env) -> None:
    orders = [limit_order(client_order_id=f"O-{i}") for i in (1, 2)]
    env.engine.execute(submit_order_list(orders))
    cached = [env.cache.order(o.client_order_id) for o in orders]

    env.engine.process(submitted_batch(orders))
    env.engine.process(accepted_batch(orders))

    assert [o.status if o else None for o in cached] == [OrderStatus.ACCEPTED] * 2
    assert [type(e).__name__ for e in env.order_events] == [
        "OrderSubmitted",
        "OrderSubmitted",
        "OrderAccepted",
        "OrderAccepted",
    ]
    assert [e.client_order_id for e in env.order_events[2:]] == ["O-1", "O-2"]


def test_process_when_not_an_order_event_then_error_counted(env: Env) -> None:
    env.engine.process(object())

    assert env.engine.event_error_count == 1


# -- NETTING positions -----------------------------------------------------------------------


def test_netting_open_increase_reduce_close_then_events_in_order(env: Env) -> None:
    env.trade(OrderSide.BUY, "1.000", "O-1")
    env.trade(OrderSide.BUY, "1.000", "O-2")
    env.trade(OrderSide.SELL, "0.500", "O-3")
    env.trade(OrderSide.SELL, "1.500", "O-4")

    assert env.position_kinds() == [
        ("PositionOpened", NETTING_ID, PositionSide.LONG, q("1.000")),
        ("PositionChanged", NETTING_ID, PositionSide.LONG, q("2.000")),
        ("PositionChanged", NETTING_ID, PositionSide.LONG, q("1.500")),
        ("PositionClosed", NETTING_ID, PositionSide.FLAT, q("0.000")),
    ]
    position = env.cache.position(NETTING_ID)
    assert position is not None
    assert position.is_closed
    assert env.cache.oms_type_for_position(NETTING_ID) is OmsType.NETTING
    assert [o.client_order_id for o in env.cache.orders_for_position(NETTING_ID)] == [
        "O-1",
        "O-2",
        "O-3",
        "O-4",
    ]


def test_position_events_when_nobody_subscribed_then_none_built_positions_still_updated(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    for kind in (PositionOpened, PositionChanged, PositionClosed):
        original = kind.create

        def counting(*args: Any, _original: Any = original, **kw: Any) -> Any:
            event = _original(*args, **kw)
            built.append(type(event).__name__)
            return event

        monkeypatch.setattr(kind, "create", counting)
    env.bus.unsubscribe(topics.all_position_events(), env.position_events.append)

    env.trade(OrderSide.BUY, "1.000", "O-1")
    env.trade(OrderSide.SELL, "0.400", "O-2")
    unheard = list(built)
    env.bus.subscribe(topics.all_position_events(), env.position_events.append)
    env.trade(OrderSide.SELL, "0.600", "O-3")

    assert unheard == []
    assert built == ["PositionClosed"]
    assert env.position_kinds() == [("PositionClosed", NETTING_ID, PositionSide.FLAT, q("0.000"))]
    position = env.cache.position(NETTING_ID)
    assert position is not None
    assert position.is_closed


def test_netting_fill_when_position_closed_then_snapshotted_and_reopened_same_id(
    env: Env,
) -> None:
    env.trade(OrderSide.BUY, "1.000", "O-1", px="50000.0")
    env.trade(OrderSide.SELL, "1.000", "O-2", px="51000.0")
    closed = env.cache.position(NETTING_ID)

    env.trade(OrderSide.SELL, "2.000", "O-3")

    assert env.position_kinds()[-1] == (
        "PositionOpened",
        NETTING_ID,
        PositionSide.SHORT,
        q("2.000"),
    )
    [snapshot] = env.cache.position_snapshots(NETTING_ID)
    assert snapshot.side is PositionSide.FLAT
    assert snapshot.realized_pnl.as_decimal() > 0
    assert env.cache.position(NETTING_ID) is closed  # reopened in place
    assert env.cache.positions_open_count() == 1


def test_netting_flip_then_closed_then_opened_with_same_id_for_remainder(env: Env) -> None:
    env.trade(OrderSide.BUY, "1.000", "O-1")
    env.position_events.clear()

    env.trade(OrderSide.SELL, "3.000", "O-2")

    assert env.position_kinds() == [
        ("PositionClosed", NETTING_ID, PositionSide.FLAT, q("0.000")),
        ("PositionOpened", NETTING_ID, PositionSide.SHORT, q("2.000")),
    ]
    closed, opened = env.position_events
    assert closed.last_qty == q("1.000")
    assert opened.last_qty == q("2.000")
    position = env.cache.position(NETTING_ID)
    assert position is not None
    assert position.is_short
    assert position.quantity == q("2.000")
    assert len(env.cache.position_snapshots(NETTING_ID)) == 1
    assert env.fills[-1].last_qty == q("3.000")  # the strategy sees the venue's fill


def test_netting_reduce_only_fill_when_no_position_then_not_opened(env: Env) -> None:
    order = env.open_order(market_order(side=OrderSide.SELL, reduce_only=True))

    env.fill(order, "1.000")

    assert env.cache.position(NETTING_ID) is None
    assert env.position_events == []
    assert env.engine.position_error_count == 1
    assert order.status is OrderStatus.FILLED


def test_fill_when_instrument_not_cached_then_position_error_counted() -> None:
    env = Env(cache=Cache())
    env.add_client(FakeExecClient("SIM"))
    order = env.open_order(limit_order())

    env.fill(order, "1.000")

    assert order.status is OrderStatus.FILLED
    assert env.position_events == []
    assert env.engine.position_error_count == 1


def test_snapshot_positions_when_enabled_then_snapshot_after_each_position_event() -> None:
    env = Env(ExecEngineConfig(snapshot_positions=True))
    env.add_client(FakeExecClient("SIM"))

    env.trade(OrderSide.BUY, "1.000", "O-1")
    env.trade(OrderSide.SELL, "1.000", "O-2")
    env.trade(OrderSide.BUY, "1.000", "O-3")

    sides = [s.side for s in env.cache.position_snapshots(NETTING_ID)]
    assert sides == [PositionSide.LONG, PositionSide.FLAT, PositionSide.LONG]


# -- HEDGING positions -----------------------------------------------------------------------


@pytest.fixture
def hedging() -> Env:
    e = Env()
    e.add_client(FakeExecClient("SIM", oms_type=OmsType.HEDGING))
    return e


def hedge_id(n: int, strategy_id: StrategyId = STRATEGY_ID) -> PositionId:
    return PositionId(f"{IID}-{strategy_id}-{n}")


def test_hedging_two_orders_then_two_positions_with_generated_ids(hedging: Env) -> None:
    hedging.trade(OrderSide.BUY, "1.000", "O-1")
    hedging.trade(OrderSide.SELL, "2.000", "O-2")

    assert hedging.position_kinds() == [
        ("PositionOpened", hedge_id(1), PositionSide.LONG, q("1.000")),
        ("PositionOpened", hedge_id(2), PositionSide.SHORT, q("2.000")),
    ]
    assert [f.position_id for f in hedging.fills] == [hedge_id(1), hedge_id(2)]
    assert hedging.cache.positions_open_count(instrument_id=IID) == 2
    assert hedging.cache.oms_type_for_position(hedge_id(1)) is OmsType.HEDGING


def test_hedging_partial_fills_of_one_order_then_same_position(hedging: Env) -> None:
    order = hedging.open_order(limit_order(quantity="2.000"))

    hedging.fill(order, "1.000")
    hedging.fill(order, "1.000")

    assert hedging.position_kinds() == [
        ("PositionOpened", hedge_id(1), PositionSide.LONG, q("1.000")),
        ("PositionChanged", hedge_id(1), PositionSide.LONG, q("2.000")),
    ]


def test_hedging_fill_when_venue_position_id_then_used(hedging: Env) -> None:
    order = hedging.open_order(limit_order())

    hedging.fill(order, "1.000", position_id="VENUE-POS-1")

    [event] = hedging.position_events
    assert event.position_id == PositionId("VENUE-POS-1")
    assert hedging.fills[0].position_id == PositionId("VENUE-POS-1")


def test_hedging_submit_with_position_id_then_fill_reduces_that_position(hedging: Env) -> None:
    hedging.trade(OrderSide.BUY, "2.000", "O-1")
    closer = market_order(side=OrderSide.SELL, quantity="1.000", client_order_id="O-2")
    hedging.cache.add_order(closer)
    hedging.engine.execute(submit_order(closer, position_id=hedge_id(1)))
    hedging.engine.process(submitted(closer))
    hedging.engine.process(accepted(closer, venue_order_id="V-9"))

    hedging.fill(closer, "1.000")

    assert hedging.position_kinds()[-1] == (
        "PositionChanged",
        hedge_id(1),
        PositionSide.LONG,
        q("1.000"),
    )


def test_hedging_flip_then_closed_and_remainder_opened_under_new_id(hedging: Env) -> None:
    hedging.trade(OrderSide.BUY, "1.000", "O-1")
    closer = market_order(side=OrderSide.SELL, quantity="3.000", client_order_id="O-2")
    hedging.cache.add_order(closer, position_id=hedge_id(1))
    hedging.engine.execute(submit_order(closer, position_id=hedge_id(1)))
    hedging.engine.process(submitted(closer))
    hedging.engine.process(accepted(closer, venue_order_id="V-9"))
    hedging.position_events.clear()

    hedging.fill(closer, "3.000")

    assert hedging.position_kinds() == [
        ("PositionClosed", hedge_id(1), PositionSide.FLAT, q("0.000")),
        ("PositionOpened", hedge_id(2), PositionSide.SHORT, q("2.000")),
    ]
    assert hedging.cache.position_snapshots() == []


def test_hedging_fill_when_position_closed_then_new_position_opened(hedging: Env) -> None:
    order = hedging.open_order(limit_order(quantity="1.000"))
    hedging.fill(order, "1.000")
    closer = market_order(side=OrderSide.SELL, quantity="2.000", client_order_id="O-2")
    hedging.cache.add_order(closer, position_id=hedge_id(1))
    hedging.engine.execute(submit_order(closer, position_id=hedge_id(1)))
    hedging.engine.process(submitted(closer))
    hedging.engine.process(accepted(closer, venue_order_id="V-9"))
    hedging.fill(closer, "1.000")
    hedging.position_events.clear()

    hedging.fill(closer, "1.000")

    assert hedging.position_kinds() == [
        ("PositionOpened", hedge_id(2), PositionSide.SHORT, q("1.000")),
    ]


def test_hedging_generated_ids_when_engine_rebuilt_on_cache_then_numbering_continues(
    hedging: Env,
) -> None:
    hedging.trade(OrderSide.BUY, "1.000", "O-1")
    hedging.trade(OrderSide.BUY, "1.000", "O-2")
    rebuilt = Env(cache=hedging.cache)
    rebuilt.add_client(FakeExecClient("SIM", oms_type=OmsType.HEDGING))
    rebuilt._venue_ids = 10

    rebuilt.trade(OrderSide.BUY, "1.000", "O-3")

    assert [e.position_id for e in rebuilt.position_events] == [hedge_id(3)]


def test_hedging_generated_ids_are_counted_per_strategy(hedging: Env) -> None:
    hedging.trade(OrderSide.BUY, "1.000", "O-1")
    hedging.trade(OrderSide.BUY, "1.000", "O-2", strategy_id=OTHER_STRATEGY)

    assert [e.position_id for e in hedging.position_events] == [
        hedge_id(1),
        hedge_id(1, OTHER_STRATEGY),
    ]


# -- OMS override --------------------------------------------------------------------------


def test_strategy_oms_hedging_when_venue_netting_then_hedging_positions(env: Env) -> None:
    env.engine.register_oms_type(STRATEGY_ID, OmsType.HEDGING)

    env.trade(OrderSide.BUY, "1.000", "O-1")
    env.trade(OrderSide.BUY, "1.000", "O-2")

    assert [e.position_id for e in env.position_events] == [hedge_id(1), hedge_id(2)]
    assert env.engine.oms_type(STRATEGY_ID) is OmsType.HEDGING


def test_strategy_oms_netting_when_venue_hedging_then_one_netting_position(
    hedging: Env,
) -> None:
    hedging.engine.register_oms_type(STRATEGY_ID, OmsType.NETTING)

    hedging.trade(OrderSide.BUY, "1.000", "O-1")
    hedging.trade(OrderSide.BUY, "1.000", "O-2")

    assert [type(e) for e in hedging.position_events] == [PositionOpened, PositionChanged]
    assert {e.position_id for e in hedging.position_events} == {NETTING_ID}


def test_strategy_oms_unspecified_then_venue_oms_applies_again(hedging: Env) -> None:
    hedging.engine.register_oms_type(STRATEGY_ID, OmsType.NETTING)
    hedging.engine.register_oms_type(STRATEGY_ID, OmsType.UNSPECIFIED)

    hedging.trade(OrderSide.BUY, "1.000", "O-1")

    assert hedging.position_events[0].position_id == hedge_id(1)
    assert hedging.engine.oms_type(STRATEGY_ID) is None


def test_netting_submit_denial_follows_strategy_oms_override(env: Env) -> None:
    env.engine.register_oms_type(STRATEGY_ID, OmsType.HEDGING)
    order = limit_order()
    env.cache.add_order(order)

    env.engine.execute(submit_order(order, position_id="P-7"))

    assert sim_client(env).names == ["submit_order"]


# -- own order books, claims, config ---------------------------------------------------------


def test_own_order_book_when_managed_then_follows_accept_fill_and_cancel() -> None:
    env = Env(ExecEngineConfig(manage_own_order_books=True))
    env.add_client(FakeExecClient("SIM"))
    order = env.open_order(limit_order(quantity="2.000"))
    book = env.cache.own_order_book(IID)
    assert book is not None
    resting = book.get(order.client_order_id)
    assert resting is not None
    assert resting.size == q("2.000")

    env.fill(order, "0.500")
    resting = book.get(order.client_order_id)
    assert resting is not None
    assert resting.size == q("1.500")

    env.engine.process(canceled(order))
    assert book.client_order_ids() == []


def test_own_order_book_when_not_managed_then_untouched(env: Env) -> None:
    env.open_order(limit_order())

    assert env.cache.own_order_book(IID) is None


def test_register_external_order_claims_when_claimed_by_other_strategy_then_raises(
    env: Env,
) -> None:
    env.engine.register_external_order_claims(STRATEGY_ID, [IID])

    with pytest.raises(ValueError, match="already claimed"):
        env.engine.register_external_order_claims(OTHER_STRATEGY, [IID])
    assert env.engine.external_order_claim(IID) == STRATEGY_ID
    assert env.engine.external_order_claims == {IID: STRATEGY_ID}


def test_config_when_unknown_field_then_refused() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"allow_overfill": True}, ExecEngineConfig)
    assert msgspec.convert({"allow_overfills": True}, ExecEngineConfig).allow_overfills


def test_position_events_carry_fill_and_ids(env: Env) -> None:
    env.trade(OrderSide.BUY, "1.000", "O-1", px="50000.0")
    env.trade(OrderSide.SELL, "1.000", "O-2", px="50500.0")

    opened, closed = env.position_events
    assert isinstance(opened, PositionOpened)
    assert isinstance(closed, PositionClosed)
    assert opened.opening_order_id == "O-1"
    assert closed.closing_order_id == "O-2"
    assert closed.realized_pnl is not None
    assert closed.ts_init == TS
    assert opened.event_id != closed.event_id
