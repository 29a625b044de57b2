"""The injectable time source behind every piece of live-node timing.

The node never calls `time`, `asyncio.sleep` or `loop.call_later` itself: timeouts,
sleeps, deadlines and the maintenance cadence all go through a `TimeSource`, so a test
can run the whole node under virtual time (DESIGN.md section 2).

`RealTimeSource` reads deadlines from the event loop's own clock (`loop.time()`) and
schedules with `loop.call_later`. On a virtual-time loop (see
`argonaut.testkit.virtual_time`) that clock is virtual, so the same source is virtual
for deadlines and sleeps with no extra code. Only wall-clock timestamps need a choice:
`RealTimeSource` reads the system clock, `VirtualTimeSource` derives them from the
loop's clock (`start_ns + loop.time()` in ns), so a closed-world run is deterministic.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["RealTimeSource", "TimeSource", "TimerHandle", "VirtualTimeSource"]

_NANOS_PER_SECOND = 1_000_000_000


class TimerHandle(Protocol):
    """A cancelable scheduled call (an `asyncio.TimerHandle` is one)."""

    def cancel(self) -> None:
        """Cancel the call; cancelling one that already ran does nothing."""
        ...

    def cancelled(self) -> bool:
        """Whether the call was cancelled."""
        ...


class TimeSource(Protocol):
    """Every clock read and wait the live node makes."""

    def time_ns(self) -> int:
        """Return the wall-clock Unix time in nanoseconds (for timestamps)."""
        ...

    def monotonic(self) -> float:
        """Return a monotonic time in seconds (for deadlines; the origin is arbitrary)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Sleep for `seconds` (cancellable)."""
        ...

    def call_later(self, seconds: float, fn: Callable[[], object]) -> TimerHandle:
        """Call `fn()` on the loop after `seconds`; return a handle to cancel it."""
        ...


class RealTimeSource:
    """A `TimeSource` on an event loop's clock, with wall time from the system clock.

    Without a `loop` it uses the running loop at each call, so it must be used on the
    loop thread (and the node can be rebuilt on a fresh loop with the same source).
    """

    __slots__ = ("_loop",)

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop

    def loop(self) -> asyncio.AbstractEventLoop:
        """Return the bound loop, or the running loop when unbound."""
        loop = self._loop
        if loop is not None:
            return loop
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(
                f"{type(self).__name__} has no loop: use it inside a running event loop "
                "or pass loop= when creating it"
            ) from None

    def time_ns(self) -> int:
        """Return the system wall-clock Unix time in nanoseconds."""
        return time.time_ns()  # the live node's sanctioned wall-clock read

    def monotonic(self) -> float:
        """Return the loop's clock in seconds."""
        return self.loop().time()

    async def sleep(self, seconds: float) -> None:
        """Sleep for `seconds` on the running loop's clock."""
        await asyncio.sleep(seconds)

    def call_later(self, seconds: float, fn: Callable[[], object]) -> asyncio.TimerHandle:
        """Call `fn()` after `seconds` on the loop's clock; return the cancelable handle."""
        return self.loop().call_later(seconds, fn)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(loop={self._loop!r})"


class VirtualTimeSource(RealTimeSource):
    """A `TimeSource` whose wall clock is `start_ns` plus the loop's clock.

    Meant for a virtual-time loop, whose clock starts at 0: wall time then starts at
    `start_ns` and advances exactly with virtual time. Nanoseconds are recovered from
    the loop's float seconds by rounding, exact for runs shorter than about 52 days.
    """

    __slots__ = ("start_ns",)

    def __init__(self, start_ns: int, loop: asyncio.AbstractEventLoop | None = None) -> None:
        if isinstance(start_ns, bool) or not isinstance(start_ns, int) or start_ns < 0:
            raise ValueError(f"start_ns must be a non-negative int of Unix ns, found {start_ns!r}")
        super().__init__(loop)
        self.start_ns = start_ns

    def time_ns(self) -> int:
        """Return `start_ns` plus the loop's clock, in nanoseconds."""
        return self.start_ns + round(self.loop().time() * _NANOS_PER_SECOND)

    def __repr__(self) -> str:
        return f"VirtualTimeSource(start_ns={self.start_ns}, loop={self._loop!r})"
