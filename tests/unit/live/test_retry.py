"""Tests of `argonaut.live.clients.retry`: backoff, jitter, rate limits, cancellation."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

import pytest

from argonaut.common.clock import TestClock
from argonaut.common.logging import WARNING, Logger, LoggingConfig, LogSystem, MemorySink
from argonaut.live.clients import (
    RateLimited,
    TransientVenueError,
    VenueRejected,
    backoff_delay,
    retry,
)
from argonaut.testkit.virtual_time import current_time_source, run_virtual


class FakeSleep:
    """Records each requested sleep and returns at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class Flaky:
    """Fails with the given errors in turn, then returns "ok"."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def transient(n: int) -> list[BaseException]:
    return [TransientVenueError(f"boom {i}") for i in range(n)]


def run_retry(fn: Flaky, sleep: FakeSleep, **kw: object) -> str:
    params: dict[str, object] = {
        "attempts": 5,
        "base_delay": 0.1,
        "max_delay": 1.0,
        "jitter": 0.0,
        "jitter_rng": random.Random(1),
        "sleep": sleep,
    }
    params.update(kw)
    return asyncio.run(retry(fn, **params))  # type: ignore[arg-type]


def test_retry_when_transient_errors_then_doubles_delay_and_returns_result() -> None:
    sleep = FakeSleep()
    fn = Flaky(*transient(3))
    assert run_retry(fn, sleep) == "ok"
    assert fn.calls == 4
    assert sleep.delays == pytest.approx([0.1, 0.2, 0.4])


def test_retry_when_backoff_exceeds_max_delay_then_capped() -> None:
    sleep = FakeSleep()
    run_retry(Flaky(*transient(4)), sleep, max_delay=0.25)
    assert sleep.delays == pytest.approx([0.1, 0.2, 0.25, 0.25])


def test_retry_when_first_call_succeeds_then_never_sleeps() -> None:
    sleep = FakeSleep()
    assert run_retry(Flaky(), sleep) == "ok"
    assert sleep.delays == []


def test_retry_when_jitter_seeded_then_delays_repeat_and_stay_in_band() -> None:
    runs = []
    for _ in range(2):
        sleep = FakeSleep()
        run_retry(Flaky(*transient(4)), sleep, jitter=0.5, jitter_rng=random.Random(7))
        runs.append(sleep.delays)
    assert runs[0] == runs[1]
    for delay, full in zip(runs[0], [0.1, 0.2, 0.4, 0.8], strict=True):
        assert full * 0.5 <= delay <= full
    assert runs[0] != pytest.approx([0.1, 0.2, 0.4, 0.8])


def test_retry_when_rate_limited_then_waits_at_least_retry_after() -> None:
    sleep = FakeSleep()
    fn = Flaky(RateLimited("slow down", retry_after=5.0), RateLimited("again", retry_after=None))
    assert run_retry(fn, sleep) == "ok"
    # retry_after wins even past max_delay; without it, plain backoff applies
    assert sleep.delays == pytest.approx([5.0, 0.2])


def test_retry_when_retry_after_shorter_than_backoff_then_backoff_kept() -> None:
    sleep = FakeSleep()
    run_retry(Flaky(*transient(2), RateLimited("x", retry_after=0.01)), sleep)
    assert sleep.delays == pytest.approx([0.1, 0.2, 0.4])


def test_retry_when_attempts_exhausted_then_last_error_raised() -> None:
    sleep = FakeSleep()
    errors = transient(3)
    fn = Flaky(*errors)
    with pytest.raises(TransientVenueError, match="boom 2") as info:
        run_retry(fn, sleep, attempts=3)
    assert info.value is errors[2]
    assert fn.calls == 3
    assert len(sleep.delays) == 2


def test_retry_when_error_not_retryable_then_raised_at_once() -> None:
    sleep = FakeSleep()
    fn = Flaky(VenueRejected("insufficient margin"))
    with pytest.raises(VenueRejected, match="insufficient margin"):
        run_retry(fn, sleep)
    assert fn.calls == 1
    assert sleep.delays == []


def test_retry_when_retry_on_given_then_only_those_retried() -> None:
    sleep = FakeSleep()
    fn = Flaky(KeyError("a"), TransientVenueError("b"))
    with pytest.raises(TransientVenueError):
        run_retry(fn, sleep, retry_on=(KeyError,))
    assert fn.calls == 2


def test_retry_when_fn_raises_cancelled_then_propagates_even_if_retry_on_matches() -> None:
    sleep = FakeSleep()
    fn = Flaky(asyncio.CancelledError())
    with pytest.raises(asyncio.CancelledError):
        run_retry(fn, sleep, retry_on=(BaseException,))
    assert fn.calls == 1
    assert sleep.delays == []


def test_retry_when_cancelled_during_backoff_then_cancelled_error_propagates() -> None:
    fn = Flaky(*transient(10))

    async def main() -> int:
        sleep = current_time_source().sleep
        task = asyncio.ensure_future(
            retry(
                fn,
                attempts=10,
                base_delay=1.0,
                max_delay=10.0,
                jitter_rng=random.Random(3),
                sleep=sleep,
            )
        )
        await asyncio.sleep(2.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return fn.calls

    calls = run_virtual(main())
    assert 1 < calls < 10


def test_retry_under_virtual_time_then_sleeps_sum_of_delays() -> None:
    async def main() -> tuple[str, float]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        result = await retry(
            Flaky(*transient(3)),
            attempts=4,
            base_delay=1.0,
            max_delay=60.0,
            jitter=0.0,
            jitter_rng=random.Random(0),
            sleep=current_time_source().sleep,
        )
        return result, loop.time() - start

    result, elapsed = run_virtual(main())
    assert result == "ok"
    assert elapsed == pytest.approx(7.0)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"attempts": 0}, "attempts must be >= 1"),
        ({"base_delay": -1.0}, "base_delay <= max_delay"),
        ({"base_delay": 2.0, "max_delay": 1.0}, "base_delay <= max_delay"),
        ({"jitter": 1.5}, r"jitter must be in \[0, 1\]"),
    ],
)
def test_retry_when_schedule_invalid_then_value_error(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        run_retry(Flaky(), FakeSleep(), **kw)


def test_rate_limited_when_retry_after_negative_then_value_error() -> None:
    with pytest.raises(ValueError, match="retry_after must be >= 0"):
        RateLimited("x", retry_after=-1.0)


def test_backoff_delay_when_no_jitter_then_exponential() -> None:
    rng = random.Random(0)
    delays = [
        backoff_delay(n, base_delay=0.5, max_delay=3.0, jitter=0.0, jitter_rng=rng)
        for n in range(1, 5)
    ]
    assert delays == [0.5, 1.0, 2.0, 3.0]


@pytest.fixture
def memory() -> Iterator[tuple[LogSystem, MemorySink]]:
    sink = MemorySink()
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(0), sinks=[sink]) as system:
        yield system, sink


def test_retry_when_log_given_then_each_retry_and_give_up_logged(
    memory: tuple[LogSystem, MemorySink],
) -> None:
    system, sink = memory
    with pytest.raises(TransientVenueError):
        run_retry(
            Flaky(*transient(3)),
            FakeSleep(),
            attempts=2,
            log=Logger("Retry", system),
            name="place order",
        )
    assert system.flush()
    messages = sink.messages(WARNING)
    assert len(messages) == 2
    assert "place order failed (attempt 1/2)" in messages[0]
    assert "retrying in 0.100s" in messages[0]
    assert "place order failed after 2 attempts" in messages[1]
