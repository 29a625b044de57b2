from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.common import topics
from argonaut.common.bus import MessageBus, is_matching
from argonaut.common.clock import TestClock
from argonaut.common.logging import ERROR, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.model.identifiers import InstrumentId, StrategyId, TraderId

TRADER = TraderId("TRADER-001")
BTC = InstrumentId("BTCUSDT-PERP.SIM")
ETH = InstrumentId("ETHUSDT-PERP.SIM")


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def log_system(sink: MemorySink) -> Iterator[LogSystem]:
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(), sinks=[sink]) as system:
        yield system


@pytest.fixture
def bus(log_system: LogSystem) -> MessageBus:
    return MessageBus(TRADER, logger=Logger("MessageBus", log_system))


class Recorder:
    def __init__(self, name: str = "", log: list[tuple[str, Any]] | None = None) -> None:
        self.name = name
        self.received: list[Any] = []
        self.log = log

    def __call__(self, msg: Any) -> None:
        self.received.append(msg)
        if self.log is not None:
            self.log.append((self.name, msg))


# -- wildcard matching ---------------------------------------------------------------------

MATCH_TABLE = [
    ("data.quotes.SIM.BTCUSDT", "data.quotes.SIM.BTCUSDT", True),  # exact
    ("data.quotes.SIM.BTCUSDT", "data.quotes.SIM.ETHUSDT", False),  # exact, different
    ("data.quotes.SIM.BTCUSDT", "data.quotes.*", True),  # trailing star crosses dots
    ("data.quotes.SIM.BTCUSDT", "data.*", True),
    ("data.quotes.SIM.BTCUSDT", "*", True),  # star alone matches everything
    ("", "*", True),  # star matches the empty string
    ("data.quotes.SIM.BTCUSDT", "data.trades.*", False),
    ("data.quotes.SIM.BTCUSDT", "data.*.SIM.*", True),  # inner star
    ("data.trades.SIM.BTCUSDT", "data.*.SIM.BTCUSDT", True),
    ("data.quotes.BINANCE.BTCUSDT", "data.*.SIM.*", False),
    ("data.quotes.SIM.BTCUSDT", "*.BTCUSDT", True),  # leading star
    ("data.quotes.SIM.BTCUSDTX", "*.BTCUSDT", False),  # suffix must end there
    ("events.order.S-001", "events.order.S-00?", True),  # ? one char
    ("events.order.S-0010", "events.order.S-00?", False),  # ? exactly one char
    ("events.order.S-00", "events.order.S-00?", False),  # ? never matches nothing
    ("events.order.S-001", "events.?rder.*", True),
    ("events.order", "events.order.*", False),  # the '.' before '*' must exist
    ("events.order.", "events.order.*", True),  # '*' may be empty
    ("a.b.c", "a*b*c", True),  # backtracking over several stars
    ("a.b.x.c.d", "a*b*c", False),
    ("aaab", "*a?b", True),
    ("data.quotes.SIM.BTC[1]", "data.quotes.SIM.BTC[1]", True),  # brackets are literal
    ("data.quotes.SIM.BTC1", "data.quotes.SIM.BTC[1]", False),
    ("abc", "abc*", True),
    ("ab", "abc*", False),
    ("xyz", "", False),
]


@pytest.mark.parametrize(("topic", "pattern", "expected"), MATCH_TABLE)
def test_is_matching_table(topic: str, pattern: str, expected: bool) -> None:
    assert is_matching(topic, pattern) is expected


_ALPHABET = st.text(alphabet="ab.*?", max_size=10)


@given(topic=st.text(alphabet="ab.", max_size=10), pattern=_ALPHABET)
def test_is_matching_agrees_with_fnmatchcase_without_brackets(topic: str, pattern: str) -> None:
    assert is_matching(topic, pattern) is fnmatch.fnmatchcase(topic, pattern)


# -- publish / subscribe ---------------------------------------------------------------------


def test_publish_when_exact_subscription_then_handler_receives_message(bus: MessageBus) -> None:
    handler = Recorder()
    bus.subscribe(topics.quotes(BTC), handler)
    bus.publish(topics.quotes(BTC), "q1")
    bus.publish(topics.quotes(ETH), "q2")
    assert handler.received == ["q1"]


def test_publish_when_wildcard_subscription_then_matching_topics_delivered(
    bus: MessageBus,
) -> None:
    handler = Recorder()
    bus.subscribe("data.quotes.SIM.*", handler)
    bus.publish(topics.quotes(BTC), 1)
    bus.publish(topics.quotes(ETH), 2)
    bus.publish(topics.trades(BTC), 3)
    assert handler.received == [1, 2]


def test_publish_when_no_subscribers_then_only_counted(bus: MessageBus) -> None:
    bus.publish("data.quotes.SIM.NOTHING", object())
    assert bus.pub_count == 1
    assert not bus.has_subscribers("data.quotes.SIM.NOTHING")


def test_publish_when_priorities_differ_then_higher_priority_first_and_ties_in_order(
    bus: MessageBus,
) -> None:
    calls: list[tuple[str, Any]] = []
    low = Recorder("low", calls)
    first_default = Recorder("default-1", calls)
    high = Recorder("high", calls)
    second_default = Recorder("default-2", calls)
    bus.subscribe("events.order.*", low, priority=-5)
    bus.subscribe("events.order.S-001", first_default)
    bus.subscribe("events.order.*", high, priority=10)
    bus.subscribe("events.*", second_default)
    bus.publish("events.order.S-001", "e")
    assert [name for name, _ in calls] == ["high", "default-1", "default-2", "low"]


def test_subscribe_when_same_handler_and_pattern_twice_then_delivered_once(
    bus: MessageBus,
) -> None:
    handler = Recorder()
    bus.subscribe("data.*", handler)
    bus.subscribe("data.*", handler, priority=99)
    bus.publish("data.x", 1)
    assert handler.received == [1]
    assert len(bus.subscriptions()) == 1
    assert bus.subscriptions()[0].priority == 0


def test_subscribe_when_same_handler_on_two_matching_patterns_then_delivered_twice(
    bus: MessageBus,
) -> None:
    handler = Recorder()
    bus.subscribe("data.*", handler)
    bus.subscribe("data.x", handler)
    bus.publish("data.x", 1)
    assert handler.received == [1, 1]


def test_subscribe_when_handler_after_first_publish_then_cache_refreshed(
    bus: MessageBus,
) -> None:
    first, second = Recorder(), Recorder()
    bus.subscribe("data.x", first)
    bus.publish("data.x", 1)
    bus.subscribe("data.*", second)
    bus.publish("data.x", 2)
    assert first.received == [1, 2]
    assert second.received == [2]


def test_unsubscribe_then_handler_no_longer_receives(bus: MessageBus) -> None:
    handler = Recorder()
    bus.subscribe("data.*", handler)
    bus.publish("data.x", 1)
    bus.unsubscribe("data.*", handler)
    bus.publish("data.x", 2)
    assert handler.received == [1]
    assert not bus.is_subscribed("data.*", handler)
    assert not bus.has_subscribers("data.x")


def test_unsubscribe_when_not_subscribed_then_ignored(bus: MessageBus) -> None:
    bus.unsubscribe("data.*", Recorder())
    assert bus.subscriptions() == []


def test_unsubscribe_when_wildcard_then_only_matching_cached_topics_invalidated(
    bus: MessageBus,
) -> None:
    quotes_handler, other = Recorder(), Recorder()
    bus.subscribe("data.quotes.*", quotes_handler)
    bus.subscribe("events.*", other)
    for topic in ("data.quotes.SIM.A", "data.quotes.SIM.B", "events.risk", "data.trades.SIM.A"):
        bus.publish(topic, 0)
    assert bus.cached_topics() == [
        "data.quotes.SIM.A",
        "data.quotes.SIM.B",
        "data.trades.SIM.A",
        "events.risk",
    ]
    bus.unsubscribe("data.quotes.*", quotes_handler)
    assert bus.cached_topics() == ["data.trades.SIM.A", "events.risk"]


def test_subscribe_when_exact_pattern_then_only_that_cached_topic_invalidated(
    bus: MessageBus,
) -> None:
    bus.publish("data.a", 0)
    bus.publish("data.b", 0)
    bus.subscribe("data.a", Recorder())
    assert bus.cached_topics() == ["data.b"]


def test_subscriptions_topics_and_is_subscribed(bus: MessageBus) -> None:
    a, b = Recorder(), Recorder()
    bus.subscribe("data.quotes.*", a)
    bus.subscribe("events.order.S-001", b, priority=3)
    bus.subscribe("data.quotes.*", b)
    assert bus.topics() == ["data.quotes.*", "events.order.S-001"]
    assert [s.pattern for s in bus.subscriptions()] == [
        "data.quotes.*",
        "events.order.S-001",
        "data.quotes.*",
    ]
    assert [s.handler for s in bus.subscriptions("data.*")] == [a, b]
    assert bus.is_subscribed("events.order.S-001", b)
    assert not bus.is_subscribed("events.order.S-001", a)
    assert bus.has_subscribers(topics.order_events(StrategyId("S-001")))


def test_subscribe_when_pattern_empty_or_handler_not_callable_then_error(bus: MessageBus) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        bus.subscribe("", Recorder())
    with pytest.raises(TypeError, match="callable"):
        bus.subscribe("data.x", "not a handler")  # type: ignore[arg-type]


def test_publish_when_handler_raises_then_logged_counted_and_delivery_continues(
    bus: MessageBus, sink: MemorySink, log_system: LogSystem
) -> None:
    before, after = Recorder(), Recorder()

    def broken(msg: Any) -> None:
        raise RuntimeError("boom")

    bus.subscribe("data.x", before, priority=1)
    bus.subscribe("data.x", broken)
    bus.subscribe("data.x", after, priority=-1)
    bus.publish("data.x", 1)
    bus.publish("data.x", 2)
    assert before.received == [1, 2]
    assert after.received == [1, 2]
    assert bus.handler_error_count == 2
    log_system.flush()
    errors = [r for r in sink.records if r.level == ERROR]
    assert len(errors) == 2
    assert "broken" in errors[0].message
    assert "'data.x'" in errors[0].message
    assert errors[0].exc_text is not None
    assert "RuntimeError: boom" in errors[0].exc_text
    assert "Traceback" in errors[0].exc_text


def test_publish_when_handler_raises_base_exception_then_propagates(bus: MessageBus) -> None:
    def interrupt(msg: Any) -> None:
        raise KeyboardInterrupt

    bus.subscribe("data.x", interrupt)
    with pytest.raises(KeyboardInterrupt):
        bus.publish("data.x", 1)


# -- endpoints -----------------------------------------------------------------------------


def test_send_when_endpoint_registered_then_delivered_and_counted(bus: MessageBus) -> None:
    handler = Recorder()
    bus.register(topics.RISK_ENGINE_EXECUTE, handler)
    bus.send(topics.RISK_ENGINE_EXECUTE, "cmd")
    assert handler.received == ["cmd"]
    assert bus.sent_count == 1
    assert bus.is_registered(topics.RISK_ENGINE_EXECUTE)
    assert bus.endpoints() == [topics.RISK_ENGINE_EXECUTE]


def test_send_when_endpoint_unknown_then_error_logged_counted_and_no_exception(
    bus: MessageBus, sink: MemorySink, log_system: LogSystem
) -> None:
    bus.send("Nobody.execute", "cmd")
    assert bus.sent_count == 0
    assert bus.undelivered_count == 1
    log_system.flush()
    assert any("unknown endpoint 'Nobody.execute'" in m for m in sink.messages(ERROR))


def test_register_when_endpoint_taken_then_error(bus: MessageBus) -> None:
    bus.register("A.execute", Recorder())
    with pytest.raises(ValueError, match="already registered"):
        bus.register("A.execute", Recorder())


def test_deregister_then_endpoint_unknown(bus: MessageBus) -> None:
    bus.register("A.execute", Recorder())
    bus.deregister("A.execute")
    assert not bus.is_registered("A.execute")
    with pytest.raises(ValueError, match="not registered"):
        bus.deregister("A.execute")


def test_send_when_endpoint_handler_raises_then_logged_and_not_raised(bus: MessageBus) -> None:
    def broken(msg: Any) -> None:
        raise ValueError("bad command")

    bus.register("A.execute", broken)
    bus.send("A.execute", "cmd")
    assert bus.handler_error_count == 1
    assert bus.sent_count == 1


# -- request / response --------------------------------------------------------------------


def test_request_then_response_delivered_once_to_response_handler(bus: MessageBus) -> None:
    requests, responses = Recorder(), Recorder()
    bus.register(topics.DATA_ENGINE_REQUEST, requests)
    bus.request(topics.DATA_ENGINE_REQUEST, "give bars", "corr-1", responses)
    assert requests.received == ["give bars"]
    assert bus.is_pending_request("corr-1")
    bus.response("corr-1", "bars")
    bus.response("corr-1", "bars again")
    assert responses.received == ["bars"]
    assert not bus.is_pending_request("corr-1")
    assert bus.req_count == 1
    assert bus.res_count == 1
    assert bus.undelivered_count == 1


def test_request_when_correlation_id_pending_then_error(bus: MessageBus) -> None:
    bus.register("A.request", Recorder())
    bus.request("A.request", 1, "c", Recorder())
    with pytest.raises(ValueError, match="already pending"):
        bus.request("A.request", 2, "c", Recorder())


def test_request_when_endpoint_unknown_then_counted_and_nothing_pending(bus: MessageBus) -> None:
    bus.request("Nobody.request", 1, "c", Recorder())
    assert not bus.is_pending_request("c")
    assert bus.req_count == 0
    assert bus.undelivered_count == 1


def test_response_when_handler_raises_then_logged_and_counted(bus: MessageBus) -> None:
    def broken(msg: Any) -> None:
        raise RuntimeError("bad response")

    bus.register("A.request", Recorder())
    bus.request("A.request", 1, "c", broken)
    bus.response("c", 2)
    assert bus.handler_error_count == 1
    assert bus.res_count == 1


def test_counters_count_each_kind_of_message(bus: MessageBus) -> None:
    bus.register("A.execute", Recorder())
    bus.register("A.request", Recorder())
    for _ in range(3):
        bus.publish("data.x", 0)
    bus.send("A.execute", 0)
    bus.send("A.execute", 0)
    bus.request("A.request", 0, 1, Recorder())
    bus.response(1, 0)
    assert (bus.pub_count, bus.sent_count, bus.req_count, bus.res_count) == (3, 2, 1, 1)


def test_bus_without_logger_then_errors_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    bus = MessageBus(TRADER, name="Bus2")
    bus.send("Nobody.execute", 1)
    assert "unknown endpoint" in capsys.readouterr().err
    assert bus.name == "Bus2"
    assert bus.trader_id == TRADER
