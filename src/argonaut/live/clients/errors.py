"""Errors of live venue clients, named for the reaction they need.

```
Exception
└── VenueError                 base of every error a venue client raises
    ├── TransientVenueError    the outcome is unknown or the venue is briefly unavailable
    │   │                      (timeout, disconnect, 5xx): retry; an order stays in flight
    │   ├── RateLimited        the venue asked us to slow down: back off for at least
    │   │                      `retry_after` seconds when it says how long
    │   └── ClientNotConnected the client has no live connection; retry after reconnect
    └── VenueRejected          the venue refused the request: becomes a rejection event
                               (OrderRejected, OrderModifyRejected, OrderCancelRejected)
```

Adapters translate their transport's errors at the boundary (``raise
TransientVenueError(...) from e``), so the shared plumbing in `argonaut.live.clients`
reacts by class alone.
"""

from __future__ import annotations

__all__ = [
    "ClientNotConnected",
    "RateLimited",
    "TransientVenueError",
    "VenueError",
    "VenueRejected",
]


class VenueError(Exception):
    """Base of every error raised by a live venue client."""


class TransientVenueError(VenueError):
    """Raise when a venue call may succeed if retried; its outcome is unknown."""


class RateLimited(TransientVenueError):
    """Raise when the venue throttled the request; `retry_after` is its wait in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        if retry_after is not None and retry_after < 0:
            raise ValueError(f"retry_after must be >= 0 seconds or None, found {retry_after}")
        super().__init__(message)
        self.retry_after = retry_after


class ClientNotConnected(TransientVenueError):
    """Raise when a client is asked to talk to its venue while it has no connection."""


class VenueRejected(VenueError):
    """Raise when the venue refused a request; `due_post_only` marks a post-only refusal."""

    def __init__(self, reason: str, *, due_post_only: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.due_post_only = due_post_only
