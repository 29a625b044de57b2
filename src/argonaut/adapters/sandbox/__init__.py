"""The sandbox venue: a simulated exchange with a matching engine, accounts, netting
positions, latency, persistence and reconciliation reports.

This is the venue *core*: pure and synchronous (no asyncio, no node). Commands go in
through `SandboxVenue.execute`, market data through `SandboxVenue.process`, time
through `SandboxVenue.advance_time`; each returns `VenueMessage`s stamped with the
time they become visible. Live clients wrap it. It imports `argonaut.core` and
`argonaut.model` only.
"""

from __future__ import annotations

from argonaut.adapters.sandbox.config import LatencyModel, SandboxVenueConfig
from argonaut.adapters.sandbox.marketdata import (
    CsvReplayError,
    GeneratedData,
    SyntheticMarket,
    load_quotes_csv,
    load_trades_csv,
)
from argonaut.adapters.sandbox.matching import MatchingEngine, MatchingListener
from argonaut.adapters.sandbox.messages import (
    VenueAccountUpdate,
    VenueCancelRejected,
    VenueMessage,
    VenueModifyRejected,
    VenueOrderAccepted,
    VenueOrderCanceled,
    VenueOrderExpired,
    VenueOrderFilled,
    VenueOrderMessage,
    VenueOrderRejected,
    VenueOrderTriggered,
    VenueOrderUpdated,
)
from argonaut.adapters.sandbox.persistence import VenueState, load_state, save_state
from argonaut.adapters.sandbox.state import SimFill, SimOrder, SimPosition
from argonaut.adapters.sandbox.venue import MarketData, SandboxVenue

__all__ = [
    "CsvReplayError",
    "GeneratedData",
    "LatencyModel",
    "MarketData",
    "MatchingEngine",
    "MatchingListener",
    "SandboxVenue",
    "SandboxVenueConfig",
    "SimFill",
    "SimOrder",
    "SimPosition",
    "SyntheticMarket",
    "VenueAccountUpdate",
    "VenueCancelRejected",
    "VenueMessage",
    "VenueModifyRejected",
    "VenueOrderAccepted",
    "VenueOrderCanceled",
    "VenueOrderExpired",
    "VenueOrderFilled",
    "VenueOrderMessage",
    "VenueOrderRejected",
    "VenueOrderTriggered",
    "VenueOrderUpdated",
    "VenueState",
    "load_quotes_csv",
    "load_state",
    "load_trades_csv",
    "save_state",
]
