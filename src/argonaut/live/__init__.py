"""The live layer: the asyncio shell around the synchronous kernel.

`LiveNode` drives a `Kernel` from an event loop: five channels between clients and
engines, two-phase startup, startup and continuous reconciliation through the
`ExecutionManager`, a maintenance dispatcher, and graceful shutdown. Live client base
classes live in `argonaut.live.clients`. This layer may import every layer below it
and asyncio; adapters build on it.
"""

from argonaut.live.builder import LiveNodeBuilder, build_node
from argonaut.live.config import LiveNodeConfig
from argonaut.live.execution_manager import ExecutionManager
from argonaut.live.node import LiveNode, NodeError
from argonaut.live.state import LiveNodeHandle, NodeState

__all__ = [
    "ExecutionManager",
    "LiveNode",
    "LiveNodeBuilder",
    "LiveNodeConfig",
    "LiveNodeHandle",
    "NodeError",
    "NodeState",
    "build_node",
]
