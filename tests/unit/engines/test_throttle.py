from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.common.clock import TestClock
from argonaut.engines.risk import Throttler

SECOND = 1_000_000_000


def make(limit: int = 2, interval_ns: int = SECOND) -> tuple[Throttler, TestClock]:
    clock = TestClock(0)
    return Throttler(limit, interval_ns, clock, name="test"), clock


def test_try_acquire_when_under_limit_then_acquired() -> None:
    throttler, _ = make(limit=3)

    assert [throttler.try_acquire() for _ in range(3)] == [True, True, True]
    assert throttler.sent_count == 3
    assert throttler.denied_count == 0


def test_try_acquire_when_over_rate_then_denied_not_queued() -> None:
    throttler, _ = make(limit=2)

    results = [throttler.try_acquire() for _ in range(4)]

    assert results == [True, True, False, False]
    assert throttler.sent_count == 2
    assert throttler.denied_count == 2


def test_try_acquire_when_interval_elapsed_then_window_slides() -> None:
    throttler, clock = make(limit=2)
    assert throttler.try_acquire()  # t = 0
    clock.set_time(SECOND // 2)
    assert throttler.try_acquire()  # t = 0.5 s
    assert not throttler.try_acquire()

    clock.set_time(SECOND)  # the t = 0 slot leaves the window (t - 1 s, t]
    assert throttler.try_acquire()
    clock.set_time(SECOND + SECOND // 5)  # t = 1.2 s: slots at 0.5 and 1.0 still held
    assert not throttler.try_acquire()
    clock.set_time(SECOND + SECOND // 2)  # t = 1.5 s: the 0.5 s slot leaves
    assert throttler.try_acquire()


def test_try_acquire_when_denied_then_takes_no_slot() -> None:
    throttler, clock = make(limit=1)
    assert throttler.try_acquire()
    clock.set_time(SECOND - 1)
    assert not throttler.try_acquire()

    clock.set_time(SECOND)

    assert throttler.try_acquire()


def test_used_when_slots_age_out_then_counts_only_the_window() -> None:
    throttler, clock = make(limit=5)
    throttler.try_acquire()
    clock.set_time(SECOND // 2)
    throttler.try_acquire()

    assert throttler.used() == 2
    clock.set_time(SECOND)
    assert throttler.used() == 1


def test_reset_when_full_then_slots_and_counters_cleared() -> None:
    throttler, _ = make(limit=1)
    throttler.try_acquire()
    throttler.try_acquire()

    throttler.reset()

    assert (throttler.sent_count, throttler.denied_count, throttler.used()) == (0, 0, 0)
    assert throttler.try_acquire()


@pytest.mark.parametrize(("limit", "interval"), [(0, SECOND), (-1, SECOND), (1, 0), (1, -5)])
def test_throttler_when_limit_or_interval_invalid_then_value_error(
    limit: int, interval: int
) -> None:
    with pytest.raises(ValueError, match="throttle"):
        Throttler(limit, interval, TestClock(0))


def test_repr_names_limit_and_interval() -> None:
    throttler, _ = make(limit=7)

    assert repr(throttler) == f"Throttler(test, limit=7, interval_ns={SECOND})"


@given(
    limit=st.integers(min_value=1, max_value=5),
    interval=st.integers(min_value=1, max_value=100),
    gaps=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=60),
)
def test_try_acquire_property_at_most_limit_per_window_and_denied_only_when_full(
    limit: int, interval: int, gaps: list[int]
) -> None:
    clock = TestClock(0)
    throttler = Throttler(limit, interval, clock)
    now = 0
    accepted: list[int] = []
    for gap in gaps:
        now += gap
        clock.set_time(now)
        in_window = sum(1 for t in accepted if t > now - interval)
        ok = throttler.try_acquire()
        assert ok == (in_window < limit)  # denied exactly when the window is full
        if ok:
            accepted.append(now)
    for t in accepted:  # no window (t - interval, t] ever holds more than `limit`
        assert sum(1 for u in accepted if t - interval < u <= t) <= limit
