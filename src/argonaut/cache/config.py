"""`CacheConfig`: ring buffer capacities, reset policy and persistence switches."""

from __future__ import annotations

import msgspec

from argonaut.common.errors import ConfigError


class CacheConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How the cache keeps market data and what it drops on reset.

    `tick_capacity` is the number of quotes and of trades kept per instrument,
    `bar_capacity` the number of bars kept per bar type (older ones are dropped).
    `drop_instruments_on_reset` drops instruments and currencies on `Cache.reset()`
    (keep them when a node restarts on the same venue definitions).
    `persist_account_events` asks a cache database to write every account state (read
    by the persistence layer, not by the in-memory cache).
    """

    tick_capacity: int = 10_000
    bar_capacity: int = 10_000
    drop_instruments_on_reset: bool = True
    persist_account_events: bool = True

    def __post_init__(self) -> None:
        for name in ("tick_capacity", "bar_capacity"):
            value = getattr(self, name)
            if type(value) is not int or value <= 0:
                raise ConfigError(
                    f"CacheConfig.{name} must be a positive int (items kept per key), "
                    f"found {value!r}"
                )


__all__ = ["CacheConfig"]
