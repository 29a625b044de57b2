"""Cache database adapters: persist the cache's state and load it back at startup.

`CacheDatabase` (protocol) takes batches of small frozen ops (`write`) and returns the
whole state (`load`); backends: `SqliteCacheDatabase` (embedded default, standard
library), `PostgresCacheDatabase` (asyncpg) and `RedisCacheDatabase` (redis-py). Only
this package imports database drivers, and only the backend modules do (each backend's
driver is imported when the backend is opened, so the optional extras stay optional).
Imports `argonaut.core`, `argonaut.model` and `argonaut.common`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from argonaut.cache.db.config import CacheDatabaseConfig
from argonaut.cache.db.errors import CacheDatabaseError, CorruptRecord
from argonaut.cache.db.protocol import (
    AddOrderEvent,
    AddPositionFill,
    AddPositionSnapshot,
    CacheDatabase,
    DbOp,
    DeleteAccount,
    DeleteActorState,
    DeleteInstrument,
    DeleteKeyValue,
    DeleteOrder,
    DeletePosition,
    IndexOrderClient,
    IndexOrderPosition,
    IndexVenueOrderId,
    LoadedState,
    MarkOrderClosed,
    MarkPositionClosed,
    PositionRecord,
    PurgeAccountEvents,
    PutAccountState,
    PutActorState,
    PutCurrency,
    PutInstrument,
    PutKeyValue,
    PutPosition,
)
from argonaut.cache.db.records import rebuild_account, rebuild_order, rebuild_position

SQLITE_FILE_NAME = "cache.sqlite3"


def open_cache_database(
    config: CacheDatabaseConfig, *, data_dir: str | Path, environ: Mapping[str, str]
) -> CacheDatabase:
    """Build the backend `config` names (it connects on first use).

    `data_dir` is the node's data directory (the SQLite default file lives there);
    `environ` supplies the password variable named by `config.password_env`.
    """
    if config.backend == "sqlite":
        from argonaut.cache.db.sqlite import SqliteCacheDatabase

        path = Path(data_dir) / SQLITE_FILE_NAME if config.path is None else Path(config.path)
        return SqliteCacheDatabase(path)
    if config.backend == "postgres":
        from argonaut.cache.db.postgres import PostgresCacheDatabase

        return PostgresCacheDatabase(
            schema=config.schema,
            host=config.host,
            port=config.port,
            user=config.username,
            password=config.password(environ),
            database=config.database,
            ssl=config.ssl,
            connect_timeout_secs=config.connect_timeout_secs,
        )
    from argonaut.cache.db.redis import RedisCacheDatabase

    return RedisCacheDatabase(
        prefix=config.prefix,
        host=config.host or "127.0.0.1",
        port=config.port or 6379,
        db=config.redis_db,
        username=config.username,
        password=config.password(environ),
        ssl=config.ssl,
        connect_timeout_secs=config.connect_timeout_secs,
        closed_ttl_secs=config.closed_ttl_secs,
    )


__all__ = [
    "SQLITE_FILE_NAME",
    "AddOrderEvent",
    "AddPositionFill",
    "AddPositionSnapshot",
    "CacheDatabase",
    "CacheDatabaseConfig",
    "CacheDatabaseError",
    "CorruptRecord",
    "DbOp",
    "DeleteAccount",
    "DeleteActorState",
    "DeleteInstrument",
    "DeleteKeyValue",
    "DeleteOrder",
    "DeletePosition",
    "IndexOrderClient",
    "IndexOrderPosition",
    "IndexVenueOrderId",
    "LoadedState",
    "MarkOrderClosed",
    "MarkPositionClosed",
    "PositionRecord",
    "PurgeAccountEvents",
    "PutAccountState",
    "PutActorState",
    "PutCurrency",
    "PutInstrument",
    "PutKeyValue",
    "PutPosition",
    "open_cache_database",
    "rebuild_account",
    "rebuild_order",
    "rebuild_position",
]
