"""`Channel.feed` (the market-data fast path) and the runner's direct data-client sinks."""

from __future__ import annotations

from collections import deque
from functools import partial
from typing import Any

import pytest

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.live.channels import Channel, ChannelSet
from argonaut.live.runner import NodeRunner
from argonaut.model.identifiers import TraderId
from argonaut.system import Kernel, KernelConfig


def _empty() -> tuple[deque[Any], deque[Any], deque[Any]]:
    return deque(), deque(), deque()


def test_feed_hands_messages_in_order_up_to_budget_and_keeps_stats_exact() -> None:
    ch: Channel[int] = Channel("data")
    for i in range(5):
        ch.send_nowait(i)
    seen: list[int] = []
    assert ch.feed(seen.append, 3, _empty()) == 3
    assert seen == [0, 1, 2]
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (2, 5, 5)
    assert ch.feed(seen.append, 10, _empty()) == 2
    assert seen == [0, 1, 2, 3, 4]
    assert ch.feed(seen.append, 10, _empty()) == 0


def test_feed_when_a_higher_queue_gets_a_message_then_stops_after_that_message() -> None:
    ch: Channel[int] = Channel("data")
    for i in range(4):
        ch.send_nowait(i)
    higher = _empty()
    seen: list[int] = []

    def handle(msg: int) -> None:
        seen.append(msg)
        if msg == 1:
            higher[2].append("order")

    assert ch.feed(handle, 100, higher) == 2
    assert seen == [0, 1]
    assert ch.depth == 2


def test_feed_when_handler_sends_more_then_peak_counts_them() -> None:
    ch: Channel[int] = Channel("data")
    ch.send_nowait(0)

    def handle(msg: int) -> None:
        if msg == 0:
            for i in range(1, 4):
                ch.send_nowait(i)

    assert ch.feed(handle, 100, _empty()) == 4
    assert (ch.depth, ch.peak_depth, ch.sent_count) == (0, 3, 4)


def test_feed_when_handler_raises_then_message_counts_as_removed() -> None:
    ch: Channel[int] = Channel("data")
    ch.send_nowait(1)
    ch.send_nowait(2)

    def handle(msg: int) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        ch.feed(handle, 10, _empty())
    assert (ch.depth, ch.sent_count) == (1, 2)


def test_channel_set_queues_are_the_channels_items_in_priority_order() -> None:
    channels: ChannelSet[Any, Any, Any, Any, Any] = ChannelSet()
    for ch, queue in zip(channels.by_priority, channels.queues, strict=True):
        ch.send_nowait("x")
        assert list(queue) == ["x"]


class _DataClient:
    def __init__(self, bus: MessageBus) -> None:
        self._sink: Any = partial(bus.send, topics.DATA_ENGINE_PROCESS)


def test_bind_client_sinks_points_default_sinks_at_the_channel_and_unbind_restores() -> None:
    kernel = Kernel(KernelConfig(trader_id="TESTER-001"))
    runner = NodeRunner(kernel, exec_manager=_Manager())
    default = _DataClient(kernel.msgbus)
    original = default._sink
    custom = _DataClient(kernel.msgbus)
    custom._sink = print
    other_bus = _DataClient(MessageBus(TraderId("OTHER-001")))
    runner.bind_senders()
    runner.bind_client_sinks([default, custom, other_bus])
    assert default._sink == runner.ingest_data
    assert custom._sink is print
    assert other_bus._sink.func.__self__ is not kernel.msgbus
    default._sink("quote")
    assert list(runner.channels.queues[3]) == ["quote"]
    runner.unbind_senders()
    assert default._sink is original
    kernel.dispose()


class _Manager:
    def record_local_activity(self, coid: Any) -> None:
        return None

    def clear_recon_tracking(self, coid: Any) -> None:
        return None

    def register_inflight(self, coid: Any) -> None:
        return None


def _inline_runner() -> tuple[Kernel, NodeRunner, list[Any]]:
    kernel = Kernel(KernelConfig(trader_id="TESTER-001"))
    runner = NodeRunner(kernel, exec_manager=_Manager())
    seen: list[Any] = []
    runner._process_data = seen.append  # the data engine, seen from the runner
    runner.bind_senders()
    return kernel, runner, seen


def test_ingest_when_running_and_idle_then_processed_inline_without_queueing() -> None:
    kernel, runner, seen = _inline_runner()
    runner.inline_data = True
    runner.ingest_data("q1")
    assert seen == ["q1"]
    assert runner.channels.data_events.depth == 0
    assert runner.inline_count == 1
    kernel.dispose()


def test_ingest_when_not_running_then_queued_for_the_loop() -> None:
    kernel, runner, seen = _inline_runner()
    runner.ingest_data("q1")  # startup buffering and shutdown: inline is off
    assert seen == []
    assert list(runner.channels.queues[3]) == ["q1"]
    kernel.dispose()


def test_ingest_when_a_channel_has_work_then_queued_behind_it() -> None:
    kernel, runner, seen = _inline_runner()
    runner.inline_data = True
    runner.channels.exec_events.send_nowait("fill")
    runner.ingest_data("q1")
    assert seen == []
    assert list(runner.channels.queues[3]) == ["q1"]
    kernel.dispose()


def test_ingest_when_streak_exhausted_then_queued_until_the_loop_resets_it() -> None:
    kernel, runner, seen = _inline_runner()
    runner.inline_data = True
    runner.inline_streak = 1000
    runner.ingest_data("q1")
    assert seen == []
    runner.inline_streak = 0  # the node's loop does this on each pass
    runner.channels.data_events.popleft()
    runner.ingest_data("q2")
    assert seen == ["q2"]
    kernel.dispose()
