"""Layer `trading`: actors, strategies, execution algorithms, the order factory and the
`Trader` that owns them.

Imports `argonaut.core`, `argonaut.model`, `argonaut.common` and `argonaut.cache`; it
talks to the engines only through bus endpoints and topics (`argonaut.common.topics`),
and never imports asyncio.
"""

from argonaut.trading.actor import Actor
from argonaut.trading.actor_data import Signal
from argonaut.trading.clock import ComponentClock
from argonaut.trading.config import (
    ActorConfig,
    ComponentConfig,
    ExecAlgorithmConfig,
    StrategyConfig,
)
from argonaut.trading.exec_algorithm import ExecAlgorithm, PrimaryState, exec_algorithm_endpoint
from argonaut.trading.ids import ClientOrderIdGenerator, OrderListIdGenerator
from argonaut.trading.order_factory import OrderFactory
from argonaut.trading.strategy import Strategy
from argonaut.trading.trader import Trader
from argonaut.trading.twap import TWAP, slice_quantities

__all__ = [
    "TWAP",
    "Actor",
    "ActorConfig",
    "ClientOrderIdGenerator",
    "ComponentClock",
    "ComponentConfig",
    "ExecAlgorithm",
    "ExecAlgorithmConfig",
    "OrderFactory",
    "OrderListIdGenerator",
    "PrimaryState",
    "Signal",
    "Strategy",
    "StrategyConfig",
    "Trader",
    "exec_algorithm_endpoint",
    "slice_quantities",
]
