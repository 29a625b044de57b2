"""Layer `cache`: the in-memory source of truth (`Cache`) and its read-only face
(`CacheView`) for actors and strategies.

The cache holds instruments, market data ring buffers, order books, accounts, orders,
positions and their indexes; engines mutate it, strategies read it. It imports only
`argonaut.core`, `argonaut.model` and `argonaut.common` (logging, errors), and does no
asyncio and no I/O: the cache database adapters (persistence) live beside it and are
fed by the engines.
"""

from argonaut.cache.cache import Cache
from argonaut.cache.config import CacheConfig
from argonaut.cache.trading_view import TradingView
from argonaut.cache.view import CacheView, MarketView

__all__ = ["Cache", "CacheConfig", "CacheView", "MarketView", "TradingView"]
