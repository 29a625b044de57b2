"""The sandbox venue: a simulated exchange with a matching engine, accounts, netting
positions, latency, persistence and reconciliation reports.

This is the venue *core*: pure and synchronous (no asyncio, no node). Commands go in
through `SandboxVenue.execute`, market data through `SandboxVenue.process`, time
through `SandboxVenue.advance_time`; each returns `VenueMessage`s stamped with the
time they become visible. The core modules import `argonaut.core` and
`argonaut.model` only, and are what this package re-exports.

The live side (imported from its modules, so importing the core stays light):
`settings` (the clients' config), `catalogue` (the built-in instruments), `faults`
(fault injection), `replay` (CSV or Parquet playback), `bars` (the time bars the venue
aggregates), `exchange` (`SandboxExchange`: the running venue on the node's loop),
`data_client` / `exec_client` (the live clients, with the venue connection they share
in `link`) and `factory` (`SandboxClientFactory`, the built-in client kind
``"sandbox"``). See docs/sandbox.md.
"""

from __future__ import annotations

from argonaut.adapters.sandbox.config import LatencyModel, SandboxVenueConfig
from argonaut.adapters.sandbox.marketdata import (
    CsvReplayError,
    GeneratedData,
    ParquetReplayError,
    ReplayFileError,
    SyntheticMarket,
    load_quotes,
    load_quotes_csv,
    load_quotes_parquet,
    load_trades,
    load_trades_csv,
    load_trades_parquet,
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
    "ParquetReplayError",
    "ReplayFileError",
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
    "load_quotes",
    "load_quotes_csv",
    "load_quotes_parquet",
    "load_state",
    "load_trades",
    "load_trades_csv",
    "load_trades_parquet",
    "save_state",
]
