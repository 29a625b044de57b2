"""Risk events."""

from __future__ import annotations

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.enums import TradingState
from argonaut.model.identifiers import TraderId


class TradingStateChanged(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """The risk engine's trading state changed (published on ``events.risk``)."""

    trader_id: TraderId
    state: TradingState
    reason: str
    event_id: UUID4
    ts_event: int
    ts_init: int
