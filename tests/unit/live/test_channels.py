"""Channel statistics, order, bounds, thread-safe sends; ChannelSet wake-up and priority."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from argonaut.live.channels import Channel, ChannelFull, ChannelSet, ChannelStats

Set = ChannelSet[Any, Any, Any, Any, Any]


def test_send_then_drain_in_fifo_order() -> None:
    ch: Channel[int] = Channel("c")
    for i in range(5):
        ch.send_nowait(i)
    assert ch.depth == 5
    assert ch.drain() == [0, 1, 2, 3, 4]
    assert ch.is_empty


def test_drain_with_max_items_returns_oldest_and_keeps_rest() -> None:
    ch: Channel[int] = Channel("c")
    for i in range(5):
        ch.send_nowait(i)
    assert ch.drain(2) == [0, 1]
    assert ch.drain(0) == []
    assert ch.drain(10) == [2, 3, 4]


def test_drain_with_negative_max_items_then_value_error() -> None:
    ch: Channel[int] = Channel("c")
    ch.send_nowait(1)
    ch.send_nowait(2)
    with pytest.raises(ValueError, match="max_items must be >= 0"):
        ch.drain(-1)


def test_popleft_returns_oldest_and_empty_raises_index_error() -> None:
    ch: Channel[str] = Channel("c")
    ch.send_nowait("a")
    ch.send_nowait("b")
    assert ch.popleft() == "a"
    assert ch.popleft() == "b"
    with pytest.raises(IndexError, match="channel 'c' is empty"):
        ch.popleft()


def test_depth_peak_and_sent_count_are_exact_across_sends_and_removals() -> None:
    ch: Channel[int] = Channel("c")
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (0, 0, 0)
    for i in range(3):
        ch.send_nowait(i)
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (3, 3, 3)
    ch.popleft()
    ch.drain(1)
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (1, 3, 3)
    for i in range(4):
        ch.send_nowait(i)
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (5, 5, 7)
    ch.drain()
    ch.send_nowait(9)
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (1, 5, 8)
    assert len(ch) == 1


def test_bounded_channel_when_full_then_channel_full_and_nothing_added() -> None:
    ch: Channel[int] = Channel("orders", maxlen=2)
    ch.send_nowait(1)
    ch.send_nowait(2)
    with pytest.raises(ChannelFull, match="channel 'orders' is full"):
        ch.send_nowait(3)
    assert ch.drain() == [1, 2]
    ch.send_nowait(3)
    assert ch.sent_count == 3
    assert ch.maxlen == 2


@pytest.mark.parametrize("maxlen", [0, -1, True])
def test_maxlen_when_not_positive_then_value_error(maxlen: int) -> None:
    with pytest.raises(ValueError, match="maxlen must be a positive int or None"):
        Channel("c", maxlen=maxlen)


def test_unbounded_by_default() -> None:
    ch: Channel[int] = Channel("c")
    assert ch.maxlen is None
    for i in range(10_000):
        ch.send_nowait(i)
    assert ch.depth == 10_000


def test_stats_snapshot() -> None:
    ch: Channel[int] = Channel("c", maxlen=4)
    ch.send_nowait(1)
    ch.send_nowait(2)
    ch.popleft()
    assert ch.stats() == ChannelStats(
        name="c", depth=1, peak_depth=2, sent_count=2, dropped_count=0, maxlen=4
    )


def test_send_threadsafe_when_unbound_then_runtime_error() -> None:
    ch: Channel[int] = Channel("c")
    with pytest.raises(RuntimeError, match="has no consumer loop yet"):
        ch.send_threadsafe(1)


def test_send_threadsafe_from_threads_keeps_each_thread_order_and_wakes_consumer() -> None:
    n_threads, n_msgs = 4, 500

    async def main() -> list[tuple[int, int]]:
        ch: Channel[tuple[int, int]] = Channel("c")
        ch.bind(asyncio.get_running_loop())

        def produce(tid: int) -> None:
            for i in range(n_msgs):
                ch.send_threadsafe((tid, i))

        threads = [threading.Thread(target=produce, args=(t,)) for t in range(n_threads)]
        for t in threads:
            t.start()
        received: list[tuple[int, int]] = []
        while len(received) < n_threads * n_msgs:
            await asyncio.wait_for(ch.wait(), 10)
            received.extend(ch.drain())
        for t in threads:
            t.join()
        assert ch.sent_count == n_threads * n_msgs
        return received

    received = asyncio.run(main())
    for tid in range(4):
        assert [i for t, i in received if t == tid] == list(range(n_msgs))


def test_send_threadsafe_when_full_then_channel_full_in_sender() -> None:
    async def main() -> None:
        ch: Channel[int] = Channel("c", maxlen=1)
        ch.bind(asyncio.get_running_loop())
        ch.send_nowait(1)
        with pytest.raises(ChannelFull):
            ch.send_threadsafe(2)

    asyncio.run(main())


def test_threadsafe_delivery_when_filled_meanwhile_then_dropped_and_reported() -> None:
    async def main() -> tuple[list[dict[str, Any]], Channel[int]]:
        loop = asyncio.get_running_loop()
        errors: list[dict[str, Any]] = []
        loop.set_exception_handler(lambda _loop, ctx: errors.append(ctx))
        ch: Channel[int] = Channel("c", maxlen=1)
        ch.bind(loop)
        ch.send_threadsafe(1)  # queued for delivery, channel still looks empty
        ch.send_nowait(2)  # fills it before delivery
        await asyncio.sleep(0)
        return errors, ch

    errors, ch = asyncio.run(main())
    assert ch.dropped_count == 1
    assert ch.drain() == [2]
    assert len(errors) == 1
    assert isinstance(errors[0]["exception"], ChannelFull)


def test_bind_to_a_second_loop_then_runtime_error() -> None:
    ch: Channel[int] = Channel("c")
    loop_a, loop_b = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:
        ch.bind(loop_a)
        ch.bind(loop_a)
        with pytest.raises(RuntimeError, match="already bound to another event loop"):
            ch.bind(loop_b)
    finally:
        loop_a.close()
        loop_b.close()


def test_channel_set_priority_order_is_time_exec_events_exec_commands_data() -> None:
    channels: Set = ChannelSet()
    assert [ch.name for ch in channels] == [
        "time_events",
        "exec_events",
        "exec_commands",
        "data_events",
        "data_commands",
    ]
    assert list(channels.stats()) == [ch.name for ch in channels.by_priority]


def test_first_ready_picks_highest_priority_channel_with_work() -> None:
    channels: Set = ChannelSet()
    assert channels.first_ready() is None
    channels.data_commands.send_nowait("dc")
    channels.data_events.send_nowait("de")
    assert channels.first_ready() is channels.data_events
    channels.exec_commands.send_nowait("ec")
    assert channels.first_ready() is channels.exec_commands
    channels.exec_events.send_nowait("ee")
    channels.time_events.send_nowait("te")
    assert channels.first_ready() is channels.time_events
    assert channels.total_depth == 5


def test_priority_drain_puts_order_actions_before_market_data_backlog() -> None:
    channels: Set = ChannelSet()
    for i in range(3):
        channels.data_events.send_nowait(f"quote{i}")
    channels.exec_commands.send_nowait("submit")
    channels.exec_events.send_nowait("filled")
    channels.time_events.send_nowait("timer")
    handled: list[str] = []
    while (ch := channels.first_ready()) is not None:
        handled.append(ch.popleft())
    assert handled == ["timer", "filled", "submit", "quote0", "quote1", "quote2"]


def test_wait_returns_at_once_when_work_is_waiting() -> None:
    async def main() -> None:
        channels: Set = ChannelSet()
        channels.data_commands.send_nowait(1)
        await asyncio.wait_for(channels.wait(), 1)

    asyncio.run(main())


def test_wait_wakes_on_send_to_any_channel() -> None:
    async def main() -> list[str]:
        channels: Set = ChannelSet()
        woken: list[str] = []

        async def consumer() -> None:
            for _ in range(2):
                await channels.wait()
                ch = channels.first_ready()
                assert ch is not None
                woken.append(ch.popleft())

        task = asyncio.create_task(consumer())
        await asyncio.sleep(0)
        assert channels.wakeup.armed
        channels.exec_events.send_nowait("fill")
        await asyncio.sleep(0)
        channels.data_events.send_nowait("quote")
        await asyncio.wait_for(task, 1)
        return woken

    assert asyncio.run(main()) == ["fill", "quote"]


def test_burst_of_sends_wakes_consumer_once() -> None:
    async def main() -> list[int]:
        channels: Set = ChannelSet()
        batches: list[int] = []

        async def consumer() -> None:
            await channels.wait()
            batches.append(channels.data_events.depth)

        task = asyncio.create_task(consumer())
        await asyncio.sleep(0)
        for i in range(100):
            channels.data_events.send_nowait(i)
        assert not channels.wakeup.armed
        await task
        return batches

    assert asyncio.run(main()) == [100]


def test_wake_without_message_releases_wait_and_is_stored_when_nobody_waits() -> None:
    async def main() -> None:
        channels: Set = ChannelSet()
        channels.wake()  # stored permit: the next wait returns at once
        await asyncio.wait_for(channels.wait(), 1)
        waiter = asyncio.create_task(channels.wait())
        await asyncio.sleep(0)
        assert not waiter.done()
        channels.wake()
        await asyncio.wait_for(waiter, 1)
        assert not channels.has_work

    asyncio.run(main())


def test_wake_threadsafe_from_thread_releases_wait() -> None:
    async def main() -> None:
        channels: Set = ChannelSet()
        channels.bind(asyncio.get_running_loop())
        waiter = asyncio.create_task(channels.wait())
        await asyncio.sleep(0)
        thread = threading.Thread(target=channels.wake_threadsafe)
        thread.start()
        await asyncio.wait_for(waiter, 10)
        thread.join()

    asyncio.run(main())


def test_second_concurrent_waiter_then_runtime_error() -> None:
    async def main() -> None:
        channels: Set = ChannelSet()
        first = asyncio.create_task(channels.wait())
        await asyncio.sleep(0)
        with pytest.raises(RuntimeError, match="one consumer"):
            await channels.wait()
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        assert not channels.wakeup.armed

    asyncio.run(main())


def test_cancelled_wait_then_a_later_wait_still_wakes() -> None:
    async def main() -> None:
        channels: Set = ChannelSet()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(channels.wait(), 0.01)
        waiter = asyncio.create_task(channels.wait())
        await asyncio.sleep(0)
        channels.time_events.send_nowait("t")
        await asyncio.wait_for(waiter, 1)

    asyncio.run(main())


def test_channel_set_maxlen_bounds_every_channel_and_stats_report_it() -> None:
    channels: Set = ChannelSet(maxlen=1)
    for ch in channels:
        ch.send_nowait(0)
        with pytest.raises(ChannelFull):
            ch.send_nowait(1)
    stats = channels.stats()
    assert all(s.depth == 1 and s.peak_depth == 1 and s.maxlen == 1 for s in stats.values())


def test_single_channel_wait_returns_when_it_has_a_message() -> None:
    async def main() -> int:
        ch: Channel[int] = Channel("c")
        waiter = asyncio.create_task(ch.wait())
        await asyncio.sleep(0)
        ch.send_nowait(42)
        await asyncio.wait_for(waiter, 1)
        return ch.popleft()

    assert asyncio.run(main()) == 42


def test_bounded_and_unbounded_channels_are_both_channels() -> None:
    bounded: Channel[int] = Channel("b", maxlen=3)
    unbounded: Channel[int] = Channel("u")
    assert isinstance(bounded, Channel)
    assert isinstance(unbounded, Channel)
    assert (bounded.name, bounded.maxlen, unbounded.maxlen) == ("b", 3, None)


def test_wake_while_waiter_is_being_cancelled_is_kept_for_the_next_wait() -> None:
    async def main() -> None:
        channels: Set = ChannelSet()
        waiter = asyncio.create_task(channels.wait())
        await asyncio.sleep(0)
        waiter.cancel()
        channels.wake()  # the cancelled waiter has not run its cleanup yet
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await asyncio.wait_for(channels.wait(), 1)

    asyncio.run(main())
