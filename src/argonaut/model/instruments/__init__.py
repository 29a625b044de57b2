"""Instruments: what can be traded, with its grids, limits, fees and notional arithmetic.

Every type is a frozen, keyword-only, tagged `msgspec.Struct` validated at construction.
Imports only `argonaut.core` and the value/identifier/enum modules of `argonaut.model`.
"""

from __future__ import annotations

from argonaut.model.instruments.base import Instrument
from argonaut.model.instruments.kinds import (
    INSTRUMENT_TYPES,
    AnyInstrument,
    CryptoFuture,
    CryptoPerpetual,
    CurrencyPair,
    Equity,
    FuturesContract,
    OptionContract,
)
from argonaut.model.instruments.rounding import Number

__all__ = [
    "INSTRUMENT_TYPES",
    "AnyInstrument",
    "CryptoFuture",
    "CryptoPerpetual",
    "CurrencyPair",
    "Equity",
    "FuturesContract",
    "Instrument",
    "Number",
    "OptionContract",
]
