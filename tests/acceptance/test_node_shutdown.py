"""LiveNode shutdown (behaviour 11): grace period, disconnection, finalize, drain."""

from __future__ import annotations

import asyncio

import pytest
from node_env import NodeEnv, make_node, run_with, trader, wait_until

from argonaut.common.logging import ERROR
from argonaut.live.node import NodeError
from argonaut.live.state import NodeState
from argonaut.testkit import quote
from argonaut.testkit.virtual_time import run_virtual


def test_stop_when_idle_then_refused() -> None:
    async def scenario() -> None:
        env = make_node()
        with pytest.raises(NodeError, match="IDLE, not RUNNING"):
            await env.node.stop()

    run_virtual(scenario())


def test_stop_when_already_stopped_then_refused() -> None:
    async def scenario() -> None:
        env = make_node()
        await env.node.start()
        await env.node.stop()
        with pytest.raises(NodeError, match="STOPPED, not RUNNING"):
            await env.node.stop()

    run_virtual(scenario())


def test_run_then_states_go_idle_starting_running_shutting_down_stopped() -> None:
    states: list[NodeState] = []

    async def scenario() -> None:
        env = make_node(data_delay=0.2)
        handle = env.handle

        async def watch() -> None:
            while True:
                if not states or states[-1] is not handle.state:
                    states.append(handle.state)
                if handle.state is NodeState.STOPPED:
                    return
                await asyncio.sleep(0.005)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: handle.is_running)
            handle.stop()

        states.append(handle.state)
        watcher = asyncio.ensure_future(watch())
        await run_with(env, driver)
        await watcher

    run_virtual(scenario())
    assert states == [
        NodeState.IDLE,
        NodeState.STARTING,
        NodeState.RUNNING,
        NodeState.SHUTTING_DOWN,
        NodeState.STOPPED,
    ]


def test_stop_then_trader_stopped_residuals_processed_during_grace_then_clients_disconnected() -> (
    None
):
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(delay_post_stop=3.0)
        strategy = trader()
        env.node.add_strategy(strategy)
        await env.node.start()
        for i in range(3):
            env.data.push(quote(ts=i))
        await asyncio.sleep(0.5)
        seen["quotes_before"] = len(strategy.quotes)
        stop = asyncio.ensure_future(env.node.stop())
        await asyncio.sleep(0)
        seen["state_in_grace"] = env.node.state
        seen["trader_stopped_at_once"] = strategy.stopped_at is not None
        requested = env.now()
        for i in range(7):  # residual traffic during the grace period
            env.data.push(quote(ts=100 + i))
            env.execution.report_account()
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        seen["connected_in_grace"] = env.data.is_connected and env.execution.is_connected
        await stop
        seen["stopped_after"] = env.now() - requested
        seen["state"] = env.node.state
        seen["connected_after"] = env.data.is_connected or env.execution.is_connected
        seen["disconnects"] = (env.data.disconnect_count, env.execution.disconnect_count)
        seen["residual"] = env.node.residual_events
        seen["quotes_after"] = len(strategy.quotes)
        k = env.node.kernel
        seen["engines_running"] = [e.is_running for e in k.engines]

    run_virtual(scenario())
    assert seen["quotes_before"] == 3
    assert seen["state_in_grace"] is NodeState.SHUTTING_DOWN
    assert seen["trader_stopped_at_once"] is True
    assert seen["connected_in_grace"] is True
    assert seen["stopped_after"] == pytest.approx(3.0)
    assert seen["state"] is NodeState.STOPPED
    assert seen["connected_after"] is False
    assert seen["disconnects"] == (1, 1)
    assert seen["residual"] >= 14  # 7 quotes and 7 account states, counted
    assert seen["quotes_after"] == 3  # the stopped strategy saw none of them
    assert seen["engines_running"] == [False] * 5


def test_stop_when_disconnect_hangs_then_bounded_by_timeout_and_error_names_engine() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(
            delay_post_stop=1.0, timeout_disconnection=2.0, exec_kwargs={"disconnect_hangs": True}
        )
        await env.node.start()
        started = env.now()
        await env.node.stop()
        seen["elapsed"] = env.now() - started
        seen["state"] = env.node.state
        seen["errors"] = env.messages(ERROR)
        seen["data_connected"] = env.data.is_connected

    run_virtual(scenario(), idle_timeout=5.0)
    assert seen["elapsed"] == pytest.approx(1.0 + 2.0)
    assert seen["state"] is NodeState.STOPPED
    assert seen["data_connected"] is False
    errors = [m for m in seen["errors"] if "disconnect" in m]  # type: ignore[attr-defined]
    assert len(errors) == 1
    assert "ExecEngine still connected" in errors[0]
    assert "DataEngine" not in errors[0]


def test_stop_when_client_disconnects_slowly_within_timeout_then_no_error() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(
            delay_post_stop=1.0, timeout_disconnection=2.0, exec_kwargs={"disconnect_delay": 0.5}
        )
        await env.node.start()
        started = env.now()
        await env.node.stop()
        seen["elapsed"] = env.now() - started
        seen["errors"] = env.messages(ERROR)

    run_virtual(scenario())
    assert seen["elapsed"] == pytest.approx(1.5)
    assert seen["errors"] == []


def test_events_arriving_during_finalize_then_drained_after_stopped_and_counted() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env: NodeEnv

        async def while_disconnecting() -> None:
            env.execution.report_account()
            env.data.push(quote(ts=5))
            env.data.push(quote(ts=6))

        env = make_node(exec_kwargs={"disconnect_script": while_disconnecting})
        await env.node.start()
        await env.node.stop()
        seen["drained"] = env.node.drained_after_stop
        seen["depth"] = env.node.runner.channels.total_depth
        seen["log"] = env.text()

    run_virtual(scenario())
    assert seen["drained"] == 3
    assert seen["depth"] == 0
    assert "Drained 3 remaining events during shutdown" in str(seen["log"])
