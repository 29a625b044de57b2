"""`SandboxLink`: the connection to the venue that both sandbox clients share.

A client attaches to its venue's `SandboxExchange` on connect (the provider creates
the venue for the first client) and releases it on disconnect (the venue stops with
its last client). When the venue drops the connection (fault injection) the client
disconnects, retries with doubling backoff (at most 8 times the first delay) until the
venue takes it again, then restores its venue-side state in `_on_reconnected`: the
data client re-subscribes, the execution client resyncs its orders.
"""

from __future__ import annotations

from collections.abc import Callable

from argonaut.adapters.sandbox.exchange import SandboxExchange
from argonaut.live.clients.base import LiveClientBase
from argonaut.live.clients.errors import TransientVenueError

__all__ = ["ExchangeProvider", "SandboxLink"]

ExchangeProvider = Callable[[], SandboxExchange]
"""Return the venue's running exchange (creating it for the first client)."""


class SandboxLink(LiveClientBase):
    """Mixin with the venue connection of a sandbox client; put it before the live
    client class in the bases and call `_init_link` from `__init__`."""

    def _init_link(self, exchange: ExchangeProvider, reconnect_delay_secs: float) -> None:
        """Set up the link state (call from the concrete client's `__init__`)."""
        self._provider = exchange
        self.exchange: SandboxExchange | None = None
        self._reconnect_delay = reconnect_delay_secs
        self._recovering = False
        self.connect_count = 0
        self.reconnect_count = 0

    async def disconnect(self, *, timeout: float | None = None) -> None:
        """Disconnect and release the exchange (the venue stops with its last client)."""
        await super().disconnect(timeout=timeout)
        exchange, self.exchange = self.exchange, None
        if exchange is not None:
            await exchange.release(self)

    def on_connection_lost(self) -> None:
        """The venue dropped the connection: reconnect and restore state in the background."""
        if self.is_connected and not self._recovering:
            self._recovering = True
            self.create_task(self._recover(), name=f"{self.client_id}.recover")

    async def _recover(self) -> None:
        try:
            self._log.warning("Lost the connection to the sandbox venue: reconnecting")
            await super().disconnect()
            delay = self._reconnect_delay
            while True:
                await self.time_source.sleep(delay)
                try:
                    await self.connect()
                    break
                except TransientVenueError:
                    delay = min(delay * 2, self._reconnect_delay * 8)
            self.reconnect_count += 1
            await self._on_reconnected()
        finally:
            self._recovering = False
