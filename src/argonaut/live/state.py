"""The live node's lifecycle state and the handle that controls it from anywhere.

`NodeState` goes IDLE -> STARTING -> RUNNING -> SHUTTING_DOWN -> STOPPED. The node owns
the transitions; everyone else reads them through a `LiveNodeHandle`.

`LiveNodeHandle` is the only object that other threads and signal handlers touch. It
holds no lock: its state is two attributes (an int and a bool) on a small shared object,
and a single attribute read or write of an immutable value is atomic under the GIL. A
signal handler may run between any two bytecodes of the thread it interrupts, so a lock
held by that thread would deadlock it; plain attribute writes cannot.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

__all__ = ["LiveNodeHandle", "NodeState"]


class NodeState(IntEnum):
    """Lifecycle state of a live node."""

    IDLE = 0
    STARTING = 1
    RUNNING = 2
    SHUTTING_DOWN = 3
    STOPPED = 4

    @classmethod
    def from_int(cls, value: int) -> NodeState:
        """Return the state whose value is `value`; refuse anything but the ints 0..4."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(
                f"node state must be an int 0..4, found {type(value).__name__} {value!r}"
            )
        if not 0 <= value <= _MAX_STATE:
            raise ValueError(f"node state {value} is not valid: expected one of {_VALID_STATES}")
        return _STATES[value]

    @property
    def is_running(self) -> bool:
        """Whether this is RUNNING."""
        return self is NodeState.RUNNING


_STATES: Final = tuple(NodeState)
_MAX_STATE: Final = len(_STATES) - 1
_VALID_STATES: Final = ", ".join(f"{s.value} ({s.name})" for s in _STATES)


class _SharedHandleState:
    """The state every copy of one handle shares (mutated by plain attribute writes)."""

    __slots__ = ("state", "stop_requested")

    def __init__(self) -> None:
        self.state: int = NodeState.IDLE.value
        self.stop_requested: bool = False


class LiveNodeHandle:
    """Stop a live node and read its state, from any thread or from a signal handler.

    Every copy (`copy()`, `copy.copy`, `copy.deepcopy`) shares the same state: a stop
    requested through one copy is seen by all of them, and so is each state change.
    `stop()` only records the request; the node polls `should_stop` on its loop.

    Entering RUNNING clears a pending stop request (no other state does), so a request
    left over from an earlier run cannot stop the next one. The request is cleared
    *before* RUNNING is published: a caller who has seen `is_running` and then calls
    `stop()` is never lost. A request made while the node is STARTING is cleared when
    it reaches RUNNING; the node checks `should_stop` before that if it wants to honour
    it.
    """

    __slots__ = ("_shared",)

    def __init__(self) -> None:
        self._shared = _SharedHandleState()

    def stop(self) -> None:
        """Request the node to stop (safe from any thread and from a signal handler)."""
        self._shared.stop_requested = True

    @property
    def should_stop(self) -> bool:
        """Whether a stop has been requested and not cleared by entering RUNNING."""
        return self._shared.stop_requested

    @property
    def state(self) -> NodeState:
        """The node's current state."""
        return _STATES[self._shared.state]

    @property
    def is_running(self) -> bool:
        """Whether the node is RUNNING."""
        return self._shared.state == NodeState.RUNNING

    def set_state(self, state: NodeState) -> None:
        """Publish the node's new state (called by the node); RUNNING clears a stop request."""
        if not isinstance(state, NodeState):
            raise TypeError(f"state must be a NodeState, found {type(state).__name__} {state!r}")
        shared = self._shared
        if state is NodeState.RUNNING:
            shared.stop_requested = False
        shared.state = state.value

    def copy(self) -> LiveNodeHandle:
        """Return another handle on the same shared state."""
        other = LiveNodeHandle.__new__(LiveNodeHandle)
        other._shared = self._shared
        return other

    def __copy__(self) -> LiveNodeHandle:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, object]) -> LiveNodeHandle:
        # A handle is a reference to a node: a deep copy still controls the same node.
        return self.copy()

    def shares_state_with(self, other: LiveNodeHandle) -> bool:
        """Whether `other` controls the same node as this handle."""
        return self._shared is other._shared

    def __repr__(self) -> str:
        return f"LiveNodeHandle(state={self.state.name}, should_stop={self.should_stop})"
