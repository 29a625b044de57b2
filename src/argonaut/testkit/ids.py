"""Fixed identifiers, timestamps and deterministic id sources for stubs.

Every stub takes its ids and times from here unless overridden, so a test never sees
the wall clock or a random UUID. `next_uuid()` and `next_trade_id()` draw from one seeded source
per process; `reset_ids()` rewinds it when a test needs the exact same sequence again.
"""

from __future__ import annotations

from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ComponentId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
    Venue,
    VenueOrderId,
)

# 2023-11-14T22:13:20Z: the first timestamp of the W1 quote stream.
TS = 1_700_000_000_000_000_000

TRADER_ID = TraderId("TRADER-001")
STRATEGY_ID = StrategyId("S-001")
ACCOUNT_ID = AccountId("SIM-001")
VENUE = Venue("SIM")
CLIENT_ID = ClientId("SIM")
COMPONENT_ID = ComponentId("Trader")
INSTRUMENT_ID = InstrumentId("BTCUSDT-PERP.SIM")
VENUE_ORDER_ID = VenueOrderId("V-1")
POSITION_ID = PositionId(f"{INSTRUMENT_ID}-{STRATEGY_ID}")

DEFAULT_SEED = 42


class _IdSource:
    """A seeded UUID factory plus a trade id counter."""

    __slots__ = ("trades", "uuids")

    def __init__(self, seed: int) -> None:
        self.uuids = UUIDFactory(seed=seed)
        self.trades = 0


_SOURCE = _IdSource(DEFAULT_SEED)


def next_uuid() -> UUID4:
    """Return the next UUID4 of the seeded sequence."""
    return _SOURCE.uuids.generate()


def next_trade_id() -> TradeId:
    """Return the next trade id of the sequence: ``T-1``, ``T-2``, ..."""
    _SOURCE.trades += 1
    return TradeId(f"T-{_SOURCE.trades}")


def reset_ids(seed: int = DEFAULT_SEED) -> None:
    """Rewind the UUID and trade id sequences (reseeding the UUIDs with `seed`)."""
    _SOURCE.uuids = UUIDFactory(seed=seed)
    _SOURCE.trades = 0


__all__ = [
    "ACCOUNT_ID",
    "CLIENT_ID",
    "COMPONENT_ID",
    "DEFAULT_SEED",
    "INSTRUMENT_ID",
    "POSITION_ID",
    "STRATEGY_ID",
    "TRADER_ID",
    "TS",
    "VENUE",
    "VENUE_ORDER_ID",
    "next_trade_id",
    "next_uuid",
    "reset_ids",
]
