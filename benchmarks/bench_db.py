"""Cache database figures: order events written (and loaded back) per second, per backend.

    .venv/bin/python benchmarks/bench_db.py

Each repetition writes ORDERS orders x 4 events (initialized, submitted, accepted,
filled) in batches of BATCH ops, as a write-behind writer would, into a fresh database,
then loads everything back. Figures are medians over REPS repetitions. A backend whose
service is unreachable (PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379) is skipped
with a note on stderr.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg

from argonaut.cache.db import AddOrderEvent, CacheDatabase, DbOp
from argonaut.cache.db.postgres import PostgresCacheDatabase
from argonaut.cache.db.redis import RedisCacheDatabase
from argonaut.cache.db.sqlite import SqliteCacheDatabase
from argonaut.model.events.order import OrderEvent
from argonaut.testkit import accepted, filled, limit_order, submitted

REPS = 3
ORDERS = 2_500
BATCH = 200
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "database": "test"}
REDIS = ("127.0.0.1", 6379)


def _ops() -> list[DbOp]:
    ops: list[DbOp] = []
    for i in range(ORDERS):
        order = limit_order(client_order_id=f"O-{i}")
        events: list[OrderEvent] = [order.init_event]
        for build in (submitted, lambda o, i=i: accepted(o, venue_order_id=f"V-{i}"), filled):
            event = build(order)
            order.apply(event)
            events.append(event)
        ops.extend(
            AddOrderEvent(client_order_id=order.client_order_id, strategy_id=e.strategy_id, event=e)
            for e in events
        )
    return ops


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


async def _drop(kind: str, name: str) -> None:
    if kind == "postgres":
        conn = await asyncpg.connect(**PG)
        try:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        finally:
            await conn.close()


def _open(kind: str, tmp: Path, rep: int) -> tuple[CacheDatabase, str]:
    tag = f"bench_{os.getpid()}_{rep}"
    if kind == "sqlite":
        return SqliteCacheDatabase(tmp / f"{tag}.sqlite3"), tag
    if kind == "postgres":
        return PostgresCacheDatabase(schema=tag, **PG), tag  # type: ignore[arg-type]
    return RedisCacheDatabase(prefix=f"argonaut-bench:{tag}", host=REDIS[0], port=REDIS[1]), tag


async def _one(kind: str, tmp: Path, rep: int, ops: list[DbOp]) -> tuple[float, float]:
    db, tag = _open(kind, tmp, rep)
    try:
        await db.migrate()
        t0 = time.perf_counter()
        await asyncio.gather(*(db.write(ops[i : i + BATCH]) for i in range(0, len(ops), BATCH)))
        await db.flush()
        t1 = time.perf_counter()
        state = await db.load()
        t2 = time.perf_counter()
        assert sum(len(v) for v in state.orders.values()) == len(ops)
        await db.clear()
    finally:
        await db.close()
        await _drop(kind, tag)
    return len(ops) / (t1 - t0), len(ops) / (t2 - t1)


def run() -> Iterator[dict[str, Any]]:
    """Yield the write and load rates of every reachable backend."""
    ops = _ops()
    available = {
        "sqlite": True,
        "postgres": _reachable(str(PG["host"]), int(PG["port"])),  # type: ignore[call-overload]
        "redis": _reachable(*REDIS),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for kind, ok in available.items():
            if not ok:
                print(f"bench_db: {kind} unreachable, skipped", file=sys.stderr)
                continue
            writes, loads = [], []
            for rep in range(REPS):
                w, r = asyncio.run(_one(kind, Path(tmp), rep, ops))
                writes.append(w)
                loads.append(r)
            yield {
                "bench": "db",
                "variant": kind,
                "metric": "order_events_per_s",
                "value": round(statistics.median(writes)),
                "unit": f"events/s (batches of {BATCH})",
            }
            yield {
                "bench": "db",
                "variant": kind,
                "metric": "load_order_events_per_s",
                "value": round(statistics.median(loads)),
                "unit": "events/s",
            }


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
