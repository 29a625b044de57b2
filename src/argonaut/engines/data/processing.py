"""The data engine's market-data path: dispatch by exact type, cache, book upkeep, publish.

`DataProcessing` is a mixin of `DataEngine` (kept apart to keep modules small). Its
`process` is the hot path: one counter, one dict lookup on the item's type, then the
type's handler (cache write, then publish on a memoized topic). The table is built once
by `_init_processing`; with `validate_data_sequence` each handler is wrapped once in a
check that drops items whose `ts_event` goes backwards within their stream (stream =
kind plus instrument id, or bar type), warning once per stream.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from argonaut.common import topics
from argonaut.common.logging import Logger
from argonaut.engines.data.config import DataEngineConfig
from argonaut.engines.data.ports import DataCache
from argonaut.model.book import OrderBook
from argonaut.model.book_data import F_LAST, OrderBookDelta, OrderBookDeltas, OrderBookDepth10
from argonaut.model.data import (
    Bar,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentClose,
    InstrumentStatus,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import BookType
from argonaut.model.identifiers import InstrumentId
from argonaut.model.instruments import Instrument

Handler = Callable[[Any], None]


class TopicMemo(dict[Hashable, str]):
    """Topic per key, built by a `topics` function on first use (a dict hit afterwards)."""

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[Any], str]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: Hashable) -> str:
        topic = self[key] = self._build(key)
        return topic


class DataProcessing:
    """Market-data handling of the `DataEngine` (a mixin: see the module docstring)."""

    config: DataEngineConfig
    log: Logger
    _cache: DataCache
    _publish: Callable[[str, Any], None]  # MessageBus.publish, bound once

    def _init_processing(self, cache: DataCache, publish: Callable[[str, Any], None]) -> None:
        self._cache = cache
        self._publish = publish
        self._add_quote_tick = cache.add_quote_tick  # bound once: the hottest call
        self._managed_books: dict[InstrumentId, BookType] = {}
        self._delta_buffers: dict[InstrumentId, list[OrderBookDelta]] = {}
        self._last_ts: dict[tuple[str, Hashable], int] = {}
        self._warned_streams: set[tuple[str, Hashable]] = set()
        self._warned_types: set[type] = set()
        self.data_count = 0
        self.dropped_count = 0
        self.unknown_data_count = 0
        self.book_error_count = 0
        self._quote_topics = TopicMemo(topics.quotes)
        self._trade_topics = TopicMemo(topics.trades)
        self._bar_topics = TopicMemo(topics.bars)
        self._delta_topics = TopicMemo(topics.book_deltas)
        self._depth_topics = TopicMemo(topics.book_depth)
        self._handlers: dict[type, Handler] = self._build_handlers()

    def _reset_processing(self) -> None:
        self._managed_books.clear()
        self._delta_buffers.clear()
        self._last_ts.clear()
        self._warned_streams.clear()
        self.data_count = self.dropped_count = 0
        self.unknown_data_count = self.book_error_count = 0

    @property
    def managed_books(self) -> dict[InstrumentId, BookType]:
        """The instruments whose order book the engine maintains in the cache (a copy)."""
        return dict(self._managed_books)

    def manage_book(self, instrument_id: InstrumentId, book_type: BookType) -> None:
        """Maintain `instrument_id`'s book in the cache from its deltas and depth (the first
        book type asked for stays)."""
        self._managed_books.setdefault(instrument_id, book_type)

    def process(self, data: Any) -> None:
        """Cache and publish one market data item (dispatched on its exact type)."""
        self.data_count += 1
        try:
            handler = self._handlers[type(data)]
        except KeyError:
            handler = self._resolve_handler(type(data))
        handler(data)

    def _build_handlers(self) -> dict[type, Handler]:
        cache = self._cache
        table: dict[type, tuple[str, str, Handler]] = {
            QuoteTick: ("quotes", "instrument_id", self._handle_quote),
            TradeTick: ("trades", "instrument_id", self._handle_trade),
            Bar: ("bars", "bar_type", self._handle_bar),
            OrderBookDelta: ("book", "instrument_id", self._handle_delta),
            OrderBookDeltas: ("book", "instrument_id", self._handle_deltas),
            OrderBookDepth10: ("depth", "instrument_id", self._handle_depth),
            MarkPriceUpdate: (
                "mark",
                "instrument_id",
                self._cache_and_publish(cache.add_mark_price, topics.mark_prices),
            ),
            IndexPriceUpdate: (
                "index",
                "instrument_id",
                self._cache_and_publish(cache.add_index_price, topics.index_prices),
            ),
            FundingRateUpdate: (
                "funding",
                "instrument_id",
                self._cache_and_publish(cache.add_funding_rate, topics.funding_rates),
            ),
            InstrumentStatus: (
                "status",
                "instrument_id",
                self._cache_and_publish(cache.add_instrument_status, topics.instrument_status),
            ),
            InstrumentClose: (
                "close",
                "instrument_id",
                self._cache_and_publish(None, topics.instrument_close),
            ),
        }
        if not self.config.validate_data_sequence:
            return {cls: handler for cls, (_, _, handler) in table.items()}
        sequenced = self._sequenced
        return {cls: sequenced(kind, attr, fn) for cls, (kind, attr, fn) in table.items()}

    def _resolve_handler(self, cls: type) -> Handler:
        handler: Handler
        if issubclass(cls, Instrument):
            handler = self._handle_instrument
        elif issubclass(cls, tuple(self._handlers)):
            base = next(c for c in self._handlers if issubclass(cls, c))
            handler = self._handlers[base]
        else:
            handler = self._handle_unknown
        self._handlers[cls] = handler
        return handler

    def _handle_unknown(self, data: Any) -> None:
        self.unknown_data_count += 1
        cls = type(data)
        if cls not in self._warned_types:
            self._warned_types.add(cls)
            self.log.error(
                f"Cannot process {cls.__name__}: not a market data type this engine knows "
                "(further items of this type are counted in unknown_data_count)"
            )

    def _sequenced(self, kind: str, attr: str, handler: Handler) -> Handler:
        last_ts = self._last_ts

        def check_sequence(data: Any) -> None:
            stream = (kind, getattr(data, attr))
            ts = data.ts_event
            prev = last_ts.get(stream)
            if prev is not None and ts < prev:
                self._drop_out_of_order(stream, data, prev)
                return
            last_ts[stream] = ts
            handler(data)

        return check_sequence

    def _drop_out_of_order(self, stream: tuple[str, Hashable], data: Any, prev: int) -> None:
        self.dropped_count += 1
        if stream not in self._warned_streams:
            self._warned_streams.add(stream)
            self.log.warning(
                f"Dropped {type(data).__name__} for {stream[1]}: ts_event {data.ts_event} is "
                f"before the previous {prev} (further out-of-order {stream[0]} data for "
                "this stream is dropped without warning)"
            )

    def _cache_and_publish(
        self, add: Handler | None, topic_of: Callable[[InstrumentId], str]
    ) -> Handler:
        publish = self._publish
        memo = TopicMemo(topic_of)
        if add is None:
            return lambda data: publish(memo[data.instrument_id], data)

        def cache_and_publish(data: Any) -> None:
            add(data)
            publish(memo[data.instrument_id], data)

        return cache_and_publish

    def _handle_quote(self, quote: QuoteTick) -> None:
        self._add_quote_tick(quote)
        self._publish(self._quote_topics[quote.instrument_id], quote)

    def _handle_trade(self, trade: TradeTick) -> None:
        self._cache.add_trade_tick(trade)
        self._publish(self._trade_topics[trade.instrument_id], trade)

    def _handle_bar(self, bar: Bar) -> None:
        self._cache.add_bar(bar)
        self._publish(self._bar_topics[bar.bar_type], bar)

    def _handle_instrument(self, instrument: Instrument) -> None:
        self._cache.add_instrument(instrument)
        self._publish(topics.instrument(instrument.id), instrument)

    def _handle_delta(self, delta: OrderBookDelta) -> None:
        instrument_id = delta.instrument_id
        if self.config.buffer_deltas:
            buffer = self._delta_buffers.setdefault(instrument_id, [])
            buffer.append(delta)
            if delta.flags & F_LAST:
                batch = OrderBookDeltas.from_deltas(buffer)
                buffer.clear()
                self._handle_deltas(batch)
            return
        book = self._managed_book(instrument_id)
        if book is not None:
            try:
                book.apply_delta(delta)
            except ValueError as exc:
                self._book_failed(instrument_id, exc)
        self._publish(self._delta_topics[instrument_id], delta)

    def _handle_deltas(self, deltas: OrderBookDeltas) -> None:
        instrument_id = deltas.instrument_id
        book = self._managed_book(instrument_id)
        if book is not None:
            try:
                book.apply_deltas(deltas)
            except ValueError as exc:
                self._book_failed(instrument_id, exc)
        self._publish(self._delta_topics[instrument_id], deltas)

    def _handle_depth(self, depth: OrderBookDepth10) -> None:
        instrument_id = depth.instrument_id
        book = self._managed_book(instrument_id)
        if book is not None:
            try:
                book.apply_depth(depth)
            except ValueError as exc:
                self._book_failed(instrument_id, exc)
        self._publish(self._depth_topics[instrument_id], depth)

    def _managed_book(self, instrument_id: InstrumentId) -> OrderBook | None:
        book_type = self._managed_books.get(instrument_id)
        if book_type is None:
            return None
        book = self._cache.order_book(instrument_id)
        if book is None:
            book = OrderBook(instrument_id, book_type)
            self._cache.add_order_book(book)
        return book

    def _book_failed(self, instrument_id: InstrumentId, exc: ValueError) -> None:
        self.book_error_count += 1
        self.log.error(f"Cannot update the order book of {instrument_id}: {exc}")
