"""The virtual-time event loop: instant sleeps, virtual timeouts, order, threads, determinism."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from argonaut.testkit.virtual_time import (
    DEFAULT_START_NS,
    VirtualTimeDeadlock,
    VirtualTimeEventLoop,
    current_time_source,
    run_virtual,
    virtual_loop,
)


@pytest.fixture
def loop() -> Iterator[VirtualTimeEventLoop]:
    with virtual_loop() as vloop:
        yield vloop


def test_sleep_an_hour_returns_at_once_with_clock_an_hour_later(
    loop: VirtualTimeEventLoop,
) -> None:
    real_start = time.perf_counter()
    assert loop.time() == 0.0
    loop.run_until_complete(asyncio.sleep(3600))
    assert loop.time() == 3600.0
    assert loop.virtual_ns() == 3_600_000_000_000
    assert loop.wall_ns() == DEFAULT_START_NS + 3_600_000_000_000
    assert time.perf_counter() - real_start < 5.0


def test_long_sleep_beyond_the_selector_cap_lands_exactly() -> None:
    async def main() -> float:
        await asyncio.sleep(10 * 86_400 + 0.25)
        return asyncio.get_running_loop().time()

    assert run_virtual(main()) == 10 * 86_400 + 0.25


def test_wait_for_times_out_in_virtual_time() -> None:
    async def main() -> tuple[float, bool]:
        loop = asyncio.get_running_loop()
        never: asyncio.Future[None] = loop.create_future()
        try:
            await asyncio.wait_for(never, 30)
        except TimeoutError:
            return loop.time(), never.cancelled()
        return -1.0, False

    assert run_virtual(main()) == (30.0, True)


def test_asyncio_timeout_expires_in_virtual_time() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(5):
                await asyncio.sleep(100)
        return loop.time()

    assert run_virtual(main()) == 5.0


def test_timers_fire_in_deadline_order_then_scheduling_order_at_their_times() -> None:
    async def main() -> list[tuple[str, float]]:
        loop = asyncio.get_running_loop()
        fired: list[tuple[str, float]] = []

        def record(name: str) -> None:
            fired.append((name, loop.time()))

        loop.call_later(3, record, "c")
        loop.call_later(1, record, "a1")
        loop.call_later(2, record, "b")
        loop.call_later(1, record, "a2")
        loop.call_at(0.5, record, "early")
        await asyncio.sleep(4)
        return fired

    assert run_virtual(main()) == [
        ("early", 0.5),
        ("a1", 1.0),
        ("a2", 1.0),
        ("b", 2.0),
        ("c", 3.0),
    ]


def test_tasks_interleave_by_virtual_deadline() -> None:
    async def main() -> list[str]:
        log: list[str] = []

        async def ticker(name: str, period: float, n: int) -> None:
            for i in range(n):
                await asyncio.sleep(period)
                log.append(f"{name}{i}@{asyncio.get_running_loop().time():g}")

        await asyncio.gather(ticker("fast", 1, 3), ticker("slow", 2.5, 2))
        return log

    assert run_virtual(main()) == ["fast0@1", "fast1@2", "slow0@2.5", "fast2@3", "slow1@5"]


def test_ready_callbacks_run_before_virtual_time_moves() -> None:
    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        times: list[float] = []
        loop.call_later(10, lambda: times.append(loop.time()))
        for _ in range(100):
            await asyncio.sleep(0)
            times.append(loop.time())
        await asyncio.sleep(10)
        return times

    times = run_virtual(main())
    assert times[:100] == [0.0] * 100
    assert times[100] == 10.0


def test_thread_can_wake_an_idle_loop_without_advancing_virtual_time() -> None:
    async def main() -> tuple[str, float]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[str] = loop.create_future()

        def worker() -> None:
            time.sleep(0.05)  # real time: the loop is blocked on its self-pipe meanwhile
            loop.call_soon_threadsafe(done.set_result, "from thread")

        thread = threading.Thread(target=worker)
        thread.start()
        result = await done
        thread.join()
        return result, loop.time()

    assert run_virtual(main()) == ("from thread", 0.0)


def test_idle_loop_with_no_timer_and_idle_timeout_then_deadlock_error() -> None:
    async def main() -> None:
        never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await never

    with pytest.raises(VirtualTimeDeadlock, match="idle with no timer pending"):
        run_virtual(main(), idle_timeout=0.05)


def test_same_program_twice_gives_same_virtual_time_sequence() -> None:
    async def program() -> list[int]:
        loop = asyncio.get_running_loop()
        assert isinstance(loop, VirtualTimeEventLoop)
        seen: list[int] = []

        async def worker(k: int) -> None:
            for i in range(20):
                await asyncio.sleep(((k * 7 + i * 3) % 11) / 10 + 0.001)
                seen.append(loop.virtual_ns() * 10 + k)

        async def timed_out() -> None:
            try:
                await asyncio.wait_for(asyncio.sleep(100), 3.3)
            except TimeoutError:
                seen.append(loop.virtual_ns() * 10 + 9)

        await asyncio.gather(*(worker(k) for k in range(5)), timed_out())
        return seen

    first = run_virtual(program())
    second = run_virtual(program())
    assert first == second
    assert len(first) == 101


def test_current_time_source_inside_run_virtual_uses_start_ns() -> None:
    async def main() -> int:
        await asyncio.sleep(1)
        return current_time_source().time_ns()

    assert run_virtual(main(), start_ns=1_000) == 1_000 + 1_000_000_000


def test_current_time_source_on_a_real_loop_then_runtime_error() -> None:
    async def main() -> None:
        current_time_source()

    with pytest.raises(RuntimeError, match="not a VirtualTimeEventLoop"):
        asyncio.run(main())


def test_virtual_loop_closes_on_exit_and_cancels_leftover_tasks() -> None:
    with virtual_loop() as loop:
        task = loop.create_task(asyncio.sleep(1e6))
        loop.run_until_complete(asyncio.sleep(1))
    assert loop.is_closed()
    assert task.cancelled()


def test_run_in_executor_completes_on_virtual_loop() -> None:
    async def main() -> int:
        return await asyncio.get_running_loop().run_in_executor(None, sum, [1, 2, 3])

    assert run_virtual(main()) == 6


@pytest.mark.parametrize("idle_timeout", [0, -1.0])
def test_idle_timeout_when_not_positive_then_value_error(idle_timeout: float) -> None:
    with pytest.raises(ValueError, match="idle_timeout must be positive"):
        VirtualTimeEventLoop(idle_timeout=idle_timeout)


def test_start_ns_when_negative_then_value_error() -> None:
    with pytest.raises(ValueError, match="start_ns must be a non-negative int"):
        VirtualTimeEventLoop(start_ns=-1)
