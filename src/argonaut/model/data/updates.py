"""Venue updates that are not quotes, trades or bars: mark and index prices, funding
rates, market status changes and instrument closes."""

from __future__ import annotations

from decimal import Decimal

import msgspec

from argonaut.model.enums import InstrumentCloseType, MarketStatusAction
from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price


class MarkPriceUpdate(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A venue's mark price (used for margin and unrealized PnL)."""

    instrument_id: InstrumentId
    value: Price
    ts_event: int
    ts_init: int


class IndexPriceUpdate(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A venue's index price (the underlying reference for perpetuals and futures)."""

    instrument_id: InstrumentId
    value: Price
    ts_event: int
    ts_init: int


class FundingRateUpdate(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A perpetual's funding rate (``Decimal('0.0001')`` = 1 bp per funding interval).

    `next_funding_ns` is when the rate next applies, if the venue says.
    """

    instrument_id: InstrumentId
    rate: Decimal
    next_funding_ns: int | None = None
    ts_event: int
    ts_init: int

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite():
            raise ValueError(
                f"funding rate {self.rate!r} for {self.instrument_id} must be a finite Decimal, "
                "e.g. Decimal('0.0001')"
            )
        nxt = self.next_funding_ns
        if nxt is not None and (type(nxt) is not int or nxt < 0):
            raise ValueError(
                f"next_funding_ns {nxt!r} for {self.instrument_id} must be an int >= 0 or None"
            )


class InstrumentStatus(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A change of an instrument's market status (open, halted, closed ...).

    `is_trading`, `is_quoting` and `is_short_sell_restricted` are None when the venue
    does not say.
    """

    instrument_id: InstrumentId
    action: MarketStatusAction
    reason: str | None = None
    trading_event: str | None = None
    is_trading: bool | None = None
    is_quoting: bool | None = None
    is_short_sell_restricted: bool | None = None
    ts_event: int
    ts_init: int


class InstrumentClose(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """The closing price of an instrument at the end of a session or at expiry."""

    instrument_id: InstrumentId
    close_price: Price
    close_type: InstrumentCloseType
    ts_event: int
    ts_init: int
