"""RealTimeSource on real and virtual loops; VirtualTimeSource wall clock."""

from __future__ import annotations

import asyncio
import time

import pytest

from argonaut.live.timesource import RealTimeSource, TimeSource, VirtualTimeSource
from argonaut.testkit.virtual_time import run_virtual, virtual_loop


def _as_time_source(ts: TimeSource) -> TimeSource:
    return ts


def test_both_sources_satisfy_the_protocol() -> None:
    assert _as_time_source(RealTimeSource()) is not None
    assert _as_time_source(VirtualTimeSource(0)) is not None


def test_real_source_on_real_loop_reads_system_wall_clock_and_loop_clock() -> None:
    async def main() -> None:
        ts = RealTimeSource()
        loop = asyncio.get_running_loop()
        before = time.time_ns()
        assert before - 10**9 < ts.time_ns() < before + 10**9
        m0 = ts.monotonic()
        assert abs(m0 - loop.time()) < 1.0
        await ts.sleep(0.01)
        assert ts.monotonic() - m0 >= 0.009

    asyncio.run(main())


def test_real_source_call_later_fires_and_cancel_prevents_it() -> None:
    async def main() -> list[str]:
        ts = RealTimeSource()
        fired: list[str] = []
        ts.call_later(0.001, lambda: fired.append("a"))
        handle = ts.call_later(0.001, lambda: fired.append("b"))
        handle.cancel()
        assert handle.cancelled()
        await asyncio.sleep(0.02)
        return fired

    assert asyncio.run(main()) == ["a"]


def test_real_source_outside_a_loop_then_runtime_error() -> None:
    with pytest.raises(RuntimeError, match="use it inside a running event loop"):
        RealTimeSource().monotonic()


def test_real_source_with_explicit_loop_works_outside_it() -> None:
    loop = asyncio.new_event_loop()
    try:
        ts = RealTimeSource(loop)
        assert ts.loop() is loop
        assert abs(ts.monotonic() - loop.time()) < 1.0
        handle = ts.call_later(10, lambda: None)
        handle.cancel()
    finally:
        loop.close()


def test_real_source_on_virtual_loop_is_virtual_for_monotonic_sleep_and_call_later() -> None:
    async def main() -> tuple[float, float, list[float]]:
        ts = RealTimeSource()
        loop = asyncio.get_running_loop()
        fired: list[float] = []
        ts.call_later(30, lambda: fired.append(loop.time()))
        m0 = ts.monotonic()
        await ts.sleep(60)
        return m0, ts.monotonic(), fired

    m0, m1, fired = run_virtual(main())
    assert (m0, m1, fired) == (0.0, 60.0, [30.0])


def test_virtual_source_wall_clock_is_start_plus_virtual_time() -> None:
    start = 1_700_000_000_000_000_000

    async def main() -> list[int]:
        ts = VirtualTimeSource(start)
        seen = [ts.time_ns()]
        await ts.sleep(1.5)
        seen.append(ts.time_ns())
        await ts.sleep(0.000_000_001)
        seen.append(ts.time_ns())
        return seen

    assert run_virtual(main()) == [start, start + 1_500_000_000, start + 1_500_000_001]


def test_virtual_loop_time_source_matches_loop_wall_clock() -> None:
    with virtual_loop(start_ns=5_000_000_000) as loop:
        ts = loop.time_source()
        assert ts.start_ns == 5_000_000_000
        loop.run_until_complete(asyncio.sleep(2))
        assert ts.time_ns() == loop.wall_ns() == 7_000_000_000
        assert ts.monotonic() == loop.time() == 2.0


@pytest.mark.parametrize("start_ns", [-1, 1.5, True])
def test_virtual_source_start_when_not_non_negative_int_then_value_error(start_ns: int) -> None:
    with pytest.raises(ValueError, match="start_ns must be a non-negative int"):
        VirtualTimeSource(start_ns)
