"""LiveNode startup (behaviours 5 and 6): `start()` and `run()` up to RUNNING."""

from __future__ import annotations

import asyncio

import pytest
from node_env import BTC, NodeEnv, Probe, make_node, run_with, trader, wait_until

from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import NodeError
from argonaut.live.state import NodeState
from argonaut.model.identifiers import AccountId, InstrumentId, Venue, VenueOrderId
from argonaut.model.reports import ExecutionMassStatus
from argonaut.testkit import ethusdt_perp, quote
from argonaut.testkit.live import FakeLiveExecClient
from argonaut.testkit.virtual_time import run_virtual

ACCOUNT = AccountId("SIM-001")
ETH = InstrumentId("ETHUSDT-PERP.SIM")

# -- start(): the manual life cycle ------------------------------------------------------


def test_start_when_clients_connect_then_trader_started_and_running() -> None:
    async def scenario() -> None:
        env = make_node(data_delay=0.5, exec_delay=0.5)
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        assert env.node.state is NodeState.RUNNING
        assert env.node.is_running
        assert strategy.started_at is not None
        assert env.data.is_connected
        assert env.execution.is_connected
        assert env.now() == pytest.approx(1.0)  # both phases, one after the other
        await env.node.stop()

    run_virtual(scenario())


def test_start_when_already_running_then_refused() -> None:
    async def scenario() -> None:
        env = make_node()
        await env.node.start()
        with pytest.raises(NodeError, match="already RUNNING"):
            await env.node.start()
        await env.node.stop()

    run_virtual(scenario())


def test_start_when_node_already_ran_once_then_refused() -> None:
    async def scenario() -> None:
        env = make_node()
        await env.node.start()
        await env.node.stop()
        with pytest.raises(NodeError, match="already run once"):
            await env.node.start()

    run_virtual(scenario())


def test_start_then_state_is_starting_while_clients_connect() -> None:
    seen: list[NodeState] = []

    async def scenario() -> None:
        env: NodeEnv

        async def record() -> None:
            seen.append(env.handle.state)

        env = make_node(
            data_kwargs={"connect_script": record}, exec_kwargs={"connect_script": record}
        )
        assert env.node.state is NodeState.IDLE
        await env.node.start()
        await env.node.stop()

    run_virtual(scenario())
    assert seen == [NodeState.STARTING, NodeState.STARTING]


def test_start_then_data_connected_and_instruments_cached_before_exec_clients_connect() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env: NodeEnv

        async def at_exec_connect() -> None:
            seen["data_connected"] = env.data.is_connected
            seen["instrument"] = env.node.kernel.cache.instrument(BTC)

        env = make_node(data_delay=2.0, exec_kwargs={"connect_script": at_exec_connect})
        await env.node.start()
        seen["exec_connected_at"] = env.now()
        await env.node.stop()

    run_virtual(scenario())
    assert seen["data_connected"] is True
    assert seen["instrument"] is not None
    assert seen["exec_connected_at"] == pytest.approx(2.0)


def test_start_when_client_slow_but_within_timeout_connection_then_trader_starts() -> None:
    async def scenario() -> None:
        env = make_node(exec_delay=4.0, timeout_connection=5.0)
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        assert strategy.started_at is not None
        assert env.now() == pytest.approx(4.0)
        await env.node.stop()

    run_virtual(scenario())


def test_start_when_exec_client_never_connects_then_table_logged_no_trader_and_running() -> None:
    async def scenario() -> None:
        env = make_node(exec_never_connects=True, timeout_connection=3.0)
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        # Bounded by timeout_connection, the trader not started, but RUNNING so stop() works.
        assert env.now() == pytest.approx(3.0)
        assert strategy.started_at is None
        assert env.node.state is NodeState.RUNNING
        text = env.text()
        assert "| Client | Type      | Connected |" in text
        assert "| SIM    | Data      | yes       |" in text
        assert "| SIM    | Execution | no        |" in text
        assert "Not starting the trader" in text
        await env.node.stop()
        assert env.node.state is NodeState.STOPPED

    run_virtual(scenario(), idle_timeout=5.0)


def test_start_when_data_client_never_connects_then_bounded_and_trader_not_started() -> None:
    async def scenario() -> None:
        env = make_node(data_kwargs={"never_connects": True}, timeout_connection=2.0)
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        assert strategy.started_at is None
        assert env.node.state is NodeState.RUNNING
        assert env.now() <= 4.0  # each connection phase is bounded by timeout_connection
        assert "| SIM    | Data      | no        |" in env.text()
        await env.node.stop()
        assert env.node.state is NodeState.STOPPED

    run_virtual(scenario(), idle_timeout=5.0)


def test_start_then_mass_status_requested_per_exec_client_with_lookback_before_trader_starts() -> (
    None
):
    requests_at_start: list[list[int | None]] = []

    async def scenario() -> None:
        env = make_node(
            exec_engine=LiveExecEngineConfig(
                reconciliation_lookback_mins=90, reconciliation_startup_delay_secs=1.0
            )
        )
        k = env.node.kernel
        second = FakeLiveExecClient(
            "SIM2",
            msgbus=k.msgbus,
            cache=k.cache,
            clock=k.clock,
            uuid_factory=k.uuid_factory,
            venue="SIM2",
            account_id="SIM2-001",
            time_source=env.time_source,
        )
        env.node.add_exec_client(second)

        def on_started() -> None:
            requests_at_start.append(list(env.execution.mass_status_requests))
            requests_at_start.append(list(second.mass_status_requests))

        env.node.add_strategy(Probe(on_started))
        await env.node.start()
        await env.node.stop()

    run_virtual(scenario())
    assert requests_at_start == [[90], [90]]


def test_start_when_reconciliation_disabled_then_no_mass_status_and_trader_starts() -> None:
    async def scenario() -> None:
        env = make_node(exec_engine=LiveExecEngineConfig(reconciliation=False))
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        assert env.execution.mass_status_requests == []
        assert strategy.started_at is not None
        assert "Startup reconciliation disabled" in env.text()
        await env.node.stop()

    run_virtual(scenario())


def test_start_when_mass_status_has_a_venue_order_then_reconciled_before_trader_starts() -> None:
    from argonaut.testkit import limit_order, order_status_report

    found: list[list[VenueOrderId]] = []
    registered: list[bool] = []

    async def scenario() -> None:
        env: NodeEnv
        report = order_status_report(limit_order(), venue_order_id="V-EXT-1")
        env = make_node()
        env.execution.mass_status = ExecutionMassStatus(
            client_id=env.execution.client_id,
            account_id=ACCOUNT,
            venue=Venue("SIM"),
            report_id=env.node.kernel.uuid_factory.generate(),
            ts_init=0,
            order_reports={report.venue_order_id: report},
        )

        def on_started() -> None:
            [result] = env.node.reconciliation_results
            found.append([ext.venue_order_id for ext in result.external_orders])
            registered.append(
                env.node.exec_manager.external_order(VenueOrderId("V-EXT-1")) is not None
            )

        env.node.add_strategy(Probe(on_started))
        await env.node.start()
        await env.node.stop()

    run_virtual(scenario())
    assert found == [[VenueOrderId("V-EXT-1")]]
    assert registered == [True]


# -- run(): the integrated loop ----------------------------------------------------------


def test_run_when_already_running_then_refused() -> None:
    errors: list[str] = []

    async def driver(env: NodeEnv) -> None:
        await wait_until(lambda: env.handle.is_running)
        with pytest.raises(NodeError, match="already RUNNING") as info:
            await env.node.run()
        errors.append(str(info.value))
        env.handle.stop()

    async def scenario() -> None:
        await run_with(make_node(), driver)

    run_virtual(scenario())
    assert len(errors) == 1


def test_run_when_node_already_ran_once_then_refused() -> None:
    async def scenario() -> None:
        env = make_node()

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            env.handle.stop()

        await run_with(env, driver)
        assert env.node.state is NodeState.STOPPED
        with pytest.raises(NodeError, match="already run once"):
            await env.node.run()

    run_virtual(scenario())


def test_run_phase_one_then_timers_run_and_accounts_apply_at_once_and_data_waits() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env: NodeEnv
        fired: list[int] = []

        async def during_data_connect() -> None:
            k = env.node.kernel
            k.clock.set_time_alert("probe", k.clock.timestamp_ns() + 100_000_000, fired.append)
            env.execution.report_account()  # an account state on the execution channel
            env.data.push(ethusdt_perp())  # data: must wait until the phase ends
            await asyncio.sleep(0.5)
            seen["timer_fired"] = bool(fired)
            seen["account"] = k.cache.account(ACCOUNT) is not None
            seen["btc_during"] = k.cache.instrument(BTC) is not None
            seen["eth_during"] = k.cache.instrument(ETH) is not None

        env = make_node(data_kwargs={"connect_script": during_data_connect})

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            seen["eth_after"] = env.node.kernel.cache.instrument(ETH) is not None
            env.handle.stop()

        await run_with(env, driver)

    run_virtual(scenario())
    assert seen == {
        "timer_fired": True,
        "account": True,
        "btc_during": False,
        "eth_during": False,
        "eth_after": True,
    }


def test_run_phase_two_then_exec_events_wait_until_connected_and_accounts_apply_at_once() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env: NodeEnv

        async def during_exec_connect() -> None:
            k = env.node.kernel
            env.data.push(ethusdt_perp())
            env.data.push(quote(ts=1))
            await asyncio.sleep(0.5)
            seen["account"] = k.cache.account(ACCOUNT) is not None  # sent by connect
            seen["btc"] = k.cache.instrument(BTC) is not None  # flushed after phase 1
            seen["eth_during"] = k.cache.instrument(ETH) is not None

        env = make_node(exec_kwargs={"connect_script": during_exec_connect})

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            seen["eth_after"] = env.node.kernel.cache.instrument(ETH) is not None
            env.handle.stop()

        await run_with(env, driver)

    run_virtual(scenario())
    assert seen == {"account": True, "btc": True, "eth_during": False, "eth_after": True}


def test_run_then_reconciliation_before_trader_start_and_running_after() -> None:
    timeline: list[tuple[str, object]] = []

    async def scenario() -> None:
        env = make_node()

        def on_started() -> None:
            timeline.append(("trader_start", list(env.execution.mass_status_requests)))
            timeline.append(("state_at_trader_start", env.handle.state))

        env.node.add_strategy(Probe(on_started))

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            timeline.append(("running", env.handle.state))
            env.handle.stop()

        await run_with(env, driver)

    run_virtual(scenario())
    assert timeline == [
        ("trader_start", [None]),
        ("state_at_trader_start", NodeState.STARTING),
        ("running", NodeState.RUNNING),
    ]


def test_run_when_exec_client_never_connects_then_running_without_trader_and_stoppable() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(exec_never_connects=True, timeout_connection=2.0)
        strategy = trader()
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            seen["running_at"] = env.now()
            seen["trader_started"] = strategy.started_at is not None
            env.handle.stop()

        await run_with(env, driver)
        seen["final"] = env.node.state

    run_virtual(scenario(), idle_timeout=5.0)
    assert seen["trader_started"] is False
    assert seen["running_at"] == pytest.approx(2.0, abs=0.02)
    assert seen["final"] is NodeState.STOPPED


def test_start_when_exec_client_connect_raises_then_not_waiting_out_timeout_and_no_trader() -> None:
    async def scenario() -> None:
        env = make_node(timeout_connection=30.0)

        async def refuse() -> None:
            raise ConnectionRefusedError("venue refused the login")

        env.execution._connect = refuse  # type: ignore[method-assign]
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        # Nothing will connect that client later: the node stops waiting at once.
        assert env.now() < 1.0
        assert strategy.started_at is None
        text = env.text()
        assert "Client(s) failed to connect: SIM" in text
        assert "venue refused the login" in text
        assert "Not starting the trader" in text
        await env.node.stop()
        assert env.node.state is NodeState.STOPPED

    run_virtual(scenario(), idle_timeout=5.0)
