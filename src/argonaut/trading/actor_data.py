"""The market data side of an `Actor`: subscriptions.

A ``subscribe_*`` call sends the data command to ``DataEngine.execute`` (with
``subscriber`` set to the actor's id) and subscribes one bound handler method of the
actor (see `actor_callbacks`) to the data's bus topic; ``unsubscribe_*`` undoes both.
Requests live in `actor_requests`; both bases are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argonaut.common import topics
from argonaut.model.commands import data as cmd
from argonaut.model.data import BarType
from argonaut.model.enums import BookType
from argonaut.model.identifiers import ClientId, InstrumentId, Venue
from argonaut.trading.actor_callbacks import ActorCallbacks, Signal
from argonaut.trading.actor_requests import ActorRequests, ResponseCallback

_InstrumentSub = tuple[
    Callable[[InstrumentId], str], str, type[cmd.SubscribeCommand], type[cmd.UnsubscribeCommand]
]

# Data keyed by instrument id alone: (topic, handler method name, subscribe, unsubscribe).
_INSTRUMENT_SUBS: dict[str, _InstrumentSub] = {
    "quote_ticks": (
        topics.quotes,
        "_handle_quote_tick",
        cmd.SubscribeQuoteTicks,
        cmd.UnsubscribeQuoteTicks,
    ),
    "trade_ticks": (
        topics.trades,
        "_handle_trade_tick",
        cmd.SubscribeTradeTicks,
        cmd.UnsubscribeTradeTicks,
    ),
    "mark_prices": (
        topics.mark_prices,
        "_handle_mark_price",
        cmd.SubscribeMarkPrices,
        cmd.UnsubscribeMarkPrices,
    ),
    "index_prices": (
        topics.index_prices,
        "_handle_index_price",
        cmd.SubscribeIndexPrices,
        cmd.UnsubscribeIndexPrices,
    ),
    "funding_rates": (
        topics.funding_rates,
        "_handle_funding_rate",
        cmd.SubscribeFundingRates,
        cmd.UnsubscribeFundingRates,
    ),
    "instrument": (
        topics.instrument,
        "_handle_instrument",
        cmd.SubscribeInstrument,
        cmd.UnsubscribeInstrument,
    ),
    "instrument_status": (
        topics.instrument_status,
        "_handle_instrument_status",
        cmd.SubscribeInstrumentStatus,
        cmd.UnsubscribeInstrumentStatus,
    ),
    "instrument_close": (
        topics.instrument_close,
        "_handle_instrument_close",
        cmd.SubscribeInstrumentClose,
        cmd.UnsubscribeInstrumentClose,
    ),
}


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


class ActorData(ActorRequests):
    """Mixin of `Actor`: data subscriptions, requests and their callbacks."""

    _data_subs: dict[str, _Sub]

    # -- plumbing ------------------------------------------------------------------------

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

    def _subscribe_instrument_data(
        self,
        kind: str,
        instrument_id: InstrumentId,
        client_id: ClientId | None,
        params: dict[str, str] | None,
    ) -> None:
        topic_of, name, sub, unsub = _INSTRUMENT_SUBS[kind]
        fields = {"instrument_id": instrument_id}
        handler = getattr(self, name)
        self._subscribe(topic_of(instrument_id), handler, sub, unsub, fields, client_id, params)

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
        self._subscribe_instrument_data("quote_ticks", instrument_id, client_id, params)

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
        self._subscribe_instrument_data("trade_ticks", instrument_id, client_id, params)

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

    def subscribe_mark_prices(
        self,
        instrument_id: InstrumentId,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Subscribe to mark prices; they arrive in `on_mark_price`."""
        self._subscribe_instrument_data("mark_prices", instrument_id, client_id, params)

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
        self._subscribe_instrument_data("index_prices", instrument_id, client_id, params)

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
        self._subscribe_instrument_data("funding_rates", instrument_id, client_id, params)

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
        self._subscribe_instrument_data("instrument", instrument_id, client_id, params)

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
        self._subscribe_instrument_data("instrument_status", instrument_id, client_id, params)

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
        self._subscribe_instrument_data("instrument_close", instrument_id, client_id, params)

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


__all__ = [
    "ActorCallbacks",
    "ActorData",
    "ActorRequests",
    "ResponseCallback",
    "Signal",
    "data_type_name",
    "signal_topic",
]
