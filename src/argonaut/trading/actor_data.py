"""The market data side of an `Actor`: subscriptions, requests and data callbacks.

A ``subscribe_*`` call sends the data command to ``DataEngine.execute`` (with
``subscriber`` set to the actor's id) and subscribes one bound handler method of the
actor to the data's bus topic; ``unsubscribe_*`` undoes both. The handler methods
(``_handle_quote_tick``, ...) are subscribed once and call the user callback
(``on_quote_tick``, ...) only while the actor is RUNNING, inside the actor's handler
guard: no closure or other allocation per message.

A ``request_*`` call sends the request to ``DataEngine.request``; the response's items
go to `on_historical_data` (instruments to `on_instrument`), then the optional
callback receives the whole `DataResponse`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.commands import data as cmd
from argonaut.model.data import BarType
from argonaut.model.enums import BookType, ComponentState
from argonaut.model.identifiers import ClientId, ComponentId, InstrumentId, Venue
from argonaut.model.instruments import Instrument

_RUNNING = ComponentState.RUNNING

ResponseCallback = Callable[[cmd.DataResponse], None]


class Signal(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A named value an actor publishes for others (`Actor.publish_signal`)."""

    name: str
    value: int | float | str | bool
    ts_event: int
    ts_init: int


def signal_topic(name: str) -> str:
    """Return the topic of the signal `name` (``data.signal.{name}``)."""
    return topics.custom_data(f"signal.{name}")


def data_type_name(data_type: type | str) -> str:
    """Return the name custom data of `data_type` is published under."""
    return data_type if isinstance(data_type, str) else data_type.__name__


class _Sub:
    """One data subscription: its handler and how to undo it at the data engine."""

    __slots__ = ("fields", "handler", "unsubscribe")

    def __init__(
        self,
        handler: Callable[[Any], None],
        unsubscribe: type[cmd.UnsubscribeCommand] | None,
        fields: dict[str, Any],
    ) -> None:
        self.handler = handler
        self.unsubscribe = unsubscribe
        self.fields = fields


class ActorData:
    """Mixin of `Actor`: data subscriptions, requests and their callbacks."""

    component_id: ComponentId
    clock: Clock
    _msgbus: MessageBus
    _uuids: UUIDFactory
    _state: ComponentState
    _data_subs: dict[str, _Sub]
    _request_callbacks: dict[UUID4, ResponseCallback | None]

    def _handler_failed(self, handler: object, msg: object, exc: Exception) -> None:
        raise NotImplementedError  # the Actor's single handler guard

    def _guard(self, handler: Callable[[Any], None], msg: object) -> None:
        try:
            handler(msg)
        except Exception as exc:
            self._handler_failed(handler, msg, exc)

    # -- plumbing ------------------------------------------------------------------------

    def _command_fields(
        self, client_id: ClientId | None, params: dict[str, str] | None
    ) -> dict[str, Any]:
        return {
            "command_id": self._uuids.generate(),
            "ts_init": self.clock.timestamp_ns(),
            "client_id": client_id,
            "params": params,
            "subscriber": self.component_id,
        }

    def _subscribe(
        self,
        topic: str,
        handler: Callable[[Any], None],
        command: type[cmd.SubscribeCommand] | None,
        unsubscribe: type[cmd.UnsubscribeCommand] | None,
        fields: dict[str, Any],
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        if command is not None:
            message = command(**fields, **self._command_fields(client_id, params))
            self._msgbus.send(topics.DATA_ENGINE_EXECUTE, message)
        self._msgbus.subscribe(topic, handler)
        keep = {k: v for k, v in fields.items() if k in ("instrument_id", "bar_type", "venue")}
        if unsubscribe is cmd.UnsubscribeBookSnapshots:
            keep["interval_ms"] = fields["interval_ms"]
        keep["client_id"] = client_id
        self._data_subs[topic] = _Sub(handler, unsubscribe, keep)

    def _unsubscribe(self, topic: str, params: dict[str, str] | None = None) -> None:
        sub = self._data_subs.pop(topic, None)
        if sub is None:
            return
        self._msgbus.unsubscribe(topic, sub.handler)
        if sub.unsubscribe is not None:
            fields = dict(sub.fields)
            client_id = fields.pop("client_id")
            message = sub.unsubscribe(**fields, **self._command_fields(client_id, params))
            self._msgbus.send(topics.DATA_ENGINE_EXECUTE, message)

    def _unsubscribe_all(self) -> None:
        for topic in list(self._data_subs):
            self._unsubscribe(topic)

    @property
    def subscribed_topics(self) -> list[str]:
        """The bus topics this actor's data subscriptions listen on, sorted."""
        return sorted(self._data_subs)

    # -- subscriptions ---------------------------------------------------------------------

    def subscribe_quote_ticks(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to quotes of an instrument; they arrive in `on_quote_tick`."""
        self._subscribe(
            topics.quotes(instrument_id),
            self._handle_quote_tick,
            cmd.SubscribeQuoteTicks,
            cmd.UnsubscribeQuoteTicks,
            {"instrument_id": instrument_id},
            client_id,
            params,
        )

    def unsubscribe_quote_ticks(self, instrument_id: InstrumentId) -> None:
        """Stop receiving quotes of an instrument."""
        self._unsubscribe(topics.quotes(instrument_id))

    def subscribe_trade_ticks(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to trades of an instrument; they arrive in `on_trade_tick`."""
        self._subscribe(
            topics.trades(instrument_id),
            self._handle_trade_tick,
            cmd.SubscribeTradeTicks,
            cmd.UnsubscribeTradeTicks,
            {"instrument_id": instrument_id},
            client_id,
            params,
        )

    def unsubscribe_trade_ticks(self, instrument_id: InstrumentId) -> None:
        """Stop receiving trades of an instrument."""
        self._unsubscribe(topics.trades(instrument_id))

    def subscribe_bars(
        self,
        bar_type: BarType,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to bars of a bar type; they arrive in `on_bar`."""
        self._subscribe(
            topics.bars(bar_type),
            self._handle_bar,
            cmd.SubscribeBars,
            cmd.UnsubscribeBars,
            {"bar_type": str(bar_type)},
            client_id,
            params,
        )

    def unsubscribe_bars(self, bar_type: BarType) -> None:
        """Stop receiving bars of a bar type."""
        self._unsubscribe(topics.bars(bar_type))

    def subscribe_order_book_deltas(
        self,
        instrument_id: InstrumentId,
        book_type: BookType = BookType.L2_MBP,
        depth: int = 0,
        *,
        managed: bool = True,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to book deltas; they arrive in `on_order_book_deltas`."""
        self._subscribe(
            topics.book_deltas(instrument_id),
            self._handle_order_book_deltas,
            cmd.SubscribeBookDeltas,
            cmd.UnsubscribeBookDeltas,
            {
                "instrument_id": instrument_id,
                "book_type": book_type,
                "depth": depth,
                "managed": managed,
            },
            client_id,
            params,
        )

    def unsubscribe_order_book_deltas(self, instrument_id: InstrumentId) -> None:
        """Stop receiving book deltas of an instrument."""
        self._unsubscribe(topics.book_deltas(instrument_id))

    def subscribe_order_book_snapshots(
        self,
        instrument_id: InstrumentId,
        book_type: BookType = BookType.L2_MBP,
        depth: int = 0,
        interval_ms: int = 1000,
        *,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to book snapshots every `interval_ms`; they arrive in `on_order_book`."""
        self._subscribe(
            topics.book_snapshots(instrument_id, interval_ms),
            self._handle_order_book,
            cmd.SubscribeBookSnapshots,
            cmd.UnsubscribeBookSnapshots,
            {
                "instrument_id": instrument_id,
                "book_type": book_type,
                "depth": depth,
                "interval_ms": interval_ms,
            },
            client_id,
            params,
        )

    def unsubscribe_order_book_snapshots(
        self, instrument_id: InstrumentId, interval_ms: int = 1000
    ) -> None:
        """Stop receiving book snapshots of an instrument."""
        self._unsubscribe(topics.book_snapshots(instrument_id, interval_ms))

    def _subscribe_instrument_data(
        self,
        topic: str,
        handler: Callable[[Any], None],
        command: type[cmd.SubscribeCommand],
        unsubscribe: type[cmd.UnsubscribeCommand],
        instrument_id: InstrumentId,
        client_id: ClientId | None,
        params: dict[str, str] | None,
    ) -> None:
        fields = {"instrument_id": instrument_id}
        self._subscribe(topic, handler, command, unsubscribe, fields, client_id, params)

    def subscribe_mark_prices(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to mark prices; they arrive in `on_mark_price`."""
        self._subscribe_instrument_data(
            topics.mark_prices(instrument_id),
            self._handle_mark_price,
            cmd.SubscribeMarkPrices,
            cmd.UnsubscribeMarkPrices,
            instrument_id,
            client_id,
            params,
        )

    def unsubscribe_mark_prices(self, instrument_id: InstrumentId) -> None:
        """Stop receiving mark prices of an instrument."""
        self._unsubscribe(topics.mark_prices(instrument_id))

    def subscribe_index_prices(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to index prices; they arrive in `on_index_price`."""
        self._subscribe_instrument_data(
            topics.index_prices(instrument_id),
            self._handle_index_price,
            cmd.SubscribeIndexPrices,
            cmd.UnsubscribeIndexPrices,
            instrument_id,
            client_id,
            params,
        )

    def unsubscribe_index_prices(self, instrument_id: InstrumentId) -> None:
        """Stop receiving index prices of an instrument."""
        self._unsubscribe(topics.index_prices(instrument_id))

    def subscribe_funding_rates(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to funding rates; they arrive in `on_funding_rate`."""
        self._subscribe_instrument_data(
            topics.funding_rates(instrument_id),
            self._handle_funding_rate,
            cmd.SubscribeFundingRates,
            cmd.UnsubscribeFundingRates,
            instrument_id,
            client_id,
            params,
        )

    def unsubscribe_funding_rates(self, instrument_id: InstrumentId) -> None:
        """Stop receiving funding rates of an instrument."""
        self._unsubscribe(topics.funding_rates(instrument_id))

    def subscribe_instrument(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to an instrument's definition updates; they arrive in `on_instrument`."""
        self._subscribe_instrument_data(
            topics.instrument(instrument_id),
            self._handle_instrument,
            cmd.SubscribeInstrument,
            cmd.UnsubscribeInstrument,
            instrument_id,
            client_id,
            params,
        )

    def unsubscribe_instrument(self, instrument_id: InstrumentId) -> None:
        """Stop receiving an instrument's definition updates."""
        self._unsubscribe(topics.instrument(instrument_id))

    def subscribe_instruments(
        self,
        venue: Venue,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to every instrument of a venue; they arrive in `on_instrument`."""
        self._subscribe(
            topics.instruments(venue),
            self._handle_instrument,
            cmd.SubscribeInstruments,
            cmd.UnsubscribeInstruments,
            {"venue": venue},
            client_id,
            params,
        )

    def unsubscribe_instruments(self, venue: Venue) -> None:
        """Stop receiving the instruments of a venue."""
        self._unsubscribe(topics.instruments(venue))

    def subscribe_instrument_status(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to market status changes; they arrive in `on_instrument_status`."""
        self._subscribe_instrument_data(
            topics.instrument_status(instrument_id),
            self._handle_instrument_status,
            cmd.SubscribeInstrumentStatus,
            cmd.UnsubscribeInstrumentStatus,
            instrument_id,
            client_id,
            params,
        )

    def unsubscribe_instrument_status(self, instrument_id: InstrumentId) -> None:
        """Stop receiving market status changes of an instrument."""
        self._unsubscribe(topics.instrument_status(instrument_id))

    def subscribe_instrument_close(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to close prices; they arrive in `on_instrument_close`."""
        self._subscribe_instrument_data(
            topics.instrument_close(instrument_id),
            self._handle_instrument_close,
            cmd.SubscribeInstrumentClose,
            cmd.UnsubscribeInstrumentClose,
            instrument_id,
            client_id,
            params,
        )

    def unsubscribe_instrument_close(self, instrument_id: InstrumentId) -> None:
        """Stop receiving close prices of an instrument."""
        self._unsubscribe(topics.instrument_close(instrument_id))

    def subscribe_data(self, data_type: type | str) -> None:
        """Subscribe to custom data published on the bus (`publish_data`); it arrives in
        `on_data`. Custom data needs no data engine command: publishers put it on the bus."""
        self._subscribe(
            topics.custom_data(data_type_name(data_type)), self._handle_data, None, None, {}
        )

    def unsubscribe_data(self, data_type: type | str) -> None:
        """Stop receiving custom data of a type."""
        self._unsubscribe(topics.custom_data(data_type_name(data_type)))

    def subscribe_signal(self, name: str = "") -> None:
        """Subscribe to the signal `name` (every signal when empty); see `on_signal`."""
        self._subscribe(signal_topic(name or "*"), self._handle_signal, None, None, {})

    def unsubscribe_signal(self, name: str = "") -> None:
        """Stop receiving the signal `name` (or every signal when empty)."""
        self._unsubscribe(signal_topic(name or "*"))

    # -- requests ----------------------------------------------------------------------------

    def _request(
        self,
        request: type[cmd.RequestCommand],
        fields: dict[str, Any],
        callback: ResponseCallback | None,
        client_id: ClientId | None,
        params: dict[str, str] | None,
    ) -> UUID4:
        request_id = self._uuids.generate()
        message = request(
            request_id=request_id, **fields, **self._command_fields(client_id, params)
        )
        self._request_callbacks[request_id] = callback
        self._msgbus.request(
            topics.DATA_ENGINE_REQUEST, message, request_id, self._handle_data_response
        )
        if not self._msgbus.is_pending_request(request_id):
            self._request_callbacks.pop(request_id, None)  # undeliverable (logged by the bus)
        return request_id

    def request_instrument(
        self,
        instrument_id: InstrumentId,
        callback: ResponseCallback | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> UUID4:
        """Request an instrument definition; return the request id."""
        fields = {"instrument_id": instrument_id}
        return self._request(cmd.RequestInstrument, fields, callback, client_id, params)

    def request_quote_ticks(
        self,
        instrument_id: InstrumentId,
        start_ns: int | None = None,
        end_ns: int | None = None,
        limit: int = 0,
        callback: ResponseCallback | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> UUID4:
        """Request historical quotes; they arrive in `on_historical_data`."""
        fields = {
            "instrument_id": instrument_id,
            "start_ns": start_ns,
            "end_ns": end_ns,
            "limit": limit,
        }
        return self._request(cmd.RequestQuoteTicks, fields, callback, client_id, params)

    def request_trade_ticks(
        self,
        instrument_id: InstrumentId,
        start_ns: int | None = None,
        end_ns: int | None = None,
        limit: int = 0,
        callback: ResponseCallback | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> UUID4:
        """Request historical trades; they arrive in `on_historical_data`."""
        fields = {
            "instrument_id": instrument_id,
            "start_ns": start_ns,
            "end_ns": end_ns,
            "limit": limit,
        }
        return self._request(cmd.RequestTradeTicks, fields, callback, client_id, params)

    def request_bars(
        self,
        bar_type: BarType,
        start_ns: int | None = None,
        end_ns: int | None = None,
        limit: int = 0,
        callback: ResponseCallback | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> UUID4:
        """Request historical bars; they arrive in `on_historical_data`."""
        fields = {"bar_type": str(bar_type), "start_ns": start_ns, "end_ns": end_ns, "limit": limit}
        return self._request(cmd.RequestBars, fields, callback, client_id, params)

    def _handle_data_response(self, response: cmd.DataResponse) -> None:
        callback = self._request_callbacks.pop(response.correlation_id, None)
        for item in response.data:
            if isinstance(item, Instrument):
                self._guard(self.on_instrument, item)
            else:
                self._guard(self.on_historical_data, item)
        if callback is not None:
            self._guard(callback, response)

    # -- bus handlers (subscribed once; no allocation per message) -----------------------------

    def _handle_quote_tick(self, tick: Any) -> None:
        if self._state is _RUNNING:
            try:
                self.on_quote_tick(tick)
            except Exception as exc:
                self._handler_failed(self.on_quote_tick, tick, exc)

    def _handle_trade_tick(self, tick: Any) -> None:
        if self._state is _RUNNING:
            try:
                self.on_trade_tick(tick)
            except Exception as exc:
                self._handler_failed(self.on_trade_tick, tick, exc)

    def _handle_bar(self, bar: Any) -> None:
        if self._state is _RUNNING:
            try:
                self.on_bar(bar)
            except Exception as exc:
                self._handler_failed(self.on_bar, bar, exc)

    def _handle_order_book_deltas(self, deltas: Any) -> None:
        if self._state is _RUNNING:
            try:
                self.on_order_book_deltas(deltas)
            except Exception as exc:
                self._handler_failed(self.on_order_book_deltas, deltas, exc)

    def _handle_order_book(self, book: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_order_book, book)

    def _handle_mark_price(self, update: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_mark_price, update)

    def _handle_index_price(self, update: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_index_price, update)

    def _handle_funding_rate(self, update: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_funding_rate, update)

    def _handle_instrument(self, instrument: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_instrument, instrument)

    def _handle_instrument_status(self, status: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_instrument_status, status)

    def _handle_instrument_close(self, close: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_instrument_close, close)

    def _handle_data(self, data: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_data, data)

    def _handle_signal(self, signal: Any) -> None:
        if self._state is _RUNNING:
            self._guard(self.on_signal, signal)

    # -- user callbacks (override) -----------------------------------------------------------

    def on_quote_tick(self, tick: Any) -> None:
        """Handle a quote of a subscribed instrument."""

    def on_trade_tick(self, tick: Any) -> None:
        """Handle a trade of a subscribed instrument."""

    def on_bar(self, bar: Any) -> None:
        """Handle a bar of a subscribed bar type."""

    def on_order_book_deltas(self, deltas: Any) -> None:
        """Handle book deltas (an `OrderBookDelta` or `OrderBookDeltas`)."""

    def on_order_book(self, book: Any) -> None:
        """Handle a book snapshot (the cache's live `OrderBook`: do not change it)."""

    def on_mark_price(self, update: Any) -> None:
        """Handle a mark price update."""

    def on_index_price(self, update: Any) -> None:
        """Handle an index price update."""

    def on_funding_rate(self, update: Any) -> None:
        """Handle a funding rate update."""

    def on_instrument(self, instrument: Any) -> None:
        """Handle an instrument definition (update or requested)."""

    def on_instrument_status(self, status: Any) -> None:
        """Handle a market status change."""

    def on_instrument_close(self, close: Any) -> None:
        """Handle an instrument close price."""

    def on_data(self, data: Any) -> None:
        """Handle custom data of a subscribed type."""

    def on_signal(self, signal: Signal) -> None:
        """Handle a subscribed signal."""

    def on_historical_data(self, data: Any) -> None:
        """Handle one item of a historical data response."""


__all__ = ["ActorData", "ResponseCallback", "Signal", "data_type_name", "signal_topic"]
