"""Building a LiveNode (behaviours 3, 4), adding components (12), accessors (13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from node_env import BTC, NodeEnv, make_node, trader

from argonaut.common.errors import ConfigError
from argonaut.live.clients.factories import ClientFactoryRegistry
from argonaut.live.config import ClientConfig, ImportableConfig, LiveNodeConfig
from argonaut.live.execution_manager import ExecutionManager
from argonaut.live.node import LiveNode, NodeError
from argonaut.live.state import NodeState
from argonaut.model.enums import Environment
from argonaut.model.identifiers import InstrumentId, StrategyId, TraderId
from argonaut.system import Kernel
from argonaut.testkit import btcusdt_perp, quote
from argonaut.testkit.live import FakeClientFactory, QuoteTrader, QuoteTraderConfig
from argonaut.testkit.virtual_time import current_time_source, run_virtual
from argonaut.trading import Actor, ActorConfig
from argonaut.trading.twap import TWAP

# -- the builder (behaviour 4) -------------------------------------------------------------


def test_builder_when_backtest_then_refused() -> None:
    with pytest.raises(ConfigError, match="BACKTEST is refused"):
        LiveNode.builder("TESTER-001", Environment.BACKTEST)


@pytest.mark.parametrize("environment", [Environment.SANDBOX, Environment.LIVE])
def test_builder_when_sandbox_or_live_then_node_in_that_environment(
    environment: Environment,
) -> None:
    node = LiveNode.builder("TESTER-001", environment).build()
    assert node.environment is environment
    assert node.state is NodeState.IDLE


def test_builder_with_options_then_each_lands_in_node_config() -> None:
    node = (
        LiveNode.builder("TESTER-002", Environment.SANDBOX)
        .with_name("MyNode")
        .with_instance_id("run-7")
        .with_shutdown_on_error()
        .with_timeout_connection(7.0)
        .with_timeout_reconciliation(8.0)
        .with_timeout_portfolio(9.0)
        .with_timeout_disconnection(3.0)
        .with_delay_post_stop(2.5)
        .with_timeout_shutdown(4.0)
        .with_reconciliation(False)
        .with_reconciliation_lookback_mins(120)
        .with_reconciliation_startup_delay_secs(5.0)
        .with_exec_engine_option("inflight_check_interval_ms", 700)
        .build()
    )
    cfg = node.config
    assert node.name == "MyNode"
    assert node.trader_id == TraderId("TESTER-002")
    assert node.instance_id == "run-7"
    assert (cfg.shutdown_on_error, cfg.timeout_connection, cfg.timeout_reconciliation) == (
        True,
        7.0,
        8.0,
    )
    assert (cfg.timeout_portfolio, cfg.timeout_disconnection, cfg.delay_post_stop) == (
        9.0,
        3.0,
        2.5,
    )
    assert cfg.timeout_shutdown == 4.0
    exec_cfg = cfg.exec_engine
    assert exec_cfg.reconciliation is False
    assert exec_cfg.reconciliation_lookback_mins == 120
    assert exec_cfg.reconciliation_startup_delay_secs == 5.0
    assert exec_cfg.inflight_check_interval_ms == 700


@pytest.mark.parametrize(
    ("option", "field"),
    [
        (lambda b: b.with_timeout_connection(-1.0), "timeout_connection"),
        (lambda b: b.with_delay_post_stop(float("nan")), "delay_post_stop"),
        (lambda b: b.with_instance_id("has space"), "instance_id"),
        (
            lambda b: b.with_exec_engine_option("inflight_check_interval_ms", -5),
            "inflight_check_interval_ms",
        ),
        (lambda b: b.with_exec_engine_option("no_such_option", 1), "no_such_option"),
    ],
)
def test_builder_build_when_bad_value_then_config_error_naming_the_field(
    option: Callable[[Any], Any], field: str
) -> None:
    builder = LiveNode.builder("TESTER-001", Environment.SANDBOX)
    option(builder)
    with pytest.raises(ConfigError, match=field):
        builder.build()


def test_builder_with_clients_then_built_by_factory_registered_and_node_runs() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        factory = FakeClientFactory([btcusdt_perp()])
        node = (
            LiveNode.builder("TESTER-001", Environment.SANDBOX)
            .with_time_source(current_time_source())
            .with_delay_post_stop(0.5)
            .add_data_client("SIM", factory, {"connect_delay": 0.3})
            .add_exec_client("SIM", factory, {"account_id": "SIM-001"})
            .build()
        )
        strategy = trader()
        node.add_strategy(strategy)
        await node.start()
        factory.data_clients[0].push(quote(ts=1))
        await current_time_source().sleep(0.1)
        seen["connected"] = [c.is_connected for c in (*factory.data_clients, *factory.exec_clients)]
        seen["quotes"] = len(strategy.quotes)
        await node.stop()
        seen["state"] = node.state

    run_virtual(scenario())
    assert seen == {"connected": [True, True], "quotes": 1, "state": NodeState.STOPPED}


# -- LiveNode.build from a config (behaviour 3) ----------------------------------------------


def test_build_from_config_then_clients_from_factories_and_strategy_by_import_path() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        factory = FakeClientFactory([btcusdt_perp()], time_source=current_time_source())
        config = LiveNodeConfig(
            trader_id="TESTER-003",
            delay_post_stop=0.5,
            data_clients={"SIM": ClientConfig(kind="fake")},
            exec_clients={"SIM": ClientConfig(kind="fake", config={"account_id": "SIM-001"})},
            strategies=[
                ImportableConfig(
                    path="argonaut.testkit.live:QuoteTrader",
                    config={"order_id_tag": "007", "submit_on_quote": 1},
                )
            ],
        )
        node = LiveNode.build(
            "Built",
            config,
            factories=ClientFactoryRegistry({"fake": factory}),
            time_source=current_time_source(),
        )
        strategies = node.kernel.trader.strategies()
        seen["strategy_ids"] = [s.id for s in strategies]
        seen["trader_id"] = node.trader_id
        await node.start()
        factory.data_clients[0].push(quote(ts=1))
        await current_time_source().sleep(0.1)
        seen["submits"] = len(factory.exec_clients[0].received)
        await node.stop()

    run_virtual(scenario())
    assert seen == {
        "strategy_ids": [StrategyId("QuoteTrader-007")],
        "trader_id": TraderId("TESTER-003"),
        "submits": 1,
    }


def test_build_when_client_kind_unknown_then_config_error_listing_known_kinds() -> None:
    config = LiveNodeConfig(data_clients={"SIM": ClientConfig(kind="nope")})
    registry = ClientFactoryRegistry({"fake": FakeClientFactory()})
    with pytest.raises(ConfigError, match=r"unknown client factory kind 'nope'.*'fake'"):
        LiveNode.build("Bad", config, factories=registry)


def test_build_with_default_config_then_idle_sandbox_node_without_clients() -> None:
    node = LiveNode.build("Plain")
    assert node.environment is Environment.SANDBOX
    assert node.state is NodeState.IDLE
    assert node.config.data_clients == {}
    assert node.kernel.exec_engine.check_connected()


# -- adding components only while IDLE (behaviour 12) ------------------------------------


class _Actor(Actor):
    def __init__(self, name: str = "Watcher") -> None:
        super().__init__(ActorConfig(component_id=name))


def _adders(node: LiveNode) -> dict[str, Callable[[], None]]:
    return {
        "add_actor": lambda: node.add_actor(_Actor("A1")),
        "add_actor_from_factory": lambda: node.add_actor_from_factory(lambda: _Actor("A2")),
        "add_strategy": lambda: node.add_strategy(trader(tag="002")),
        "add_exec_algorithm": lambda: node.add_exec_algorithm(TWAP()),
        "set_cache_database": lambda: node.set_cache_database(object()),
    }


def test_add_components_when_idle_then_added() -> None:
    node = LiveNode.build("Idle")
    for add in _adders(node).values():
        add()
    trader_ = node.kernel.trader
    assert {str(a.id) for a in trader_.actors()} == {"A1", "A2"}
    assert [s.id for s in trader_.strategies()] == [StrategyId("QuoteTrader-002")]
    assert len(trader_.exec_algorithms()) == 1
    assert node.kernel.msgbus.is_registered("TWAP.execute")


@pytest.mark.parametrize(
    "what",
    [
        "add_actor",
        "add_actor_from_factory",
        "add_strategy",
        "add_exec_algorithm",
        "set_cache_database",
    ],
)
@pytest.mark.parametrize("when", ["RUNNING", "STOPPED"])
def test_add_component_when_not_idle_then_clear_error(what: str, when: str) -> None:
    async def scenario() -> None:
        env = make_node()
        await env.node.start()
        if when == "STOPPED":
            await env.node.stop()
        with pytest.raises(NodeError, match=f"while the node is {when}: only while IDLE"):
            _adders(env.node)[what]()
        if when == "RUNNING":
            await env.node.stop()

    run_virtual(scenario())


def test_add_strategy_with_external_order_claims_then_registered_with_execution_manager() -> None:
    node = LiveNode.build("Claims")
    strategy = QuoteTrader(QuoteTraderConfig(order_id_tag="003", external_order_claims=[str(BTC)]))
    node.add_strategy(strategy)
    assert node.kernel.exec_engine.external_order_claim(BTC) == strategy.id
    assert node.kernel.exec_engine.external_order_claim(InstrumentId("ETHUSDT-PERP.SIM")) is None


def test_add_strategy_when_instrument_already_claimed_then_refused() -> None:
    node = LiveNode.build("Claims")
    node.add_strategy(
        QuoteTrader(QuoteTraderConfig(order_id_tag="003", external_order_claims=[str(BTC)]))
    )
    with pytest.raises(ValueError, match=str(BTC)):
        node.add_strategy(
            QuoteTrader(QuoteTraderConfig(order_id_tag="004", external_order_claims=[str(BTC)]))
        )


# -- accessors (behaviour 13) --------------------------------------------------------------


def test_accessors_then_report_the_node() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env: NodeEnv = make_node(instance_id="inst-1")
        node = env.node
        seen["idle"] = (node.state, node.is_running)
        await node.start()
        seen["running"] = (node.state, node.is_running, node.handle().is_running)
        await node.stop()
        seen["stopped"] = (node.state, node.is_running)
        seen["static"] = (
            node.environment,
            isinstance(node.kernel, Kernel),
            node.trader_id,
            node.instance_id,
            isinstance(node.exec_manager, ExecutionManager),
            node.exec_manager.clients == [env.execution],
        )

    run_virtual(scenario())
    assert seen == {
        "idle": (NodeState.IDLE, False),
        "running": (NodeState.RUNNING, True, True),
        "stopped": (NodeState.STOPPED, False),
        "static": (
            Environment.SANDBOX,
            True,
            TraderId("TESTER-001"),
            "inst-1",
            True,
            True,
        ),
    }


def test_handle_then_copies_share_the_node_state() -> None:
    node = LiveNode.build("Handles")
    first, second = node.handle(), node.handle()
    assert first.shares_state_with(second)
    first.stop()
    assert second.should_stop
    assert second.state is NodeState.IDLE
