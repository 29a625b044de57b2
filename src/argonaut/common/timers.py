"""Time events and the scheduler seam that drives live timers.

A clock turns each due timer tick into a `TimeEvent` paired with its callback in a
`TimeEventHandler`. The `LiveClock` does not sleep or own a thread: it asks a
`TimerScheduler` to call it back at a given time. The live node implements that
protocol on its asyncio loop; `ManualScheduler` implements it by hand for tests and
virtual time, and doubles as their time source.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Protocol

import msgspec

from argonaut.core.uuid import UUID4


class TimeEvent(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A timer tick or time alert: `ts_event` is when it was due, `ts_init` when it was made."""

    name: str
    event_id: UUID4
    ts_event: int
    ts_init: int


TimeEventCallback = Callable[[TimeEvent], None]


class TimeEventHandler:
    """A due `TimeEvent` paired with the callback that handles it; call `handle()` to run it."""

    __slots__ = ("event", "handler")

    def __init__(self, event: TimeEvent, handler: TimeEventCallback) -> None:
        self.event = event
        self.handler = handler

    def handle(self) -> None:
        """Run the callback with the event."""
        self.handler(self.event)

    def __repr__(self) -> str:
        return f"TimeEventHandler({self.event!r})"


class TimerScheduler(Protocol):
    """Call a function at (or as soon as possible after) a Unix time in nanoseconds.

    A time at or before now means "as soon as possible". Callbacks run on the thread
    that owns the clock, one at a time, never inside `schedule` itself.
    """

    def schedule(self, at_ns: int, fn: Callable[[], None]) -> object:
        """Arrange for `fn()` to run at `at_ns`; return a handle for `cancel`."""
        ...

    def cancel(self, handle: object) -> None:
        """Cancel a scheduled call; cancelling one that already ran does nothing."""
        ...


class ManualScheduler:
    """A `TimerScheduler` advanced by hand, and the matching time source.

    Give `time_ns` to a `LiveClock` as its time source and the scheduler as its
    scheduler; `advance_to` then runs every due call in time order (ties in scheduling
    order), with the time set to each call's due time while it runs.
    """

    __slots__ = ("_heap", "_live", "_now_ns", "_seq")

    def __init__(self, start_ns: int = 0) -> None:
        self._now_ns = start_ns
        self._heap: list[tuple[int, int, Callable[[], None]]] = []
        self._seq = 0
        self._live: set[int] = set()  # handles scheduled and not yet run or cancelled

    def time_ns(self) -> int:
        """Return the current virtual time in nanoseconds."""
        return self._now_ns

    @property
    def pending_count(self) -> int:
        """The number of scheduled calls that have neither run nor been cancelled."""
        return len(self._live)

    def next_at_ns(self) -> int | None:
        """Return the due time of the earliest pending call, or None."""
        heap = self._heap
        while heap and heap[0][1] not in self._live:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def schedule(self, at_ns: int, fn: Callable[[], None]) -> int:
        """Schedule `fn` at `at_ns`; return an int handle."""
        self._seq += 1
        heapq.heappush(self._heap, (at_ns, self._seq, fn))
        self._live.add(self._seq)
        return self._seq

    def cancel(self, handle: object) -> None:
        """Cancel the call with `handle` if it is still pending."""
        if isinstance(handle, int):
            self._live.discard(handle)

    def advance_to(self, to_ns: int) -> int:
        """Run every call due at or before `to_ns`, then set the time to `to_ns`.

        Return the number of calls run. Calls scheduled while advancing run too when
        they fall due within the window. Raise ValueError if `to_ns` is in the past.
        """
        if to_ns < self._now_ns:
            raise ValueError(
                f"cannot move time backwards: to_ns {to_ns} is before the current time "
                f"{self._now_ns}"
            )
        heap = self._heap
        live = self._live
        ran = 0
        while heap and heap[0][0] <= to_ns:
            at_ns, seq, fn = heapq.heappop(heap)
            if seq not in live:
                continue
            live.discard(seq)
            self._now_ns = max(self._now_ns, at_ns)
            fn()
            ran += 1
        self._now_ns = to_ns
        return ran
