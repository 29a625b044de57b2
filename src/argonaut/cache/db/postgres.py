"""`PostgresCacheDatabase`: the cache database in a PostgreSQL schema (asyncpg).

The schema named in the config is created on first use and brought up to date by the
versioned migrations of `argonaut.cache.db.sql`, recorded in
``{schema}.argonaut_migrations(version, applied_at)``; an advisory lock makes concurrent
first uses safe. Each `write` batch is one transaction; a lock taken in call order keeps
concurrent batches in order. Connection errors become `CacheDatabaseError` without the
password (it is passed to the driver, never formatted into a message).
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]

from argonaut.cache.db.errors import CacheDatabaseError
from argonaut.cache.db.protocol import DbOp, LoadedState
from argonaut.cache.db.records import RecordCodec, decode_state
from argonaut.cache.db.sql import (
    LOAD_QUERIES,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    TABLES,
    compile_ops,
    postgres_dialect,
    raw_state,
)

_DRIVER_ERRORS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError)


class PostgresCacheDatabase:
    """A cache database in one PostgreSQL schema, over one asyncpg connection."""

    def __init__(
        self,
        *,
        schema: str = "argonaut",
        host: str | None = None,
        port: int | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        ssl: bool = False,
        connect_timeout_secs: float = 10.0,
        codec: RecordCodec | None = None,
    ) -> None:
        self._dialect = postgres_dialect(schema)
        self._connect_args: dict[str, Any] = {
            "host": host,
            "port": port,
            "user": user,
            "password": password,
            "database": database,
            "timeout": connect_timeout_secs,
        }
        if ssl:
            self._connect_args["ssl"] = True
        self._codec = RecordCodec() if codec is None else codec
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._migrated = False
        self._closed = False

    @property
    def name(self) -> str:
        """The backend's name, server and schema (never the password)."""
        a = self._connect_args
        where = f"{a['host'] or 'default'}:{a['port'] or 'default'}/{a['database'] or 'default'}"
        return f"postgres:{where} schema {self._dialect.schema}"

    @property
    def schema(self) -> str:
        """The schema holding the tables."""
        return self._dialect.schema

    async def _connection(self) -> asyncpg.Connection:
        if self._closed:
            raise CacheDatabaseError(f"{self.name} is closed")
        conn = self._conn
        if conn is None:
            try:
                conn = await asyncpg.connect(**self._connect_args)
            except _DRIVER_ERRORS as e:
                raise CacheDatabaseError(
                    f"cannot connect to {self.name}: {type(e).__name__}: {e}"
                ) from e
            self._conn = conn
        if not self._migrated:
            await self._migrate(conn)
            self._migrated = True
        return conn

    async def _migrate(self, conn: asyncpg.Connection) -> None:
        d = self._dialect
        try:
            async with conn.transaction():
                # One lock id per schema: concurrent first uses migrate one at a time.
                lock_id = zlib.crc32(f"argonaut:{d.schema}".encode())
                await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_id)
                await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{d.schema}"')
                await conn.execute(d.render(MIGRATIONS_TABLE))
                rows = await conn.fetch(d.render("SELECT version FROM {s}argonaut_migrations"))
                applied = {int(r[0]) for r in rows}
                for version, statements in MIGRATIONS:
                    if version in applied:
                        continue
                    for statement in statements:
                        await conn.execute(d.render(statement))
                    await conn.execute(
                        d.render("INSERT INTO {s}argonaut_migrations (version) VALUES (?)"),
                        version,
                    )
        except _DRIVER_ERRORS as e:
            raise CacheDatabaseError(f"cannot migrate {self.name}: {type(e).__name__}: {e}") from e

    # -- the protocol ------------------------------------------------------------------

    async def migrate(self) -> None:
        """Connect, create the schema and apply pending migrations (idempotent)."""
        async with self._lock:
            await self._connection()

    async def migration_versions(self) -> list[int]:
        """Return the applied migration versions."""
        async with self._lock:
            conn = await self._connection()
            rows = await conn.fetch(
                self._dialect.render("SELECT version FROM {s}argonaut_migrations ORDER BY version")
            )
            return [int(r[0]) for r in rows]

    async def write(self, ops: Sequence[DbOp]) -> None:
        """Apply `ops` in one transaction, after every earlier `write`."""
        if not ops:
            return
        steps = compile_ops(ops, self._codec, self._dialect)
        async with self._lock:
            conn = await self._connection()
            try:
                async with conn.transaction():
                    for sql, rows in steps:
                        if len(rows) == 1:
                            await conn.execute(sql, *rows[0])
                        else:
                            await conn.executemany(sql, rows)
            except _DRIVER_ERRORS as e:
                raise CacheDatabaseError(f"{self.name}: write failed: {e}") from e

    async def load(self, *, strict: bool = True) -> LoadedState:
        """Load and decode everything stored (one repeatable-read snapshot)."""
        async with self._lock:
            conn = await self._connection()
            rows: dict[str, list[tuple[Any, ...]]] = {}
            try:
                async with conn.transaction(isolation="repeatable_read", readonly=True):
                    for name, query in LOAD_QUERIES.items():
                        records = await conn.fetch(self._dialect.render(query))
                        rows[name] = [tuple(r) for r in records]
            except _DRIVER_ERRORS as e:
                raise CacheDatabaseError(f"{self.name}: load failed: {e}") from e
        return decode_state(raw_state(rows), self._codec, strict=strict)

    async def clear(self) -> None:
        """Delete every record; keep the schema."""
        async with self._lock:
            conn = await self._connection()
            tables = ", ".join(self._dialect.render(f"{{s}}{t}") for t in TABLES)
            try:
                await conn.execute(f"TRUNCATE {tables} RESTART IDENTITY")
            except _DRIVER_ERRORS as e:
                raise CacheDatabaseError(f"{self.name}: clear failed: {e}") from e

    async def flush(self) -> None:
        """Do nothing more: every committed batch is already durable in PostgreSQL."""
        async with self._lock:
            return

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        async with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
            if conn is not None:
                await conn.close()

    async def __aenter__(self) -> PostgresCacheDatabase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


__all__ = ["PostgresCacheDatabase"]
