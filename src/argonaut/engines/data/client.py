"""`DataClient`: the synchronous side of a market-data client, as the data engine sees it.

The engine calls `subscribe`, `unsubscribe` and `request`; each keeps the client's
record of its streams and runs the matching `_on_*` hook, which a venue client
overrides to talk to its venue. A client hands what it receives back with
`_handle_data` and `_handle_response`, which send it to the data engine's bus
endpoints; the live layer overrides them to go through its channels instead.
Nothing here does I/O or knows asyncio.
"""

from __future__ import annotations

from typing import Any

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.engines.data.subscriptions import StreamKey, stream_key
from argonaut.model.commands.data import (
    DataResponse,
    RequestCommand,
    SubscribeCommand,
    UnsubscribeCommand,
)
from argonaut.model.identifiers import ClientId, Venue


class DataClient:
    """Base of every data client; `venue` is None for a client serving several venues.

    `is_connected` is set by whoever connects the client (the live layer).
    """

    def __init__(
        self, client_id: ClientId | str, msgbus: MessageBus, *, venue: Venue | str | None = None
    ) -> None:
        self.client_id = ClientId(client_id)
        self.venue = Venue(venue) if venue is not None else None
        self.is_connected = False
        self._msgbus = msgbus
        self._streams: dict[StreamKey, SubscribeCommand] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.client_id})"

    @property
    def subscriptions(self) -> list[SubscribeCommand]:
        """The subscribe commands of the streams this client serves, in arrival order."""
        return list(self._streams.values())

    def subscribe(self, command: SubscribeCommand) -> None:
        """Start serving a stream (the engine sends each stream once)."""
        self._streams[stream_key(command)] = command
        self._on_subscribe(command)

    def unsubscribe(self, command: UnsubscribeCommand) -> None:
        """Stop serving a stream (the engine sends this after its last subscriber left)."""
        self._streams.pop(stream_key(command), None)
        self._on_unsubscribe(command)

    def request(self, request: RequestCommand) -> None:
        """Fetch historical data; answer later with a `DataResponse` via `_handle_response`."""
        self._on_request(request)

    # -- hooks for venue clients ---------------------------------------------------------

    def _on_subscribe(self, command: SubscribeCommand) -> None:
        """Ask the venue for the stream (override)."""

    def _on_unsubscribe(self, command: UnsubscribeCommand) -> None:
        """Tell the venue to stop the stream (override)."""

    def _on_request(self, request: RequestCommand) -> None:
        """Ask the venue for historical data (override)."""

    # -- towards the engine ------------------------------------------------------------------

    def _handle_data(self, data: Any) -> None:
        """Hand one market data item to the data engine."""
        self._msgbus.send(topics.DATA_ENGINE_PROCESS, data)

    def _handle_response(self, response: DataResponse) -> None:
        """Hand the answer to a request to the data engine."""
        self._msgbus.send(topics.DATA_ENGINE_RESPONSE, response)
