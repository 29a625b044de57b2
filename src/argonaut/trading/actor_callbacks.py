"""The callback side of an `Actor`: bus handlers and the user data callbacks.

The handler methods (``_handle_quote_tick``, ...) are subscribed once as bound methods
and call the user callback (``on_quote_tick``, ...) only while the actor is RUNNING,
inside the actor's handler guard: no closure or other allocation per message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from argonaut.model.enums import ComponentState

_RUNNING = ComponentState.RUNNING


class Signal(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A named value an actor publishes for others (`Actor.publish_signal`)."""

    name: str
    value: int | float | str | bool
    ts_event: int
    ts_init: int


class ActorCallbacks:
    """Base of `ActorData`: the bus handlers and the user callbacks they call."""

    _state: ComponentState

    def _handler_failed(self, handler: object, msg: object, exc: Exception) -> None:
        raise NotImplementedError  # the Actor's single handler guard

    def _guard(self, handler: Callable[[Any], None], msg: object) -> None:
        try:
            handler(msg)
        except Exception as exc:
            self._handler_failed(handler, msg, exc)

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


__all__ = ["ActorCallbacks", "Signal"]
