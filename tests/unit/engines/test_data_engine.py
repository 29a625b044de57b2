from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.errors import ConfigError
from argonaut.common.logging import ERROR, WARNING, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.data import DataClient, DataEngine, DataEngineConfig, StreamKey
from argonaut.model.book import OrderBook
from argonaut.model.book_data import (
    F_LAST,
    F_SNAPSHOT,
    BookOrder,
    OrderBookDelta,
    OrderBookDeltas,
    OrderBookDepth10,
)
from argonaut.model.commands.data import (
    DataResponse,
    RequestCommand,
    RequestInstrument,
    SubscribeBars,
    SubscribeBookDeltas,
    SubscribeBookDepth10,
    SubscribeBookSnapshots,
    SubscribeCommand,
    SubscribeInstruments,
    SubscribeQuoteTicks,
    SubscribeTradeTicks,
    UnsubscribeBars,
    UnsubscribeBookDeltas,
    UnsubscribeBookSnapshots,
    UnsubscribeCommand,
    UnsubscribeQuoteTicks,
    UnsubscribeTradeTicks,
)
from argonaut.model.data import (
    Bar,
    BarType,
    InstrumentClose,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import AggressorSide, BookAction, BookType, InstrumentCloseType, OrderSide
from argonaut.model.identifiers import (
    ClientId,
    ComponentId,
    InstrumentId,
    TraderId,
    Venue,
)
from argonaut.model.values import Price, Quantity
from argonaut.testkit import btcusdt_perp
from argonaut.testkit import quote as _quote
from argonaut.testkit import trade as _trade

IID = InstrumentId("BTCUSDT-PERP.SIM")
SEC = 1_000_000_000
MS = 1_000_000
T0 = 1_700_000_000 * SEC
STRATEGY_A = ComponentId("EMACross-001")
STRATEGY_B = ComponentId("EMACross-002")
UUIDS = UUIDFactory(seed=7)


def quote(bid: str, ask: str, ts: int) -> QuoteTick:
    return _quote(bid=bid, ask=ask, ask_size="2.000", ts=ts)


def trade(price: str, size: str, ts: int) -> TradeTick:
    return _trade(
        price=price,
        size=size,
        aggressor_side=AggressorSide.SELLER,
        trade_id=f"T-{ts}",
        ts=ts,
    )


def order(side: OrderSide, price: str, size: str) -> BookOrder:
    return BookOrder(side=side, price=Price.from_str(price), size=Quantity.from_str(size))


def delta(action: BookAction, o: BookOrder, flags: int = 0, ts: int = T0) -> OrderBookDelta:
    return OrderBookDelta(
        instrument_id=IID,
        action=action,
        order=o,
        flags=flags,
        sequence=ts - T0,
        ts_event=ts,
        ts_init=ts,
    )


def cmd(cls: type[Any], **fields: Any) -> Any:
    return cls(command_id=UUIDS.generate(), ts_init=T0, **fields)


class RecordingClient(DataClient):
    """A client that records what the engine asks of it (the I/O seam)."""

    def __init__(self, client_id: str, bus: MessageBus, venue: str | None = None) -> None:
        super().__init__(ClientId(client_id), bus, venue=venue)
        self.calls: list[tuple[str, Any]] = []

    def _on_subscribe(self, command: SubscribeCommand) -> None:
        self.calls.append(("subscribe", command))

    def _on_unsubscribe(self, command: UnsubscribeCommand) -> None:
        self.calls.append(("unsubscribe", command))

    def _on_request(self, request: RequestCommand) -> None:
        self.calls.append(("request", request))

    def summary(self) -> list[tuple[str, str]]:
        return [(what, type(c).__name__) for what, c in self.calls]


class Env:
    def __init__(self, config: DataEngineConfig | None, logger: Logger) -> None:
        self.clock = TestClock(T0)
        self.bus = MessageBus(TraderId("TRADER-001"))
        self.cache = Cache()
        self.engine = DataEngine(self.bus, self.cache, self.clock, config=config, logger=logger)
        self.client = RecordingClient("SIM", self.bus, venue="SIM")
        self.engine.register_client(self.client)

    def collect(self, topic: str) -> list[Any]:
        received: list[Any] = []
        self.bus.subscribe(topic, received.append)
        return received

    def run_to(self, t: int) -> None:
        for handler in self.clock.advance_time(t):
            handler.handle()


@pytest.fixture
def sink() -> MemorySink:
    return MemorySink()


@pytest.fixture
def log_system(sink: MemorySink) -> Iterator[LogSystem]:
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(T0), sinks=[sink]) as system:
        yield system


@pytest.fixture
def make_env(log_system: LogSystem) -> Callable[..., Env]:
    def make(config: DataEngineConfig | None = None) -> Env:
        return Env(config, Logger("DataEngine", log_system))

    return make


@pytest.fixture
def env(make_env: Callable[..., Env]) -> Env:
    return make_env()


def messages(sink: MemorySink, log_system: LogSystem, level: int) -> list[str]:
    assert log_system.flush()
    return sink.messages(level)


# -- routing -------------------------------------------------------------------------------


def test_subscribe_when_client_id_given_then_routed_to_that_client(env: Env) -> None:
    other = RecordingClient("OTHER", env.bus, venue="OTHER")
    env.engine.register_client(other)

    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID, client_id=ClientId("OTHER")))

    assert other.summary() == [("subscribe", "SubscribeQuoteTicks")]
    assert env.client.calls == []


def test_subscribe_when_no_client_id_then_routed_by_instrument_venue(env: Env) -> None:
    other = RecordingClient("OTHER", env.bus, venue="OTHER")
    env.engine.register_client(other)

    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID))
    env.engine.execute(cmd(SubscribeInstruments, venue=Venue("OTHER")))

    assert env.client.summary() == [("subscribe", "SubscribeQuoteTicks")]
    assert other.summary() == [("subscribe", "SubscribeInstruments")]


def test_subscribe_when_no_client_for_venue_then_default_client(env: Env) -> None:
    default = RecordingClient("ALL", env.bus)
    env.engine.register_default_client(default)

    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=InstrumentId("ETHUSD.XYZ")))

    assert default.summary() == [("subscribe", "SubscribeQuoteTicks")]
    assert env.engine.default_client == ClientId("ALL")
    assert env.engine.registered_clients == [ClientId("SIM"), ClientId("ALL")]


def test_subscribe_when_no_client_at_all_then_error_logged_counted_and_nothing_held(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=InstrumentId("ETHUSD.XYZ")))

    assert env.engine.routing_error_count == 1
    assert env.engine.subscriptions() == []
    errors = messages(sink, log_system, ERROR)
    assert len(errors) == 1
    assert "no default client" in errors[0]
    assert "XYZ" in errors[0]


def test_register_client_twice_then_value_error(env: Env) -> None:
    with pytest.raises(ValueError, match="already registered"):
        env.engine.register_client(RecordingClient("SIM", env.bus))


def test_deregister_client_then_its_venue_is_no_longer_routed(env: Env) -> None:
    env.engine.deregister_client(env.client)

    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID))

    assert env.engine.registered_clients == []
    assert env.client.calls == []
    assert env.engine.routing_error_count == 1
    with pytest.raises(ValueError, match="not registered"):
        env.engine.deregister_client(env.client)


def test_check_connected_reflects_every_client(env: Env) -> None:
    other = RecordingClient("OTHER", env.bus)
    env.engine.register_client(other)
    assert (env.engine.check_connected(), env.engine.check_disconnected()) == (False, True)

    env.client.is_connected = True
    assert (env.engine.check_connected(), env.engine.check_disconnected()) == (False, False)

    other.is_connected = True
    assert (env.engine.check_connected(), env.engine.check_disconnected()) == (True, False)


# -- reference counting --------------------------------------------------------------------


def test_two_subscribers_then_client_subscribed_once_and_unsubscribed_after_the_last(
    env: Env,
) -> None:
    engine = env.engine
    engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_A))
    engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_B))
    assert env.client.summary() == [("subscribe", "SubscribeQuoteTicks")]
    assert engine.subscribers(StreamKey("quotes", IID)) == [STRATEGY_A, STRATEGY_B]

    engine.execute(cmd(UnsubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_A))
    assert env.client.summary() == [("subscribe", "SubscribeQuoteTicks")]

    engine.execute(cmd(UnsubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_B))
    assert env.client.summary() == [
        ("subscribe", "SubscribeQuoteTicks"),
        ("unsubscribe", "UnsubscribeQuoteTicks"),
    ]
    assert engine.subscriptions() == []
    assert env.client.subscriptions == []
    assert engine.command_count == 4


def test_same_subscriber_twice_then_counted_once(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    engine = env.engine
    engine.execute(cmd(SubscribeTradeTicks, instrument_id=IID, subscriber=STRATEGY_A))
    engine.execute(cmd(SubscribeTradeTicks, instrument_id=IID, subscriber=STRATEGY_A))
    engine.execute(cmd(UnsubscribeTradeTicks, instrument_id=IID, subscriber=STRATEGY_A))

    assert env.client.summary() == [
        ("subscribe", "SubscribeTradeTicks"),
        ("unsubscribe", "UnsubscribeTradeTicks"),
    ]
    assert any("already subscribed" in m for m in messages(sink, log_system, WARNING))


def test_unsubscribe_when_not_subscribed_then_warning_and_client_untouched(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    env.engine.execute(cmd(UnsubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_A))

    assert env.client.calls == []
    assert any("not subscribed" in m for m in messages(sink, log_system, WARNING))


def test_unsubscribe_goes_to_the_client_that_took_the_subscription(env: Env) -> None:
    other = RecordingClient("OTHER", env.bus)
    env.engine.register_client(other)
    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID, client_id=ClientId("OTHER")))

    env.engine.execute(cmd(UnsubscribeQuoteTicks, instrument_id=IID))

    assert other.summary() == [
        ("subscribe", "SubscribeQuoteTicks"),
        ("unsubscribe", "UnsubscribeQuoteTicks"),
    ]
    assert env.client.calls == []


def test_commands_sent_to_the_execute_endpoint_reach_the_engine(env: Env) -> None:
    env.bus.send(topics.DATA_ENGINE_EXECUTE, cmd(SubscribeQuoteTicks, instrument_id=IID))

    assert env.client.summary() == [("subscribe", "SubscribeQuoteTicks")]


# -- requests and responses ----------------------------------------------------------------


def test_request_then_response_reaches_requester_and_instrument_is_cached(env: Env) -> None:
    request = RequestInstrument(
        command_id=UUIDS.generate(), ts_init=T0, request_id=UUIDS.generate(), instrument_id=IID
    )
    answers: list[DataResponse] = []
    env.bus.request(topics.DATA_ENGINE_REQUEST, request, request.request_id, answers.append)
    assert env.client.calls == [("request", request)]
    assert env.engine.pending_request_ids == [request.request_id]
    response = DataResponse(
        correlation_id=request.request_id,
        data_type="CryptoPerpetual",
        data=(btcusdt_perp(),),
        response_id=UUIDS.generate(),
        ts_init=T0 + 1,
        client_id=ClientId("SIM"),
    )

    env.client._handle_response(response)

    assert answers == [response]
    assert env.cache.instrument(IID) == btcusdt_perp()
    assert env.engine.pending_request_ids == []
    assert (env.engine.request_count, env.engine.response_count) == (1, 1)


def test_response_with_quotes_then_quotes_cached_in_order(env: Env) -> None:
    request = RequestInstrument(
        command_id=UUIDS.generate(), ts_init=T0, request_id=UUIDS.generate(), instrument_id=IID
    )
    answers: list[DataResponse] = []
    env.bus.request(topics.DATA_ENGINE_REQUEST, request, request.request_id, answers.append)
    quotes = (quote("100.0", "100.1", T0), quote("100.1", "100.2", T0 + 1))

    env.engine.response(
        DataResponse(
            correlation_id=request.request_id,
            data_type="QuoteTick",
            data=quotes,
            response_id=UUIDS.generate(),
            ts_init=T0 + 2,
        )
    )

    assert env.cache.quote_tick(IID) == quotes[1]
    assert len(answers) == 1


# -- quotes and other market data ----------------------------------------------------------


def test_quote_processed_then_cached_before_published_on_exact_topic(env: Env) -> None:
    seen: list[tuple[QuoteTick, QuoteTick | None]] = []
    env.bus.subscribe(
        "data.quotes.SIM.BTCUSDT-PERP", lambda q: seen.append((q, env.cache.quote_tick(IID)))
    )
    q = quote("50000.0", "50000.1", T0)

    env.engine.process(q)

    assert seen == [(q, q)]
    assert env.engine.data_count == 1


def test_data_handed_over_by_a_client_reaches_the_engine(env: Env) -> None:
    received = env.collect(topics.trades(IID))
    t = trade("100.0", "1", T0)

    env.client._handle_data(t)

    assert received == [t]
    assert env.cache.trade_tick(IID) == t


def test_instrument_processed_then_cached_and_published_for_its_venue(env: Env) -> None:
    received = env.collect(topics.instruments(Venue("SIM")))

    env.engine.process(btcusdt_perp())

    assert received == [btcusdt_perp()]
    assert env.cache.instrument(IID) == btcusdt_perp()


def test_mark_price_and_close_processed_then_published_and_mark_cached(env: Env) -> None:
    marks = env.collect("data.mark_prices.SIM.BTCUSDT-PERP")
    closes = env.collect("data.close.SIM.BTCUSDT-PERP")
    mark = MarkPriceUpdate(instrument_id=IID, value=Price.from_str("100.5"), ts_event=1, ts_init=2)
    close = InstrumentClose(
        instrument_id=IID,
        close_price=Price.from_str("99.0"),
        close_type=InstrumentCloseType.END_OF_SESSION,
        ts_event=3,
        ts_init=4,
    )

    env.engine.process(mark)
    env.engine.process(close)

    assert (marks, closes) == ([mark], [close])
    assert env.cache.mark_price(IID) == Price.from_str("100.5")


def test_external_bar_subscription_forwarded_and_bars_cached_and_published(env: Env) -> None:
    text = "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL"
    received = env.collect(f"data.bars.{text}")
    env.engine.execute(cmd(SubscribeBars, bar_type=text))
    bar = Bar(
        bar_type=BarType.from_str(text),
        open=Price.from_str("1.0"),
        high=Price.from_str("2.0"),
        low=Price.from_str("0.5"),
        close=Price.from_str("1.5"),
        volume=Quantity.from_str("3"),
        ts_event=T0,
        ts_init=T0,
    )

    env.engine.process(bar)

    assert env.client.summary() == [("subscribe", "SubscribeBars")]
    assert received == [bar]
    assert env.cache.bar(bar.bar_type) == bar


def test_unknown_data_type_then_error_logged_once_and_counted(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    env.engine.process("not market data")
    env.engine.process("still not")

    assert env.engine.unknown_data_count == 2
    assert len(messages(sink, log_system, ERROR)) == 1


# -- sequence validation -------------------------------------------------------------------


def test_validate_sequence_when_ts_goes_back_then_dropped_with_one_warning_per_stream(
    make_env: Callable[..., Env], sink: MemorySink, log_system: LogSystem
) -> None:
    env = make_env(DataEngineConfig(validate_data_sequence=True))
    quotes = env.collect(topics.quotes(IID))
    trades = env.collect(topics.trades(IID))
    q10, q5, q4, q11 = (quote("1.0", "1.1", T0 + n) for n in (10, 5, 4, 11))
    t3, t2 = trade("1.0", "1", T0 + 3), trade("1.0", "1", T0 + 2)

    for item in (q10, q5, q4, q11, t3, t2):
        env.engine.process(item)

    assert quotes == [q10, q11]
    assert trades == [t3]
    assert env.engine.dropped_count == 3
    assert env.cache.quote_tick(IID) == q11
    warnings = messages(sink, log_system, WARNING)
    assert len(warnings) == 2
    assert "QuoteTick" in warnings[0]
    assert "TradeTick" in warnings[1]


def test_without_validation_then_out_of_order_data_is_published(env: Env) -> None:
    quotes = env.collect(topics.quotes(IID))
    q10, q5 = quote("1.0", "1.1", T0 + 10), quote("1.0", "1.1", T0 + 5)

    env.engine.process(q10)
    env.engine.process(q5)

    assert quotes == [q10, q5]


# -- order books ---------------------------------------------------------------------------


def test_managed_deltas_then_book_built_in_cache_and_deltas_published(env: Env) -> None:
    received = env.collect("data.book.deltas.SIM.BTCUSDT-PERP")
    env.engine.execute(cmd(SubscribeBookDeltas, instrument_id=IID, book_type=BookType.L2_MBP))
    stream = [
        OrderBookDelta.clear(IID, ts_event=T0, ts_init=T0),
        delta(BookAction.ADD, order(OrderSide.BUY, "100.0", "1"), F_SNAPSHOT),
        delta(BookAction.ADD, order(OrderSide.BUY, "99.9", "2"), F_SNAPSHOT),
        delta(BookAction.ADD, order(OrderSide.SELL, "100.2", "3"), F_SNAPSHOT | F_LAST),
        delta(BookAction.UPDATE, order(OrderSide.BUY, "100.0", "5"), F_LAST, ts=T0 + 1),
        delta(BookAction.DELETE, order(OrderSide.BUY, "99.9", "0"), F_LAST, ts=T0 + 2),
    ]

    for d in stream:
        env.engine.process(d)

    book = env.cache.order_book(IID)
    assert book is not None
    assert book.book_type is BookType.L2_MBP
    assert [(str(lv.price), str(lv.size())) for lv in book.bids()] == [("100.0", "5")]
    assert [(str(lv.price), str(lv.size())) for lv in book.asks()] == [("100.2", "3")]
    assert book.ts_last == T0 + 2
    assert received == stream


def test_snapshot_deltas_then_existing_book_cleared_and_replaced(env: Env) -> None:
    env.engine.execute(cmd(SubscribeBookDeltas, instrument_id=IID, book_type=BookType.L2_MBP))
    env.engine.process(delta(BookAction.ADD, order(OrderSide.BUY, "90.0", "1")))
    env.engine.process(delta(BookAction.ADD, order(OrderSide.SELL, "95.0", "1")))
    snapshot = OrderBookDeltas.from_deltas(
        [
            OrderBookDelta.clear(IID, ts_event=T0 + 5, ts_init=T0 + 5),
            delta(BookAction.ADD, order(OrderSide.BUY, "100.0", "1"), F_SNAPSHOT, ts=T0 + 5),
            delta(
                BookAction.ADD, order(OrderSide.SELL, "100.5", "2"), F_SNAPSHOT | F_LAST, ts=T0 + 5
            ),
        ]
    )

    env.engine.process(snapshot)

    book = env.cache.order_book(IID)
    assert book is not None
    assert [str(lv.price) for lv in book.bids()] == ["100.0"]
    assert [str(lv.price) for lv in book.asks()] == ["100.5"]


def test_unmanaged_deltas_then_published_without_a_book(env: Env) -> None:
    received = env.collect(topics.book_deltas(IID))
    env.engine.execute(
        cmd(SubscribeBookDeltas, instrument_id=IID, book_type=BookType.L2_MBP, managed=False)
    )
    d = delta(BookAction.ADD, order(OrderSide.BUY, "90.0", "1"))

    env.engine.process(d)

    assert received == [d]
    assert env.cache.order_book(IID) is None


def test_depth10_then_book_replaced_and_depth_published(env: Env) -> None:
    received = env.collect("data.book.depth.SIM.BTCUSDT-PERP")
    env.engine.execute(cmd(SubscribeBookDepth10, instrument_id=IID))
    depth = OrderBookDepth10(
        instrument_id=IID,
        bids=(order(OrderSide.BUY, "100.0", "1"), order(OrderSide.BUY, "99.5", "2")),
        asks=(order(OrderSide.SELL, "100.5", "3"),),
        bid_counts=(1, 2),
        ask_counts=(3,),
        sequence=9,
        ts_event=T0,
        ts_init=T0,
    )

    env.engine.process(depth)

    book = env.cache.order_book(IID)
    assert book is not None
    assert [(str(lv.price), str(lv.size())) for lv in book.bids()] == [
        ("100.0", "1"),
        ("99.5", "2"),
    ]
    assert [str(lv.price) for lv in book.asks()] == ["100.5"]
    assert book.sequence == 9
    assert received == [depth]


def test_buffer_deltas_then_deltas_held_until_last_flag_and_published_as_batch(
    make_env: Callable[..., Env],
) -> None:
    env = make_env(DataEngineConfig(buffer_deltas=True))
    received = env.collect(topics.book_deltas(IID))
    env.engine.execute(cmd(SubscribeBookDeltas, instrument_id=IID, book_type=BookType.L2_MBP))
    first = delta(BookAction.ADD, order(OrderSide.BUY, "100.0", "1"))
    last = delta(BookAction.ADD, order(OrderSide.SELL, "100.5", "1"), F_LAST, ts=T0 + 1)

    env.engine.process(first)
    assert received == []
    assert env.cache.order_book(IID) is None
    env.engine.process(last)

    assert len(received) == 1
    assert isinstance(received[0], OrderBookDeltas)
    assert received[0].deltas == (first, last)
    book = env.cache.order_book(IID)
    assert book is not None
    assert book.best_bid_price() == Price.from_str("100.0")


def test_book_snapshots_published_at_interval_from_managed_deltas(env: Env) -> None:
    topic = "data.book.snapshots.SIM.BTCUSDT-PERP.1000"
    received = env.collect(topic)
    env.clock.set_time(T0 + 200 * MS)
    env.engine.execute(
        cmd(SubscribeBookSnapshots, instrument_id=IID, book_type=BookType.L2_MBP, interval_ms=1000)
    )
    assert env.client.summary() == [("subscribe", "SubscribeBookDeltas")]
    subscribe = env.client.calls[0][1]
    assert subscribe.managed is True

    env.run_to(T0 + SEC)  # no book yet: nothing published
    env.engine.process(delta(BookAction.ADD, order(OrderSide.BUY, "100.0", "1"), ts=T0 + SEC))
    env.run_to(T0 + 3500 * MS)

    book = env.cache.order_book(IID)
    assert isinstance(book, OrderBook)
    assert received == [book, book]  # at T0+2s and T0+3s

    env.engine.execute(cmd(UnsubscribeBookSnapshots, instrument_id=IID, interval_ms=1000))
    env.run_to(T0 + 5 * SEC)

    assert len(received) == 2
    assert env.client.summary() == [
        ("subscribe", "SubscribeBookDeltas"),
        ("unsubscribe", "UnsubscribeBookDeltas"),
    ]
    assert env.clock.timer_names == []


def test_book_snapshots_and_deltas_subscribers_share_one_client_subscription(env: Env) -> None:
    env.engine.execute(
        cmd(
            SubscribeBookDeltas, instrument_id=IID, book_type=BookType.L2_MBP, subscriber=STRATEGY_A
        )
    )
    env.engine.execute(
        cmd(SubscribeBookSnapshots, instrument_id=IID, book_type=BookType.L2_MBP, interval_ms=500)
    )
    env.engine.execute(cmd(UnsubscribeBookSnapshots, instrument_id=IID, interval_ms=500))

    assert env.client.summary() == [("subscribe", "SubscribeBookDeltas")]

    env.engine.execute(cmd(UnsubscribeBookDeltas, instrument_id=IID, subscriber=STRATEGY_A))

    assert env.client.summary()[-1] == ("unsubscribe", "UnsubscribeBookDeltas")


# -- internal bars -------------------------------------------------------------------------


def test_internal_tick_bars_built_from_quotes_and_published_like_venue_bars(env: Env) -> None:
    text = "BTCUSDT-PERP.SIM-3-TICK-BID-INTERNAL"
    bars = env.collect(f"data.bars.{text}")
    env.cache.add_instrument(btcusdt_perp())
    env.engine.execute(cmd(SubscribeBars, bar_type=text, subscriber=STRATEGY_A))
    assert env.client.summary() == [("subscribe", "SubscribeQuoteTicks")]

    for i, bid in enumerate(("100.0", "100.4", "99.8", "100.1")):
        env.engine.process(quote(bid, "101.0", T0 + i))

    bar_type = BarType.from_str(text)
    assert len(bars) == 1
    bar = bars[0]
    assert (str(bar.open), str(bar.high), str(bar.low), str(bar.close)) == (
        "100.0",
        "100.4",
        "99.8",
        "99.8",
    )
    assert str(bar.volume) == "3.000"
    assert (bar.bar_type, bar.ts_event) == (bar_type, T0 + 2)
    assert env.cache.bar(bar_type) == bar


def test_internal_bars_unsubscribed_then_quotes_kept_for_other_subscribers(env: Env) -> None:
    text = "BTCUSDT-PERP.SIM-2-TICK-MID-INTERNAL"
    env.cache.add_instrument(btcusdt_perp())
    env.engine.execute(cmd(SubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_B))
    env.engine.execute(cmd(SubscribeBars, bar_type=text, subscriber=STRATEGY_A))
    env.engine.execute(cmd(UnsubscribeBars, bar_type=text, subscriber=STRATEGY_A))
    bars = env.collect(f"data.bars.{text}")

    env.engine.process(quote("1.0", "1.2", T0))
    env.engine.process(quote("1.0", "1.2", T0 + 1))

    assert env.client.summary() == [("subscribe", "SubscribeQuoteTicks")]
    assert bars == []

    env.engine.execute(cmd(UnsubscribeQuoteTicks, instrument_id=IID, subscriber=STRATEGY_B))
    assert env.client.summary()[-1] == ("unsubscribe", "UnsubscribeQuoteTicks")


def test_internal_last_bars_subscribe_to_trades_and_unsubscribe_after(env: Env) -> None:
    text = "BTCUSDT-PERP.SIM-2-VOLUME-LAST-INTERNAL"
    bars = env.collect(f"data.bars.{text}")
    env.cache.add_instrument(btcusdt_perp())
    env.engine.execute(cmd(SubscribeBars, bar_type=text))

    env.engine.process(trade("100.0", "1.5", T0))
    env.engine.process(trade("101.0", "1.5", T0 + 1))
    env.engine.execute(cmd(UnsubscribeBars, bar_type=text))

    assert env.client.summary() == [
        ("subscribe", "SubscribeTradeTicks"),
        ("unsubscribe", "UnsubscribeTradeTicks"),
    ]
    assert [(str(b.open), str(b.close), str(b.volume)) for b in bars] == [
        ("100.0", "101.0", "2.000")
    ]


def test_internal_time_bars_use_the_engine_config_and_clock(make_env: Callable[..., Env]) -> None:
    env = make_env(DataEngineConfig(time_bars_timestamp_on_close=False))
    text = "BTCUSDT-PERP.SIM-1-SECOND-ASK-INTERNAL"
    bars = env.collect(f"data.bars.{text}")
    env.cache.add_instrument(btcusdt_perp())
    env.engine.execute(cmd(SubscribeBars, bar_type=text))

    env.engine.process(quote("100.0", "100.5", T0 + 10 * MS))
    env.engine.process(quote("100.0", "100.3", T0 + 20 * MS))
    env.run_to(T0 + SEC)

    assert [(str(b.open), str(b.low), str(b.close), b.ts_event) for b in bars] == [
        ("100.5", "100.3", "100.3", T0)
    ]

    env.engine.execute(cmd(UnsubscribeBars, bar_type=text))
    assert env.clock.timer_names == []


def test_internal_bars_when_instrument_unknown_then_error_and_nothing_subscribed(
    env: Env, sink: MemorySink, log_system: LogSystem
) -> None:
    env.engine.execute(cmd(SubscribeBars, bar_type="BTCUSDT-PERP.SIM-3-TICK-BID-INTERNAL"))

    assert env.client.calls == []
    assert env.engine.subscriptions() == []
    assert any("not in the cache" in m for m in messages(sink, log_system, ERROR))


# -- lifecycle -----------------------------------------------------------------------------


def test_reset_then_subscriptions_timers_and_counters_cleared(env: Env) -> None:
    env.cache.add_instrument(btcusdt_perp())
    env.engine.execute(cmd(SubscribeBars, bar_type="BTCUSDT-PERP.SIM-1-SECOND-BID-INTERNAL"))
    env.engine.execute(
        cmd(SubscribeBookSnapshots, instrument_id=IID, book_type=BookType.L2_MBP, interval_ms=100)
    )
    env.engine.process(quote("1.0", "1.1", T0))
    env.engine.start()
    env.engine.stop()

    env.engine.reset()

    assert env.engine.subscriptions() == []
    assert env.clock.timer_names == []
    assert (env.engine.command_count, env.engine.data_count) == (0, 0)
    assert env.bus.subscriptions() == []


def test_dispose_then_endpoints_deregistered(env: Env) -> None:
    env.engine.dispose()

    assert not env.bus.is_registered(topics.DATA_ENGINE_PROCESS)
    assert env.bus.endpoints() == []


# -- config --------------------------------------------------------------------------------


def test_config_when_unknown_field_or_negative_delay_then_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.convert({"time_bars_build_delay": 5}, DataEngineConfig)
    with pytest.raises(ConfigError, match="time_bars_build_delay_ns"):
        DataEngineConfig(time_bars_build_delay_ns=-1)
