"""Live venue clients: the asyncio shell around the engines' data and execution clients.

`LiveDataClient` and `LiveExecutionClient` are the bases venue adapters extend; they
share `LiveClientBase` (connect/disconnect, tracked tasks, thread hand-off). `retry`
and the `VenueError` tree say how venue failures are handled; `ClientFactoryRegistry`
turns client config entries into clients. Part of the `live` layer: imports `core`,
`model`, `common`, `cache` and `engines`, never `adapters`.
"""

from argonaut.live.clients.base import LiveClientBase, Sink
from argonaut.live.clients.data import LiveDataClient
from argonaut.live.clients.errors import (
    ClientNotConnected,
    RateLimited,
    TransientVenueError,
    VenueError,
    VenueRejected,
)
from argonaut.live.clients.events import OrderEventFactory
from argonaut.live.clients.execution import LiveExecutionClient
from argonaut.live.clients.factories import ClientFactory, ClientFactoryRegistry, load_factory
from argonaut.live.clients.reports import ExecutionReports
from argonaut.live.clients.retry import Sleep, backoff_delay, retry

__all__ = [
    "ClientFactory",
    "ClientFactoryRegistry",
    "ClientNotConnected",
    "ExecutionReports",
    "LiveClientBase",
    "LiveDataClient",
    "LiveExecutionClient",
    "OrderEventFactory",
    "RateLimited",
    "Sink",
    "Sleep",
    "TransientVenueError",
    "VenueError",
    "VenueRejected",
    "backoff_delay",
    "load_factory",
    "retry",
]
