"""The data engine: routes data commands to clients, market data into the cache and onto
the bus, and builds bars from ticks.

Imports `argonaut.core`, `argonaut.model`, `argonaut.common` and (structurally) the
cache; no asyncio, no I/O.
"""

from argonaut.engines.data.aggregation import (
    BarAggregator,
    BarBuilder,
    BarHandler,
    TickBarAggregator,
    ValueBarAggregator,
    VolumeBarAggregator,
)
from argonaut.engines.data.client import DataClient
from argonaut.engines.data.config import DataEngineConfig
from argonaut.engines.data.engine import DataEngine
from argonaut.engines.data.ports import DataCache
from argonaut.engines.data.subscriptions import StreamKey, SubscriptionTable, stream_key
from argonaut.engines.data.time_bars import TimeBarAggregator

__all__ = [
    "BarAggregator",
    "BarBuilder",
    "BarHandler",
    "DataCache",
    "DataClient",
    "DataEngine",
    "DataEngineConfig",
    "StreamKey",
    "SubscriptionTable",
    "TickBarAggregator",
    "TimeBarAggregator",
    "ValueBarAggregator",
    "VolumeBarAggregator",
    "stream_key",
]
