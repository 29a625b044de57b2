"""Clocks and timers: `TestClock` (advanced by hand) and `LiveClock` (wall clock).

Both keep named timers (repeating, with optional start and stop times) and time alerts
(one-shot). A due tick becomes a `TimeEvent` whose `ts_event` is the time it was due.

Rules shared by both clocks:
- Timer names are unique per clock; setting an existing name raises ValueError.
- `interval_ns` must be a positive int; `stop_time_ns` must be after the start time and
  no earlier than the first tick, else ValueError.
- A time alert at or before the current time is allowed (unless `allow_past=False`,
  which raises ValueError): it is due at once, and fires on the next
  `TestClock.advance_time` or the next scheduler run, never inside `set_time_alert`.
- A timer without a callback uses the clock's default handler; with neither,
  setting it raises ValueError.
- Cancelling an unknown (or already finished) timer does nothing.

`LiveClock` reads the wall clock in exactly one place (`_wall_clock_ns`) unless given a
time source, and does not sleep: a `TimerScheduler` calls it back when a timer is due.
A live timer that falls behind (a blocked loop) fires once for its scheduled tick and
skips the ticks it missed; `TestClock` instead returns every tick, for replays.
"""

from __future__ import annotations

import datetime as _dt
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from functools import partial

from argonaut.common.timers import (
    TimeEvent,
    TimeEventCallback,
    TimeEventHandler,
    TimerScheduler,
)
from argonaut.core.nanos import (
    NANOS_PER_MICRO,
    NANOS_PER_MILLI,
    NANOS_PER_SECOND,
    nanos_to_datetime,
)
from argonaut.core.uuid import UUIDFactory

# The wall-clock Unix time in ns: the engine's only direct clock read (the C function
# itself, not a Python wrapper: it is read several times per order).
_wall_clock_ns: Callable[[], int] = time.time_ns


class _Timer:
    """The mutable state of one timer or alert (owned by a clock, never shared)."""

    __slots__ = (
        "callback",
        "fire",
        "handle",
        "interval_ns",
        "is_alert",
        "name",
        "next_time_ns",
        "stop_time_ns",
    )

    def __init__(
        self,
        name: str,
        callback: TimeEventCallback,
        interval_ns: int,
        next_time_ns: int,
        stop_time_ns: int | None,
        *,
        is_alert: bool,
    ) -> None:
        self.name = name
        self.callback = callback
        self.interval_ns = interval_ns
        self.next_time_ns = next_time_ns
        self.stop_time_ns = stop_time_ns
        self.is_alert = is_alert
        self.handle: object = None  # LiveClock: the scheduler's handle
        self.fire: Callable[[], None] | None = None  # LiveClock: the scheduled call


class Clock(ABC):
    """A source of time plus named timers; subclasses say where time comes from."""

    __slots__ = ("_default_handler", "_timers", "_uuids")

    def __init__(self, uuid_factory: UUIDFactory) -> None:
        self._uuids = uuid_factory
        self._timers: dict[str, _Timer] = {}
        self._default_handler: TimeEventCallback | None = None

    @abstractmethod
    def timestamp_ns(self) -> int:
        """Return the current Unix time in nanoseconds."""

    def timestamp(self) -> float:
        """Return the current Unix time in float seconds (for display, not arithmetic)."""
        return self.timestamp_ns() / NANOS_PER_SECOND

    def timestamp_ms(self) -> int:
        """Return the current Unix time in whole milliseconds."""
        return self.timestamp_ns() // NANOS_PER_MILLI

    def timestamp_us(self) -> int:
        """Return the current Unix time in whole microseconds."""
        return self.timestamp_ns() // NANOS_PER_MICRO

    def utc_now(self) -> _dt.datetime:
        """Return the current time as an aware UTC datetime (microsecond resolution)."""
        return nanos_to_datetime(self.timestamp_ns())

    @property
    def timer_names(self) -> list[str]:
        """The names of the active timers and alerts, sorted."""
        return sorted(self._timers)

    @property
    def timer_count(self) -> int:
        """The number of active timers and alerts."""
        return len(self._timers)

    def next_time_ns(self, name: str) -> int:
        """Return when the timer or alert `name` fires next; raise ValueError if unknown."""
        timer = self._timers.get(name)
        if timer is None:
            raise ValueError(
                f"no active timer named {name!r}: active timers are {self.timer_names}"
            )
        return timer.next_time_ns

    def register_default_handler(self, handler: TimeEventCallback) -> None:
        """Set the callback for timers and alerts set without one."""
        self._default_handler = handler

    def set_timer(
        self,
        name: str,
        interval_ns: int,
        *,
        start_time_ns: int | None = None,
        stop_time_ns: int | None = None,
        callback: TimeEventCallback | None = None,
        fire_immediately: bool = False,
    ) -> None:
        """Set a repeating timer ticking every `interval_ns` from `start_time_ns` (default now).

        The first tick is at the start time if `fire_immediately`, else one interval
        later. Ticks stop after `stop_time_ns` (inclusive), when the timer is removed.
        """
        self._check_new_name(name)
        if type(interval_ns) is not int or interval_ns <= 0:
            raise ValueError(
                f"interval_ns of timer {name!r} must be a positive int of nanoseconds, "
                f"found {interval_ns!r}"
            )
        start = self.timestamp_ns() if start_time_ns is None else start_time_ns
        first = start if fire_immediately else start + interval_ns
        if stop_time_ns is not None:
            if stop_time_ns <= start:
                raise ValueError(
                    f"stop_time_ns {stop_time_ns} of timer {name!r} must be after its "
                    f"start time {start}"
                )
            if stop_time_ns < first:
                raise ValueError(
                    f"timer {name!r} would never fire: its first tick at {first} is after "
                    f"stop_time_ns {stop_time_ns}"
                )
        timer = _Timer(
            name,
            self._callback_for(name, callback),
            interval_ns,
            first,
            stop_time_ns,
            is_alert=False,
        )
        self._timers[name] = timer
        self._schedule(timer)

    def set_time_alert(
        self,
        name: str,
        alert_time_ns: int,
        callback: TimeEventCallback | None = None,
        *,
        allow_past: bool = True,
    ) -> None:
        """Set a one-shot alert due at `alert_time_ns`.

        An alert time at or before now is due at once (see the module rules); with
        `allow_past=False` a time before now raises ValueError instead.
        """
        self._check_new_name(name)
        now = self.timestamp_ns()
        if not allow_past and alert_time_ns < now:
            raise ValueError(
                f"alert time {alert_time_ns} of {name!r} is before the current time {now}"
            )
        timer = _Timer(
            name, self._callback_for(name, callback), 0, alert_time_ns, None, is_alert=True
        )
        self._timers[name] = timer
        self._schedule(timer)

    def cancel_timer(self, name: str) -> None:
        """Cancel the timer or alert `name`; an unknown name does nothing."""
        timer = self._timers.pop(name, None)
        if timer is not None:
            self._unschedule(timer)

    def cancel_timers(self) -> None:
        """Cancel every timer and alert."""
        for name in list(self._timers):
            self.cancel_timer(name)

    def _check_new_name(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"timer name must be non-empty text, found {name!r}")
        if name in self._timers:
            raise ValueError(
                f"a timer named {name!r} already exists: cancel it first or use another name"
            )

    def _callback_for(self, name: str, callback: TimeEventCallback | None) -> TimeEventCallback:
        chosen = callback if callback is not None else self._default_handler
        if chosen is None:
            raise ValueError(
                f"timer {name!r} has no callback and the clock has no default handler: "
                "pass callback= or call register_default_handler() first"
            )
        return chosen

    @abstractmethod
    def _schedule(self, timer: _Timer) -> None:
        """Start driving a new timer."""

    @abstractmethod
    def _unschedule(self, timer: _Timer) -> None:
        """Stop driving a removed timer."""


class TestClock(Clock):
    """A clock whose time only moves when told to; timers fire through `advance_time`."""

    __test__ = False  # not a pytest test class
    __slots__ = ("_time_ns",)

    def __init__(self, start_ns: int = 0, *, uuid_factory: UUIDFactory | None = None) -> None:
        super().__init__(uuid_factory if uuid_factory is not None else UUIDFactory(seed=0))
        self._time_ns = start_ns

    def timestamp_ns(self) -> int:
        """Return the clock's current time in nanoseconds."""
        return self._time_ns

    def set_time(self, to_time_ns: int) -> None:
        """Set the time without firing timers; raise ValueError if it would go backwards."""
        self._check_forward(to_time_ns)
        self._time_ns = to_time_ns

    def advance_time(self, to_time_ns: int, set_time: bool = True) -> list[TimeEventHandler]:
        """Return every tick due up to `to_time_ns` (inclusive), in time order, ties by name.

        The timers are updated here: alerts and timers past their stop time are removed
        and the rest move to their next tick. The events are not run; call `handle()`
        on each. With `set_time` the clock then reads `to_time_ns`.
        """
        self._check_forward(to_time_ns)
        due: list[tuple[int, str, _Timer]] = []
        finished: list[str] = []
        for timer in self._timers.values():
            t = timer.next_time_ns
            stop = timer.stop_time_ns
            limit = to_time_ns if stop is None else min(to_time_ns, stop)
            while t <= limit:
                due.append((t, timer.name, timer))
                if timer.is_alert:
                    break
                t += timer.interval_ns
            if timer.is_alert:
                if t <= to_time_ns:
                    finished.append(timer.name)
                continue
            timer.next_time_ns = t
            if stop is not None and t > stop:
                finished.append(timer.name)
        for name in finished:
            del self._timers[name]
        due.sort(key=lambda item: (item[0], item[1]))
        generate = self._uuids.generate
        handlers = [
            TimeEventHandler(
                TimeEvent(name=name, event_id=generate(), ts_event=t, ts_init=to_time_ns),
                timer.callback,
            )
            for t, name, timer in due
        ]
        if set_time:
            self._time_ns = to_time_ns
        return handlers

    def _schedule(self, timer: _Timer) -> None:
        pass  # `advance_time` drives the timers

    def _unschedule(self, timer: _Timer) -> None:
        pass

    def _check_forward(self, to_time_ns: int) -> None:
        if to_time_ns < self._time_ns:
            raise ValueError(
                f"time cannot go backwards: {to_time_ns} is before the current time {self._time_ns}"
            )


class LiveClock(Clock):
    """A wall clock (or injected time source) whose timers run through a `TimerScheduler`.

    Timers set before a scheduler is attached wait and are scheduled by
    `set_scheduler`. A callback runs after its timer has been re-armed, so it may cancel
    or replace the timer; its exceptions propagate to the scheduler.
    """

    __slots__ = ("_scheduler", "_time_source")

    def __init__(
        self,
        *,
        uuid_factory: UUIDFactory | None = None,
        scheduler: TimerScheduler | None = None,
        time_source: Callable[[], int] | None = None,
    ) -> None:
        super().__init__(uuid_factory if uuid_factory is not None else UUIDFactory())
        self._time_source = time_source if time_source is not None else _wall_clock_ns
        self._scheduler = scheduler

    def timestamp_ns(self) -> int:
        """Return the current Unix time in nanoseconds."""
        return self._time_source()

    @property
    def scheduler(self) -> TimerScheduler | None:
        """The scheduler driving the timers, if attached."""
        return self._scheduler

    def set_scheduler(self, scheduler: TimerScheduler) -> None:
        """Attach the scheduler and schedule every waiting timer; only once."""
        if self._scheduler is not None:
            raise ValueError("this LiveClock already has a scheduler: it can be attached once")
        self._scheduler = scheduler
        for name in sorted(self._timers):
            self._schedule(self._timers[name])

    def _schedule(self, timer: _Timer) -> None:
        if timer.fire is None:
            timer.fire = partial(self._fire, timer)
        if self._scheduler is not None:
            timer.handle = self._scheduler.schedule(timer.next_time_ns, timer.fire)

    def _unschedule(self, timer: _Timer) -> None:
        if self._scheduler is not None and timer.handle is not None:
            self._scheduler.cancel(timer.handle)
        timer.handle = None

    def _fire(self, timer: _Timer) -> None:
        if self._timers.get(timer.name) is not timer:
            return  # cancelled (or replaced) after the call was scheduled
        now = self.timestamp_ns()
        event = TimeEvent(
            name=timer.name,
            event_id=self._uuids.generate(),
            ts_event=timer.next_time_ns,
            ts_init=now,
        )
        timer.handle = None
        if timer.is_alert:
            del self._timers[timer.name]
        else:
            interval = timer.interval_ns
            nxt = timer.next_time_ns + interval
            if nxt < now:  # fell behind: skip the missed ticks, stay on the grid
                nxt += -(-(now - nxt) // interval) * interval
            if timer.stop_time_ns is not None and nxt > timer.stop_time_ns:
                del self._timers[timer.name]
            else:
                timer.next_time_ns = nxt
                self._schedule(timer)
        timer.callback(event)
