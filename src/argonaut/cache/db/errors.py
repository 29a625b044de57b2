"""Errors of the cache database layer, named for the reaction they need.

```
ValueError
└── CorruptRecord            a stored record cannot be decoded or replayed: the node
                             refuses to start on it (or skips it when told to) and the
                             message names the record key, never a crash loop
RuntimeError
└── CacheDatabaseError       the database cannot be reached or refused an operation:
                             retry or refuse to start; the driver error is chained
```
"""

from __future__ import annotations


class CorruptRecord(ValueError):
    """A stored record cannot be decoded or replayed; `key` names it, `reason` says why."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"corrupt record {key}: {reason}")
        self.key = key
        self.reason = reason

    def __reduce__(self) -> tuple[type[CorruptRecord], tuple[str, str]]:
        return (CorruptRecord, (self.key, self.reason))


class CacheDatabaseError(RuntimeError):
    """The database is unreachable or refused an operation (the driver error is chained)."""


__all__ = ["CacheDatabaseError", "CorruptRecord"]
