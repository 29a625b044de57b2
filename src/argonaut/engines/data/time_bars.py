"""`TimeBarAggregator`: bars cut on a clock timer, aligned to the interval.

Bars are aligned to multiples of the interval since the Unix epoch (a 1-MINUTE bar
runs from hh:mm:00 to hh:mm+1:00) and are left-open: an update stamped exactly at a
close belongs to the bar that closes then. Updates are bucketed by their `ts_event`.

The timer for a bar fires `build_delay_ns` after its close, so updates stamped inside
the bar that arrive late still count. An update stamped after the close of the bar in
progress is held back and replayed into the bar it belongs to once that bar starts; one
stamped before the open of the bar in progress (too late even for the delay) joins the
bar in progress, since a bar already sent is never revised.
Bars with no fixed length (MONTH) are not supported.
"""

from __future__ import annotations

from argonaut.common.clock import Clock
from argonaut.common.timers import TimeEvent
from argonaut.engines.data.aggregation import BarAggregator, BarHandler
from argonaut.model.data.bars import BarType
from argonaut.model.instruments import Instrument


class TimeBarAggregator(BarAggregator):
    """Build a bar every `step` units of time on `clock`'s timer; running once built.

    `build_with_no_updates`: an interval without updates still yields a flat bar at the
    previous close (never before the first update). `timestamp_on_close`: `ts_event` is
    the bar's close, else its open; `ts_init` is when the timer fired.
    `skip_first_non_full_bar`: when built after the first bar's open, that partial bar
    is dropped. Call `stop()` to cancel the timer.
    """

    __slots__ = (
        "_build_with_no_updates",
        "_clock",
        "_close_ns",
        "_delay_ns",
        "_held",
        "_interval_ns",
        "_skip_first",
        "_timestamp_on_close",
        "timer_name",
    )

    def __init__(
        self,
        bar_type: BarType,
        instrument: Instrument,
        handler: BarHandler,
        clock: Clock,
        *,
        build_with_no_updates: bool = True,
        timestamp_on_close: bool = True,
        skip_first_non_full_bar: bool = False,
        build_delay_ns: int = 0,
    ) -> None:
        if not bar_type.spec.is_time_aggregated():
            raise ValueError(
                f"TimeBarAggregator cannot aggregate {bar_type}: expected a time bar type "
                "(MILLISECOND, SECOND, MINUTE, HOUR, DAY or WEEK)"
            )
        interval = bar_type.spec.timedelta_ns  # raises for MONTH
        if type(build_delay_ns) is not int or build_delay_ns < 0:
            raise ValueError(f"build_delay_ns must be an int >= 0, found {build_delay_ns!r}")
        super().__init__(bar_type, instrument, handler)
        self._clock = clock
        self._interval_ns = interval
        self._delay_ns = build_delay_ns
        self._build_with_no_updates = build_with_no_updates
        self._timestamp_on_close = timestamp_on_close
        self._held: list[tuple[int, int, int, int]] = []
        now = clock.timestamp_ns()
        start = now - now % interval
        self._close_ns = start + interval
        self._skip_first = skip_first_non_full_bar and now > start
        self.timer_name = f"TimeBarAggregator.{bar_type}"
        clock.set_timer(
            self.timer_name, interval, start_time_ns=start + build_delay_ns, callback=self._on_timer
        )

    @property
    def interval_ns(self) -> int:
        """The bar length in nanoseconds."""
        return self._interval_ns

    @property
    def next_close_ns(self) -> int:
        """The close time of the bar in progress."""
        return self._close_ns

    def stop(self) -> None:
        """Cancel the timer; the bar in progress is dropped."""
        self._clock.cancel_timer(self.timer_name)

    def _apply(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        if ts_event > self._close_ns:
            self._held.append((price_raw, size_raw, ts_event, ts_init))
        else:
            self._builder.update(price_raw, size_raw, ts_event, ts_init)

    def _on_timer(self, event: TimeEvent) -> None:
        close = event.ts_event - self._delay_ns
        builder = self._builder
        if self._skip_first:
            self._skip_first = False
            builder.discard()
        elif builder.count or self._build_with_no_updates:
            ts_event = close if self._timestamp_on_close else close - self._interval_ns
            self._build_and_send(ts_event, event.ts_init)
        self._close_ns = next_close = close + self._interval_ns
        held = self._held
        if held:
            ready = [u for u in held if u[2] <= next_close]
            if ready:
                self._held = [u for u in held if u[2] > next_close]
                for update in ready:
                    builder.update(*update)
