"""`Throttler`: a sliding-window rate limiter that denies (never queues) the excess.

At most `limit` acquisitions succeed in any window of `interval_ns`: an acquisition at
time t succeeds when fewer than `limit` succeeded in ``(t - interval_ns, t]``. Time
comes only from the injected clock, so under a `TestClock` the outcome is a pure
function of the acquisition times. A denied attempt takes no slot.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol


class TimeSource(Protocol):
    """Anything with a nanosecond `timestamp_ns()` (every `Clock`)."""

    def timestamp_ns(self) -> int: ...


class Throttler:
    """Allow at most `limit` acquisitions per sliding window of `interval_ns`."""

    __slots__ = ("_clock", "_times", "denied_count", "interval_ns", "limit", "name", "sent_count")

    def __init__(self, limit: int, interval_ns: int, clock: TimeSource, *, name: str = "") -> None:
        if type(limit) is not int or limit < 1:
            raise ValueError(f"throttle limit {limit!r} must be an int >= 1")
        if type(interval_ns) is not int or interval_ns <= 0:
            raise ValueError(f"throttle interval_ns {interval_ns!r} must be a positive int")
        self.name = name
        self.limit = limit
        self.interval_ns = interval_ns
        self._clock = clock
        # Times of the last `limit` successful acquisitions, oldest first.
        self._times: deque[int] = deque(maxlen=limit)
        self.sent_count = 0
        self.denied_count = 0

    def try_acquire(self) -> bool:
        """Take a slot now and return True, or return False (and count it) if none is free."""
        times = self._times
        now = self._clock.timestamp_ns()
        if len(times) == self.limit and now - times[0] < self.interval_ns:
            self.denied_count += 1
            return False
        times.append(now)  # drops the oldest once full
        self.sent_count += 1
        return True

    def used(self) -> int:
        """Return how many slots are taken in the window ending now."""
        start = self._clock.timestamp_ns() - self.interval_ns
        return sum(1 for t in self._times if t > start)

    def reset(self) -> None:
        """Free every slot and zero the counters."""
        self._times.clear()
        self.sent_count = 0
        self.denied_count = 0

    def __repr__(self) -> str:
        return (
            f"Throttler({self.name or 'unnamed'}, limit={self.limit}, "
            f"interval_ns={self.interval_ns})"
        )
