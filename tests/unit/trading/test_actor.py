from __future__ import annotations

from typing import Any

import msgspec
import pytest
from trading_env import SEC, T0, Env

from argonaut.common import topics
from argonaut.common.timers import TimeEvent
from argonaut.core.uuid import UUIDFactory
from argonaut.model.commands.data import (
    DataResponse,
    RequestBars,
    SubscribeBars,
    SubscribeBookDeltas,
    SubscribeQuoteTicks,
    UnsubscribeQuoteTicks,
)
from argonaut.model.enums import BookType, ComponentState
from argonaut.testkit import bar, bar_type, quote
from argonaut.trading import Actor, ActorConfig, Signal


class Recorder(Actor):
    def __init__(self, config: ActorConfig | None = None) -> None:
        super().__init__(config)
        self.received: list[Any] = []
        self.fail = False

    def on_start(self) -> None:
        self.subscribe_quote_ticks(self_iid(self))

    def on_quote_tick(self, tick: Any) -> None:
        if self.fail:
            raise RuntimeError("boom in on_quote_tick")
        self.received.append(tick)

    def on_event(self, event: Any) -> None:
        self.received.append(event)

    def on_data(self, data: Any) -> None:
        self.received.append(data)

    def on_signal(self, signal: Signal) -> None:
        self.received.append(signal)

    def on_historical_data(self, data: Any) -> None:
        self.received.append(("historical", data))

    def on_save(self) -> dict[str, bytes]:
        return {"n": str(len(self.received)).encode()}

    def on_load(self, state: dict[str, bytes]) -> None:
        self.received.append(("loaded", state))


def self_iid(actor: Actor) -> Any:
    return actor.cache.instruments()[0].id


def test_actor_before_register_then_pre_initialized_and_cannot_start() -> None:
    actor = Recorder()

    assert actor.state is ComponentState.PRE_INITIALIZED
    assert actor.id == "Recorder"
    with pytest.raises(ValueError, match="invalid component state transition"):
        actor.start()


def test_register_twice_then_refused(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)

    with pytest.raises(ValueError, match="already registered"):
        actor.register(env.trader_id, env.bus, env.cache, env.clock, uuid_factory=UUIDFactory(1))


def test_subscribe_quote_ticks_then_command_sent_and_published_quotes_received(env: Env) -> None:
    actor = Recorder(ActorConfig(component_id="QuoteWatcher"))
    env.trader.add_actor(actor)
    env.trader.start()

    [command] = env.sent[topics.DATA_ENGINE_EXECUTE]
    assert isinstance(command, SubscribeQuoteTicks)
    assert command.instrument_id == env.instrument.id
    assert command.subscriber == "QuoteWatcher"
    tick = quote(ts=T0)
    env.bus.publish(topics.quotes(env.instrument.id), tick)
    assert actor.received == [tick]


def test_unsubscribe_then_command_sent_and_quotes_no_longer_received(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()

    actor.unsubscribe_quote_ticks(env.instrument.id)
    env.bus.publish(topics.quotes(env.instrument.id), quote(ts=T0))

    assert isinstance(env.sent[topics.DATA_ENGINE_EXECUTE][-1], UnsubscribeQuoteTicks)
    assert actor.received == []


def test_subscribe_bars_and_book_deltas_then_commands_carry_their_fields(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()
    bt = bar_type()

    actor.subscribe_bars(bt)
    actor.subscribe_order_book_deltas(env.instrument.id, BookType.L2_MBP, depth=10)
    env.bus.publish(topics.bars(bt), bar(ts=T0))

    bars_cmd, deltas_cmd = env.sent[topics.DATA_ENGINE_EXECUTE][1:]
    assert isinstance(bars_cmd, SubscribeBars)
    assert bars_cmd.bar_type == str(bt)
    assert isinstance(deltas_cmd, SubscribeBookDeltas)
    assert deltas_cmd.depth == 10
    assert topics.bars(bt) in actor.subscribed_topics


def test_data_received_while_stopped_then_not_delivered(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()
    env.trader.stop()

    env.bus.publish(topics.quotes(env.instrument.id), quote(ts=T0))

    assert actor.received == []


def test_handler_raising_then_logged_counted_and_node_keeps_going(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()
    actor.fail = True

    env.bus.publish(topics.quotes(env.instrument.id), quote(ts=T0))
    env.bus.publish(topics.quotes(env.instrument.id), quote(ts=T0 + 1))
    actor.fail = False
    tick = quote(ts=T0 + 2)
    env.bus.publish(topics.quotes(env.instrument.id), tick)

    assert actor.handler_error_count == 2
    assert actor.received == [tick]
    assert actor.is_running
    assert env.bus.handler_error_count == 0
    texts = env.error_texts()
    assert len(texts) == 2
    assert "on_quote_tick raised" in texts[0]
    assert "RuntimeError: boom in on_quote_tick" in texts[0]  # the traceback


def test_handler_raising_when_fault_on_handler_error_then_faulted(env: Env) -> None:
    actor = Recorder(ActorConfig(fault_on_handler_error=True))
    env.trader.add_actor(actor)
    env.trader.start()
    actor.fail = True

    env.bus.publish(topics.quotes(env.instrument.id), quote(ts=T0))

    assert actor.is_faulted
    assert actor.handler_error_count == 1


def test_timer_without_callback_then_fires_on_event_with_own_name(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()

    actor.clock.set_timer("tick", 2 * SEC)
    env.run_to(T0 + 5 * SEC)

    events = [e for e in actor.received if isinstance(e, TimeEvent)]
    assert [(e.name, e.ts_event) for e in events] == [
        ("tick", T0 + 2 * SEC),
        ("tick", T0 + 4 * SEC),
    ]
    assert actor.clock.timer_names == ["tick"]


def test_two_actors_with_same_timer_name_then_both_fire(env: Env) -> None:
    a, b = Recorder(ActorConfig(component_id="A")), Recorder(ActorConfig(component_id="B"))
    env.trader.add_actors([a, b])
    env.trader.start()

    a.clock.set_time_alert("wake", T0 + SEC)
    b.clock.set_time_alert("wake", T0 + SEC)
    env.run_to(T0 + SEC)

    assert [e.name for e in a.received] == ["wake"]
    assert [e.name for e in b.received] == ["wake"]
    assert a.clock.timer_names == []


def test_timer_callback_raising_then_logged_and_counted(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()

    def explode(event: TimeEvent) -> None:
        raise ValueError("timer failed")

    actor.clock.set_time_alert("x", T0 + SEC, explode)
    env.run_to(T0 + SEC)

    assert actor.handler_error_count == 1


def test_stop_then_actor_timers_cancelled(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()
    actor.clock.set_timer("tick", SEC)

    env.trader.stop()

    assert actor.clock.timer_names == []
    assert env.clock.timer_names == []


class Spread(msgspec.Struct, frozen=True, kw_only=True):
    value: int
    ts_event: int
    ts_init: int


def test_publish_data_and_signal_then_subscribers_receive(env: Env) -> None:
    publisher = Recorder(ActorConfig(component_id="P"))
    listener = Recorder(ActorConfig(component_id="L"))
    env.trader.add_actors([publisher, listener])
    env.trader.start()
    listener.subscribe_data(Spread)
    listener.subscribe_signal("edge")

    spread = Spread(value=5, ts_event=T0, ts_init=T0)
    publisher.publish_data(spread)
    publisher.publish_signal("edge", 3)
    publisher.publish_signal("other", 4)

    assert listener.received[0] is spread
    [signal] = [x for x in listener.received if isinstance(x, Signal)]
    assert (signal.name, signal.value, signal.ts_event) == ("edge", 3, T0)


def test_request_bars_then_request_sent_and_response_delivered_to_callback(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()
    responses: list[DataResponse] = []
    bt = bar_type()

    request_id = actor.request_bars(bt, limit=2, callback=responses.append)
    [request] = env.sent[topics.DATA_ENGINE_REQUEST]
    item = bar(ts=T0)
    response = DataResponse(
        correlation_id=request_id,
        data_type="Bar",
        data=(item,),
        response_id=env.uuids.generate(),
        ts_init=T0,
    )
    env.bus.response(request_id, response)

    assert isinstance(request, RequestBars)
    assert request.request_id == request_id
    assert ("historical", item) in actor.received
    assert responses == [response]


def test_dispose_then_data_subscriptions_undone(env: Env) -> None:
    actor = Recorder()
    env.trader.add_actor(actor)
    env.trader.start()

    env.trader.dispose()

    assert actor.is_disposed
    assert actor.subscribed_topics == []
    assert isinstance(env.sent[topics.DATA_ENGINE_EXECUTE][-1], UnsubscribeQuoteTicks)
    assert not env.bus.has_subscribers(topics.quotes(env.instrument.id))
