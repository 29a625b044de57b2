"""`DataEngine`: routes data commands to clients and market data into the cache and bus.

Commands (`execute`): a Subscribe*/Unsubscribe* command goes to the client named by
`client_id`, else to the client registered for the venue (the command's, or its
instrument's or bar type's), else to the default client; with none, the error is
logged and counted in `routing_error_count`. Subscriptions are counted per
`subscriber`, so a client sees each stream once: the first subscriber's command reaches
it, and the unsubscribe of the last. Engine-built streams are not forwarded as such:
INTERNAL bars become an aggregator plus a quote (BID/ASK/MID) or trade (LAST)
subscription, and book snapshots become a managed book-delta subscription plus a timer.

Requests (`request`) go to a client the same way; the client's `DataResponse`
(`response`) has its instruments and market data added to the cache and is delivered
to the requester through the bus (`MessageBus.response`, keyed by `request_id`).

Data (`process`, in `argonaut.engines.data.processing`): dispatched on its exact type
through a table built once. Quotes, trades, bars, mark/index prices, funding rates and
statuses are written to the cache and then published on their `argonaut.common.topics`
topic; instruments likewise. Book deltas, delta batches and depth snapshots update the
cache's `OrderBook` when the instrument's book is managed (subscribed with
`managed=True`, to snapshots or to depth), then are published as received. Book
snapshots publish the cache's live `OrderBook` (subscribers must not change it).
"""

from __future__ import annotations

from typing import Any

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.component import Component
from argonaut.common.logging import Logger
from argonaut.common.timers import TimeEvent
from argonaut.core.nanos import NANOS_PER_MILLI
from argonaut.core.uuid import UUID4
from argonaut.engines.data.aggregation import (
    BarAggregator,
    TickBarAggregator,
    ValueBarAggregator,
    VolumeBarAggregator,
)
from argonaut.engines.data.client import DataClient
from argonaut.engines.data.config import DataEngineConfig
from argonaut.engines.data.ports import DataCache
from argonaut.engines.data.processing import DataProcessing, Handler
from argonaut.engines.data.subscriptions import StreamKey, SubscriptionTable, stream_key
from argonaut.engines.data.time_bars import TimeBarAggregator
from argonaut.model.commands.data import (
    DataCommand,
    DataResponse,
    RequestCommand,
    SubscribeBars,
    SubscribeBookDeltas,
    SubscribeBookDepth10,
    SubscribeBookSnapshots,
    SubscribeCommand,
    SubscribeQuoteTicks,
    SubscribeTradeTicks,
    UnsubscribeBookDeltas,
    UnsubscribeCommand,
    UnsubscribeQuoteTicks,
    UnsubscribeTradeTicks,
)
from argonaut.model.data import (
    Bar,
    BarType,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import BarAggregation, BookType, PriceType
from argonaut.model.identifiers import ClientId, ComponentId, InstrumentId, Venue
from argonaut.model.instruments import Instrument

_COUNT_AGGREGATORS: dict[BarAggregation, type[BarAggregator]] = {
    BarAggregation.TICK: TickBarAggregator,
    BarAggregation.VOLUME: VolumeBarAggregator,
    BarAggregation.VALUE: ValueBarAggregator,
}


class _InternalBars:
    """An INTERNAL bar stream: its aggregator and the bus subscription feeding it."""

    __slots__ = ("aggregator", "handler", "source", "topic")

    def __init__(
        self, aggregator: BarAggregator, topic: str, handler: Handler, source: SubscribeCommand
    ) -> None:
        self.aggregator = aggregator
        self.topic = topic
        self.handler = handler
        self.source = source


class DataEngine(Component, DataProcessing):
    """The node's data engine; see the module docstring. Registers its bus endpoints."""

    def __init__(
        self,
        msgbus: MessageBus,
        cache: DataCache,
        clock: Clock,
        *,
        config: DataEngineConfig | None = None,
        logger: Logger | None = None,
    ) -> None:
        super().__init__("DataEngine", clock, msgbus, logger)
        self.config = config if config is not None else DataEngineConfig()
        self._msgbus = msgbus
        self._clients: dict[ClientId, DataClient] = {}
        self._venue_clients: dict[Venue, DataClient] = {}
        self._default_client: DataClient | None = None
        self._subscriptions = SubscriptionTable()
        self._stream_clients: dict[StreamKey, DataClient] = {}
        self._internal_bars: dict[StreamKey, _InternalBars] = {}
        self._snapshot_timers: dict[str, tuple[InstrumentId, int]] = {}
        self._pending_requests: dict[UUID4, RequestCommand] = {}
        self.command_count = 0
        self.request_count = 0
        self.response_count = 0
        self.routing_error_count = 0
        self._init_processing(cache, msgbus.publish)
        msgbus.register(topics.DATA_ENGINE_EXECUTE, self.execute)
        msgbus.register(topics.DATA_ENGINE_PROCESS, self.process)
        msgbus.register(topics.DATA_ENGINE_REQUEST, self.request)
        msgbus.register(topics.DATA_ENGINE_RESPONSE, self.response)

    # -- clients -------------------------------------------------------------------------

    @property
    def registered_clients(self) -> list[ClientId]:
        """The ids of the registered clients, in registration order."""
        return list(self._clients)

    @property
    def default_client(self) -> ClientId | None:
        """The id of the default client, if any."""
        return None if self._default_client is None else self._default_client.client_id

    def register_client(self, client: DataClient) -> None:
        """Register a client; it serves commands for its venue (if it has one)."""
        if client.client_id in self._clients:
            raise ValueError(
                f"data client {client.client_id} is already registered: deregister it first"
            )
        self._clients[client.client_id] = client
        if client.venue is not None:
            self._venue_clients.setdefault(client.venue, client)
        self.log.info(f"Registered data client {client.client_id}")

    def register_default_client(self, client: DataClient) -> None:
        """Register `client` (if needed) as the one serving commands no other client takes."""
        if self._clients.get(client.client_id) is not client:
            self.register_client(client)
        self._default_client = client

    def deregister_client(self, client: DataClient) -> None:
        """Remove a client from routing; raise ValueError if it is not registered."""
        if self._clients.get(client.client_id) is not client:
            raise ValueError(
                f"data client {client.client_id} is not registered: registered clients are "
                f"{self.registered_clients}"
            )
        del self._clients[client.client_id]
        if client.venue is not None and self._venue_clients.get(client.venue) is client:
            del self._venue_clients[client.venue]
        if self._default_client is client:
            self._default_client = None
        self.log.info(f"Deregistered data client {client.client_id}")

    def check_connected(self) -> bool:
        """Return True when every registered client is connected."""
        return all(c.is_connected for c in self._clients.values())

    def check_disconnected(self) -> bool:
        """Return True when no registered client is connected."""
        return not any(c.is_connected for c in self._clients.values())

    def _route(self, command: DataCommand) -> DataClient | None:
        client = None
        if command.client_id is not None:
            client = self._clients.get(command.client_id)
        venue = None
        if client is None:
            venue = _venue_of(command)
            if venue is not None:
                client = self._venue_clients.get(venue)
        if client is None:
            client = self._default_client
        if client is None:
            self.routing_error_count += 1
            self.log.error(
                f"Cannot route {type(command).__name__}: no data client {command.client_id} "
                f"registered, none for venue {venue} and no default client "
                f"(registered: {self.registered_clients})"
            )
        return client

    # -- commands ------------------------------------------------------------------------

    def subscriptions(self) -> list[StreamKey]:
        """Return the subscribed streams, in first-subscription order."""
        return self._subscriptions.keys()

    def subscribers(self, key: StreamKey) -> list[ComponentId | None]:
        """Return the subscribers of a stream, in subscription order."""
        return self._subscriptions.subscribers(key)

    def execute(self, command: DataCommand) -> None:
        """Execute a subscribe or unsubscribe command."""
        self.command_count += 1
        if self.config.debug:
            self.log.debug(f"<--[CMD] {command}")
        if isinstance(command, SubscribeCommand):
            self._subscribe(command)
        elif isinstance(command, UnsubscribeCommand):
            self._unsubscribe(command)
        else:
            self.log.error(
                f"Cannot execute {type(command).__name__}: expected a Subscribe* or "
                "Unsubscribe* command (requests go to request())"
            )

    def _subscribe(self, command: SubscribeCommand) -> bool:
        try:
            key = stream_key(command)
        except (TypeError, ValueError) as e:
            self.log.error(f"Cannot subscribe: {e}")
            return False
        added = self._subscriptions.add(key, command.subscriber)
        if added is None:
            self.log.warning(f"{command.subscriber} is already subscribed to {key}")
            return True
        if not added:
            return True  # the stream is already served
        if self._start_stream(key, command):
            return True
        self._subscriptions.remove(key, command.subscriber)
        return False

    def _unsubscribe(self, command: UnsubscribeCommand) -> None:
        try:
            key = stream_key(command)
        except (TypeError, ValueError) as e:
            self.log.error(f"Cannot unsubscribe: {e}")
            return
        removed = self._subscriptions.remove(key, command.subscriber)
        if removed is None:
            self.log.warning(f"{command.subscriber} is not subscribed to {key}: nothing to do")
        elif removed:
            self._stop_stream(key, command)

    def _start_stream(self, key: StreamKey, command: SubscribeCommand) -> bool:
        if isinstance(command, SubscribeBars):
            bar_type = BarType.from_str(command.bar_type)
            if bar_type.is_internally_aggregated():
                return self._start_internal_bars(key, bar_type, command)
        elif isinstance(command, SubscribeBookSnapshots):
            return self._start_snapshots(key, command)
        if not self._forward(key, command):
            return False
        if isinstance(command, SubscribeBookDeltas) and command.managed:
            self.manage_book(command.instrument_id, command.book_type)
        elif isinstance(command, SubscribeBookDepth10):
            self.manage_book(command.instrument_id, BookType.L2_MBP)
        return True

    def _forward(self, key: StreamKey, command: SubscribeCommand) -> bool:
        client = self._route(command)
        if client is None:
            return False
        try:
            client.subscribe(command)
        except Exception as exc:
            self.log.exception(f"Data client {client.client_id} failed to subscribe to {key}", exc)
            return False
        self._stream_clients[key] = client
        return True

    def _stop_stream(self, key: StreamKey, command: UnsubscribeCommand) -> None:
        internal = self._internal_bars.pop(key, None)
        if internal is not None:
            self._stop_internal_bars(internal, command)
            return
        if key.kind == "book_snapshots":
            self._stop_snapshots(key, command)
            return
        client = self._stream_clients.pop(key, None) or self._route(command)
        if client is None:
            return
        try:
            client.unsubscribe(command)
        except Exception as exc:
            self.log.exception(f"Data client {client.client_id} failed to unsubscribe {key}", exc)

    # -- engine-built streams: internal bars, book snapshots -----------------------------

    def _internal_subscriber(self, key: StreamKey) -> ComponentId:
        suffix = f":{key.interval_ms}" if key.interval_ms else ""
        return ComponentId(f"{self.component_id}:{key.kind}:{key.target}{suffix}")

    def _start_internal_bars(
        self, key: StreamKey, bar_type: BarType, command: SubscribeBars
    ) -> bool:
        instrument_id = bar_type.instrument_id
        instrument = self._cache.instrument(instrument_id)
        if instrument is None:
            self.log.error(
                f"Cannot aggregate {bar_type}: instrument {instrument_id} is not in the cache "
                "(load or subscribe to the instrument first)"
            )
            return False
        try:
            aggregator = self._make_aggregator(bar_type, instrument)
        except ValueError as e:
            self.log.error(f"Cannot aggregate {bar_type}: {e}")
            return False
        base = _derived_fields(command, self._internal_subscriber(key))
        handler: Handler
        source: SubscribeCommand
        if bar_type.spec.price_type is PriceType.LAST:
            topic, handler = topics.trades(instrument_id), aggregator.handle_trade_tick
            source = SubscribeTradeTicks(instrument_id=instrument_id, **base)
        else:
            topic, handler = topics.quotes(instrument_id), aggregator.handle_quote_tick
            source = SubscribeQuoteTicks(instrument_id=instrument_id, **base)
        if not self._subscribe(source):
            aggregator.stop()
            return False
        self._msgbus.subscribe(topic, handler)
        self._internal_bars[key] = _InternalBars(aggregator, topic, handler, source)
        return True

    def _make_aggregator(self, bar_type: BarType, instrument: Instrument) -> BarAggregator:
        cls = _COUNT_AGGREGATORS.get(bar_type.spec.aggregation)
        if cls is not None:
            return cls(bar_type, instrument, self._handle_bar)
        cfg = self.config
        return TimeBarAggregator(
            bar_type,
            instrument,
            self._handle_bar,
            self.clock,
            build_with_no_updates=cfg.time_bars_build_with_no_updates,
            timestamp_on_close=cfg.time_bars_timestamp_on_close,
            skip_first_non_full_bar=cfg.time_bars_skip_first_non_full_bar,
            build_delay_ns=cfg.time_bars_build_delay_ns,
        )

    def _stop_internal_bars(self, internal: _InternalBars, command: UnsubscribeCommand) -> None:
        internal.aggregator.stop()
        self._msgbus.unsubscribe(internal.topic, internal.handler)
        source = internal.source
        base = _derived_fields(command, source.subscriber)
        instrument_id = internal.aggregator.bar_type.instrument_id
        if isinstance(source, SubscribeTradeTicks):
            self._unsubscribe(UnsubscribeTradeTicks(instrument_id=instrument_id, **base))
        else:
            self._unsubscribe(UnsubscribeQuoteTicks(instrument_id=instrument_id, **base))

    def _start_snapshots(self, key: StreamKey, command: SubscribeBookSnapshots) -> bool:
        instrument_id = command.instrument_id
        deltas = SubscribeBookDeltas(
            instrument_id=instrument_id,
            book_type=command.book_type,
            depth=command.depth,
            managed=True,
            **_derived_fields(command, self._internal_subscriber(key)),
        )
        if not self._subscribe(deltas):
            return False
        interval_ns = command.interval_ms * NANOS_PER_MILLI
        now = self.clock.timestamp_ns()
        name = f"{self.component_id}.book_snapshots.{instrument_id}.{command.interval_ms}"
        self.clock.set_timer(
            name,
            interval_ns,
            start_time_ns=now - now % interval_ns,
            callback=self._on_snapshot_timer,
        )
        self._snapshot_timers[name] = (instrument_id, command.interval_ms)
        return True

    def _stop_snapshots(self, key: StreamKey, command: UnsubscribeCommand) -> None:
        instrument_id = InstrumentId(key.target)
        name = f"{self.component_id}.book_snapshots.{instrument_id}.{key.interval_ms}"
        self.clock.cancel_timer(name)
        self._snapshot_timers.pop(name, None)
        base = _derived_fields(command, self._internal_subscriber(key))
        self._unsubscribe(UnsubscribeBookDeltas(instrument_id=instrument_id, **base))

    def _on_snapshot_timer(self, event: TimeEvent) -> None:
        target = self._snapshot_timers.get(event.name)
        if target is None:
            return
        instrument_id, interval_ms = target
        book = self._cache.order_book(instrument_id)
        if book is None or not book.update_count:
            return  # nothing received yet
        self._publish(topics.book_snapshots(instrument_id, interval_ms), book)

    # -- requests and responses ------------------------------------------------------------

    @property
    def pending_request_ids(self) -> list[UUID4]:
        """The ids of the requests forwarded and not answered yet, oldest first."""
        return list(self._pending_requests)

    def request(self, request: RequestCommand) -> None:
        """Forward a historical data request to its client."""
        self.request_count += 1
        if self.config.debug:
            self.log.debug(f"<--[REQ] {request}")
        client = self._route(request)
        if client is None:
            return
        self._pending_requests[request.request_id] = request
        try:
            client.request(request)
        except Exception as exc:
            del self._pending_requests[request.request_id]
            self.log.exception(f"Data client {client.client_id} failed on {request}", exc)

    def response(self, response: DataResponse) -> None:
        """Cache what a response carries and deliver it to the requester."""
        self.response_count += 1
        if self.config.debug:
            self.log.debug(f"<--[RES] {response.data_type} x{len(response.data)}")
        if self._pending_requests.pop(response.correlation_id, None) is None:
            self.log.warning(
                f"Response {response.correlation_id} answers no request forwarded by this engine"
            )
        cache = self._cache
        adders: dict[type, Handler] = {
            QuoteTick: cache.add_quote_tick,
            TradeTick: cache.add_trade_tick,
            Bar: cache.add_bar,
        }
        for item in response.data:
            add = adders.get(type(item))
            if add is not None:
                add(item)
            elif isinstance(item, Instrument):
                cache.add_instrument(item)
        self._msgbus.response(response.correlation_id, response)

    # -- lifecycle -------------------------------------------------------------------------

    def _on_reset(self) -> None:
        self._teardown()
        self.command_count = self.request_count = self.response_count = 0
        self.routing_error_count = 0

    def _on_dispose(self) -> None:
        self._teardown()
        for endpoint in (
            topics.DATA_ENGINE_EXECUTE,
            topics.DATA_ENGINE_PROCESS,
            topics.DATA_ENGINE_REQUEST,
            topics.DATA_ENGINE_RESPONSE,
        ):
            if self._msgbus.is_registered(endpoint):
                self._msgbus.deregister(endpoint)

    def _teardown(self) -> None:
        for internal in self._internal_bars.values():
            internal.aggregator.stop()
            self._msgbus.unsubscribe(internal.topic, internal.handler)
        self._internal_bars.clear()
        for name in self._snapshot_timers:
            self.clock.cancel_timer(name)
        self._snapshot_timers.clear()
        self._subscriptions.clear()
        self._stream_clients.clear()
        self._pending_requests.clear()
        self._reset_processing()


def _venue_of(command: DataCommand) -> Venue | None:
    if command.venue is not None:
        return command.venue
    instrument_id: InstrumentId | None = getattr(command, "instrument_id", None)
    if instrument_id is not None:
        return instrument_id.venue
    bar_type: str | None = getattr(command, "bar_type", None)
    if bar_type is not None:
        return BarType.from_str(bar_type).instrument_id.venue
    return None


def _derived_fields(command: DataCommand, subscriber: ComponentId | None) -> dict[str, Any]:
    """Fields for a command the engine issues on behalf of `command`."""
    return {
        "command_id": command.command_id,
        "ts_init": command.ts_init,
        "client_id": command.client_id,
        "venue": command.venue,
        "params": command.params,
        "subscriber": subscriber,
    }
