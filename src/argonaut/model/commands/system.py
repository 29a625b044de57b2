"""System commands: node-wide requests (published on ``commands.system.shutdown``)."""

from __future__ import annotations

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.identifiers import ComponentId, TraderId


class ShutdownSystem(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Ask the node to shut down (the same path as SIGINT or a handle stop request)."""

    trader_id: TraderId
    component_id: ComponentId
    command_id: UUID4
    ts_init: int
    reason: str | None = None


SYSTEM_COMMAND_TYPES: tuple[type[ShutdownSystem], ...] = (ShutdownSystem,)
