"""`CacheDatabaseConfig`: which backend, where it is, and how to reach it.

The password is never part of the config: `password_env` names the environment
variable that holds it, read only when connecting, so neither a repr, a log line nor
a saved config can show it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

import msgspec

from argonaut.common.errors import ConfigError

_PREFIX = re.compile(r"^[A-Za-z0-9_.\-:]{1,100}$")
_SCHEMA = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class CacheDatabaseConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Connection settings of the cache database.

    `backend` picks SQLite (embedded default: the file `path`, or ``cache.sqlite3`` in
    the node's data directory), PostgreSQL (`host`, `port`, `username`, `database`,
    tables in `schema`; unset fields fall back to the ``PG*`` environment variables and
    the driver's defaults) or Redis (`host`, `port`, `redis_db`, keys under `prefix`).
    `closed_ttl_secs` lets Redis expire closed orders and positions that long after
    they were marked closed (None keeps them until deleted).
    """

    backend: Literal["sqlite", "postgres", "redis"] = "sqlite"
    path: str | None = None
    host: str | None = None
    port: int | None = None
    username: str | None = None
    password_env: str | None = None
    database: str | None = None
    schema: str = "argonaut"
    redis_db: int = 0
    prefix: str = "argonaut"
    ssl: bool = False
    connect_timeout_secs: float = 10.0
    closed_ttl_secs: int | None = None

    def __post_init__(self) -> None:
        if not _SCHEMA.match(self.schema):
            raise ConfigError(
                f"CacheDatabaseConfig.schema {self.schema!r} must be a plain SQL identifier "
                "(letters, digits, underscores; not starting with a digit)"
            )
        if not _PREFIX.match(self.prefix):
            raise ConfigError(
                f"CacheDatabaseConfig.prefix {self.prefix!r} must be 1-100 letters, digits or "
                "'_.-:' (no glob characters)"
            )
        if self.port is not None and not 0 < self.port < 65536:
            raise ConfigError(f"CacheDatabaseConfig.port must be 1-65535, found {self.port}")
        if self.closed_ttl_secs is not None and self.closed_ttl_secs <= 0:
            raise ConfigError(
                "CacheDatabaseConfig.closed_ttl_secs must be a positive number of seconds or "
                f"None, found {self.closed_ttl_secs}"
            )
        if self.connect_timeout_secs <= 0:
            raise ConfigError(
                "CacheDatabaseConfig.connect_timeout_secs must be positive, found "
                f"{self.connect_timeout_secs}"
            )

    def password(self, environ: Mapping[str, str]) -> str | None:
        """Return the password from `environ` (None when `password_env` is unset)."""
        if self.password_env is None:
            return None
        value = environ.get(self.password_env)
        if value is None:
            raise ConfigError(
                f"the cache database password variable {self.password_env} is not set in the "
                "environment: set it or clear CacheDatabaseConfig.password_env"
            )
        return value


__all__ = ["CacheDatabaseConfig"]
