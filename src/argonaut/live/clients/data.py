"""`LiveDataClient`: the base of every live market-data client.

The data engine calls the synchronous `subscribe` / `unsubscribe` / `request` of
`DataClient`; here each one schedules the async venue work as a tracked task and
returns at once. The default async hooks dispatch by command type to a venue
method (`SubscribeQuoteTicks` -> `_subscribe_quote_ticks(command)`, see
`SUBSCRIBE_HOOKS`), so a venue client implements only the streams it serves; an
unsupported command is logged, not raised.

A venue client hands each parsed message to `_handle_data(data)`: one sink call, no
logging, no awaiting (the node wires the sink to its data events channel). A venue SDK
running its own thread uses `_handle_data_threadsafe(data)` instead. After
`reconnect()`, every active subscription is issued again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.engines.data.client import DataClient
from argonaut.live.clients.base import LiveClientBase, Sink
from argonaut.live.timesource import TimeSource
from argonaut.model.commands import data as cmds
from argonaut.model.identifiers import ClientId, Venue

__all__ = ["REQUEST_HOOKS", "SUBSCRIBE_HOOKS", "UNSUBSCRIBE_HOOKS", "LiveDataClient"]

_STREAMS: tuple[tuple[type[cmds.SubscribeCommand], type[cmds.UnsubscribeCommand], str], ...] = (
    (cmds.SubscribeInstruments, cmds.UnsubscribeInstruments, "instruments"),
    (cmds.SubscribeInstrument, cmds.UnsubscribeInstrument, "instrument"),
    (cmds.SubscribeQuoteTicks, cmds.UnsubscribeQuoteTicks, "quote_ticks"),
    (cmds.SubscribeTradeTicks, cmds.UnsubscribeTradeTicks, "trade_ticks"),
    (cmds.SubscribeBars, cmds.UnsubscribeBars, "bars"),
    (cmds.SubscribeBookDeltas, cmds.UnsubscribeBookDeltas, "order_book_deltas"),
    (cmds.SubscribeBookDepth10, cmds.UnsubscribeBookDepth10, "order_book_depth"),
    (cmds.SubscribeBookSnapshots, cmds.UnsubscribeBookSnapshots, "order_book_snapshots"),
    (cmds.SubscribeMarkPrices, cmds.UnsubscribeMarkPrices, "mark_prices"),
    (cmds.SubscribeIndexPrices, cmds.UnsubscribeIndexPrices, "index_prices"),
    (cmds.SubscribeFundingRates, cmds.UnsubscribeFundingRates, "funding_rates"),
    (cmds.SubscribeInstrumentStatus, cmds.UnsubscribeInstrumentStatus, "instrument_status"),
    (cmds.SubscribeInstrumentClose, cmds.UnsubscribeInstrumentClose, "instrument_close"),
)

SUBSCRIBE_HOOKS: dict[type[Any], str] = {sub: f"_subscribe_{name}" for sub, _, name in _STREAMS}
"""Subscribe command type -> the async venue method the default `_subscribe` calls."""

UNSUBSCRIBE_HOOKS: dict[type[Any], str] = {
    unsub: f"_unsubscribe_{name}" for _, unsub, name in _STREAMS
}
"""Unsubscribe command type -> the async venue method the default `_unsubscribe` calls."""

REQUEST_HOOKS: dict[type[Any], str] = {
    cmds.RequestInstrument: "_request_instrument",
    cmds.RequestInstruments: "_request_instruments",
    cmds.RequestQuoteTicks: "_request_quote_ticks",
    cmds.RequestTradeTicks: "_request_trade_ticks",
    cmds.RequestBars: "_request_bars",
    cmds.RequestBookSnapshot: "_request_order_book_snapshot",
}
"""Request command type -> the async venue method the default `_request` calls."""


class LiveDataClient(DataClient, LiveClientBase):
    """A data client on the node's event loop.

    `sink` receives market data (default: the data engine's `DataEngine.process`
    endpoint); `response_sink` receives `DataResponse`s (default:
    `DataEngine.response`). The node rewires both to its channels with `set_sinks`.
    """

    def __init__(
        self,
        client_id: ClientId | str,
        *,
        msgbus: MessageBus,
        clock: Clock,
        venue: Venue | str | None = None,
        logger: Logger | None = None,
        sink: Sink | None = None,
        response_sink: Sink | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        time_source: TimeSource | None = None,
        connect_timeout: float | None = None,
        disconnect_timeout: float | None = None,
    ) -> None:
        DataClient.__init__(self, client_id, msgbus, venue=venue)
        self._init_live(
            logger=logger,
            loop=loop,
            time_source=time_source,
            connect_timeout=connect_timeout,
            disconnect_timeout=disconnect_timeout,
        )
        self._clock = clock
        self._sink: Sink = sink or partial(msgbus.send, topics.DATA_ENGINE_PROCESS)
        self._response_sink: Sink = response_sink or partial(
            msgbus.send, topics.DATA_ENGINE_RESPONSE
        )

    def set_sinks(self, sink: Sink, response_sink: Sink | None = None) -> None:
        """Send data to `sink` and responses to `response_sink` (default: `sink`)."""
        self._sink = sink
        self._response_sink = response_sink if response_sink is not None else sink

    # -- towards the engine (hot path) ---------------------------------------------------

    def _handle_data(self, data: Any) -> None:
        """Hand one parsed market data item to the engines (one sink call)."""
        self._sink(data)

    def _handle_data_threadsafe(self, data: Any) -> None:
        """Hand one data item over from another thread (see `call_threadsafe`)."""
        self.call_threadsafe(self._sink, data)

    def _handle_response(self, response: cmds.DataResponse) -> None:
        """Hand the answer to a request to the engines."""
        self._response_sink(response)

    # -- engine entry points: schedule the venue work --------------------------------------

    def _on_subscribe(self, command: cmds.SubscribeCommand) -> None:
        self.create_task(self._subscribe(command), name=f"{self.client_id}.subscribe")

    def _on_unsubscribe(self, command: cmds.UnsubscribeCommand) -> None:
        self.create_task(self._unsubscribe(command), name=f"{self.client_id}.unsubscribe")

    def _on_request(self, request: cmds.RequestCommand) -> None:
        self.create_task(self._request(request), name=f"{self.client_id}.request")

    # -- async venue work (override these, or the per-type methods they dispatch to) -----

    async def _subscribe(self, command: cmds.SubscribeCommand) -> None:
        """Ask the venue for a stream: calls the `SUBSCRIBE_HOOKS` method for its type."""
        await self._dispatch(SUBSCRIBE_HOOKS, command)

    async def _unsubscribe(self, command: cmds.UnsubscribeCommand) -> None:
        """Stop a stream: calls the `UNSUBSCRIBE_HOOKS` method for its type."""
        await self._dispatch(UNSUBSCRIBE_HOOKS, command)

    async def _request(self, request: cmds.RequestCommand) -> None:
        """Fetch historical data: calls the `REQUEST_HOOKS` method for its type."""
        await self._dispatch(REQUEST_HOOKS, request)

    async def _dispatch(self, hooks: dict[type[Any], str], command: Any) -> None:
        name = hooks.get(type(command))
        method: Callable[[Any], Awaitable[None]] | None = (
            getattr(self, name, None) if name is not None else None
        )
        if method is None:
            self._log.warning(
                f"Cannot serve {type(command).__name__}: {type(self).__name__} does not "
                f"implement {name or 'a handler for it'}"
            )
            return
        await method(command)

    # -- reconnect -----------------------------------------------------------------------

    async def _on_reconnected(self) -> None:
        """Issue every active subscription again, in the order they were made."""
        for command in self.subscriptions:
            try:
                await self._subscribe(command)
            except Exception as exc:
                self._log.exception(f"Re-subscribe {type(command).__name__} failed: {exc!r}", exc)
