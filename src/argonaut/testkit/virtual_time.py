"""A virtual-time asyncio event loop for closed-world tests of the live node.

`VirtualTimeEventLoop` is a normal `asyncio.SelectorEventLoop` whose clock
(`loop.time()`) is virtual and starts at 0. Whenever the loop would block waiting for
its next timer, it jumps its clock to that timer instead. So `await asyncio.sleep(3600)`
returns at once with `loop.time()` 3600 s later, `asyncio.wait_for` and
`asyncio.timeout` expire in virtual time, and timers fire in exactly the order (and at
exactly the virtual times) they would under a real clock. Everything else (tasks,
futures, callbacks, sockets, signal handlers) is the stock asyncio machinery.

When virtual time advances. On each turn the loop first runs every ready callback.
Only when nothing is ready does it look at the clock:

- it polls its selector without blocking, which picks up `call_soon_threadsafe` posts
  from other threads and ready sockets; if anything came in, it runs that first and
  time does not move;
- otherwise, if a timer is pending, virtual time jumps to it (at least 1 ns);
- otherwise (no timer, nothing ready) it blocks for real on the selector, so another
  thread can still wake it with `call_soon_threadsafe` (or `idle_timeout` real seconds
  elapse and `VirtualTimeDeadlock` is raised: in a closed world that is a hang).

A consequence: work done by other threads (executors, `asyncio.to_thread`) takes no
virtual time, and a pending timer is not held back for it. A thread posting while the
loop waits on a timeout races that timeout; keep threads out of closed-world tests, or
wait for them with no timer pending.

Determinism: virtual time is an integer count of nanoseconds and moves only by the
loop's own timer deadlines, so two runs of the same closed-world program (no threads,
no real I/O) see the same sequence of virtual times.

Use `run_virtual(main())` like `asyncio.run`, or `with virtual_loop() as loop:` for a
test that drives the loop itself (`loop.run_until_complete(...)`). `loop.time_source()`
(or `current_time_source()` inside a coroutine) gives the matching `VirtualTimeSource`,
whose wall clock is `start_ns` plus virtual time.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from argonaut.live.timesource import VirtualTimeSource
from argonaut.testkit.ids import TS

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

__all__ = [
    "DEFAULT_START_NS",
    "VirtualTimeDeadlock",
    "VirtualTimeEventLoop",
    "current_time_source",
    "run_virtual",
    "virtual_loop",
]

T = TypeVar("T")

DEFAULT_START_NS = TS
"""The wall-clock Unix ns that virtual time 0 maps to (the testkit's `TS`)."""

_NANOS_PER_SECOND = 1_000_000_000


class VirtualTimeDeadlock(RuntimeError):
    """Raise when a virtual-time loop has nothing ready, no timer, and no real wake-up.

    Nothing can ever happen again in a closed world: a task waits for something that
    never comes. Only raised when the loop was given an `idle_timeout`.
    """


class _VirtualSelector(selectors.BaseSelector):
    """A selector that turns a wait with a timeout into a jump of virtual time."""

    def __init__(self, idle_timeout: float | None) -> None:
        self._real = selectors.DefaultSelector()
        self._idle_timeout = idle_timeout
        self._advance: Callable[[float], None] | None = None

    def bind(self, advance: Callable[[float], None]) -> None:
        self._advance = advance

    def register(self, fileobj: FileDescriptorLike, events: int, data: Any = None) -> Any:
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj: FileDescriptorLike) -> Any:
        return self._real.unregister(fileobj)

    def modify(self, fileobj: FileDescriptorLike, events: int, data: Any = None) -> Any:
        return self._real.modify(fileobj, events, data)

    def get_key(self, fileobj: FileDescriptorLike) -> Any:
        return self._real.get_key(fileobj)

    def get_map(self) -> Mapping[FileDescriptorLike, Any]:
        return self._real.get_map()

    def close(self) -> None:
        self._real.close()

    def select(self, timeout: float | None = None) -> list[tuple[Any, int]]:
        ready = self._real.select(0)
        if ready or (timeout is not None and timeout <= 0):
            return ready
        if timeout is not None:
            if self._advance is not None:
                self._advance(timeout)
            return []
        ready = self._real.select(self._idle_timeout)
        if not ready and self._idle_timeout is not None:
            raise VirtualTimeDeadlock(
                "the virtual-time loop is idle with no timer pending and nothing arrived "
                f"from other threads within {self._idle_timeout} real seconds: a task is "
                "waiting for something that never happens"
            )
        return ready


class VirtualTimeEventLoop(asyncio.SelectorEventLoop):
    """An asyncio event loop whose clock is virtual; see the module docstring.

    `start_ns` is the wall-clock Unix time (ns) that virtual time 0 maps to.
    `idle_timeout` (real seconds, None: wait forever) bounds a real wait when the loop
    has no timer and nothing ready, raising `VirtualTimeDeadlock` when exceeded.
    """

    def __init__(
        self, *, start_ns: int = DEFAULT_START_NS, idle_timeout: float | None = None
    ) -> None:
        self._virtual_ns = 0
        selector = _VirtualSelector(idle_timeout)
        selector.bind(self._advance)
        super().__init__(selector)
        # Validate only now: a half-built loop cannot be garbage-collected cleanly.
        try:
            if idle_timeout is not None and idle_timeout <= 0:
                raise ValueError(
                    f"idle_timeout must be positive seconds or None, found {idle_timeout}"
                )
            self._time_source = VirtualTimeSource(start_ns, loop=self)
        except BaseException:
            self.close()
            raise
        self.start_ns = start_ns

    def time(self) -> float:
        """Return the virtual time in seconds since the loop was created."""
        return self._virtual_ns / _NANOS_PER_SECOND

    def virtual_ns(self) -> int:
        """Return the virtual time in nanoseconds since the loop was created (exact)."""
        return self._virtual_ns

    def wall_ns(self) -> int:
        """Return the virtual wall-clock Unix time in nanoseconds (`start_ns` + virtual)."""
        return self.start_ns + self._virtual_ns

    def time_source(self) -> VirtualTimeSource:
        """Return the `VirtualTimeSource` bound to this loop."""
        return self._time_source

    def _advance(self, seconds: float) -> None:
        # At least 1 ns, so a deadline a rounding error ahead can never stall the loop.
        self._virtual_ns += max(1, round(seconds * _NANOS_PER_SECOND))


def _make_loop(start_ns: int, idle_timeout: float | None) -> VirtualTimeEventLoop:
    return VirtualTimeEventLoop(start_ns=start_ns, idle_timeout=idle_timeout)


def run_virtual(
    coro: Coroutine[Any, Any, T],
    *,
    start_ns: int = DEFAULT_START_NS,
    idle_timeout: float | None = None,
) -> T:
    """Run `coro` on a fresh virtual-time loop, like `asyncio.run`, and return its result.

    The loop is closed afterwards (remaining tasks cancelled, async generators and the
    default executor shut down).
    """
    factory = partial(_make_loop, start_ns, idle_timeout)
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(coro)


@contextmanager
def virtual_loop(
    *, start_ns: int = DEFAULT_START_NS, idle_timeout: float | None = None
) -> Iterator[VirtualTimeEventLoop]:
    """Provide a fresh virtual-time loop, closed cleanly on exit.

    For tests that drive the loop themselves, e.g. as a pytest fixture::

        @pytest.fixture
        def loop() -> Iterator[VirtualTimeEventLoop]:
            with virtual_loop() as loop:
                yield loop
    """
    factory = partial(_make_loop, start_ns, idle_timeout)
    with asyncio.Runner(loop_factory=factory) as runner:
        loop = runner.get_loop()
        assert isinstance(loop, VirtualTimeEventLoop)
        yield loop


def current_time_source() -> VirtualTimeSource:
    """Return the time source of the running virtual-time loop."""
    loop = asyncio.get_running_loop()
    if not isinstance(loop, VirtualTimeEventLoop):
        raise RuntimeError(
            f"the running loop is a {type(loop).__name__}, not a VirtualTimeEventLoop: "
            "run the coroutine with run_virtual() or virtual_loop()"
        )
    return loop.time_source()
