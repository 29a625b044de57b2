"""`LiveNodeConfig`: one struct (one TOML or JSON file) defines a whole live node.

It embeds the configs of every component (logging, cache, database, message bus, the
three engines, portfolio, emulator), the data and execution clients, and the actors,
strategies and execution algorithms to load by import path. Each struct checks its own
fields on construction and reports every problem at once (see `config_exec.FieldErrors`);
checks that need the outside world (importing classes, known client kinds, environment
variables) live in `config_io.validate`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from argonaut.cache.config import CacheConfig
from argonaut.common.logging import LoggingConfig
from argonaut.engines.emulator.config import OrderEmulatorConfig
from argonaut.engines.portfolio.config import PortfolioConfig
from argonaut.live.config_exec import (
    LiveDataEngineConfig,
    LiveExecEngineConfig,
    LiveRiskEngineConfig,
    check_ids,
    check_number,
    check_numbers,
    duration_fields,
    raise_errors,
)
from argonaut.model.enums import Environment
from argonaut.model.identifiers import ClientId, TraderId, Venue

SECRET_MASK = "********"
"""What `repr` and the dumps show instead of a password."""

_IMPORT_PATH_RE = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*$")


_SQL_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def check_import_path(errors: list[tuple[str, str]], field: str, path: str | None) -> None:
    """Append an error unless `path` is None or has the form ``package.module:ClassName``."""
    if path is not None and not _IMPORT_PATH_RE.match(path):
        errors.append((field, f"must be an import path 'package.module:ClassName', found {path!r}"))


class DatabaseConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Connection to the database that persists the cache (and backs the message bus).

    ``sqlite`` uses `path` (None: ``{data_dir}/argonaut.sqlite``); ``postgres`` and
    ``redis`` use `host`, `port`, `username`, `database` and `ssl`. The password is never
    shown: `repr` and the dumps mask it. Give it directly or, better, name the environment
    variable that holds it in `password_env`. `timeout` bounds connect and each request
    (seconds). `write_ahead_ownership` records order ownership before a submit leaves the
    node (None: on in LIVE and SANDBOX), by `write_ahead_mode`: ``journal`` appends the
    order's `OrderInitialized` to a local journal file before the command is sent (a
    few microseconds), ``commit`` holds the command until the database committed it.
    `schema` names the PostgreSQL schema of the tables (None: ``argonaut``);
    `closed_expiry` lets Redis expire closed orders and positions that many seconds
    after they closed (None: kept until purged). `max_backlog` bounds the ops waiting
    for an unreachable database before the node switches to REDUCING (nothing is dropped);
    failed writes are retried after `retry_delay_initial`, doubling up to
    `retry_delay_max` seconds. `flush_on_start` deletes every stored record at startup
    instead of loading it. See docs/persistence.md.
    """

    type: Literal["sqlite", "postgres", "redis"] = "sqlite"
    host: str | None = None
    port: int | None = None
    username: str | None = None
    password: str | None = None
    password_env: str | None = None
    database: str | None = None
    path: str | None = None
    ssl: bool = False
    timeout: float = 20.0
    schema: str | None = None
    closed_expiry: int | None = None
    write_ahead_ownership: bool | None = None
    write_ahead_mode: Literal["journal", "commit"] = "journal"
    max_backlog: int = 100_000
    retry_delay_initial: float = 0.1
    retry_delay_max: float = 5.0
    flush_on_start: bool = False

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        if self.type not in ("sqlite", "postgres", "redis"):
            errors.append(("type", f"must be 'sqlite', 'postgres' or 'redis', found {self.type!r}"))
        check_number(errors, "timeout", self.timeout, strict=True)
        check_number(errors, "retry_delay_initial", self.retry_delay_initial, strict=True)
        check_number(errors, "retry_delay_max", self.retry_delay_max, strict=True)
        if type(self.max_backlog) is not int or self.max_backlog < 1:
            errors.append(("max_backlog", f"must be an int >= 1, found {self.max_backlog!r}"))
        if self.port is not None and not 0 < self.port < 65536:
            errors.append(("port", f"must be in 1..65535, found {self.port}"))
        if self.password is not None and self.password_env is not None:
            errors.append(("password", "give either password or password_env, not both"))
        if self.password == SECRET_MASK:
            errors.append(
                (
                    "password",
                    "is the redaction mask of a dump: set the real password or use password_env",
                )
            )
        if self.type == "sqlite":
            names = ("host", "port", "username", "password", "password_env", "database")
            errors.extend(
                (name, "is not used by sqlite (set path), found a value")
                for name in names
                if getattr(self, name) is not None
            )
        elif self.path is not None:
            errors.append(("path", f"is only used by sqlite, found {self.path!r} for {self.type}"))
        if self.schema is not None:
            if self.type != "postgres":
                errors.append(
                    ("schema", f"is only used by postgres, found a value for {self.type}")
                )
            elif not _SQL_NAME_RE.match(self.schema):
                reason = "must be a plain SQL name (letters, digits, underscores, not starting"
                errors.append(("schema", f"{reason} with a digit), found {self.schema!r}"))
        if self.closed_expiry is not None:
            if self.type != "redis":
                errors.append(
                    ("closed_expiry", f"is only used by redis, found a value for {self.type}")
                )
            elif type(self.closed_expiry) is not int or self.closed_expiry < 1:
                errors.append(
                    (
                        "closed_expiry",
                        f"must be a whole number of seconds >= 1, found {self.closed_expiry!r}",
                    )
                )
        raise_errors(errors)

    def resolved_password(self, environ: Mapping[str, str] | None = None) -> str | None:
        """Return `password`, else the value of the `password_env` variable (or None)."""
        if self.password is not None or self.password_env is None:
            return self.password
        return (os.environ if environ is None else environ).get(self.password_env)

    def __repr__(self) -> str:
        parts = []
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if name == "password" and value is not None:
                value = SECRET_MASK
            parts.append(f"{name}={value!r}")
        return f"DatabaseConfig({', '.join(parts)})"


class MessageBusConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """External streaming of bus messages (Redis streams); None on the node = none.

    Stream keys are ``trader-{trader_id}:{instance_id}:{streams_prefix}`` (parts chosen by
    the `use_*` switches), one stream per topic when `stream_per_topic`. `types_filter`
    lists message types **not** published; `external_streams` are consumed and republished
    internally. `database` None uses the node's database.
    """

    database: DatabaseConfig | None = None
    encoding: Literal["json", "msgpack"] = "json"
    timestamps_as_iso8601: bool = False
    buffer_interval_ms: int | None = None
    autotrim_mins: int | None = None
    use_trader_prefix: bool = True
    use_trader_id: bool = True
    use_instance_id: bool = False
    streams_prefix: str = "stream"
    stream_per_topic: bool = True
    external_streams: list[str] | None = None
    types_filter: list[str] | None = None
    heartbeat_interval_secs: float | None = None

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        check_numbers(errors, self, ("buffer_interval_ms", "autotrim_mins"))
        check_number(errors, "heartbeat_interval_secs", self.heartbeat_interval_secs, strict=True)
        if self.encoding not in ("json", "msgpack"):
            errors.append(("encoding", f"must be 'json' or 'msgpack', found {self.encoding!r}"))
        if not self.streams_prefix:
            errors.append(("streams_prefix", "must not be empty"))
        raise_errors(errors)


class ImportableConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A component to load: class `path` ``package.module:ClassName`` plus its config.

    `config` is converted into the class's config type: `config_path` if given, else the
    class's `config_class` attribute, else the annotation of its ``__init__`` parameter
    ``config``.
    """

    path: str
    config_path: str | None = None
    config: dict[str, Any] = {}

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        check_import_path(errors, "path", self.path)
        check_import_path(errors, "config_path", self.config_path)
        raise_errors(errors)


class ClientConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A data or execution client: a registered `kind` (e.g. ``sandbox``) or a
    `factory_path` ``package.module:Factory``, its `config`, and its routing.

    Routing: commands for an instrument go to the client listing its venue in `venues`;
    a `default` client takes everything no route matches.
    """

    kind: str | None = None
    factory_path: str | None = None
    config: dict[str, Any] = {}
    default: bool = False
    venues: list[str] | None = None

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        if (self.kind is None) == (self.factory_path is None):
            errors.append(("kind", "give exactly one of kind (a registered name) or factory_path"))
        if self.kind is not None and not self.kind:
            errors.append(("kind", "must not be empty"))
        check_import_path(errors, "factory_path", self.factory_path)
        check_ids(errors, "venues", self.venues, Venue)
        raise_errors(errors)


class LiveNodeConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Everything a live node needs, loadable from one TOML or JSON file.

    `environment` is SANDBOX or LIVE (BACKTEST is refused). The default is SANDBOX, not
    the reference's LIVE: an unconfigured node must never trade real money. Timeouts are
    float seconds: `timeout_connection` (all clients connected), `timeout_reconciliation`
    (startup reconciliation), `timeout_portfolio` (portfolio initialized),
    `timeout_disconnection` (all clients disconnected), `delay_post_stop` (residual events
    after the trader stops), `timeout_shutdown` (pending tasks cancelled on dispose).
    `shutdown_on_error` requests a graceful shutdown on the first ERROR log.
    `gc_freeze_on_start` moves everything built during startup out of the garbage
    collector's reach once the node runs, and `gc_gen0_threshold` (None: Python's default)
    makes young collections rarer; both cut the collector's pauses on the order path and
    are restored when the node stops (they are process-wide settings). `database`
    None keeps state in memory only, so `load_state`/`save_state` need one. Client dicts
    map a client id to its `ClientConfig`.
    """

    environment: Environment = Environment.SANDBOX
    trader_id: str = "TRADER-001"
    instance_id: str | None = None
    data_dir: str = "./argonaut-data"
    load_state: bool = False
    save_state: bool = False
    shutdown_on_error: bool = False
    loop_debug: bool = False
    timeout_connection: float = 60.0
    timeout_reconciliation: float = 30.0
    timeout_portfolio: float = 10.0
    timeout_disconnection: float = 10.0
    delay_post_stop: float = 10.0
    timeout_shutdown: float = 5.0
    gc_freeze_on_start: bool = True
    gc_gen0_threshold: int | None = 50_000
    logging: LoggingConfig = msgspec.field(default_factory=LoggingConfig)
    cache: CacheConfig = msgspec.field(default_factory=CacheConfig)
    database: DatabaseConfig | None = None
    message_bus: MessageBusConfig | None = None
    data_engine: LiveDataEngineConfig = msgspec.field(default_factory=LiveDataEngineConfig)
    risk_engine: LiveRiskEngineConfig = msgspec.field(default_factory=LiveRiskEngineConfig)
    exec_engine: LiveExecEngineConfig = msgspec.field(default_factory=LiveExecEngineConfig)
    portfolio: PortfolioConfig | None = None
    emulator: OrderEmulatorConfig | None = None
    catalogs: list[str] = []
    controller: ImportableConfig | None = None
    actors: list[ImportableConfig] = []
    strategies: list[ImportableConfig] = []
    exec_algorithms: list[ImportableConfig] = []
    data_clients: dict[str, ClientConfig] = {}
    exec_clients: dict[str, ClientConfig] = {}

    def __post_init__(self) -> None:
        errors: list[tuple[str, str]] = []
        if self.environment is Environment.BACKTEST:
            errors.append(
                ("environment", "a live node runs in SANDBOX or LIVE; BACKTEST is refused")
            )
        try:
            TraderId(self.trader_id)
        except (TypeError, ValueError) as e:
            errors.append(("trader_id", str(e)))
        if self.instance_id is not None and (
            not self.instance_id or not self.instance_id.isprintable() or " " in self.instance_id
        ):
            errors.append(
                (
                    "instance_id",
                    f"must be non-empty text without spaces, found {self.instance_id!r}",
                )
            )
        if not self.data_dir:
            errors.append(("data_dir", "must not be empty"))
        check_numbers(errors, self, duration_fields(self))
        if self.database is None:
            errors.extend(
                (name, "needs a database to keep state in, found database None")
                for name in ("load_state", "save_state")
                if getattr(self, name)
            )
        if self.gc_gen0_threshold is not None and self.gc_gen0_threshold < 1:
            errors.append(
                ("gc_gen0_threshold", f"must be >= 1 or None, found {self.gc_gen0_threshold}")
            )
        if self.environment is Environment.LIVE and self.logging.bypass_logging:
            errors.append(("logging.bypass_logging", "is refused in LIVE: a live node must log"))
        for field in ("data_clients", "exec_clients"):
            clients: dict[str, ClientConfig] = getattr(self, field)
            for name in clients:
                try:
                    ClientId(name)
                except (TypeError, ValueError) as e:
                    errors.append((f"{field}.{name}", str(e)))
            defaults = [name for name, client in clients.items() if client.default]
            if len(defaults) > 1:
                errors.append(
                    (field, f"at most one client may be the default route, found {defaults}")
                )
        raise_errors(errors)


SIM_INSTRUMENTS = ["BTCUSDT-PERP.SIM", "ETHUSDT-PERP.SIM"]


def default_config() -> LiveNodeConfig:
    """Return the embedded demo config: a SANDBOX node on the simulated venue SIM.

    One ``sandbox`` data client and one ``sandbox`` execution client, both named SIM,
    with a margin account of 100,000 USDT and the BTCUSDT-PERP and ETHUSDT-PERP
    perpetuals; state in SQLite under `data_dir`. Two example strategies trade from the
    first seconds: an EMA cross on BTCUSDT-PERP (5-second bars built from trades) and a
    market maker with inventory skew on ETHUSDT-PERP (`argonaut.examples`).
    """
    # Both sandbox clients of SIM share one venue; its state file lives under data_dir.
    venue = {"venue": "SIM", "instruments": list(SIM_INSTRUMENTS), "data_dir": "./argonaut-data"}
    return LiveNodeConfig(
        database=DatabaseConfig(type="sqlite"),
        data_clients={"SIM": ClientConfig(kind="sandbox", config=dict(venue), venues=["SIM"])},
        exec_clients={
            "SIM": ClientConfig(
                kind="sandbox",
                config={
                    **venue,
                    "oms_type": "NETTING",
                    "account_type": "MARGIN",
                    "base_currency": "USDT",
                    "starting_balances": ["100000 USDT"],
                },
                venues=["SIM"],
            )
        },
        # The demo: the console shows warnings only (the CLI prints the status), the full
        # log goes to a file in data_dir; a short grace period makes Ctrl-C quick.
        logging=LoggingConfig(log_level="WARNING", log_level_file="INFO", log_colors=False),
        delay_post_stop=1.0,
        strategies=[
            ImportableConfig(
                path="argonaut.examples.ema_cross:EMACross",
                config={
                    "instrument_id": "BTCUSDT-PERP.SIM",
                    "bar_type": "BTCUSDT-PERP.SIM-5-SECOND-LAST-INTERNAL",
                    "trade_size": "0.010",
                    "fast_period": 2,
                    "slow_period": 4,
                    "order_id_tag": "001",
                },
            ),
            ImportableConfig(
                path="argonaut.examples.market_maker:MarketMaker",
                config={
                    "instrument_id": "ETHUSDT-PERP.SIM",
                    "trade_size": "0.100",
                    "max_inventory": "0.500",
                    "half_spread_ticks": 1,
                    "skew_ticks": 1,
                    "requote_ticks": 2,
                    "cancel_on_stop": False,  # quotes outlive a stop: a restart adopts them
                    "order_id_tag": "002",
                },
            ),
        ],
    )


__all__ = [
    "SECRET_MASK",
    "SIM_INSTRUMENTS",
    "ClientConfig",
    "DatabaseConfig",
    "ImportableConfig",
    "LiveDataEngineConfig",
    "LiveExecEngineConfig",
    "LiveNodeConfig",
    "LiveRiskEngineConfig",
    "MessageBusConfig",
    "OrderEmulatorConfig",
    "PortfolioConfig",
    "check_import_path",
    "default_config",
]
