"""Market data: quotes, trades, bars, mark/index prices, funding rates, market status
and instrument closes. Order-book data lives in `argonaut.model.book_data`.

Every type is a frozen, tagged, ``gc=False`` `msgspec.Struct` with ``ts_event`` and
``ts_init`` (int ns). All are dict-like (not ``array_like``), like the book data, so a
single msgspec union (`Data`) can decode any of them. Imports only `argonaut.core` and
the value/identifier/enum modules of `argonaut.model`.
"""

from __future__ import annotations

import msgspec

from argonaut.model.data.bars import Bar, BarSpecification, BarType
from argonaut.model.data.ticks import QuoteTick, TradeTick
from argonaut.model.data.updates import (
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentClose,
    InstrumentStatus,
    MarkPriceUpdate,
)

Data = (
    QuoteTick
    | TradeTick
    | Bar
    | MarkPriceUpdate
    | IndexPriceUpdate
    | FundingRateUpdate
    | InstrumentStatus
    | InstrumentClose
)
"""The union to decode any market data type of this package with."""

DATA_TYPES: tuple[type[msgspec.Struct], ...] = (
    QuoteTick,
    TradeTick,
    Bar,
    MarkPriceUpdate,
    IndexPriceUpdate,
    FundingRateUpdate,
    InstrumentStatus,
    InstrumentClose,
)

__all__ = [
    "DATA_TYPES",
    "Bar",
    "BarSpecification",
    "BarType",
    "Data",
    "FundingRateUpdate",
    "IndexPriceUpdate",
    "InstrumentClose",
    "InstrumentStatus",
    "MarkPriceUpdate",
    "QuoteTick",
    "TradeTick",
]
