from __future__ import annotations

import asyncio
import gc

from node_env import make_node

from argonaut.testkit.virtual_time import run_virtual


def test_run_when_gc_policy_set_then_applied_while_running_and_restored_after_stop() -> None:
    before = gc.get_threshold()

    async def scenario() -> tuple[tuple[int, int, int], int]:
        env = make_node(gc_gen0_threshold=12_345)
        handle = env.node.handle()
        seen: list[tuple[tuple[int, int, int], int]] = []

        async def driver() -> None:
            while not handle.is_running:
                await asyncio.sleep(0.05)
            seen.append((gc.get_threshold(), gc.get_freeze_count()))
            handle.stop()

        task = asyncio.ensure_future(driver())
        await env.node.run()
        await task
        return seen[0]

    (threshold, frozen) = run_virtual(scenario())
    assert threshold[0] == 12_345
    assert frozen > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_run_when_gc_policy_off_then_thresholds_untouched() -> None:
    before = gc.get_threshold()

    async def scenario() -> tuple[int, int, int]:
        env = make_node(gc_gen0_threshold=None, gc_freeze_on_start=False)
        handle = env.node.handle()
        seen: list[tuple[int, int, int]] = []

        async def driver() -> None:
            while not handle.is_running:
                await asyncio.sleep(0.05)
            seen.append(gc.get_threshold())
            handle.stop()

        task = asyncio.ensure_future(driver())
        await env.node.run()
        await task
        return seen[0]

    assert run_virtual(scenario()) == before
