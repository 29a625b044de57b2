"""LiveNode main loop (behaviour 7): priorities, stop sources, signals, handles."""

from __future__ import annotations

import asyncio
import signal
import threading

import pytest
from node_env import NodeEnv, make_node, run_with, trader, wait_until

from argonaut.common import topics
from argonaut.live.state import NodeState
from argonaut.model.commands.data import SubscribeQuoteTicks
from argonaut.model.commands.system import ShutdownSystem
from argonaut.model.commands.trading import CancelOrder, SubmitOrder
from argonaut.model.enums import OrderSide, OrderStatus
from argonaut.model.events.order import OrderFilled
from argonaut.model.identifiers import ComponentId, InstrumentId
from argonaut.model.values import Price, Quantity
from argonaut.testkit import ethusdt_perp, quote
from argonaut.testkit.live import QuoteTrader, QuoteTraderConfig
from argonaut.testkit.virtual_time import run_virtual

ETH = InstrumentId("ETHUSDT-PERP.SIM")
BACKLOG = 10_000


def test_order_action_is_never_delayed_behind_a_market_data_backlog() -> None:
    at_receive: list[int] = []
    at_venue_call: list[int] = []
    result: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(log_level="WARNING")
        strategy = trader(submit_on_quote=1)
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            env.execution.on_receive = lambda cmd: at_receive.append(len(strategy.quotes))
            env.execution.on_venue_call = lambda cmd: at_venue_call.append(len(strategy.quotes))
            for i in range(BACKLOG):  # the whole backlog arrives at once
                env.data.push(quote(ts=i))
            await wait_until(lambda: len(strategy.quotes) == BACKLOG)
            order = env.node.kernel.cache.order(strategy.submitted[0])
            await wait_until(lambda: order is not None and order.status is OrderStatus.ACCEPTED)
            result["status"] = None if order is None else order.status
            env.handle.stop()

        await run_with(env, driver)
        assert strategy.quote_count_at_submit == 1
        result["received"] = [type(c) for c in env.execution.received]

    run_virtual(scenario())
    # The engine handed the submit to the client before the strategy saw the second quote.
    assert at_receive == [1]
    assert result["received"] == [SubmitOrder]
    # The venue call (a client task) ran long before the backlog was drained: the loop
    # yields to other tasks between bounded batches of messages.
    assert len(at_venue_call) == 1
    assert at_venue_call[0] < BACKLOG // 2
    assert result["status"] is OrderStatus.ACCEPTED


class _Timeline(QuoteTrader):
    def __init__(self, timeline: list[str]) -> None:
        super().__init__(
            QuoteTraderConfig(
                order_id_tag="001", submit_on_quote=None, log_events=False, log_commands=False
            )
        )
        self.timeline = timeline

    def on_quote_tick(self, tick: object) -> None:
        self.timeline.append("data_event")

    def on_order_filled(self, event: OrderFilled) -> None:
        self.timeline.append("exec_event")


def test_loop_when_every_channel_has_work_then_drained_in_priority_order() -> None:
    timeline: list[str] = []

    async def scenario() -> None:
        env = make_node()
        strategy = _Timeline(timeline)
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            cache = env.node.kernel.cache
            env.data.push(ethusdt_perp())
            orders = [
                strategy.factory.limit(
                    strategy.instrument_id,
                    OrderSide.BUY,
                    Quantity.from_str("0.010"),
                    Price.from_str(px),
                )
                for px in ("49000.0", "48000.0")
            ]
            for order in orders:
                strategy.submit_order(order)
            await wait_until(lambda: all(o.status is OrderStatus.ACCEPTED for o in orders))

            def on_data_command(cmd: object) -> None:
                if isinstance(cmd, SubscribeQuoteTicks) and cmd.instrument_id == ETH:
                    timeline.append("data_command")

            def on_exec_command(cmd: object) -> None:
                if isinstance(cmd, CancelOrder):
                    timeline.append("exec_command")

            env.data.on_receive = on_data_command
            env.execution.on_receive = on_exec_command
            # One synchronous burst, lowest priority first.
            strategy.subscribe_quote_ticks(ETH)
            env.data.push(quote(ts=1))
            strategy.cancel_order(orders[1])
            env.execution.fill(orders[0].client_order_id)
            env.node.runner.post_time_event(lambda: timeline.append("time_event"))
            await wait_until(lambda: len(timeline) == 5)
            assert cache.order(orders[1].client_order_id) is not None
            env.handle.stop()

        await run_with(env, driver)

    run_virtual(scenario())
    assert timeline == ["time_event", "exec_event", "exec_command", "data_event", "data_command"]


def test_handle_stop_when_a_data_stream_never_pauses_then_node_stops_within_a_tick() -> None:
    seen: dict[str, float] = {}

    async def scenario() -> None:
        env = make_node(log_level="WARNING", delay_post_stop=0.2)
        strategy = trader()
        env.node.add_strategy(strategy)

        async def feed() -> None:
            i = 0
            while True:
                for _ in range(20):
                    i += 1
                    env.data.push(quote(ts=i))
                await asyncio.sleep(0.001)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            task = asyncio.ensure_future(feed())
            await asyncio.sleep(0.35)
            seen["requested"] = env.now()
            env.handle.stop()
            await wait_until(lambda: env.handle.state is not NodeState.RUNNING, step=0.001)
            seen["shutting_down"] = env.now()
            await wait_until(lambda: env.handle.state is NodeState.STOPPED, step=0.01)
            task.cancel()

        await run_with(env, driver)
        seen["quotes"] = len(strategy.quotes)

    run_virtual(scenario())
    assert seen["quotes"] > 0
    assert seen["shutting_down"] - seen["requested"] <= 0.1 + 1e-6


def test_shutdown_system_command_then_graceful_shutdown() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node()
        strategy = trader()
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            k = env.node.kernel
            command = ShutdownSystem(
                trader_id=k.trader_id,
                component_id=ComponentId("Controller"),
                command_id=k.uuid_factory.generate(),
                ts_init=k.clock.timestamp_ns(),
                reason="maintenance window",
            )
            seen["sent_at"] = env.now()
            k.msgbus.publish(topics.system_shutdown(), command)

        await run_with(env, driver)
        seen["stopped_at"] = env.now()
        seen["state"] = env.node.state
        seen["trader_stopped"] = strategy.stopped_at is not None
        seen["log"] = env.text()

    run_virtual(scenario())
    assert seen["state"] is NodeState.STOPPED
    assert seen["trader_stopped"] is True
    assert "ShutdownSystem command (maintenance window)" in str(seen["log"])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_run_when_signal_received_then_graceful_shutdown(sig: signal.Signals) -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node()
        strategy = trader()
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            asyncio.get_running_loop().call_soon(signal.raise_signal, sig)

        await run_with(env, driver)
        seen["state"] = env.node.state
        seen["trader_stopped"] = strategy.stopped_at is not None
        seen["log"] = env.text()

    assert threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(sig)
    run_virtual(scenario())
    assert signal.getsignal(sig) == previous  # the node's handlers were removed
    assert seen["state"] is NodeState.STOPPED
    assert seen["trader_stopped"] is True
    assert f"received {sig.name}" in str(seen["log"])


def test_handle_stop_from_another_thread_then_running_node_stops() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(delay_post_stop=2.0)
        strategy = trader()
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            handle = env.node.handle()
            other = threading.Thread(target=handle.stop)
            other.start()
            other.join()
            seen["requested"] = env.now()

        await run_with(env, driver)
        seen["stopped"] = env.now()
        seen["state"] = env.node.state
        seen["trader_stopped"] = strategy.stopped_at is not None

    run_virtual(scenario())
    assert seen["state"] is NodeState.STOPPED
    assert seen["trader_stopped"] is True
    # One stop-check tick, then the 2 s grace period, then disconnection.
    elapsed = float(seen["stopped"]) - float(seen["requested"])  # type: ignore[arg-type]
    assert 2.0 <= elapsed <= 2.0 + 0.1 + 0.1 + 1e-6


def test_handle_stop_during_startup_then_trader_not_started_and_node_stops() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env: NodeEnv

        async def during_connect() -> None:
            env.handle.stop()

        env = make_node(exec_kwargs={"connect_script": during_connect})
        strategy = trader()
        env.node.add_strategy(strategy)
        await run_with(env, lambda env: asyncio.sleep(0))
        seen["state"] = env.node.state
        seen["trader_started"] = strategy.started_at is not None

    run_virtual(scenario())
    assert seen == {"state": NodeState.STOPPED, "trader_started": False}


def test_shutdown_on_error_when_error_logged_after_start_then_graceful_shutdown() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(shutdown_on_error=True)
        strategy = trader()
        env.node.add_strategy(strategy)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            await asyncio.sleep(1.0)
            seen["running_after_1s"] = env.handle.is_running
            strategy.log.error("something broke")

        await run_with(env, driver)
        seen["state"] = env.node.state
        seen["log"] = env.text()

    run_virtual(scenario())
    assert seen["running_after_1s"] is True
    assert seen["state"] is NodeState.STOPPED
    assert "an ERROR was logged and shutdown_on_error is set" in str(seen["log"])


def test_shutdown_on_error_when_off_then_error_log_does_not_stop_the_node() -> None:
    seen: dict[str, object] = {}

    async def scenario() -> None:
        env = make_node(shutdown_on_error=False)

        async def driver(env: NodeEnv) -> None:
            await wait_until(lambda: env.handle.is_running)
            env.node.log.error("something broke")
            await asyncio.sleep(1.0)
            seen["running"] = env.handle.is_running
            env.handle.stop()

        await run_with(env, driver)

    run_virtual(scenario())
    assert seen["running"] is True
