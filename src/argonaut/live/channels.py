"""The live node's five message channels and the wakeup its main loop waits on.

A `Channel` is a `collections.deque` plus a consumer wakeup. Sending from the loop
thread (`send_nowait`) is one deque append and one flag test: the consumer is only
woken when it is actually waiting, so a burst of messages costs a burst of appends and
a single wakeup. Other threads use `send_threadsafe`, which hands the message over with
`loop.call_soon_threadsafe` (the only way across threads, DESIGN.md section 2).

Each channel has exactly one consumer, the node's loop. Statistics (depth, peak depth,
messages sent) are exact but cost nothing per send: depth only grows between two
removals, so the peak is taken when messages are removed.

Bounds. Channels are unbounded by default, a stated decision: the reference node uses
unbounded channels, and the producers (venue clients, timers, strategies) cannot be
paused without losing venue truth, so back-pressure would only move the backlog
elsewhere. `peak_depth` makes a growing backlog visible. A channel given a `maxlen`
refuses a send beyond it with `ChannelFull` instead of dropping silently, so the
producer decides what to shed.

`ChannelSet` holds the five node channels in the priority order of DESIGN.md section 2
(time events, execution events, execution commands, data events, data commands) and one
shared wakeup: `await channels.wait()` returns once any channel has work (or `wake()`
was called, e.g. by a maintenance timer), then the node drains in priority order.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Generic, Self, TypeVar, cast

import msgspec

__all__ = ["Channel", "ChannelFull", "ChannelSet", "ChannelStats", "Wakeup"]

T = TypeVar("T")
TimeEvtT = TypeVar("TimeEvtT")
ExecEvtT = TypeVar("ExecEvtT")
ExecCmdT = TypeVar("ExecCmdT")
DataEvtT = TypeVar("DataEvtT")
DataCmdT = TypeVar("DataCmdT")

_UNBOUNDED = 1 << 62


class ChannelFull(Exception):
    """Raise when a bounded channel is at its `maxlen`: the consumer is behind, shed load."""


class ChannelStats(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A snapshot of one channel's statistics."""

    name: str
    depth: int
    peak_depth: int
    sent_count: int
    dropped_count: int
    maxlen: int | None


class Wakeup:
    """A single-consumer wakeup with one stored permit (like a notify-one primitive).

    `wake()` resolves a pending `wait()`; when nobody waits it stores a permit so the
    next `wait()` returns at once. Channels call `wake()` only while `armed` (a consumer
    is parked), which keeps the send path to a flag test. Loop-thread only, except
    `wake_threadsafe`.
    """

    __slots__ = ("_future", "_loop", "_permit", "armed")

    def __init__(self) -> None:
        self.armed = False
        self._permit = False
        self._future: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop the consumer runs on, once bound."""
        return self._loop

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind to the consumer's loop (done by the first `wait()` if not before)."""
        if self._loop is not None and self._loop is not loop:
            raise RuntimeError("this wakeup is already bound to another event loop")
        self._loop = loop

    def wake(self) -> None:
        """Resolve the pending wait, or store a permit for the next one."""
        future = self._future
        self._future = None
        self.armed = False
        if future is None or future.done():  # nobody waits (or the waiter was cancelled)
            self._permit = True
        else:
            future.set_result(None)

    def wake_threadsafe(self) -> None:
        """Call `wake()` on the consumer's loop from any thread."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("wake_threadsafe needs a bound loop: call bind(loop) first")
        loop.call_soon_threadsafe(self.wake)

    def take_permit(self) -> bool:
        """Consume a stored permit; return whether there was one."""
        permit = self._permit
        self._permit = False
        return permit

    async def wait(self) -> None:
        """Wait for the next `wake()`, or return at once if a permit is stored."""
        if self._permit:
            self._permit = False
            return
        if self._future is not None:
            raise RuntimeError("a wakeup has one consumer: another task is already waiting")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        future: asyncio.Future[None] = loop.create_future()
        self._future = future
        self.armed = True
        try:
            await future
        finally:
            if self._future is future:
                self._future = None
                self.armed = False


class Channel(Generic[T]):
    """A FIFO channel with one consumer on the loop thread; see the module docstring.

    `maxlen=None` (the default) is unbounded; otherwise sends beyond `maxlen` raise
    `ChannelFull`. Give a shared `wakeup` to let one consumer wait on several channels.
    """

    __slots__ = ("_items", "_limit", "_peak", "_removed", "_wakeup", "dropped_count", "name")

    def __new__(cls, name: str, *, maxlen: int | None = None, wakeup: Wakeup | None = None) -> Self:
        # A bounded channel is a subclass, so the unbounded send path has no bound check.
        if maxlen is not None and cls is Channel:
            return cast(Self, object.__new__(_BoundedChannel))
        return object.__new__(cls)

    def __init__(
        self, name: str, *, maxlen: int | None = None, wakeup: Wakeup | None = None
    ) -> None:
        if maxlen is not None and (isinstance(maxlen, bool) or maxlen <= 0):
            raise ValueError(
                f"channel {name!r}: maxlen must be a positive int or None, found {maxlen!r}"
            )
        self.name = name
        self._items: deque[T] = deque()
        self._limit = _UNBOUNDED if maxlen is None else maxlen
        self._peak = 0
        self._removed = 0
        self._wakeup = wakeup if wakeup is not None else Wakeup()
        self.dropped_count = 0

    # -- producers -------------------------------------------------------------------

    def send_nowait(self, msg: T) -> None:
        """Append `msg` from the loop thread; raise `ChannelFull` if bounded and full."""
        self._items.append(msg)
        if self._wakeup.armed:
            self._wakeup.wake()

    def send_threadsafe(self, msg: T) -> None:
        """Send `msg` from another thread through `loop.call_soon_threadsafe`.

        Messages from one thread arrive in the order sent. A bounded channel that looks
        full from here raises `ChannelFull` in the sender; one that fills up before the
        message is delivered (other producers raced it) drops the message, counts it in
        `dropped_count` and reports `ChannelFull` to the loop's exception handler.
        """
        loop = self._wakeup.loop
        if loop is None:
            raise RuntimeError(
                f"channel {self.name!r} has no consumer loop yet: bind it (ChannelSet.bind "
                "or Channel.bind) before sending from another thread"
            )
        if len(self._items) >= self._limit:
            raise ChannelFull(f"channel {self.name!r} is full ({self._limit} messages)")
        loop.call_soon_threadsafe(self._deliver, msg)

    def _deliver(self, msg: T) -> None:
        try:
            self.send_nowait(msg)
        except ChannelFull as e:
            self.dropped_count += 1
            loop = self._wakeup.loop
            if loop is not None:
                loop.call_exception_handler(
                    {"message": f"dropped a thread-safe send: {e}", "exception": e}
                )

    # -- consumer --------------------------------------------------------------------

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind the channel to its consumer's loop (needed before `send_threadsafe`)."""
        self._wakeup.bind(loop)

    def popleft(self) -> T:
        """Remove and return the oldest message; raise IndexError when empty."""
        items = self._items
        depth = len(items)
        if depth > self._peak:  # noqa: PLR1730 - cheaper than max() once per message
            self._peak = depth
        if not depth:
            raise IndexError(f"channel {self.name!r} is empty")
        self._removed += 1
        return items.popleft()

    def drain(self, max_items: int | None = None) -> list[T]:
        """Remove and return up to `max_items` of the oldest messages (all when None)."""
        items = self._items
        depth = len(items)
        self._peak = max(self._peak, depth)
        if max_items is None or max_items >= depth:
            batch = list(items)
            items.clear()
        else:
            if max_items < 0:
                raise ValueError(f"max_items must be >= 0 or None, found {max_items}")
            popleft = items.popleft
            batch = [popleft() for _ in range(max_items)]
        self._removed += len(batch)
        return batch

    def feed(
        self,
        handler: Callable[[T], object],
        budget: int,
        higher: tuple[deque[Any], deque[Any], deque[Any]],
    ) -> int:
        """Hand messages to `handler` one at a time; return how many were handed over.

        Stops after `budget` messages, when the channel is empty, or as soon as one of
        the three `higher` queues (higher-priority channels' items) has a message, so
        the caller can serve those first. Statistics stay exact; a message whose
        handler raises counts as removed and the exception propagates.
        """
        items = self._items
        popleft = items.popleft
        a, b, c = higher
        peak = self._peak
        done = 0
        try:
            while items and done < budget:
                depth = len(items)
                if depth > peak:  # noqa: PLR1730 - cheaper than max() per message
                    peak = depth
                done += 1
                handler(popleft())
                if a or b or c:
                    break
        finally:
            self._peak = peak
            self._removed += done
        return done

    async def wait(self) -> None:
        """Wait until this channel has a message (single consumer)."""
        wakeup = self._wakeup
        while not self._items:
            await wakeup.wait()

    # -- statistics ------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """Messages waiting."""
        return len(self._items)

    @property
    def is_empty(self) -> bool:
        """Whether no message is waiting."""
        return not self._items

    @property
    def peak_depth(self) -> int:
        """The largest depth ever reached."""
        depth = len(self._items)
        return depth if depth > self._peak else self._peak

    @property
    def sent_count(self) -> int:
        """Messages accepted so far (delivered or still waiting)."""
        return self._removed + len(self._items)

    @property
    def maxlen(self) -> int | None:
        """The bound, or None when unbounded."""
        return None if self._limit == _UNBOUNDED else self._limit

    def stats(self) -> ChannelStats:
        """Return a snapshot of this channel's statistics."""
        return ChannelStats(
            name=self.name,
            depth=self.depth,
            peak_depth=self.peak_depth,
            sent_count=self.sent_count,
            dropped_count=self.dropped_count,
            maxlen=self.maxlen,
        )

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Channel({self.name!r}, depth={self.depth}, peak={self.peak_depth})"


class _BoundedChannel(Channel[T]):
    """A `Channel` with a `maxlen` (built by `Channel(..., maxlen=n)`)."""

    __slots__ = ()

    def send_nowait(self, msg: T) -> None:
        """Append `msg` from the loop thread; raise `ChannelFull` when full."""
        items = self._items
        if len(items) >= self._limit:
            raise ChannelFull(f"channel {self.name!r} is full ({self._limit} messages)")
        items.append(msg)
        if self._wakeup.armed:
            self._wakeup.wake()


class ChannelSet(Generic[TimeEvtT, ExecEvtT, ExecCmdT, DataEvtT, DataCmdT]):
    """The node's five channels, in drain priority order, sharing one wakeup.

    Priority (DESIGN.md section 2): time events, execution events, execution commands,
    data events, data commands, so an order action never waits behind market data.
    `maxlen` bounds every channel (None: unbounded, see the module docstring).

    The node's main loop, with its coarse timers waking the same wakeup::

        time_source.call_later(0.1, channels.wake)    # stop check / maintenance tick
        while True:
            await channels.wait()
            ...                                        # stop request, maintenance due?
            if (ch := channels.first_ready()) is not None:
                for msg in ch.drain(budget):
                    ...
    """

    __slots__ = (
        "by_priority",
        "data_commands",
        "data_events",
        "exec_commands",
        "exec_events",
        "queues",
        "time_events",
        "wakeup",
    )

    def __init__(self, *, maxlen: int | None = None) -> None:
        self.wakeup = Wakeup()
        w = self.wakeup
        self.time_events: Channel[TimeEvtT] = Channel("time_events", maxlen=maxlen, wakeup=w)
        self.exec_events: Channel[ExecEvtT] = Channel("exec_events", maxlen=maxlen, wakeup=w)
        self.exec_commands: Channel[ExecCmdT] = Channel("exec_commands", maxlen=maxlen, wakeup=w)
        self.data_events: Channel[DataEvtT] = Channel("data_events", maxlen=maxlen, wakeup=w)
        self.data_commands: Channel[DataCmdT] = Channel("data_commands", maxlen=maxlen, wakeup=w)
        self.by_priority: tuple[Channel[Any], ...] = (
            self.time_events,
            self.exec_events,
            self.exec_commands,
            self.data_events,
            self.data_commands,
        )
        # The channels' queues in the same order: the consumer's hot loop reads them.
        self.queues: tuple[deque[Any], ...] = tuple(ch._items for ch in self.by_priority)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind every channel to the node's loop (needed before thread-safe sends)."""
        self.wakeup.bind(loop)

    @property
    def has_work(self) -> bool:
        """Whether any channel has a message."""
        t, xe, xc, de, dc = self.queues
        return bool(t or xe or xc or de or dc)

    @property
    def total_depth(self) -> int:
        """Messages waiting across all channels."""
        return sum(len(ch._items) for ch in self.by_priority)

    def first_ready(self) -> Channel[Any] | None:
        """Return the highest-priority channel with a message, or None."""
        for ch in self.by_priority:
            if ch._items:
                return ch
        return None

    async def wait(self) -> None:
        """Wait until any channel has work or `wake()` is called (single consumer).

        Returns at once when there is already work or a stored `wake()` permit.
        """
        wakeup = self.wakeup
        if wakeup._permit:
            wakeup._permit = False
            return
        t, xe, xc, de, dc = self.queues
        if t or xe or xc or de or dc:
            return
        await wakeup.wait()

    def wake(self) -> None:
        """Wake the waiting loop without a message (a timer, a stop request)."""
        self.wakeup.wake()

    def wake_threadsafe(self) -> None:
        """Wake the waiting loop from another thread."""
        self.wakeup.wake_threadsafe()

    def stats(self) -> dict[str, ChannelStats]:
        """Return each channel's statistics by name, in priority order."""
        return {ch.name: ch.stats() for ch in self.by_priority}

    def __iter__(self) -> Iterator[Channel[Any]]:
        return iter(self.by_priority)
