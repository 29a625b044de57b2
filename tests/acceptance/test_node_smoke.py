from __future__ import annotations

import asyncio

from node_env import QuoteCounter, make_node

from argonaut.live.state import NodeState
from argonaut.testkit import quote
from argonaut.testkit.virtual_time import run_virtual


def test_run_when_stop_requested_then_starts_trades_quotes_and_stops() -> None:
    async def scenario() -> tuple[int, NodeState, list[NodeState]]:
        env = make_node()
        strategy = QuoteCounter()
        env.node.add_strategy(strategy)
        handle = env.node.handle()
        states: list[NodeState] = []

        async def driver() -> None:
            while not handle.is_running:
                await asyncio.sleep(0.05)
            states.append(handle.state)
            for i in range(5):
                env.data.push(quote(ts=i))
                await asyncio.sleep(0.01)
            handle.stop()

        task = asyncio.ensure_future(driver())
        await env.node.run()
        await task
        return len(strategy.quotes), env.node.state, states

    count, final, states = run_virtual(scenario())
    assert count == 5
    assert final is NodeState.STOPPED
    assert states == [NodeState.RUNNING]
