"""Layer `engines`: the message-driven components between clients and strategies.

`data` (DataEngine, bar aggregation) today; `risk`, `execution` and `portfolio` follow.
Engines are synchronous: `execute(command)`, `process(event)`, `request`/`response`.
They may import `argonaut.core`, `argonaut.model`, `argonaut.common` and
`argonaut.cache`; never asyncio or anything doing I/O.
"""

from argonaut.engines.data import (
    BarAggregator,
    BarBuilder,
    DataClient,
    DataEngine,
    DataEngineConfig,
    TickBarAggregator,
    TimeBarAggregator,
    ValueBarAggregator,
    VolumeBarAggregator,
)

__all__ = [
    "BarAggregator",
    "BarBuilder",
    "DataClient",
    "DataEngine",
    "DataEngineConfig",
    "TickBarAggregator",
    "TimeBarAggregator",
    "ValueBarAggregator",
    "VolumeBarAggregator",
]
