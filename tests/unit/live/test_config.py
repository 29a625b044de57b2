"""LiveNodeConfig: defaults of the reference, loading, validation, dumping."""

from __future__ import annotations

import json
import math
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import msgspec
import pytest

from argonaut.common.errors import ConfigError
from argonaut.live.config import (
    SECRET_MASK,
    ClientConfig,
    DatabaseConfig,
    ImportableConfig,
    LiveDataEngineConfig,
    LiveExecEngineConfig,
    LiveNodeConfig,
    LiveRiskEngineConfig,
    MessageBusConfig,
    default_config,
)
from argonaut.live.config_io import (
    check_file,
    config_from_dict,
    config_to_dict,
    dump_json,
    dump_toml,
    load_config,
    resolve_component,
    validate,
    validation_errors,
)
from argonaut.model.enums import Environment

NODE_DEFAULTS: list[tuple[str, Any]] = [
    ("environment", Environment.SANDBOX),  # our decision: never LIVE by default
    ("trader_id", "TRADER-001"),
    ("instance_id", None),
    ("load_state", False),
    ("save_state", False),
    ("shutdown_on_error", False),
    ("loop_debug", False),
    ("timeout_connection", 60.0),
    ("timeout_reconciliation", 30.0),
    ("timeout_portfolio", 10.0),
    ("timeout_disconnection", 10.0),
    ("delay_post_stop", 10.0),
    ("timeout_shutdown", 5.0),
    ("message_bus", None),
    ("portfolio", None),
    ("emulator", None),
    ("catalogs", []),
    ("controller", None),
    ("actors", []),
    ("strategies", []),
    ("exec_algorithms", []),
    ("data_clients", {}),
    ("exec_clients", {}),
    ("data_dir", "./argonaut-data"),
]

EXEC_DEFAULTS: list[tuple[str, Any]] = [
    ("load_cache", True),
    ("manage_own_order_books", False),
    ("snapshot_orders", False),
    ("snapshot_positions", False),
    ("snapshot_positions_interval_secs", None),
    ("external_clients", None),
    ("allow_overfills", False),
    ("purge_closed_orders_interval_mins", None),
    ("purge_closed_orders_buffer_mins", None),
    ("purge_closed_positions_interval_mins", None),
    ("purge_closed_positions_buffer_mins", None),
    ("purge_account_events_interval_mins", None),
    ("purge_account_events_lookback_mins", None),
    ("purge_from_database", False),
    ("debug", False),
    ("reconciliation", True),
    ("reconciliation_lookback_mins", None),
    ("reconciliation_instrument_ids", None),
    ("filter_unclaimed_external_orders", False),
    ("filter_position_reports", False),
    ("filtered_client_order_ids", None),
    ("generate_missing_orders", True),
    ("inflight_check_interval_ms", 2000),
    ("inflight_check_threshold_ms", 5000),
    ("inflight_check_retries", 5),
    ("own_books_audit_interval_secs", None),
    ("open_check_interval_secs", None),
    ("open_check_open_only", True),
    ("open_check_lookback_mins", 60),
    ("open_check_threshold_ms", 5000),
    ("open_check_missing_retries", 5),
    ("max_single_order_queries_per_cycle", 10),
    ("single_order_query_delay_ms", 100),
    ("position_check_interval_secs", None),
    ("position_check_lookback_mins", 60),
    ("position_check_threshold_ms", 5000),
    ("position_check_retries", 3),
    ("reconciliation_startup_delay_secs", 10.0),
    ("qsize", 100_000),
    ("graceful_shutdown_on_exception", False),
    ("fail_closed", True),
    ("fail_closed_state", "REDUCING"),
]

DATA_DEFAULTS: list[tuple[str, Any]] = [
    ("time_bars_interval_type", "left-open"),
    ("time_bars_timestamp_on_close", True),
    ("time_bars_skip_first_non_full_bar", False),
    ("time_bars_build_with_no_updates", True),
    ("time_bars_origin_offset", None),
    ("time_bars_build_delay_ns", 0),
    ("validate_data_sequence", False),
    ("buffer_deltas", False),
    ("emit_quotes_from_book", False),
    ("emit_quotes_from_book_depths", False),
    ("external_clients", None),
    ("debug", False),
    ("qsize", 100_000),
    ("graceful_shutdown_on_exception", False),
]

RISK_DEFAULTS: list[tuple[str, Any]] = [
    ("bypass", False),
    ("max_order_submit_rate", "100/00:00:01"),
    ("max_order_modify_rate", "100/00:00:01"),
    ("max_notional_per_order", {}),
    ("debug", False),
    ("qsize", 100_000),
    ("graceful_shutdown_on_exception", False),
]


def _errors_of(data: dict[str, Any], **kwargs: Any) -> list[str]:
    with pytest.raises(ConfigError) as info:
        config_from_dict(data, **kwargs)
    return str(info.value).splitlines()[1:]


def _write_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: str) -> None:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(code))
    monkeypatch.syspath_prepend(str(tmp_path))


STRATEGY_MODULE = """
    from __future__ import annotations

    import msgspec


    class CrossConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
        instrument_id: str
        fast: int = 10


    class Cross:
        def __init__(self, config: CrossConfig | None = None) -> None:
            self.config = config


    class Declared:
        config_class = CrossConfig


    class Untyped:
        def __init__(self, config):
            self.config = config


    not_a_class = 3
"""


# --- defaults -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), NODE_DEFAULTS)
def test_node_default_when_unset_then_reference_value(name: str, expected: Any) -> None:
    assert getattr(LiveNodeConfig(), name) == expected


@pytest.mark.parametrize(("name", "expected"), EXEC_DEFAULTS)
def test_exec_engine_default_when_unset_then_reference_value(name: str, expected: Any) -> None:
    assert getattr(LiveExecEngineConfig(), name) == expected


@pytest.mark.parametrize(("name", "expected"), DATA_DEFAULTS)
def test_data_engine_default_when_unset_then_reference_value(name: str, expected: Any) -> None:
    assert getattr(LiveDataEngineConfig(), name) == expected


@pytest.mark.parametrize(("name", "expected"), RISK_DEFAULTS)
def test_risk_engine_default_when_unset_then_reference_value(name: str, expected: Any) -> None:
    assert getattr(LiveRiskEngineConfig(), name) == expected


def test_node_defaults_when_unset_then_live_engine_configs_embedded() -> None:
    config = LiveNodeConfig()
    assert config.exec_engine == LiveExecEngineConfig()
    assert config.data_engine == LiveDataEngineConfig()
    assert config.risk_engine == LiveRiskEngineConfig()
    assert config.database is None


def test_message_bus_defaults_when_unset_then_reference_values() -> None:
    bus = MessageBusConfig()
    assert (bus.encoding, bus.streams_prefix, bus.stream_per_topic) == ("json", "stream", True)
    assert (bus.use_trader_prefix, bus.use_trader_id, bus.use_instance_id) == (True, True, False)
    assert bus.heartbeat_interval_secs is None


def test_default_config_when_built_then_sim_sandbox_clients_with_margin_account() -> None:
    config = default_config()
    assert config.environment is Environment.SANDBOX
    assert config.data_clients["SIM"].kind == "sandbox"
    exec_client = config.exec_clients["SIM"]
    assert exec_client.kind == "sandbox"
    assert exec_client.config["account_type"] == "MARGIN"
    assert exec_client.config["starting_balances"] == ["100000 USDT"]
    assert exec_client.config["instruments"] == ["BTCUSDT-PERP.SIM", "ETHUSDT-PERP.SIM"]
    assert [s.path for s in config.strategies] == [
        "argonaut.examples.ema_cross:EMACross",
        "argonaut.examples.market_maker:MarketMaker",
    ]
    validate(config)


# --- loading ------------------------------------------------------------------------------


def test_load_config_when_toml_then_values_and_nested_tables_read(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text(
        textwrap.dedent(
            """
            environment = "LIVE"
            trader_id = "ALPHA-002"
            timeout_connection = 15

            [exec_engine]
            inflight_check_interval_ms = 500
            open_check_interval_secs = 5.0
            fail_closed_state = "HALTED"

            [database]
            type = "sqlite"
            path = "state.sqlite"

            [exec_clients.SIM]
            kind = "sandbox"
            venues = ["SIM"]
            config = { venue = "SIM" }
            """
        )
    )
    config = load_config(path)
    assert config.environment is Environment.LIVE
    assert config.trader_id == "ALPHA-002"
    assert config.timeout_connection == 15.0
    assert config.exec_engine.inflight_check_interval_ms == 500
    assert config.exec_engine.open_check_interval_secs == 5.0
    assert config.exec_engine.fail_closed_state == "HALTED"
    assert config.database == DatabaseConfig(path="state.sqlite")
    assert config.exec_clients["SIM"].config == {"venue": "SIM"}


def test_load_config_when_json_then_same_as_toml(tmp_path: Path) -> None:
    path = tmp_path / "node.json"
    path.write_text(json.dumps({"trader_id": "ALPHA-002", "exec_engine": {"qsize": 10}}))
    config = load_config(path)
    assert config.trader_id == "ALPHA-002"
    assert config.exec_engine.qsize == 10


def test_load_config_when_other_suffix_then_refused(tmp_path: Path) -> None:
    path = tmp_path / "node.yaml"
    path.write_text("trader_id: X-1")
    with pytest.raises(ConfigError, match=r"must end in \.toml or \.json"):
        load_config(path)


def test_load_config_when_toml_malformed_then_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text("trader_id = \n")
    with pytest.raises(ConfigError, match=r"node\.toml is not valid TOML.*line 1"):
        load_config(path)


def test_load_config_when_unknown_top_level_field_then_refused_with_suggestion() -> None:
    errors = _errors_of({"timeout_conection": 5})
    assert errors == [
        "unknown field `timeout_conection` at `$` (did you mean `timeout_connection`?)"
    ]


def test_load_config_when_unknown_nested_field_then_refused_with_its_path() -> None:
    errors = _errors_of(
        {
            "exec_engine": {"bogus": 1},
            "exec_clients": {"SIM": {"kind": "sandbox", "routing": {}}},
            "strategies": [{"path": "a.b:C", "conf": {}}],
        }
    )
    assert "unknown field `bogus` at `$.exec_engine`" in errors
    assert any(e.startswith("unknown field `routing` at `$.exec_clients.SIM`") for e in errors)
    assert any(e.startswith("unknown field `conf` at `$.strategies[0]`") for e in errors)


def test_load_config_when_wrong_type_then_error_names_field_and_types() -> None:
    errors = _errors_of({"exec_engine": {"inflight_check_retries": "five"}})
    assert errors == ["exec_engine.inflight_check_retries: expected `int`, got `str`"]


def test_load_config_when_unknown_enum_value_then_choices_listed() -> None:
    errors = _errors_of({"environment": "PAPER"})
    assert errors == ["environment: expected one of 'SANDBOX', 'LIVE', found 'PAPER'"]


def test_load_config_when_missing_required_field_then_named() -> None:
    errors = _errors_of({"actors": [{"config": {}}]})
    assert errors == ["actors[0].path: missing required field"]


# --- bad values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"exec_engine": {"inflight_check_interval_ms": -5}},
            "exec_engine.inflight_check_interval_ms: must be >= 0, found -5",
        ),
        ({"timeout_connection": -1.0}, "timeout_connection: must be >= 0, found -1.0"),
        ({"delay_post_stop": math.nan}, "delay_post_stop: must be a finite number, found nan"),
        (
            {"exec_engine": {"reconciliation_startup_delay_secs": math.inf}},
            "exec_engine.reconciliation_startup_delay_secs: must be a finite number, found inf",
        ),
        (
            {"exec_engine": {"purge_closed_orders_interval_mins": -10}},
            "exec_engine.purge_closed_orders_interval_mins: must be >= 0, found -10",
        ),
        (
            {"exec_engine": {"max_single_order_queries_per_cycle": 0}},
            "exec_engine.max_single_order_queries_per_cycle: must be >= 1, found 0",
        ),
        (
            {"data_engine": {"time_bars_build_delay_ns": -1}},
            "data_engine.time_bars_build_delay_ns: must be >= 0, found -1",
        ),
        (
            {"message_bus": {"heartbeat_interval_secs": 0.0}},
            "message_bus.heartbeat_interval_secs: must be > 0, found 0.0",
        ),
        (
            {"environment": "BACKTEST"},
            "environment: a live node runs in SANDBOX or LIVE; BACKTEST is refused",
        ),
        ({"trader_id": "TRADER"}, "trader_id: trader id 'TRADER' is invalid"),
        ({"instance_id": "a b"}, "instance_id: must be non-empty text without spaces"),
        ({"load_state": True}, "load_state: needs a database"),
        (
            {"environment": "LIVE", "logging": {"bypass_logging": True}},
            "logging.bypass_logging: is refused in LIVE",
        ),
        (
            {"exec_engine": {"reconciliation_instrument_ids": ["BTCUSDT"]}},
            "exec_engine.reconciliation_instrument_ids[0]: instrument id 'BTCUSDT' is invalid",
        ),
        (
            {"risk_engine": {"max_order_submit_rate": "100 per second"}},
            "risk_engine.max_order_submit_rate: max_order_submit_rate '100 per second' is not",
        ),
        ({"database": {"type": "mysql"}}, "database.type: expected one of 'sqlite', 'postgres'"),
        ({"database": {"type": "redis", "port": 70000}}, "database.port: must be in 1..65535"),
        ({"database": {"host": "db"}}, "database.host: is not used by sqlite"),
        ({"cache": {"tick_capacity": 0}}, "cache: CacheConfig.tick_capacity must be a positive"),
        ({"logging": {"log_level": "LOUD"}}, "logging: log_level 'LOUD' is not a log level"),
        (
            {"data_clients": {"A": {"kind": "sandbox", "factory_path": "a.b:C"}}},
            "data_clients.A.kind: give exactly one of kind",
        ),
        (
            {"exec_clients": {"A": {"kind": "sandbox", "venues": ["X.Y"]}}},
            "exec_clients.A.venues[0]: venue 'X.Y' is invalid",
        ),
        (
            {
                "exec_clients": {
                    "A": {"kind": "sandbox", "default": True},
                    "B": {"kind": "sandbox", "default": True},
                }
            },
            "exec_clients: at most one client may be the default route, found ['A', 'B']",
        ),
        (
            {"exec_clients": {"SIM": {"kind": "binance"}}},
            "exec_clients.SIM.kind: unknown client kind 'binance': expected one of 'sandbox'",
        ),
        ({"strategies": [{"path": "no_colon.Class"}]}, "strategies[0].path: must be an import"),
    ],
)
def test_load_config_when_bad_value_then_refused_naming_the_field(
    data: dict[str, Any], expected: str
) -> None:
    errors = _errors_of(data)
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), errors


def test_load_config_when_several_problems_then_all_listed_in_one_error() -> None:
    with pytest.raises(ConfigError) as info:
        config_from_dict(
            {
                "environment": "BACKTEST",
                "timeout_shutdown": -1,
                "exec_engine": {"inflight_check_interval_ms": -5, "x": 1},
                "exec_clients": {"SIM": {"kind": "ftx"}},
                "strategies": [{"path": "argonaut_missing_pkg.mod:Strategy"}],
            }
        )
    message = str(info.value)
    assert message.startswith("invalid node config: 6 problems\n")
    for fragment in (
        "environment: a live node",
        "timeout_shutdown: must be >= 0",
        "exec_engine.inflight_check_interval_ms: must be >= 0, found -5",
        "unknown field `x` at `$.exec_engine`",
        "exec_clients.SIM.kind: unknown client kind 'ftx'",
        "strategies[0].path: cannot import module `argonaut_missing_pkg.mod`",
    ):
        assert fragment in message


def test_check_file_when_invalid_then_errors_returned_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text('trader_id = "NOPE"\n[exec_engine]\nqsize = 0\n')
    errors = check_file(path)
    assert errors == [
        "exec_engine.qsize: must be >= 1, found 0",
        "trader_id: trader id 'NOPE' is invalid: expected the form NAME-TAG (e.g. 'TRADER-001')",
    ]
    assert check_file(tmp_path / "missing.toml")[0].startswith("cannot read config file")


def test_validate_when_client_kind_registered_then_accepted() -> None:
    config = LiveNodeConfig(exec_clients={"BIN": ClientConfig(kind="binance")})
    assert validation_errors(config, client_kinds={"sandbox", "binance"}) == []
    with pytest.raises(ConfigError, match="unknown client kind 'binance'"):
        validate(config)


def test_exec_engine_when_built_directly_with_bad_values_then_all_listed() -> None:
    with pytest.raises(ConfigError) as info:
        LiveExecEngineConfig(inflight_check_interval_ms=-1, position_check_retries=-2)
    assert str(info.value).splitlines() == [
        "inflight_check_interval_ms: must be >= 0, found -1",
        "position_check_retries: must be >= 0, found -2",
    ]


# --- importable components ----------------------------------------------------------------


def test_validate_when_strategy_module_missing_then_path_error() -> None:
    errors = _errors_of({"strategies": [{"path": "argonaut_nowhere:Strategy"}]})
    assert errors == [
        (
            "strategies[0].path: cannot import module `argonaut_nowhere` "
            "(No module named 'argonaut_nowhere')"
        )
    ]


def test_validate_when_strategy_class_missing_then_path_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_module(tmp_path, monkeypatch, "cfg_strats_a", STRATEGY_MODULE)
    errors = _errors_of(
        {
            "actors": [{"path": "cfg_strats_a:Missing"}],
            "exec_algorithms": [{"path": "cfg_strats_a:not_a_class"}],
        }
    )
    assert errors == [
        "actors[0].path: module `cfg_strats_a` has no attribute `Missing`",
        "exec_algorithms[0].path: `cfg_strats_a:not_a_class` is a int, expected a class",
    ]


def test_validate_when_strategy_config_has_wrong_type_then_error_names_config_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_module(tmp_path, monkeypatch, "cfg_strats_b", STRATEGY_MODULE)
    errors = _errors_of(
        {
            "strategies": [
                {"path": "cfg_strats_b:Cross", "config": {"instrument_id": "X.SIM", "fast": "a"}},
                {"path": "cfg_strats_b:Declared", "config": {"instrument_id": "X.SIM", "x": 1}},
                {"path": "cfg_strats_b:Untyped", "config_path": "cfg_strats_b:CrossConfig"},
            ]
        }
    )
    assert errors == [
        "strategies[0].config.fast: expected `int`, got `str`",
        "unknown field `x` at `$.strategies[1].config`",
        "strategies[2].config.instrument_id: missing required field",
    ]


def test_resolve_component_when_config_matches_then_class_and_typed_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_module(tmp_path, monkeypatch, "cfg_strats_c", STRATEGY_MODULE)
    cls, config = resolve_component(
        ImportableConfig(path="cfg_strats_c:Cross", config={"instrument_id": "X.SIM", "fast": 3})
    )
    assert cls.__name__ == "Cross"
    assert type(config).__name__ == "CrossConfig"
    assert config.fast == 3
    untyped_cls, raw = resolve_component(
        ImportableConfig(path="cfg_strats_c:Untyped", config={"a": 1})
    )
    assert untyped_cls.__name__ == "Untyped"
    assert raw == {"a": 1}


def test_validate_when_client_factory_path_unimportable_then_refused() -> None:
    errors = _errors_of({"data_clients": {"EXT": {"factory_path": "argonaut_nowhere:Factory"}}})
    assert errors == [
        (
            "data_clients.EXT.factory_path: cannot import module `argonaut_nowhere` "
            "(No module named 'argonaut_nowhere')"
        )
    ]


# --- secrets ------------------------------------------------------------------------------


def test_database_repr_when_password_set_then_masked() -> None:
    db = DatabaseConfig(type="postgres", host="db", password="hunter2")
    assert "hunter2" not in repr(db)
    assert f"password='{SECRET_MASK}'" in repr(db)
    assert "hunter2" not in repr(LiveNodeConfig(database=db))


def test_dumps_when_password_set_then_masked_unless_revealed() -> None:
    config = LiveNodeConfig(
        database=DatabaseConfig(type="postgres", password="hunter2"),
        message_bus=MessageBusConfig(database=DatabaseConfig(type="redis", password="pw2")),
    )
    for text in (dump_toml(config), dump_json(config)):
        assert "hunter2" not in text
        assert "pw2" not in text
        assert SECRET_MASK in text
    revealed = config_to_dict(config, reveal_secrets=True)
    assert revealed["database"]["password"] == "hunter2"
    reloaded = tomllib.loads(dump_toml(config, reveal_secrets=True))
    assert reloaded["database"]["password"] == "hunter2"


def test_load_config_when_password_is_the_mask_then_refused() -> None:
    errors = _errors_of({"database": {"type": "postgres", "password": SECRET_MASK}})
    assert errors[0].startswith("database.password: is the redaction mask")


def test_password_env_when_variable_set_then_password_resolved() -> None:
    config = config_from_dict(
        {"database": {"type": "postgres", "password_env": "ARGO_DB_PW"}},
        environ={"ARGO_DB_PW": "s3cret"},
    )
    assert config.database is not None
    assert config.database.resolved_password({"ARGO_DB_PW": "s3cret"}) == "s3cret"
    assert "s3cret" not in repr(config)


def test_password_env_when_variable_missing_then_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARGO_DB_PW_MISSING", raising=False)
    errors = _errors_of({"database": {"type": "postgres", "password_env": "ARGO_DB_PW_MISSING"}})
    assert errors == ["database.password_env: environment variable `ARGO_DB_PW_MISSING` is not set"]


def test_password_env_when_process_environment_has_it_then_resolved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ARGO_DB_PW_SET", "from-env")
    config = config_from_dict({"database": {"type": "postgres", "password_env": "ARGO_DB_PW_SET"}})
    assert config.database is not None
    assert config.database.resolved_password() == "from-env"


# --- round trips --------------------------------------------------------------------------


def test_dump_toml_when_default_config_then_loads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "node.toml"
    path.write_text(dump_toml(default_config()))
    assert load_config(path) == default_config()


def test_dump_json_when_default_config_then_loads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "node.json"
    path.write_text(dump_json(default_config()))
    assert load_config(path) == default_config()


def test_dump_toml_when_rich_config_then_round_trips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_module(tmp_path, monkeypatch, "cfg_strats_d", STRATEGY_MODULE)
    config = LiveNodeConfig(
        environment=Environment.LIVE,
        instance_id="run-1",
        database=DatabaseConfig(type="redis", host="127.0.0.1", port=6379, ssl=True),
        save_state=True,
        exec_engine=LiveExecEngineConfig(
            reconciliation_instrument_ids=["BTCUSDT-PERP.SIM"],
            open_check_interval_secs=7.5,
            fail_closed_state="OFF",
        ),
        risk_engine=LiveRiskEngineConfig(max_notional_per_order={"BTCUSDT-PERP.SIM": "1000"}),
        data_engine=LiveDataEngineConfig(time_bars_origin_offset={"MINUTE": 5}),
        strategies=[
            ImportableConfig(
                path="cfg_strats_d:Cross",
                config={"instrument_id": 'A "quoted"\tname.SIM', "fast": 2},
            ),
            ImportableConfig(path="cfg_strats_d:Untyped", config={"nested": {"a": [1, 2.5]}}),
        ],
        exec_clients={"SIM": ClientConfig(kind="sandbox", default=True, venues=["SIM"])},
    )
    text = dump_toml(config)
    assert config_from_dict(tomllib.loads(text)) == config
    assert config_from_dict(msgspec.json.decode(dump_json(config))) == config


def test_config_to_dict_when_default_config_then_environment_written_as_name() -> None:
    data = config_to_dict(default_config())
    assert data["environment"] == "SANDBOX"
    assert data["exec_engine"]["inflight_check_interval_ms"] == 2000
