"""Write-behind persistence of the cache, and write-ahead ownership of submitted orders.

`PersistenceWriter` is the cache's database sink (`Cache.attach_database_sink`): every
state change arrives as a `DbOp` and is appended to a deque (the whole per-change cost
on the event loop). A background asyncio task takes everything queued, in order, and
hands it to `CacheDatabase.write` as one batch; the backends run the blocking I/O off
the loop (SQLite on its worker thread, asyncpg and redis-py on their sockets), so the
loop never waits for the database. The task runs between the loop's callbacks, never
inside one, so a batch always holds the complete effect of every event it covers (an
order's fill and its position's fill are committed together).

Write-ahead ownership: before a submit command reaches its execution client the
order's `OrderInitialized` is durably stored, by one of two gates installed on the
execution engine. `OwnershipJournal.gate` (the default, ``journal`` mode) copies it
into a memory-mapped local journal file and lets the command go (no system call, a
couple of microseconds). `PersistenceWriter.gate` (``commit`` mode) queues the command behind
that op and sends it right after the commit (group commit across orders; other
commands to clients wait behind a held submit, so a cancel never overtakes its order's
submit). Either way every order a venue can know of is durably owned by its strategy.

When a write fails (database unreachable) the writer keeps the batch, logs an ERROR and
retries with exponential backoff; trading continues while at most `max_backlog` ops
wait. Past the bound `on_backlog(True)` is called (the node switches the risk engine to
REDUCING); once everything is written again `on_backlog(False)` (back to ACTIVE). No
record is ever dropped. `close` writes what is left within the shutdown timeout.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from argonaut.cache.db import (
    CacheDatabase,
    CacheDatabaseConfig,
    DbOp,
    open_cache_database,
)
from argonaut.common.logging import Logger
from argonaut.live.journal import OwnershipJournal, merge_journal

SQLITE_DEFAULT_NAME = "argonaut.sqlite"
"""The SQLite file under the node's ``data_dir`` when `DatabaseConfig.path` is unset."""

_PASSWORD_VAR = "ARGONAUT_DATABASE_PASSWORD__"  # carries a config password to the backend


class _Send:
    """A command held until the ops queued before it are committed."""

    __slots__ = ("command", "send")

    def __init__(self, send: Callable[[Any], None], command: Any) -> None:
        self.send = send
        self.command = command


class PersistenceWriter:
    """The write-behind writer; see the module docstring.

    `sleep` waits (seconds) between retries and `monotonic` reads the time for the
    lag figure; both default to asyncio's and `time.monotonic`, the node passes its
    time source so tests run under virtual time.
    """

    def __init__(
        self,
        database: CacheDatabase,
        *,
        logger: Logger,
        max_backlog: int = 1_000_000,
        max_batch: int = 10_000,
        linger_secs: float = 0.01,
        retry_initial_secs: float = 0.1,
        retry_max_secs: float = 5.0,
        on_backlog: Callable[[bool], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_backlog < 1 or max_batch < 1:
            raise ValueError(
                f"max_backlog and max_batch must be >= 1, found {max_backlog} and {max_batch}"
            )
        self.database = database
        self.log = logger
        self.max_backlog = max_backlog
        self.max_batch = max_batch
        self.linger_secs = linger_secs
        self._attention = min(max_batch, max_backlog + 1)
        # A backend may offer a synchronous `write_now` (SQLite): used for the batches
        # that release a held submit, so the commit is not delayed by thread handoffs.
        self._write_now: Callable[[list[DbOp]], None] | None = getattr(database, "write_now", None)
        self.retry_initial_secs = retry_initial_secs
        self.retry_max_secs = retry_max_secs
        self._on_backlog = on_backlog
        self.on_drained: Callable[[], None] | None = None  # all queued ops committed
        self._sleep = sleep if sleep is not None else asyncio.sleep
        self._monotonic = monotonic
        self._queue: deque[DbOp | _Send] = deque()
        self._queued_since = 0.0
        self._inflight = 0
        self._inflight_since: float | None = None
        self._held = 0  # commands queued behind ops (write-ahead)
        self._waiter: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._closed = False
        self.backlog_exceeded = False
        self.retrying = False
        self.ops_written = 0
        self.batches = 0
        self.failures = 0
        self.max_queue_depth = 0
        self.commands_released = 0
        self.last_batch_secs = 0.0
        self.last_error: str | None = None

    # -- the event-loop side (hot path) --------------------------------------------------

    def enqueue(self, op: DbOp) -> None:
        """Queue one op (the cache's sink): a deque append, nothing awaited."""
        queue = self._queue
        if not queue:
            self._queued_since = self._monotonic()
            waiter = self._waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        queue.append(op)
        if len(queue) >= self._attention:
            self._on_depth(len(queue))

    def _on_depth(self, depth: int) -> None:
        """The queue reached a full batch or passed the backlog bound."""
        if depth >= self.max_batch:
            waiter = self._waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        if depth > self.max_backlog and not self.backlog_exceeded:
            self._backlog(True)

    def gate(self, send: Callable[[Any], None], command: Any, submit: bool) -> bool:
        """The execution engine's write-ahead gate: True when it took `command`.

        A submit is always held until the ops queued so far are committed (then
        ``send(command)`` runs); any other command is held only while a submit is, so
        commands reach a client in the order they were given.
        """
        if not submit and not self._held:
            return False
        if self._closed:
            raise RuntimeError("the persistence writer is closed: cannot hold a command")
        queue = self._queue
        if not queue:
            self._queued_since = self._monotonic()
        queue.append(_Send(send, command))
        self._held += 1
        waiter = self._waiter  # wake the writer now, even while it lingers
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        return True

    # -- figures -------------------------------------------------------------------------

    @property
    def queue_depth(self) -> int:
        """Ops (and held commands) not yet committed, the batch being written included."""
        return len(self._queue) + self._inflight

    def write_lag(self) -> float:
        """Seconds the oldest uncommitted op has waited (0.0 when everything is written)."""
        since = self._inflight_since
        if since is None:
            if not self._queue:
                return 0.0
            since = self._queued_since
        return max(0.0, self._monotonic() - since)

    def stats(self) -> dict[str, Any]:
        """Queue depth, write lag and counters (for logs and node stats)."""
        return {
            "backend": self.database.name,
            "queue_depth": self.queue_depth,
            "max_queue_depth": self.max_queue_depth,
            "write_lag_ms": round(self.write_lag() * 1000, 3),
            "ops_written": self.ops_written,
            "batches": self.batches,
            "last_batch_ms": round(self.last_batch_secs * 1000, 3),
            "commands_held": self._held,
            "commands_released": self.commands_released,
            "failures": self.failures,
            "retrying": self.retrying,
            "backlog_exceeded": self.backlog_exceeded,
            "last_error": self.last_error,
        }

    # -- the background task -------------------------------------------------------------

    def start(self) -> None:
        """Start the writer task on the running loop."""
        if self._task is not None:
            raise RuntimeError("the persistence writer is already started")
        self._task = asyncio.get_running_loop().create_task(self._run(), name="PersistenceWriter")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        queue = self._queue
        while True:
            if not queue:
                if self._closing:
                    return
                self._waiter = waiter = loop.create_future()
                await waiter
                self._waiter = None
                continue
            if (
                self.linger_secs > 0
                and not self._held
                and not self._closing
                and len(queue) < self.max_batch
            ):
                # Let a batch build up (fewer, larger commits); a held submit, a full
                # batch or close ends the wait early.
                self._waiter = waiter = loop.create_future()
                timer = loop.call_later(self.linger_secs, _wake, waiter)
                await waiter
                timer.cancel()
                self._waiter = None
            await self._write_next()

    async def _write_next(self) -> None:
        queue = self._queue
        depth = len(queue)
        self.max_queue_depth = max(self.max_queue_depth, depth)
        take = min(depth, self.max_batch)
        self._inflight_since = self._queued_since
        items = [queue.popleft() for _ in range(take)]
        self._inflight = take
        self._queued_since = self._monotonic()
        ops: list[DbOp] = []
        sends: list[_Send] = []
        for item in items:
            if type(item) is _Send:
                sends.append(item)
            else:
                ops.append(item)  # type: ignore[arg-type]
        if ops:
            await self._write_with_retry(ops, bool(sends))
        self._inflight = 0
        self._inflight_since = None
        for held in sends:
            self._held -= 1
            self.commands_released += 1
            try:
                held.send(held.command)
            except Exception as exc:
                self.log.exception(f"Sending {type(held.command).__name__} failed", exc)
        if not queue:
            if self.backlog_exceeded:
                self._backlog(False)
            on_drained = self.on_drained
            if on_drained is not None:
                on_drained()

    async def _write_with_retry(self, ops: list[DbOp], urgent: bool = False) -> None:
        delay = self.retry_initial_secs
        write_now = self._write_now if urgent else None
        while True:
            start = self._monotonic()
            try:
                if write_now is not None:
                    write_now(ops)
                else:
                    await self.database.write(ops)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.failures += 1
                self.last_error = repr(exc)
                self.retrying = True
                self.log.error(
                    f"Cache database {self.database.name} write of {len(ops)} ops failed "
                    f"({exc!r}); {self.queue_depth} ops waiting, retrying in {delay:.2f}s"
                )
                await self._sleep(delay)
                delay = min(delay * 2, self.retry_max_secs)
                continue
            self.last_batch_secs = self._monotonic() - start
            self.ops_written += len(ops)
            self.batches += 1
            if self.retrying:
                self.retrying = False
                self.log.info(f"Cache database {self.database.name} writes succeed again")
            return

    def _backlog(self, exceeded: bool) -> None:
        self.backlog_exceeded = exceeded
        if exceeded:
            self.log.error(
                f"Cache database backlog of {len(self._queue)} ops exceeds the bound of "
                f"{self.max_backlog}: nothing is dropped, trading is reduced until it drains"
            )
        else:
            self.log.warning("Cache database backlog drained: trading may resume")
        if self._on_backlog is not None:
            self._on_backlog(exceeded)

    # -- shutdown ------------------------------------------------------------------------

    async def close(self, timeout: float) -> bool:
        """Write everything queued (at most `timeout` real seconds), flush and close.

        Return True when nothing was left unwritten.
        """
        if self._closed:
            return True
        self._closing = True
        task = self._task
        complete = True
        if task is not None:
            waiter = self._waiter
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
            # Real seconds: under a virtual clock a write on a worker thread would race
            # the timer (virtual time jumps while the thread works).
            deadline = time.monotonic() + timeout
            while not task.done() and time.monotonic() < deadline:
                await asyncio.wait({task}, timeout=min(0.05, timeout))
            if not task.done():
                complete = False
                self.log.error(
                    f"Cache database writes not finished within {timeout}s: {self.queue_depth} "
                    "ops were not written"
                )
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            elif task.exception() is not None:
                complete = False
                self.log.error(f"Cache database writer failed: {task.exception()!r}")
        self._closed = True
        try:
            if complete:
                await self.database.flush()
            await self.database.close()
        except Exception as exc:
            self.log.error(f"Closing the cache database failed: {exc!r}")
            complete = False
        return complete


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def cache_database_config(
    config: Any, data_dir: str | Path
) -> tuple[CacheDatabaseConfig, dict[str, str]]:
    """Map the node's `DatabaseConfig` to the backend's config and its environment.

    SQLite defaults to ``{data_dir}/argonaut.sqlite``. A password given directly in the
    config travels in the returned environment mapping, never in a config or a log.
    """
    environ: dict[str, str] = {}
    password_env = config.password_env
    if config.password is not None:
        environ[_PASSWORD_VAR] = config.password
        password_env = _PASSWORD_VAR
    path = config.path
    if config.type == "sqlite" and path is None:
        path = str(Path(data_dir) / SQLITE_DEFAULT_NAME)
    return (
        CacheDatabaseConfig(
            backend=config.type,
            path=path,
            host=config.host,
            port=config.port,
            username=config.username,
            password_env=password_env,
            database=config.database,
            ssl=config.ssl,
            connect_timeout_secs=config.timeout,
            schema=config.schema if config.schema is not None else "argonaut",
            closed_ttl_secs=config.closed_expiry,
        ),
        environ,
    )


def open_node_database(
    config: Any, data_dir: str | Path, environ: Mapping[str, str]
) -> CacheDatabase:
    """Build the cache database a node's `DatabaseConfig` names (it connects on first use)."""
    backend, extra = cache_database_config(config, data_dir)
    if backend.backend == "sqlite":
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    return open_cache_database(backend, data_dir=data_dir, environ={**environ, **extra})


async def load_cache(
    database: CacheDatabase, cache: Any, journal_path: Path, log: Logger, *, flush: bool
) -> list[DbOp]:
    """Migrate `database`, then load everything into `cache` (or, with `flush`, delete it
    all and the journal too); return the ops that store the orders only the ownership
    journal held. Raise `CorruptRecord` / `CacheDatabaseError` as the backend does."""
    await database.migrate()
    if flush:
        await database.clear()
        journal_path.unlink(missing_ok=True)
        log.warning(f"Cache database {database.name} cleared (flush_on_start)")
        return []
    state = await database.load(strict=True)
    recovered = merge_journal(state, OwnershipJournal.read(journal_path))
    counts = cache.restore(state)
    loaded = ", ".join(f"{k}={v}" for k, v in counts.items())
    log.info(f"Cache loaded from {database.name}: {loaded}")
    if recovered:
        log.warning(
            f"{len(recovered)} order(s) recovered from the ownership journal {journal_path} "
            "(submitted, not yet in the database)"
        )
    return recovered


def start_writing(
    database: CacheDatabase,
    kernel: Any,
    settings: Any,
    journal_path: Path,
    recovered: list[DbOp],
    *,
    on_backlog: Callable[[bool], None],
    time_source: Any,
    purge: bool,
) -> tuple[PersistenceWriter, OwnershipJournal | None]:
    """Start the write-behind writer on `kernel`'s cache and install write-ahead ownership
    (`settings` is the node's `DatabaseConfig`); return the writer and the journal
    (None in ``commit`` mode or with write-ahead off)."""
    writer = PersistenceWriter(
        database,
        logger=kernel.logger("CacheDatabase"),
        max_backlog=settings.max_backlog,
        retry_initial_secs=settings.retry_delay_initial,
        retry_max_secs=settings.retry_delay_max,
        on_backlog=on_backlog,
        sleep=time_source.sleep,
        monotonic=time_source.monotonic,
    )
    writer.start()
    kernel.cache.attach_database_sink(writer.enqueue, purge=purge)
    for op in recovered:
        writer.enqueue(op)
    journal: OwnershipJournal | None = None
    write_ahead = settings.write_ahead_ownership
    if write_ahead is None or write_ahead:  # None: on in LIVE and SANDBOX
        if settings.write_ahead_mode == "commit":
            kernel.exec_engine.set_write_ahead_gate(writer.gate)
        else:
            journal = OwnershipJournal(journal_path)
            writer.on_drained = journal.truncate
            kernel.exec_engine.set_write_ahead_gate(journal.gate)
    return writer, journal


__all__ = [
    "SQLITE_DEFAULT_NAME",
    "OwnershipJournal",
    "PersistenceWriter",
    "cache_database_config",
    "load_cache",
    "merge_journal",
    "open_node_database",
    "start_writing",
]
