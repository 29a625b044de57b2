"""The execution engine: routes trading commands to execution clients, applies order
events to the cached orders, and turns fills into position events (the OMS).

Imports `argonaut.core`, `argonaut.model`, `argonaut.common` and `argonaut.cache`; no
asyncio, no I/O.
"""

from argonaut.engines.execution.client import ExecutionClient
from argonaut.engines.execution.config import ExecEngineConfig
from argonaut.engines.execution.engine import ExecutionEngine
from argonaut.engines.execution.oms import OrderManagement

__all__ = [
    "ExecEngineConfig",
    "ExecutionClient",
    "ExecutionEngine",
    "OrderManagement",
]
