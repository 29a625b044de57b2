"""The system layer: the `Kernel` builds and wires every component of a node.

May import every layer below it (trading, engines, cache, common, model, core); knows
nothing of asyncio.
"""

from argonaut.system.config import KernelConfig
from argonaut.system.kernel import Kernel

__all__ = ["Kernel", "KernelConfig"]
