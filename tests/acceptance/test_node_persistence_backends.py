"""Restart on PostgreSQL and Redis: the node's state survives on every backend.

Each test gets its own schema or key prefix, removed at teardown; an unreachable
service skips (fails under ARGONAUT_REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
import redis.asyncio as aioredis
from node_env import NodeEnv, trader

from argonaut.cache.db import CacheDatabase
from argonaut.common.logging import LoggingConfig, MemorySink
from argonaut.live.config import DatabaseConfig, LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode, kernel_config
from argonaut.live.persistence import open_node_database
from argonaut.live.timesource import RealTimeSource
from argonaut.model.enums import OrderStatus
from argonaut.system import Kernel
from argonaut.testkit import btcusdt_perp, quote
from argonaut.testkit.live import FakeLiveDataClient, FakeLiveExecClient
from conftest import require_service

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": "test"}
REDIS = {"host": "127.0.0.1", "port": 6379}


@pytest.fixture(params=["postgres", "redis"])
def open_db(request: pytest.FixtureRequest) -> Iterator[Callable[[], CacheDatabase]]:
    tag = f"t_{uuid.uuid4().hex[:12]}"
    if request.param == "postgres":
        require_service("PostgreSQL", PG["host"], PG["port"])  # type: ignore[arg-type]
        from argonaut.cache.db.postgres import PostgresCacheDatabase

        yield lambda: PostgresCacheDatabase(schema=tag, **PG)  # type: ignore[arg-type]

        async def drop() -> None:
            conn = await asyncpg.connect(**PG)
            try:
                await conn.execute(f'DROP SCHEMA IF EXISTS "{tag}" CASCADE')
            finally:
                await conn.close()

    else:
        require_service("Redis", REDIS["host"], REDIS["port"])  # type: ignore[arg-type]
        from argonaut.cache.db.redis import RedisCacheDatabase

        yield lambda: RedisCacheDatabase(prefix=tag, **REDIS)  # type: ignore[arg-type]

        async def drop() -> None:
            client = aioredis.Redis(**REDIS)  # type: ignore[arg-type]
            try:
                keys = [k async for k in client.scan_iter(match=f"{tag}:*")]
                if keys:
                    await client.delete(*keys)
            finally:
                await client.aclose()

    asyncio.run(drop())


def _real_time_node(data_dir: Path) -> NodeEnv:
    """A node with fake venues on the real clock (network drivers need real timeouts)."""
    cfg = LiveNodeConfig(
        trader_id="TESTER-001",
        data_dir=str(data_dir),
        delay_post_stop=0.05,
        timeout_disconnection=1.0,
        logging=LoggingConfig(log_level="OFF", log_colors=False),
        exec_engine=LiveExecEngineConfig(reconciliation=False),
    )
    logs = MemorySink()
    time_source = RealTimeSource()
    kernel = Kernel(kernel_config(cfg), time_source=time_source.time_ns, log_sinks=[logs])
    node = LiveNode(cfg, time_source=time_source, kernel=kernel)
    k = node.kernel
    data = FakeLiveDataClient(
        "SIM", msgbus=k.msgbus, clock=k.clock, instruments=[btcusdt_perp()], time_source=time_source
    )
    execution = FakeLiveExecClient(
        "SIM",
        msgbus=k.msgbus,
        cache=k.cache,
        clock=k.clock,
        uuid_factory=k.uuid_factory,
        time_source=time_source,
    )
    node.add_data_client(data)
    node.add_exec_client(execution)
    return NodeEnv(node, data, execution, logs, time_source)  # type: ignore[arg-type]


async def _until(predicate: Callable[[], bool]) -> None:
    for _ in range(5000):
        if predicate():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("condition still false after 5 s")


def test_restart_on_backend_then_filled_order_and_position_restored(
    open_db: Callable[[], CacheDatabase], tmp_path: Path
) -> None:
    async def scenario() -> None:
        env = _real_time_node(tmp_path)
        env.node.set_cache_database(open_db())
        strategy = trader(submit_on_quote=1)
        env.node.add_strategy(strategy)
        await env.node.start()
        env.data.push(quote(ts=1))
        await _until(lambda: bool(env.execution.commands))
        coid = strategy.submitted[0]
        cache = env.node.kernel.cache
        await _until(lambda: cache.order(coid).status is OrderStatus.ACCEPTED)  # type: ignore[union-attr]
        env.execution.fill(coid)
        await _until(lambda: bool(cache.positions_open()))
        await env.node.stop()

        env2 = _real_time_node(tmp_path)
        env2.node.set_cache_database(open_db())
        env2.node.add_strategy(trader(submit_on_quote=None))
        await env2.node.start()
        cache2 = env2.node.kernel.cache
        order = cache2.order(coid)
        assert order is not None
        assert order.status is OrderStatus.FILLED
        assert order.strategy_id == strategy.id
        assert [p.quantity for p in cache2.positions_open()] == [
            p.quantity for p in cache.positions_open()
        ]
        await env2.node.stop()

    asyncio.run(scenario())


def test_node_database_config_when_postgres_schema_then_tables_created_there(
    tmp_path: Path,
) -> None:
    require_service("PostgreSQL", PG["host"], PG["port"])  # type: ignore[arg-type]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    config = DatabaseConfig(
        type="postgres",
        host=PG["host"],  # type: ignore[arg-type]
        port=PG["port"],  # type: ignore[arg-type]
        username=PG["user"],  # type: ignore[arg-type]
        database=PG["database"],  # type: ignore[arg-type]
        schema=schema,
    )

    async def scenario() -> list[str]:
        database = open_node_database(config, tmp_path, {})
        conn = await asyncpg.connect(**PG)
        try:
            await database.migrate()
            await database.close()
            rows = await conn.fetch(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
                schema,
            )
            return sorted(r["table_name"] for r in rows)
        finally:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            await conn.close()

    tables = asyncio.run(scenario())
    assert "argonaut_migrations" in tables
    assert len(tables) > 1
