"""The concrete instrument types: spot pairs, crypto perpetuals and futures, equities,
dated futures and options."""

from __future__ import annotations

from typing import ClassVar

from argonaut.model.enums import AssetClass, InstrumentClass, OptionKind
from argonaut.model.instruments.base import Instrument, check_ns, require_type
from argonaut.model.values import Currency, Price


class CurrencyPair(Instrument, frozen=True, kw_only=True, tag=True, gc=False):
    """A spot pair such as BTC/USDT or EUR/USD: buy base currency, pay quote currency."""

    EXPECTED_CLASS: ClassVar[InstrumentClass] = InstrumentClass.SPOT

    instrument_class: InstrumentClass = InstrumentClass.SPOT
    base_currency: Currency


class CryptoPerpetual(Instrument, frozen=True, kw_only=True, tag=True, gc=False):
    """A perpetual swap; inverse when margined and settled in the base currency."""

    EXPECTED_CLASS: ClassVar[InstrumentClass] = InstrumentClass.SWAP

    asset_class: AssetClass = AssetClass.CRYPTOCURRENCY
    instrument_class: InstrumentClass = InstrumentClass.SWAP
    base_currency: Currency


class _Dated(Instrument, frozen=True, kw_only=True, tag=True, gc=False):
    """Shared validation of instruments with an activation and an expiration time."""

    activation_ns: int
    expiration_ns: int

    def _validate_specific(self) -> None:
        check_ns(self.activation_ns, "activation_ns", self.id)
        check_ns(self.expiration_ns, "expiration_ns", self.id)
        if self.activation_ns >= self.expiration_ns:
            raise ValueError(
                f"activation_ns {self.activation_ns} of {self.id} must be before "
                f"expiration_ns {self.expiration_ns}"
            )

    def has_expired(self, ts_ns: int) -> bool:
        """Return True when `ts_ns` is at or after the expiration time."""
        return ts_ns >= self.expiration_ns


class CryptoFuture(_Dated, frozen=True, kw_only=True, tag=True, gc=False):
    """A dated crypto future; `base_currency` is the underlying asset."""

    EXPECTED_CLASS: ClassVar[InstrumentClass] = InstrumentClass.FUTURE

    asset_class: AssetClass = AssetClass.CRYPTOCURRENCY
    instrument_class: InstrumentClass = InstrumentClass.FUTURE
    base_currency: Currency


class Equity(Instrument, frozen=True, kw_only=True, tag=True, gc=False):
    """A share, with an optional ISIN (two letters, nine letters/digits, one check digit)."""

    EXPECTED_CLASS: ClassVar[InstrumentClass] = InstrumentClass.SPOT

    asset_class: AssetClass = AssetClass.EQUITY
    instrument_class: InstrumentClass = InstrumentClass.SPOT
    isin: str | None = None

    def _validate_specific(self) -> None:
        isin = self.isin
        if isin is None:
            return
        require_type(isin, str, "isin", self.id)
        if not (
            len(isin) == 12
            and isin.isascii()
            and isin[:2].isalpha()
            and isin[:2].isupper()
            and isin[2:11].isalnum()
            and isin[2:11].upper() == isin[2:11]
            and isin[11].isdigit()
        ):
            raise ValueError(
                f"isin {isin!r} of {self.id} is invalid: expected 12 characters, e.g. "
                "'US0378331005'"
            )


class FuturesContract(_Dated, frozen=True, kw_only=True, tag=True, gc=False):
    """A dated futures contract on an `underlying` (e.g. 'ES'); may trade below zero."""

    EXPECTED_CLASS: ClassVar[InstrumentClass] = InstrumentClass.FUTURE

    instrument_class: InstrumentClass = InstrumentClass.FUTURE
    underlying: str
    exchange: str | None = None

    def _validate_specific(self) -> None:
        super()._validate_specific()
        _check_underlying(self.underlying, self)

    def allows_negative_price(self) -> bool:
        """Return True: futures have traded below zero (WTI crude, April 2020)."""
        return True


class OptionContract(_Dated, frozen=True, kw_only=True, tag=True, gc=False):
    """A call or put on an `underlying`, struck at `strike_price`.

    Option prices (premiums) are never negative here: negative prices belong to option
    *spreads*, which are not modelled by this type.
    """

    EXPECTED_CLASS: ClassVar[InstrumentClass] = InstrumentClass.OPTION

    instrument_class: InstrumentClass = InstrumentClass.OPTION
    underlying: str
    option_kind: OptionKind
    strike_price: Price
    exchange: str | None = None

    def _validate_specific(self) -> None:
        super()._validate_specific()
        _check_underlying(self.underlying, self)
        require_type(self.option_kind, OptionKind, "option_kind", self.id)
        require_type(self.strike_price, Price, "strike_price", self.id)
        if self.strike_price.raw <= 0:
            raise ValueError(f"strike_price {self.strike_price} of {self.id} must be positive")


def _check_underlying(underlying: object, inst: Instrument) -> None:
    require_type(underlying, str, "underlying", inst.id)
    assert isinstance(underlying, str)
    if not underlying.strip():
        raise ValueError(f"underlying of {inst.id} is empty: expected e.g. 'ES' or 'AAPL'")


AnyInstrument = (
    CurrencyPair | CryptoPerpetual | CryptoFuture | Equity | FuturesContract | OptionContract
)
"""The union to decode any instrument with (`msgspec.json.Decoder(AnyInstrument, ...)`)."""

INSTRUMENT_TYPES: tuple[type[Instrument], ...] = (
    CurrencyPair,
    CryptoPerpetual,
    CryptoFuture,
    Equity,
    FuturesContract,
    OptionContract,
)
