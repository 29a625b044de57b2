"""`ComponentClock`: one component's view of the node clock.

Every actor shares the node's clock (one time source, one set of timers) but gets its
own `ComponentClock`, so that:
- a timer or alert set without a callback goes to the component's `on_event`;
- timer names are private to the component (stored on the node clock as
  ``{component_id}:{name}``; the `TimeEvent` a handler receives carries the name the
  component used), so two strategies may both have a timer named ``"rebalance"``;
- `cancel_timers()` cancels only this component's timers.

Callbacks run through the component's handler guard, so an exception in one is logged
and counted like any other handler error.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from argonaut.common.clock import Clock
from argonaut.common.timers import TimeEvent, TimeEventCallback
from argonaut.core.uuid import UUIDFactory

Guard = Callable[[TimeEventCallback, TimeEvent], None]


class ComponentClock(Clock):
    """A `Clock` delegating to the node clock, with timers scoped to one component."""

    __slots__ = ("_callbacks", "_clock", "_ends", "_guard", "_prefix", "timestamp_ns")

    timestamp_ns: Callable[[], int]  # the node clock's own method: one call per time read

    def __init__(
        self,
        clock: Clock,
        component_id: str,
        default_handler: TimeEventCallback,
        guard: Guard,
        uuid_factory: UUIDFactory,
    ) -> None:
        super().__init__(uuid_factory)
        self._clock = clock
        self.timestamp_ns = clock.timestamp_ns
        self._prefix = f"{component_id}:"
        self._default_handler = default_handler
        self._guard = guard
        self._callbacks: dict[str, TimeEventCallback] = {}  # own name -> user callback
        self._ends: dict[str, int | None] = {}  # own name -> last due time (None: no end)

    @property
    def node_clock(self) -> Clock:
        """The node clock this view delegates to."""
        return self._clock

    @property
    def timer_names(self) -> list[str]:
        """This component's active timers and alerts, sorted."""
        return sorted(n for n in self._callbacks if self._node_has(self._prefix + n))

    @property
    def timer_count(self) -> int:
        """The number of this component's active timers and alerts."""
        return len(self.timer_names)

    def next_time_ns(self, name: str) -> int:
        """Return when this component's timer `name` fires next; raise ValueError if unknown."""
        if name not in self.timer_names:
            raise ValueError(
                f"no active timer named {name!r}: active timers are {self.timer_names}"
            )
        return self._clock.next_time_ns(self._prefix + name)

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
        """Set a repeating timer (see `Clock.set_timer`); no callback means `on_event`."""
        self._check_name(name)
        self._clock.set_timer(
            self._prefix + name,
            interval_ns,
            start_time_ns=start_time_ns,
            stop_time_ns=stop_time_ns,
            callback=self._fire,
            fire_immediately=fire_immediately,
        )
        self._callbacks[name] = callback if callback is not None else self._handler()
        self._ends[name] = None if stop_time_ns is None else stop_time_ns - interval_ns

    def set_time_alert(
        self,
        name: str,
        alert_time_ns: int,
        callback: TimeEventCallback | None = None,
        *,
        allow_past: bool = True,
    ) -> None:
        """Set a one-shot alert (see `Clock.set_time_alert`); no callback means `on_event`."""
        self._check_name(name)
        self._clock.set_time_alert(
            self._prefix + name, alert_time_ns, self._fire, allow_past=allow_past
        )
        self._callbacks[name] = callback if callback is not None else self._handler()
        self._ends[name] = -1  # an alert ends with its one event

    def cancel_timer(self, name: str) -> None:
        """Cancel this component's timer or alert `name`; an unknown name does nothing."""
        self._ends.pop(name, None)
        if self._callbacks.pop(name, None) is not None:
            self._clock.cancel_timer(self._prefix + name)

    def cancel_timers(self) -> None:
        """Cancel every timer and alert of this component (and only those)."""
        for name in list(self._callbacks):
            self.cancel_timer(name)

    def register_default_handler(self, handler: TimeEventCallback) -> None:
        """Set the callback for this component's timers set without one."""
        self._default_handler = handler

    def _handler(self) -> TimeEventCallback:
        assert self._default_handler is not None  # set in __init__
        return self._default_handler

    def _check_name(self, name: str) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"timer name must be non-empty text, found {name!r}")
        if name in self._callbacks and self._node_has(self._prefix + name):
            raise ValueError(
                f"a timer named {name!r} already exists: cancel it first or use another name"
            )

    def _fire(self, event: TimeEvent) -> None:
        name = event.name[len(self._prefix) :]
        callback = self._callbacks.get(name)
        if callback is None:
            return  # cancelled through this view after the tick was due
        end = self._ends.get(name)
        if end is not None and event.ts_event > end:  # an alert, or a timer's last tick
            del self._callbacks[name]
            del self._ends[name]
        self._guard(callback, msgspec.structs.replace(event, name=name))

    def _node_has(self, full_name: str) -> bool:
        try:
            self._clock.next_time_ns(full_name)
        except ValueError:
            return False
        return True

    def _schedule(self, timer: object) -> None:
        pass  # timers live on the node clock

    def _unschedule(self, timer: object) -> None:
        pass


__all__ = ["ComponentClock"]
