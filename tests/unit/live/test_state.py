"""NodeState conversion and LiveNodeHandle sharing, threads and signal safety."""

from __future__ import annotations

import copy
import signal
import threading
from types import FrameType

import pytest

from argonaut.live.state import LiveNodeHandle, NodeState


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (0, NodeState.IDLE),
        (1, NodeState.STARTING),
        (2, NodeState.RUNNING),
        (3, NodeState.SHUTTING_DOWN),
        (4, NodeState.STOPPED),
    ],
)
def test_from_int_when_valid_then_state_with_that_value(value: int, state: NodeState) -> None:
    assert NodeState.from_int(value) is state
    assert int(state) == value


@pytest.mark.parametrize("value", [-1, 5, 255])
def test_from_int_when_out_of_range_then_value_error_lists_valid_states(value: int) -> None:
    with pytest.raises(ValueError, match=rf"node state {value} is not valid.*0 \(IDLE\)"):
        NodeState.from_int(value)


@pytest.mark.parametrize("value", [True, 2.0, "2", None])
def test_from_int_when_not_an_int_then_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="node state must be an int"):
        NodeState.from_int(value)  # type: ignore[arg-type]


def test_is_running_only_for_running() -> None:
    assert [s for s in NodeState if s.is_running] == [NodeState.RUNNING]


def test_new_handle_is_idle_without_stop_request() -> None:
    handle = LiveNodeHandle()
    assert handle.state is NodeState.IDLE
    assert not handle.is_running
    assert not handle.should_stop


def test_stop_then_should_stop() -> None:
    handle = LiveNodeHandle()
    handle.stop()
    assert handle.should_stop


def test_set_state_running_when_stop_pending_then_request_cleared() -> None:
    handle = LiveNodeHandle()
    handle.stop()
    handle.set_state(NodeState.RUNNING)
    assert handle.is_running
    assert handle.state is NodeState.RUNNING
    assert not handle.should_stop


@pytest.mark.parametrize(
    "state", [NodeState.IDLE, NodeState.STARTING, NodeState.SHUTTING_DOWN, NodeState.STOPPED]
)
def test_set_state_other_than_running_keeps_stop_request(state: NodeState) -> None:
    handle = LiveNodeHandle()
    handle.stop()
    handle.set_state(state)
    assert handle.state is state
    assert handle.should_stop


def test_stop_after_running_is_kept_through_shutdown_until_next_running() -> None:
    handle = LiveNodeHandle()
    handle.set_state(NodeState.STARTING)
    handle.set_state(NodeState.RUNNING)
    handle.stop()
    handle.set_state(NodeState.SHUTTING_DOWN)
    handle.set_state(NodeState.STOPPED)
    assert handle.should_stop
    handle.set_state(NodeState.RUNNING)
    assert not handle.should_stop


def test_set_state_when_not_a_node_state_then_type_error() -> None:
    with pytest.raises(TypeError, match="state must be a NodeState"):
        LiveNodeHandle().set_state(2)  # type: ignore[arg-type]


@pytest.mark.parametrize("make_copy", [LiveNodeHandle.copy, copy.copy, copy.deepcopy])
def test_copies_share_state_both_ways(make_copy: object) -> None:
    original = LiveNodeHandle()
    other = make_copy(original)  # type: ignore[operator]
    assert isinstance(other, LiveNodeHandle)
    assert other is not original
    assert other.shares_state_with(original)

    other.stop()
    assert original.should_stop
    original.set_state(NodeState.RUNNING)
    assert other.is_running
    assert not other.should_stop
    original.stop()
    assert other.should_stop
    other.set_state(NodeState.STOPPED)
    assert original.state is NodeState.STOPPED


def test_separate_handles_do_not_share_state() -> None:
    a, b = LiveNodeHandle(), LiveNodeHandle()
    a.stop()
    assert not b.should_stop
    assert not a.shares_state_with(b)


def test_stop_from_another_thread_is_seen_by_the_owner() -> None:
    handle = LiveNodeHandle()
    handle.set_state(NodeState.RUNNING)
    seen: list[NodeState] = []

    def worker(h: LiveNodeHandle) -> None:
        seen.append(h.state)
        h.stop()

    thread = threading.Thread(target=worker, args=(handle.copy(),))
    thread.start()
    thread.join()
    assert seen == [NodeState.RUNNING]
    assert handle.should_stop


def test_stop_from_a_real_signal_handler_is_seen() -> None:
    handle = LiveNodeHandle()
    handle.set_state(NodeState.RUNNING)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        handle.stop()

    previous = signal.signal(signal.SIGUSR1, on_signal)
    try:
        signal.raise_signal(signal.SIGUSR1)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert handle.should_stop
    assert handle.is_running


def test_repr_shows_state_and_stop_request() -> None:
    handle = LiveNodeHandle()
    handle.stop()
    assert repr(handle) == "LiveNodeHandle(state=IDLE, should_stop=True)"
