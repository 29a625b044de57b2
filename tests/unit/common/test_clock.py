from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from argonaut.common.clock import LiveClock, TestClock
from argonaut.common.timers import ManualScheduler, TimeEvent, TimeEventHandler
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.core.uuid import UUIDFactory
from argonaut.model.codec import dec_hook, enc_hook


class Events:
    def __init__(self) -> None:
        self.events: list[TimeEvent] = []

    def __call__(self, event: TimeEvent) -> None:
        self.events.append(event)

    @property
    def times(self) -> list[int]:
        return [e.ts_event for e in self.events]


def fire(handlers: list[TimeEventHandler]) -> list[tuple[str, int]]:
    for handler in handlers:
        handler.handle()
    return [(h.event.name, h.event.ts_event) for h in handlers]


# -- TestClock time ------------------------------------------------------------------------


def test_test_clock_reports_its_time_in_every_unit() -> None:
    clock = TestClock(1_700_000_000_123_456_789)
    assert clock.timestamp_ns() == 1_700_000_000_123_456_789
    assert clock.timestamp_us() == 1_700_000_000_123_456
    assert clock.timestamp_ms() == 1_700_000_000_123
    assert clock.timestamp() == pytest.approx(1_700_000_000.123456789)
    assert clock.utc_now() == dt.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=dt.UTC)


def test_set_time_when_backwards_then_value_error() -> None:
    clock = TestClock(100)
    clock.set_time(100)
    with pytest.raises(ValueError, match="backwards"):
        clock.set_time(99)


def test_advance_time_when_backwards_then_value_error() -> None:
    clock = TestClock(100)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance_time(50)


def test_advance_time_when_set_time_false_then_time_unchanged() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, callback=Events())
    assert len(clock.advance_time(30, set_time=False)) == 3
    assert clock.timestamp_ns() == 0
    assert clock.next_time_ns("t") == 40


# -- TestClock timers ----------------------------------------------------------------------


def test_set_timer_then_ticks_every_interval_after_start() -> None:
    clock = TestClock(1000)
    events = Events()
    clock.set_timer("t", 100, callback=events)
    assert clock.next_time_ns("t") == 1100
    handlers = clock.advance_time(1350)
    assert fire(handlers) == [("t", 1100), ("t", 1200), ("t", 1300)]
    assert [e.ts_init for e in events.events] == [1350, 1350, 1350]
    assert clock.timestamp_ns() == 1350
    assert clock.next_time_ns("t") == 1400


def test_advance_time_when_several_timers_then_time_order_with_ties_by_name() -> None:
    clock = TestClock()
    events = Events()
    clock.set_timer("b", 10, callback=events)
    clock.set_timer("a", 10, callback=events)
    clock.set_timer("c", 15, callback=events)
    handlers = clock.advance_time(30)
    assert fire(handlers) == [
        ("a", 10),
        ("b", 10),
        ("c", 15),
        ("a", 20),
        ("b", 20),
        ("a", 30),
        ("b", 30),
        ("c", 30),
    ]


def test_advance_time_then_events_not_run_until_handled() -> None:
    clock = TestClock()
    events = Events()
    clock.set_timer("t", 10, callback=events)
    handlers = clock.advance_time(10)
    assert events.events == []
    handlers[0].handle()
    assert events.times == [10]


def test_set_timer_when_fire_immediately_then_first_tick_at_start() -> None:
    clock = TestClock(50)
    events = Events()
    clock.set_timer("t", 10, callback=events, fire_immediately=True)
    assert fire(clock.advance_time(70)) == [("t", 50), ("t", 60), ("t", 70)]


def test_set_timer_when_start_time_in_future_then_ticks_from_it() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, start_time_ns=100, callback=Events())
    assert clock.advance_time(105) == []
    assert fire(clock.advance_time(125)) == [("t", 110), ("t", 120)]


def test_set_timer_when_stop_time_then_last_tick_at_stop_and_timer_removed() -> None:
    clock = TestClock()
    events = Events()
    clock.set_timer("t", 10, stop_time_ns=30, callback=events)
    assert fire(clock.advance_time(100)) == [("t", 10), ("t", 20), ("t", 30)]
    assert clock.timer_names == []
    assert clock.advance_time(200) == []


def test_set_timer_when_stop_time_not_on_grid_then_removed_after_last_tick_before_it() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, stop_time_ns=25, callback=Events())
    assert fire(clock.advance_time(22)) == [("t", 10), ("t", 20)]
    assert clock.timer_names == []


def test_timer_when_stop_time_not_yet_reached_then_stays() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, stop_time_ns=50, callback=Events())
    clock.advance_time(20)
    assert clock.timer_names == ["t"]
    assert clock.next_time_ns("t") == 30


def test_set_time_alert_then_fires_once_and_is_removed() -> None:
    clock = TestClock()
    events = Events()
    clock.set_time_alert("alert", 50, events)
    assert clock.advance_time(49) == []
    assert fire(clock.advance_time(60)) == [("alert", 50)]
    assert clock.timer_count == 0
    assert clock.advance_time(100) == []
    assert events.times == [50]


def test_set_time_alert_when_in_past_then_fires_on_next_advance_not_at_once() -> None:
    clock = TestClock(100)
    events = Events()
    clock.set_time_alert("late", 40, events)
    assert events.events == []
    assert fire(clock.advance_time(100)) == [("late", 40)]


def test_set_time_alert_when_in_past_and_not_allowed_then_value_error() -> None:
    clock = TestClock(100)
    with pytest.raises(ValueError, match="before the current time 100"):
        clock.set_time_alert("late", 40, Events(), allow_past=False)


def test_cancel_timer_then_no_more_ticks() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, callback=Events())
    clock.set_time_alert("a", 5, Events())
    clock.cancel_timer("t")
    assert fire(clock.advance_time(30)) == [("a", 5)]
    clock.cancel_timer("t")  # unknown now: does nothing
    clock.cancel_timer("never-existed")


def test_cancel_timers_then_all_removed() -> None:
    clock = TestClock()
    clock.set_timer("t1", 10, callback=Events())
    clock.set_timer("t2", 10, callback=Events())
    clock.set_time_alert("a", 5, Events())
    assert clock.timer_names == ["a", "t1", "t2"]
    clock.cancel_timers()
    assert clock.timer_count == 0
    assert clock.advance_time(100) == []


def test_set_timer_when_name_reused_after_cancel_then_allowed() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, callback=Events())
    clock.cancel_timer("t")
    clock.set_timer("t", 20, callback=Events())
    assert clock.next_time_ns("t") == 20


def test_timer_without_callback_then_default_handler_used() -> None:
    clock = TestClock()
    events = Events()
    clock.register_default_handler(events)
    clock.set_timer("t", 10)
    clock.set_time_alert("a", 15)
    fire(clock.advance_time(20))
    assert [(e.name, e.ts_event) for e in events.events] == [("t", 10), ("a", 15), ("t", 20)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval_ns": 0}, "positive int"),
        ({"interval_ns": -5}, "positive int"),
        ({"interval_ns": 1.5}, "positive int"),
        ({"interval_ns": 10, "start_time_ns": 100, "stop_time_ns": 100}, "must be after"),
        ({"interval_ns": 10, "start_time_ns": 100, "stop_time_ns": 50}, "must be after"),
        ({"interval_ns": 10, "start_time_ns": 100, "stop_time_ns": 105}, "never fire"),
    ],
)
def test_set_timer_when_invalid_then_value_error(kwargs: dict[str, object], message: str) -> None:
    clock = TestClock()
    with pytest.raises(ValueError, match=message):
        clock.set_timer("t", callback=Events(), **kwargs)  # type: ignore[arg-type]
    assert clock.timer_count == 0


def test_set_timer_when_name_duplicate_then_value_error() -> None:
    clock = TestClock()
    clock.set_timer("t", 10, callback=Events())
    with pytest.raises(ValueError, match="already exists"):
        clock.set_timer("t", 20, callback=Events())
    with pytest.raises(ValueError, match="already exists"):
        clock.set_time_alert("t", 20, Events())


def test_set_timer_when_name_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="non-empty"):
        TestClock().set_timer("", 10, callback=Events())


def test_set_timer_when_no_callback_and_no_default_then_value_error() -> None:
    clock = TestClock()
    with pytest.raises(ValueError, match="no default handler"):
        clock.set_timer("t", 10)
    with pytest.raises(ValueError, match="no default handler"):
        clock.set_time_alert("a", 10)


def test_next_time_ns_when_unknown_then_value_error() -> None:
    with pytest.raises(ValueError, match="no active timer named 'x'"):
        TestClock().next_time_ns("x")


def test_event_ids_come_from_injected_factory() -> None:
    def run(seed: int) -> list[str]:
        clock = TestClock(uuid_factory=UUIDFactory(seed))
        clock.set_timer("t", 10, callback=Events())
        return [h.event.event_id for h in clock.advance_time(50)]

    ids = run(7)
    assert ids == run(7)
    assert len(set(ids)) == 5
    assert ids != run(8)


@pytest.mark.parametrize("codec", [msgspec.json, msgspec.msgpack])
def test_time_event_round_trips(codec: object) -> None:
    event = TimeEvent(name="t", event_id=UUIDFactory(1).generate(), ts_event=10, ts_init=11)
    data = codec.encode(event, enc_hook=enc_hook)  # type: ignore[attr-defined]
    assert codec.decode(data, type=TimeEvent, dec_hook=dec_hook) == event  # type: ignore[attr-defined]


# -- LiveClock -----------------------------------------------------------------------------


def live(start_ns: int = 0) -> tuple[LiveClock, ManualScheduler]:
    scheduler = ManualScheduler(start_ns)
    clock = LiveClock(
        uuid_factory=UUIDFactory(0), scheduler=scheduler, time_source=scheduler.time_ns
    )
    return clock, scheduler


def test_live_clock_default_time_source_reads_wall_clock() -> None:
    now = LiveClock().timestamp_ns()
    assert now > 1_600_000_000 * NANOS_PER_SECOND
    assert LiveClock().utc_now().tzinfo is dt.UTC


def test_live_timer_then_fires_through_scheduler_at_each_tick() -> None:
    clock, scheduler = live(1000)
    events = Events()
    clock.set_timer("t", 100, callback=events)
    scheduler.advance_to(1250)
    assert events.times == [1100, 1200]
    assert [e.ts_init for e in events.events] == [1100, 1200]
    assert clock.next_time_ns("t") == 1300
    assert scheduler.pending_count == 1


def test_live_timer_when_cancelled_then_scheduled_call_cancelled() -> None:
    clock, scheduler = live()
    events = Events()
    clock.set_timer("t", 10, callback=events)
    scheduler.advance_to(10)
    clock.cancel_timer("t")
    assert scheduler.pending_count == 0
    scheduler.advance_to(100)
    assert events.times == [10]


def test_live_timer_when_stop_time_then_removed_after_last_tick() -> None:
    clock, scheduler = live()
    events = Events()
    clock.set_timer("t", 10, stop_time_ns=30, callback=events)
    scheduler.advance_to(100)
    assert events.times == [10, 20, 30]
    assert clock.timer_count == 0
    assert scheduler.pending_count == 0


def test_live_alert_then_fires_once() -> None:
    clock, scheduler = live()
    events = Events()
    clock.set_time_alert("a", 25, events)
    scheduler.advance_to(100)
    assert events.times == [25]
    assert clock.timer_count == 0


def test_live_alert_when_in_past_then_fires_on_next_scheduler_run() -> None:
    clock, scheduler = live(100)
    events = Events()
    clock.set_time_alert("late", 40, events)
    assert events.events == []
    scheduler.advance_to(100)
    assert events.times == [40]
    assert events.events[0].ts_init == 100


def test_live_timer_when_loop_fell_behind_then_missed_ticks_skipped_on_grid() -> None:
    clock = LiveClock(uuid_factory=UUIDFactory(0), time_source=lambda: now[0])
    now = [0]
    calls: list[object] = []

    class LateScheduler:
        def schedule(self, at_ns: int, fn: object) -> object:
            calls.append(fn)
            return len(calls)

        def cancel(self, handle: object) -> None:
            pass

    clock.set_scheduler(LateScheduler())
    events = Events()
    clock.set_timer("t", 10, callback=events)
    now[0] = 47  # the tick due at 10 runs late, at 47
    calls[-1]()  # type: ignore[operator]
    assert events.times == [10]
    assert clock.next_time_ns("t") == 50  # 20, 30 and 40 were skipped


def test_live_callback_when_it_cancels_its_own_timer_then_no_more_ticks() -> None:
    clock, scheduler = live()
    events = Events()

    def once(event: TimeEvent) -> None:
        events(event)
        clock.cancel_timer("t")

    clock.set_timer("t", 10, callback=once)
    scheduler.advance_to(100)
    assert events.times == [10]


def test_live_timers_set_before_scheduler_attached_then_scheduled_on_attach() -> None:
    scheduler = ManualScheduler()
    clock = LiveClock(uuid_factory=UUIDFactory(0), time_source=scheduler.time_ns)
    events = Events()
    clock.set_timer("t", 10, callback=events)
    clock.set_time_alert("a", 15, events)
    assert scheduler.pending_count == 0
    clock.set_scheduler(scheduler)
    assert clock.scheduler is scheduler
    scheduler.advance_to(20)
    assert [(e.name, e.ts_event) for e in events.events] == [("t", 10), ("a", 15), ("t", 20)]
    with pytest.raises(ValueError, match="already has a scheduler"):
        clock.set_scheduler(ManualScheduler())


def test_live_clock_validates_like_test_clock() -> None:
    clock, _ = live()
    clock.set_timer("t", 10, callback=Events())
    with pytest.raises(ValueError, match="already exists"):
        clock.set_timer("t", 10, callback=Events())
    with pytest.raises(ValueError, match="positive int"):
        clock.set_timer("u", 0, callback=Events())


# -- ManualScheduler -----------------------------------------------------------------------


def test_manual_scheduler_runs_due_calls_in_time_then_scheduling_order() -> None:
    scheduler = ManualScheduler()
    ran: list[tuple[str, int]] = []

    def call(name: str) -> None:
        ran.append((name, scheduler.time_ns()))

    scheduler.schedule(20, lambda: call("b"))
    scheduler.schedule(10, lambda: call("a"))
    scheduler.schedule(20, lambda: call("c"))
    handle = scheduler.schedule(15, lambda: call("cancelled"))
    scheduler.cancel(handle)
    assert scheduler.next_at_ns() == 10
    assert scheduler.advance_to(25) == 3
    assert ran == [("a", 10), ("b", 20), ("c", 20)]
    assert scheduler.time_ns() == 25
    assert scheduler.next_at_ns() is None
    with pytest.raises(ValueError, match="backwards"):
        scheduler.advance_to(5)
