"""`SandboxClientFactory`: builds the sandbox data and execution clients of a node.

The factory is the built-in client kind ``"sandbox"``. The clients it builds for one
venue share one `SandboxExchange`, created when the first of them connects from the
merged config dicts of both (a key both give must agree). A node's registry holds one
factory object, so two nodes never share a venue; the venue outlives a node through
its state file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, Unpack

from argonaut.adapters.sandbox.data_client import SandboxDataClient
from argonaut.adapters.sandbox.exchange import SandboxExchange
from argonaut.adapters.sandbox.exec_client import SandboxExecutionClient
from argonaut.adapters.sandbox.link import ExchangeProvider
from argonaut.adapters.sandbox.settings import (
    SandboxClientConfig,
    merge_client_configs,
    parse_client_config,
)
from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.errors import ConfigError
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.timesource import TimeSource

__all__ = ["ClientServices", "SandboxClientFactory"]


class ClientServices(TypedDict):
    """The node's services, the keyword arguments of a `ClientFactory`'s methods."""

    msgbus: MessageBus
    cache: Cache
    clock: Clock
    uuid_factory: UUIDFactory
    logger: Logger


class SandboxClientFactory:
    """A `ClientFactory` for the sandbox venue; `exchanges` holds the running venues by
    venue name (the programmatic fault-injection API of tests goes through them)."""

    def __init__(self, time_source: TimeSource | None = None) -> None:
        self.time_source = time_source
        self.exchanges: dict[str, SandboxExchange] = {}
        self._configs: dict[str, dict[str, Any]] = {}

    def _register(self, name: str, config: Mapping[str, Any]) -> SandboxClientConfig:
        own = parse_client_config(name, config)
        existing = self.exchanges.get(own.venue)
        if existing is not None:
            if existing.is_running:
                raise ConfigError(
                    f"sandbox client {name!r}: venue {own.venue} is already running; build "
                    "every client of a venue before connecting them"
                )
            del self.exchanges[own.venue]  # a stopped venue: start afresh (its state file stays)
            self._configs.pop(own.venue, None)
        raw = dict(config)
        raw.setdefault("venue", own.venue)
        merged = raw
        if own.venue in self._configs:
            merged = merge_client_configs(name, self._configs[own.venue], raw)
            parse_client_config(name, merged)
        self._configs[own.venue] = merged
        return own

    def exchange(self, venue: str) -> SandboxExchange:
        """Return the running venue `venue` (raise `KeyError` before its first connect)."""
        return self.exchanges[venue]

    def _provider(self, name: str, venue: str, clock: Clock, logger: Logger) -> ExchangeProvider:
        def provide() -> SandboxExchange:
            exchange = self.exchanges.get(venue)
            if exchange is None:
                config = parse_client_config(name, self._configs[venue])
                exchange = SandboxExchange(config, clock=clock, logger=logger)
                self.exchanges[venue] = exchange
            return exchange

        return provide

    def create_data_client(
        self, name: str, config: Mapping[str, Any], **services: Unpack[ClientServices]
    ) -> SandboxDataClient:
        """Return a new sandbox data client called `name`."""
        own = self._register(name, config)
        return SandboxDataClient(
            name,
            exchange=self._provider(name, own.venue, services["clock"], services["logger"]),
            venue=own.venue,
            msgbus=services["msgbus"],
            clock=services["clock"],
            uuid_factory=services["uuid_factory"],
            logger=services["logger"],
            time_source=self.time_source,
            reconnect_delay_secs=own.reconnect_delay_secs,
        )

    def create_exec_client(
        self, name: str, config: Mapping[str, Any], **services: Unpack[ClientServices]
    ) -> SandboxExecutionClient:
        """Return a new sandbox execution client called `name`."""
        own = self._register(name, config)
        return SandboxExecutionClient(
            name,
            exchange=self._provider(name, own.venue, services["clock"], services["logger"]),
            config=own,
            time_source=self.time_source,
            **services,
        )
