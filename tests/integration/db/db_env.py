"""Shared setup of the cache database tests: one isolated database per test and backend.

SQLite gets its own file in `tmp_path`, PostgreSQL its own schema (dropped at
teardown), Redis its own key prefix (deleted at teardown). Unreachable services skip
(or fail under ARGONAUT_REQUIRE_SERVICES=1) through `require_service`.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import redis.asyncio as aioredis

from argonaut.cache.db import CacheDatabase
from argonaut.cache.db.postgres import PostgresCacheDatabase
from argonaut.cache.db.redis import RedisCacheDatabase
from argonaut.cache.db.sqlite import SqliteCacheDatabase
from conftest import require_service

T = TypeVar("T")

BACKENDS = ["sqlite", "postgres", "redis"]
PG_HOST = os.environ.get("ARGONAUT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("ARGONAUT_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("ARGONAUT_TEST_PG_USER", "postgres")
PG_DATABASE = os.environ.get("ARGONAUT_TEST_PG_DATABASE", "test")
REDIS_HOST = os.environ.get("ARGONAUT_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("ARGONAUT_TEST_REDIS_PORT", "6379"))


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run one test body on a fresh event loop."""
    return asyncio.run(coro)


class Backend:
    """One isolated database of one backend kind for one test."""

    def __init__(self, kind: str, tmp_path: Path, test_id: str) -> None:
        self.kind = kind
        self.tmp_path = tmp_path
        digest = hashlib.sha1(f"{test_id}:{os.getpid()}".encode()).hexdigest()[:16]
        self.schema = f"t_{digest}"
        self.prefix = f"argonaut-test:{digest}"
        self.path = tmp_path / "cache.sqlite3"

    def open(self, *, closed_ttl_secs: int | None = None) -> CacheDatabase:
        """Open (lazily connect) the test database."""
        if self.kind == "sqlite":
            return SqliteCacheDatabase(self.path)
        if self.kind == "postgres":
            return PostgresCacheDatabase(
                schema=self.schema,
                host=PG_HOST,
                port=PG_PORT,
                user=PG_USER,
                database=PG_DATABASE,
            )
        return RedisCacheDatabase(
            prefix=self.prefix, host=REDIS_HOST, port=REDIS_PORT, closed_ttl_secs=closed_ttl_secs
        )

    async def inject(self, collection: str, key: str, blob: bytes) -> None:
        """Append a raw record behind the backend's back (to simulate corruption).

        `collection` is ``orders`` or ``accounts``; `key` the order or account id.
        """
        if self.kind == "redis":
            client = aioredis.Redis(host=REDIS_HOST, port=REDIS_PORT)
            try:
                await client.rpush(f"{self.prefix}:{collection}:{key}", blob)
                await client.sadd(f"{self.prefix}:index:{collection}", key)
            finally:
                await client.aclose()
            return
        if collection == "orders":
            sql = "INSERT INTO {s}order_events (client_order_id, data) VALUES (?, ?)"
            args: tuple[Any, ...] = (key, blob)
        else:
            sql = "INSERT INTO {s}account_events (account_id, ts_event, data) VALUES (?, 0, ?)"
            args = (key, blob)
        if self.kind == "sqlite":
            import sqlite3

            with sqlite3.connect(self.path) as conn:
                conn.execute(sql.replace("{s}", ""), args)
            return
        conn = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, database=PG_DATABASE)
        try:
            numbered = iter(range(1, 10))
            pg_sql = re.sub(r"\?", lambda _: f"${next(numbered)}", sql)
            await conn.execute(pg_sql.replace("{s}", f'"{self.schema}".'), *args)
        finally:
            await conn.close()

    async def _teardown(self) -> None:
        if self.kind == "postgres":
            conn = await asyncpg.connect(
                host=PG_HOST, port=PG_PORT, user=PG_USER, database=PG_DATABASE
            )
            try:
                await conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            finally:
                await conn.close()
        elif self.kind == "redis":
            client = aioredis.Redis(host=REDIS_HOST, port=REDIS_PORT)
            try:
                keys = [k async for k in client.scan_iter(match=f"{self.prefix}:*")]
                if keys:
                    await client.delete(*keys)
            finally:
                await client.aclose()

    def teardown(self) -> None:
        """Drop the schema or delete the keys of this test."""
        run(self._teardown())


def make_backend(kind: str, tmp_path: Path, test_id: str) -> Backend:
    """Return the isolated database for `kind`, skipping when its service is unreachable."""
    if kind == "postgres":
        require_service("PostgreSQL", PG_HOST, PG_PORT)
    elif kind == "redis":
        require_service("Redis", REDIS_HOST, REDIS_PORT)
    return Backend(kind, tmp_path, test_id)


async def with_db(backend: Backend, body: Callable[[CacheDatabase], Awaitable[T]]) -> T:
    """Open the test database, run `body` on it, close it."""
    db = backend.open()
    try:
        return await body(db)
    finally:
        await db.close()
