"""`SqliteCacheDatabase`: the embedded default, one SQLite file in WAL mode.

sqlite3 blocks, so every call runs on one dedicated worker thread that owns the
connection: the event loop never waits on the disk, and because the worker takes calls
first-in first-out, batches are applied in the order `write` was called. `write`
encodes its batch on the caller's thread (the loop) first, so the worker runs only
SQLite, which releases the GIL, and never holds the GIL for Python work the loop would
have to wait for. Each batch is
one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``). ``synchronous=NORMAL`` keeps every
committed batch across a process crash; `flush` checkpoints the WAL into the database
file (with fsync) for durability across a power loss.

`write_now` is the one synchronous exception: it applies a (small) batch on the
caller's thread through a second connection, for a writer that must confirm a commit
as fast as possible (write-ahead ownership) and would otherwise wait for the worker
thread to get the GIL from a busy event loop. The caller must not overlap it with a
pending `write` (the persistence writer never does), so batches stay in call order.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from argonaut.cache.db.errors import CacheDatabaseError
from argonaut.cache.db.protocol import DbOp, LoadedState
from argonaut.cache.db.records import RecordCodec, decode_state
from argonaut.cache.db.sql import (
    LOAD_QUERIES,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    SQLITE,
    TABLES,
    compile_ops,
    raw_state,
)

T = TypeVar("T")


class SqliteCacheDatabase:
    """A cache database in one SQLite file (created, with its schema, on first use)."""

    def __init__(self, path: str | Path, *, codec: RecordCodec | None = None) -> None:
        self._path = Path(path)
        self._codec = RecordCodec() if codec is None else codec
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="argonaut-sqlite"
        )
        self._conn: sqlite3.Connection | None = None  # owned by the worker thread
        self._caller_conn: sqlite3.Connection | None = None  # `write_now`'s, caller's thread
        self._closed = False

    @property
    def name(self) -> str:
        """The backend's name and file."""
        return f"sqlite:{self._path}"

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        executor = self._executor
        if executor is None or self._closed:
            raise CacheDatabaseError(f"{self.name} is closed")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, fn, *args)
        except sqlite3.Error as e:
            raise CacheDatabaseError(f"{self.name}: {type(e).__name__}: {e}") from e

    # -- worker-thread side ----------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn = self._conn
        if conn is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._conn = conn
            self._migrate_sync(conn)
        return conn

    @staticmethod
    def _migrate_sync(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(SQLITE.render(MIGRATIONS_TABLE))
            applied = {
                row[0]
                for row in conn.execute(SQLITE.render("SELECT version FROM {s}argonaut_migrations"))
            }
            for version, statements in MIGRATIONS:
                if version in applied:
                    continue
                for statement in statements:
                    conn.execute(SQLITE.render(statement))
                conn.execute(
                    SQLITE.render("INSERT INTO {s}argonaut_migrations (version) VALUES (?)"),
                    (version,),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _write_sync(self, ops: Sequence[DbOp], conn: sqlite3.Connection | None = None) -> None:
        self._execute_steps(compile_ops(ops, self._codec, SQLITE), conn)

    def _execute_steps(self, steps: Any, conn: sqlite3.Connection | None = None) -> None:
        conn = self._connection() if conn is None else conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, rows in steps:
                conn.executemany(sql, rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _load_sync(self, strict: bool) -> LoadedState:
        conn = self._connection()
        conn.execute("BEGIN")
        try:
            rows = {
                name: conn.execute(SQLITE.render(q)).fetchall() for name, q in LOAD_QUERIES.items()
            }
        finally:
            conn.execute("COMMIT")
        return decode_state(raw_state(rows), self._codec, strict=strict)

    def _clear_sync(self) -> None:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in TABLES:
                conn.execute(SQLITE.render(f"DELETE FROM {{s}}{table}"))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _flush_sync(self) -> None:
        self._connection().execute("PRAGMA wal_checkpoint(FULL)")

    def _close_sync(self) -> None:
        conn = self._conn
        self._conn = None
        if conn is not None:
            conn.close()

    def _versions_sync(self) -> list[int]:
        rows = self._connection().execute(
            SQLITE.render("SELECT version FROM {s}argonaut_migrations ORDER BY version")
        )
        return [int(r[0]) for r in rows]

    # -- the protocol ------------------------------------------------------------------

    async def migrate(self) -> None:
        """Open the file and create or migrate the schema (idempotent)."""
        await self._call(self._connection)

    async def migration_versions(self) -> list[int]:
        """Return the applied migration versions."""
        return await self._call(self._versions_sync)

    def write_now(self, ops: Sequence[DbOp]) -> None:
        """Apply `ops` synchronously on this thread (see the module docstring)."""
        if self._closed:
            raise CacheDatabaseError(f"{self.name} is closed")
        try:
            conn = self._caller_conn
            if conn is None:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA busy_timeout=5000")
                conn.execute("PRAGMA wal_autocheckpoint=0")  # the worker checkpoints
                conn.execute("PRAGMA synchronous=NORMAL")
                self._caller_conn = conn
            self._write_sync(ops, conn)
        except sqlite3.Error as e:
            raise CacheDatabaseError(f"{self.name}: {type(e).__name__}: {e}") from e

    async def write(self, ops: Sequence[DbOp]) -> None:
        """Apply `ops` in one transaction, after every earlier `write`."""
        if ops:
            # Encoded here, on the loop, between its callbacks: the worker thread then runs
            # (almost) only SQLite, which releases the GIL, instead of holding the GIL for
            # Python work while the loop waits for it (up to the switch interval).
            await self._call(self._execute_steps, compile_ops(ops, self._codec, SQLITE))

    async def load(self, *, strict: bool = True) -> LoadedState:
        """Load and decode everything stored."""
        return await self._call(self._load_sync, strict)

    async def clear(self) -> None:
        """Delete every record; keep the schema."""
        await self._call(self._clear_sync)

    async def flush(self) -> None:
        """Checkpoint the WAL into the database file."""
        if not self._closed:
            await self._call(self._flush_sync)

    async def close(self) -> None:
        """Close the connection and stop the worker thread (idempotent)."""
        executor = self._executor
        if executor is None:
            return
        caller_conn, self._caller_conn = self._caller_conn, None
        if caller_conn is not None:
            caller_conn.close()
        try:
            await self._call(self._close_sync)
        finally:
            self._closed = True
            self._executor = None
            executor.shutdown(wait=False)

    async def __aenter__(self) -> SqliteCacheDatabase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


__all__ = ["SqliteCacheDatabase"]
