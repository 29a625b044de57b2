"""The request side of an `Actor`: data requests and their responses.

A ``request_*`` call sends the request to ``DataEngine.request``; the response's items
go to `on_historical_data` (instruments to `on_instrument`), then the optional
callback receives the whole `DataResponse`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.commands import data as cmd
from argonaut.model.data import BarType
from argonaut.model.identifiers import ClientId, ComponentId, InstrumentId
from argonaut.model.instruments import Instrument
from argonaut.trading.actor_callbacks import ActorCallbacks

ResponseCallback = Callable[[cmd.DataResponse], None]


class ActorRequests(ActorCallbacks):
    """Base of `ActorData`: data requests and the routing of their responses."""

    component_id: ComponentId
    clock: Clock
    _msgbus: MessageBus
    _uuids: UUIDFactory
    _request_callbacks: dict[UUID4, ResponseCallback | None]

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
        fields = _range("instrument_id", instrument_id, start_ns, end_ns, limit)
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
        fields = _range("instrument_id", instrument_id, start_ns, end_ns, limit)
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
        fields = _range("bar_type", str(bar_type), start_ns, end_ns, limit)
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


def _range(
    key: str, subject: object, start_ns: int | None, end_ns: int | None, limit: int
) -> dict[str, Any]:
    return {key: subject, "start_ns": start_ns, "end_ns": end_ns, "limit": limit}


__all__ = ["ActorRequests", "ResponseCallback"]
