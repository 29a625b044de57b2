"""`LiveClientBase`: the asyncio plumbing every live venue client shares.

A live client lives on the node's event loop (DESIGN.md section 2). It provides:

- `connect()` / `disconnect()`: idempotent, serialized by a lock, bounded by an
  optional timeout, running the venue hooks `_connect()` / `_disconnect()` and keeping
  `is_connected`. `reconnect()` does both and then `_on_reconnected()` (the data
  client re-subscribes there).
- `create_task(coro)`: tasks the client spawns are tracked; a task's exception is
  logged with its traceback (never lost), a finished task is forgotten, and
  `disconnect()` cancels and awaits every task still running. Tasks are kept in
  insertion order, so cancellation order is deterministic.
- `call_threadsafe(fn, *args)`: the only way in from a venue SDK's own thread; it runs
  `fn(*args)` on the client's loop with `loop.call_soon_threadsafe`.

The loop is the one given at construction, else the one `connect()` runs on. Sleeps
and backoff use the injected `TimeSource` (`self.time_source.sleep`), so a client runs
under virtual time in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from argonaut.common.logging import Logger
from argonaut.live.clients.errors import ClientNotConnected, TransientVenueError
from argonaut.live.timesource import RealTimeSource, TimeSource
from argonaut.model.identifiers import ClientId

__all__ = ["LiveClientBase", "Sink"]

T = TypeVar("T")

Sink = Callable[[Any], None]
"""Where a client hands a message to the engines, without awaiting (a channel send)."""


class LiveClientBase:
    """Mixin with the connection lifecycle and task tracking of a live client."""

    client_id: ClientId
    is_connected: bool

    def _init_live(
        self,
        *,
        logger: Logger | None,
        loop: asyncio.AbstractEventLoop | None,
        time_source: TimeSource | None,
        connect_timeout: float | None,
        disconnect_timeout: float | None,
    ) -> None:
        """Set up the live state (call from the concrete client's `__init__`)."""
        for what, value in (
            ("connect_timeout", connect_timeout),
            ("disconnect_timeout", disconnect_timeout),
        ):
            if value is not None and value <= 0:
                raise ValueError(f"{what} must be > 0 seconds or None, found {value}")
        self.is_connected = False
        self._log = logger if logger is not None else Logger(str(self.client_id), None)
        self._loop = loop
        self.time_source: TimeSource = time_source if time_source is not None else RealTimeSource()
        self._connect_timeout = connect_timeout
        self._disconnect_timeout = disconnect_timeout
        self._tasks: dict[asyncio.Task[Any], None] = {}
        self._lock = asyncio.Lock()
        self.task_error_count = 0

    # -- lifecycle ---------------------------------------------------------------------

    async def connect(self, *, timeout: float | None = None) -> None:
        """Connect to the venue; do nothing when already connected.

        Raise `TransientVenueError` when `_connect()` takes longer than `timeout`
        (default: the client's `connect_timeout`); errors of `_connect()` propagate.
        On failure the client stays disconnected and the tasks it spawned are cancelled.
        """
        async with self._lock:
            if self.is_connected:
                return
            if self._loop is None:
                self._loop = asyncio.get_running_loop()
            limit = timeout if timeout is not None else self._connect_timeout
            try:
                async with asyncio.timeout(limit):
                    await self._connect()
            except TimeoutError as exc:
                self._cancel_tasks_nowait()
                raise TransientVenueError(
                    f"{self.client_id} did not connect within {limit}s: "
                    "the venue is unreachable or slow, retry later"
                ) from exc
            except BaseException:
                self._cancel_tasks_nowait()
                raise
            self.is_connected = True
        self._log.info("Connected")

    async def disconnect(self, *, timeout: float | None = None) -> None:
        """Disconnect from the venue and cancel every tracked task; idempotent.

        A `_disconnect()` that fails or exceeds `timeout` (default: the client's
        `disconnect_timeout`) is logged; the client counts as disconnected anyway.
        """
        async with self._lock:
            if not self.is_connected and not self._tasks:
                return
            limit = timeout if timeout is not None else self._disconnect_timeout
            try:
                if self.is_connected:
                    async with asyncio.timeout(limit):
                        await self._disconnect()
            except TimeoutError:
                self._log.error(f"Disconnect did not complete within {limit}s")
            except Exception as exc:
                self._log.exception(f"Disconnect failed: {exc!r}", exc)
            finally:
                self.is_connected = False
                await self._cancel_tasks()
        self._log.info("Disconnected")

    async def reconnect(self) -> None:
        """Disconnect, connect again, then restore venue state (`_on_reconnected`)."""
        await self.disconnect()
        await self.connect()
        await self._on_reconnected()

    # -- hooks for venue clients -----------------------------------------------------------

    async def _connect(self) -> None:
        """Open the venue connection (override)."""

    async def _disconnect(self) -> None:
        """Close the venue connection (override)."""

    async def _on_reconnected(self) -> None:
        """Restore venue-side state after a reconnect (override)."""

    # -- tasks ---------------------------------------------------------------------------

    @property
    def task_count(self) -> int:
        """The number of tracked tasks still running."""
        return len(self._tasks)

    def create_task(self, coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Task[T]:
        """Run `coro` as a tracked task on the client's loop and return the task.

        Raise `RuntimeError` when the client has no loop yet and none is running.
        """
        loop = self._loop
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                coro.close()
                raise RuntimeError(
                    f"{self.client_id} cannot schedule {name or 'a task'}: no event loop is "
                    "running; call it on the node's loop, connect first, or pass loop="
                ) from None
        task = loop.create_task(coro, name=name)
        self._tasks[task] = None
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.pop(task, None)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.task_error_count += 1
            self._log.exception(f"Task {task.get_name()} failed: {exc!r}", exc)

    def _cancel_tasks_nowait(self) -> list[asyncio.Task[Any]]:
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current and not t.done()]
        for task in tasks:
            task.cancel()
        return tasks

    async def _cancel_tasks(self) -> None:
        tasks = self._cancel_tasks_nowait()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    # -- other threads -------------------------------------------------------------------

    def call_threadsafe(self, fn: Callable[..., object], *args: Any) -> None:
        """Run `fn(*args)` on the client's loop; safe to call from any thread.

        Raise `ClientNotConnected` when the client has no loop yet or it is closed.
        """
        loop = self._loop
        if loop is None:
            raise ClientNotConnected(
                f"{self.client_id} has no event loop yet: connect it before other threads "
                "hand it messages"
            )
        try:
            loop.call_soon_threadsafe(fn, *args)
        except RuntimeError as exc:  # the loop is closed
            raise ClientNotConnected(f"{self.client_id} cannot take messages: {exc}") from exc
