"""Build a `LiveNode`: fluently with `LiveNodeBuilder`, or from a `LiveNodeConfig`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from argonaut.common.errors import ConfigError
from argonaut.common.logging import LoggingConfig
from argonaut.live.clients.factories import ClientFactory, ClientFactoryRegistry
from argonaut.live.config import ClientConfig, DatabaseConfig, LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.config_io import resolve_component
from argonaut.live.node import LiveNode
from argonaut.live.timesource import TimeSource
from argonaut.model.enums import Environment


def _client_kwargs(node: LiveNode, name: str) -> dict[str, Any]:
    kernel = node.kernel
    return {
        "msgbus": kernel.msgbus,
        "cache": kernel.cache,
        "clock": kernel.clock,
        "uuid_factory": kernel.uuid_factory,
        "logger": kernel.logger(name),
    }


def build_node(
    name: str,
    config: LiveNodeConfig,
    *,
    factories: ClientFactoryRegistry | None = None,
    time_source: TimeSource | None = None,
) -> LiveNode:
    """Build a node from `config`: its clients from their factories, its actors,
    strategies and execution algorithms from their import paths."""
    registry = factories if factories is not None else ClientFactoryRegistry()
    node = LiveNode(config, name=name, time_source=time_source)
    for client_name, cc in config.data_clients.items():
        kind = cc.kind if cc.kind is not None else str(cc.factory_path)
        data_client = registry.create_data_client(
            kind, client_name, cc.config, **_client_kwargs(node, client_name)
        )
        node.add_data_client(data_client, default=cc.default)
    for client_name, cc in config.exec_clients.items():
        kind = cc.kind if cc.kind is not None else str(cc.factory_path)
        exec_client = registry.create_exec_client(
            kind, client_name, cc.config, **_client_kwargs(node, client_name)
        )
        node.add_exec_client(exec_client, default=cc.default)
    for i, item in enumerate(config.exec_algorithms):
        cls, cfg = resolve_component(item, f"exec_algorithms[{i}]")
        node.add_exec_algorithm(cls(cfg))
    for i, item in enumerate(config.actors):
        cls, cfg = resolve_component(item, f"actors[{i}]")
        node.add_actor(cls(cfg))
    for i, item in enumerate(config.strategies):
        cls, cfg = resolve_component(item, f"strategies[{i}]")
        node.add_strategy(cls(cfg))
    return node


class LiveNodeBuilder:
    """Fluent construction of a `LiveNode`: ``with_*`` options, clients, then `build()`."""

    def __init__(self, trader_id: str, environment: Environment) -> None:
        if environment is Environment.BACKTEST:
            raise ConfigError("a live node runs in SANDBOX or LIVE; BACKTEST is refused")
        self._name = "LiveNode"
        self._node: dict[str, Any] = {"trader_id": str(trader_id), "environment": environment}
        self._exec: dict[str, Any] = {}
        self._data_clients: dict[str, ClientConfig] = {}
        self._exec_clients: dict[str, ClientConfig] = {}
        self._registry = ClientFactoryRegistry()
        self._time_source: TimeSource | None = None

    # -- node options --------------------------------------------------------------------

    def with_name(self, name: str) -> LiveNodeBuilder:
        """Set the node's name (used in logs)."""
        self._name = name
        return self

    def with_instance_id(self, instance_id: str) -> LiveNodeBuilder:
        """Set the run's instance id (default: a fresh UUID4)."""
        self._node["instance_id"] = instance_id
        return self

    def with_load_state(self, load: bool = True) -> LiveNodeBuilder:
        """Load actor and strategy state from the database on start."""
        self._node["load_state"] = load
        return self

    def with_data_dir(self, data_dir: str) -> LiveNodeBuilder:
        """Set the directory of the node's state (the SQLite file, the ownership journal)."""
        self._node["data_dir"] = data_dir
        return self

    def with_database(self, database: DatabaseConfig | None) -> LiveNodeBuilder:
        """Persist the cache in `database` (docs/persistence.md); None: memory only."""
        self._node["database"] = database
        return self

    def with_save_state(self, save: bool = True) -> LiveNodeBuilder:
        """Save actor and strategy state to the database on stop."""
        self._node["save_state"] = save
        return self

    def with_shutdown_on_error(self, enabled: bool = True) -> LiveNodeBuilder:
        """Request a graceful shutdown on the first ERROR log after start."""
        self._node["shutdown_on_error"] = enabled
        return self

    def with_logging(self, logging: LoggingConfig) -> LiveNodeBuilder:
        """Set the logging config."""
        self._node["logging"] = logging
        return self

    def with_timeout_connection(self, secs: float) -> LiveNodeBuilder:
        """Bound the wait for every client to connect."""
        self._node["timeout_connection"] = secs
        return self

    def with_timeout_reconciliation(self, secs: float) -> LiveNodeBuilder:
        """Bound startup reconciliation."""
        self._node["timeout_reconciliation"] = secs
        return self

    def with_timeout_portfolio(self, secs: float) -> LiveNodeBuilder:
        """Bound the wait for the portfolio to initialize."""
        self._node["timeout_portfolio"] = secs
        return self

    def with_timeout_disconnection(self, secs: float) -> LiveNodeBuilder:
        """Bound the wait for every client to disconnect."""
        self._node["timeout_disconnection"] = secs
        return self

    def with_delay_post_stop(self, secs: float) -> LiveNodeBuilder:
        """Set the grace period for residual events after the trader stops."""
        self._node["delay_post_stop"] = secs
        return self

    def with_timeout_shutdown(self, secs: float) -> LiveNodeBuilder:
        """Bound the cancellation of pending tasks on dispose."""
        self._node["timeout_shutdown"] = secs
        return self

    def with_reconciliation(self, enabled: bool = True) -> LiveNodeBuilder:
        """Run (or skip) startup reconciliation."""
        self._exec["reconciliation"] = enabled
        return self

    def with_reconciliation_lookback_mins(self, mins: int | None) -> LiveNodeBuilder:
        """Limit the history requested for startup reconciliation (None: all)."""
        self._exec["reconciliation_lookback_mins"] = mins
        return self

    def with_reconciliation_startup_delay_secs(self, secs: float) -> LiveNodeBuilder:
        """Delay continuous reconciliation checks after startup reconciliation."""
        self._exec["reconciliation_startup_delay_secs"] = secs
        return self

    def with_exec_engine_option(self, name: str, value: Any) -> LiveNodeBuilder:
        """Set any other `LiveExecEngineConfig` option by name."""
        self._exec[name] = value
        return self

    def with_time_source(self, time_source: TimeSource) -> LiveNodeBuilder:
        """Drive all node timing from `time_source` (tests use a virtual one)."""
        self._time_source = time_source
        return self

    # -- clients -------------------------------------------------------------------------

    def add_data_client(
        self,
        name: str,
        factory: ClientFactory,
        config: Mapping[str, Any] | None = None,
        *,
        default: bool = False,
    ) -> LiveNodeBuilder:
        """Add a data client built by `factory` with `config`."""
        kind = self._register(name, factory)
        self._data_clients[name] = ClientConfig(
            kind=kind, config=dict(config or {}), default=default
        )
        return self

    def add_exec_client(
        self,
        name: str,
        factory: ClientFactory,
        config: Mapping[str, Any] | None = None,
        *,
        default: bool = False,
    ) -> LiveNodeBuilder:
        """Add an execution client built by `factory` with `config`."""
        kind = self._register(name, factory)
        self._exec_clients[name] = ClientConfig(
            kind=kind, config=dict(config or {}), default=default
        )
        return self

    def _register(self, name: str, factory: ClientFactory) -> str:
        # One kind per factory object (no ':' in a kind: that marks an import path).
        kind = f"builder.{type(factory).__name__}.{id(factory):x}"
        if kind not in self._registry:
            self._registry.register(kind, factory)
        return kind

    # -- build ---------------------------------------------------------------------------

    def build(self) -> LiveNode:
        """Validate every option and build the node; raise `ConfigError` naming each problem."""
        try:
            exec_engine = LiveExecEngineConfig(**self._exec)
            config = LiveNodeConfig(
                **self._node,
                exec_engine=exec_engine,
                data_clients=self._data_clients,
                exec_clients=self._exec_clients,
            )
        except (TypeError, msgspec.ValidationError) as e:
            raise ConfigError(f"invalid live node options: {e}") from e
        return build_node(
            self._name, config, factories=self._registry, time_source=self._time_source
        )
