"""The order emulator: local triggers for orders the venue cannot (or should not) hold.

`OrderEmulator` (endpoint ``OrderEmulator.execute``) holds orders with an emulation
trigger, watches the market data they need and releases them as MARKET or LIMIT orders
to the risk engine; `matching` holds the trigger rules per order and trigger type and
the trailing stop arithmetic; `contingency` keeps OTO/OCO/OUO links consistent.
Imports `argonaut.core`, `argonaut.model`, `argonaut.common` and `argonaut.cache` only.
"""

from argonaut.engines.emulator.config import OrderEmulatorConfig
from argonaut.engines.emulator.contingency import ContingencyActions, ContingencyManager
from argonaut.engines.emulator.emulator import EventSink, OrderEmulator
from argonaut.engines.emulator.matching import (
    MatchingCore,
    Source,
    emulation_refusal,
    is_triggered,
    released_type,
    trail_from,
)

__all__ = [
    "ContingencyActions",
    "ContingencyManager",
    "EventSink",
    "MatchingCore",
    "OrderEmulator",
    "OrderEmulatorConfig",
    "Source",
    "emulation_refusal",
    "is_triggered",
    "released_type",
    "trail_from",
]
