"""Fixed-point values: `Price`, `Quantity`, `Money` and `Currency`.

A value holds ``raw``, an int on the global scale ``10**9`` (see `argonaut.core.fixed`),
and a display ``precision`` (0..9). Because the scale is global, values of different
precision compare, hash and add exactly by ``raw``. Results of ``+`` and ``-`` take the
larger precision of their operands. Multiplying by an int is exact; anything that may be
inexact (division, mixed float arithmetic) is done explicitly through `as_double()` or
`as_decimal()`.

Limits: prices and money lie within +/- 9,223,372,036.854775807 (a signed 64-bit raw);
quantities within 0 and 9,223,372,036.854775807.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from argonaut.core.fixed import (
    FIXED_SCALAR,
    RAW_STEP,
    check_precision,
    float_to_raw,
    raw_to_decimal,
    raw_to_str,
    str_to_raw,
)
from argonaut.model.enums import CurrencyType

PRICE_RAW_MAX = 2**63 - 1
PRICE_RAW_MIN = -(2**63 - 1)
QUANTITY_RAW_MAX = 2**63 - 1
PRICE_MAX = raw_to_str(PRICE_RAW_MAX, 9)
QUANTITY_MAX = raw_to_str(QUANTITY_RAW_MAX, 9)


_Precision = Annotated[int, msgspec.Meta(ge=0, le=9)]


class _Fixed(msgspec.Struct, frozen=True, gc=False, array_like=True, eq=False):
    """Shared behaviour of fixed-point values (compare, hash, format) by raw int.

    ``Cls(raw, precision)`` is the raw constructor for trusted hot paths: it does not
    validate. User input goes through `from_str`, `from_float`, `from_int` or `checked`.
    Decoding validates ranges through the field constraints.
    """

    raw: int
    precision: _Precision

    # Comparisons are written out (not generated) so that 1.0 == 1.00: equality and
    # order depend on `raw` only, never on the display precision.
    def __eq__(self, other: object) -> bool:
        try:
            return self.raw == other.raw  # type: ignore[attr-defined,no-any-return]
        except AttributeError:
            return NotImplemented

    def __ne__(self, other: object) -> bool:
        try:
            return self.raw != other.raw  # type: ignore[attr-defined,no-any-return]
        except AttributeError:
            return NotImplemented

    def __lt__(self, other: _Fixed) -> bool:
        return self.raw < other.raw

    def __le__(self, other: _Fixed) -> bool:
        return self.raw <= other.raw

    def __gt__(self, other: _Fixed) -> bool:
        return self.raw > other.raw

    def __ge__(self, other: _Fixed) -> bool:
        return self.raw >= other.raw

    def __hash__(self) -> int:
        return hash(self.raw)

    def __float__(self) -> float:
        return self.raw / FIXED_SCALAR

    def __bool__(self) -> bool:
        return self.raw != 0

    def __str__(self) -> str:
        return raw_to_str(self.raw, self.precision)

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{raw_to_str(self.raw, self.precision)}')"

    def as_double(self) -> float:
        """Return the value as a float (inexact)."""
        return self.raw / FIXED_SCALAR

    def as_decimal(self) -> Decimal:
        """Return the exact value as a Decimal at this precision."""
        return raw_to_decimal(self.raw, self.precision)

    def is_zero(self) -> bool:
        """Return True when the value is zero."""
        return self.raw == 0

    def is_positive(self) -> bool:
        """Return True when the value is above zero."""
        return self.raw > 0


class Price(_Fixed, frozen=True, gc=False, array_like=True, eq=False):
    """A price (may be negative for spreads and some options), exact to its precision."""

    raw: Annotated[int, msgspec.Meta(ge=-(2**63 - 1), le=2**63 - 1)]

    @classmethod
    def checked(cls, raw: int, precision: int) -> Price:
        """Build from a raw int after checking type, range and precision."""
        if type(raw) is not int:
            raise TypeError(f"price raw must be an int, found {type(raw).__name__} {raw!r}")
        if not PRICE_RAW_MIN <= raw <= PRICE_RAW_MAX:
            raise ValueError(f"price raw {raw} is out of range: the limit is +/- {PRICE_MAX}")
        check_precision(precision, "price")
        if raw % RAW_STEP[precision]:
            raise ValueError(f"price raw {raw} has more decimals than its precision {precision}")
        return cls(raw, precision)

    @classmethod
    def from_str(cls, value: str, precision: int | None = None) -> Price:
        """Parse ``"100.05"``; the precision is the decimals written unless given."""
        raw, prec = str_to_raw(value, precision, "price")
        return cls.checked(raw, prec)

    @classmethod
    def from_float(cls, value: float, precision: int) -> Price:
        """Build from a float at `precision`; a float with finer decimals is refused."""
        return cls.checked(float_to_raw(value, precision, "price"), precision)

    @classmethod
    def from_int(cls, value: int, precision: int = 0) -> Price:
        """Build from a whole number."""
        return cls.checked(value * FIXED_SCALAR, precision)

    @classmethod
    def from_raw(cls, raw: int, precision: int) -> Price:
        """Build from a raw int on the 10**9 scale (checked; hot paths call the class)."""
        return cls.checked(raw, precision)

    def __add__(self, other: Price) -> Price:
        p = self.precision
        q = other.precision
        return Price(self.raw + other.raw, p if p >= q else q)

    def __sub__(self, other: Price) -> Price:
        p = self.precision
        q = other.precision
        return Price(self.raw - other.raw, p if p >= q else q)

    def __neg__(self) -> Price:
        return Price(-self.raw, self.precision)

    def __abs__(self) -> Price:
        return Price(abs(self.raw), self.precision)

    def __mul__(self, factor: int) -> Price:
        if type(factor) is not int:
            return NotImplemented
        return Price(self.raw * factor, self.precision)

    __rmul__ = __mul__


class Quantity(_Fixed, frozen=True, gc=False, array_like=True, eq=False):
    """A non-negative quantity, exact to its precision."""

    raw: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]

    @classmethod
    def checked(cls, raw: int, precision: int) -> Quantity:
        """Build from a raw int after checking type, sign, range and precision."""
        if type(raw) is not int:
            raise TypeError(f"quantity raw must be an int, found {type(raw).__name__} {raw!r}")
        check_precision(precision, "quantity")
        if raw < 0:
            raise ValueError(
                f"quantity {raw_to_str(raw, precision)} is negative: a quantity must be >= 0"
            )
        if raw > QUANTITY_RAW_MAX:
            raise ValueError(f"quantity raw {raw} is out of range: the limit is {QUANTITY_MAX}")
        if raw % RAW_STEP[precision]:
            raise ValueError(f"quantity raw {raw} has more decimals than its precision {precision}")
        return cls(raw, precision)

    @classmethod
    def from_str(cls, value: str, precision: int | None = None) -> Quantity:
        """Parse ``"0.001"``; the precision is the decimals written unless given."""
        raw, prec = str_to_raw(value, precision, "quantity")
        return cls.checked(raw, prec)

    @classmethod
    def from_float(cls, value: float, precision: int) -> Quantity:
        """Build from a float at `precision`; a float with finer decimals is refused."""
        return cls.checked(float_to_raw(value, precision, "quantity"), precision)

    @classmethod
    def from_int(cls, value: int, precision: int = 0) -> Quantity:
        """Build from a whole number."""
        return cls.checked(value * FIXED_SCALAR, precision)

    @classmethod
    def from_raw(cls, raw: int, precision: int) -> Quantity:
        """Build from a raw int on the 10**9 scale (checked; hot paths call the class)."""
        return cls.checked(raw, precision)

    @classmethod
    def zero(cls, precision: int = 0) -> Quantity:
        """Return zero at `precision`."""
        return cls(0, precision)

    def __add__(self, other: Quantity) -> Quantity:
        p = self.precision
        q = other.precision
        return Quantity(self.raw + other.raw, p if p >= q else q)

    def __sub__(self, other: Quantity) -> Quantity:
        """Subtract; a negative result is refused (a quantity is never negative)."""
        raw = self.raw - other.raw
        if raw < 0:
            raise ValueError(f"quantity {self} - {other} would be negative")
        p = self.precision
        q = other.precision
        return Quantity(raw, p if p >= q else q)

    def __mul__(self, factor: int) -> Quantity:
        if type(factor) is not int or factor < 0:
            return NotImplemented
        return Quantity(self.raw * factor, self.precision)

    __rmul__ = __mul__


class Currency(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """A currency with its precision, e.g. USD (2) or BTC (8)."""

    code: str
    precision: int
    iso4217: int = 0
    name: str = ""
    currency_type: CurrencyType = CurrencyType.CRYPTO

    def __post_init__(self) -> None:
        if not self.code or not self.code.isalnum():
            raise ValueError(f"currency code {self.code!r} is invalid: expected letters/digits")
        check_precision(self.precision, f"currency {self.code}")

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"Currency('{self.code}')"

    @staticmethod
    def from_str(code: str) -> Currency:
        """Return a built-in currency by code (see `CURRENCIES`)."""
        try:
            return CURRENCIES[code.upper()]
        except KeyError:
            raise ValueError(
                f"unknown currency {code!r}: define it with Currency(code, precision, ...)"
            ) from None


class Money(msgspec.Struct, frozen=True, gc=False, array_like=True, eq=False):
    """An exact amount of a currency (may be negative), at the currency's precision."""

    raw: int
    currency: Currency

    @classmethod
    def from_str(cls, value: str, currency: Currency | None = None) -> Money:
        """Parse ``"100.25 USD"`` or ``"100.25"`` with a currency."""
        text = value.strip()
        if currency is None:
            amount, _, code = text.rpartition(" ")
            if not amount:
                raise ValueError(f"money {value!r} is invalid: expected e.g. '100.25 USD'")
            currency = Currency.from_str(code)
            text = amount
        raw, _ = str_to_raw(text, None, "money")
        return cls(round_raw(raw, currency.precision), currency)

    @classmethod
    def from_float(cls, value: float, currency: Currency) -> Money:
        """Build from a float, rounded half-even to the currency's precision."""
        scaled = round(Decimal(repr(value)).scaleb(currency.precision))
        return cls(int(scaled) * RAW_STEP[currency.precision], currency)

    @classmethod
    def from_raw(cls, raw: int, currency: Currency) -> Money:
        """Build from a raw int, rounded half-even to the currency's precision."""
        return cls(round_raw(raw, currency.precision), currency)

    @classmethod
    def zero(cls, currency: Currency) -> Money:
        """Return zero of `currency`."""
        return cls(0, currency)

    @property
    def precision(self) -> int:
        """The currency's precision."""
        return self.currency.precision

    def _same_currency(self, other: Money) -> None:
        if other.currency.code != self.currency.code:
            raise ValueError(
                f"cannot combine {self} with {other}: currencies differ "
                f"({self.currency.code} vs {other.currency.code})"
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.raw == other.raw and self.currency.code == other.currency.code

    def __hash__(self) -> int:
        return hash((self.raw, self.currency.code))

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.raw < other.raw

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.raw <= other.raw

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.raw > other.raw

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.raw >= other.raw

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.raw + other.raw, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.raw - other.raw, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.raw, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.raw), self.currency)

    def __float__(self) -> float:
        return self.raw / FIXED_SCALAR

    def __bool__(self) -> bool:
        return self.raw != 0

    def as_double(self) -> float:
        """Return the amount as a float (inexact)."""
        return self.raw / FIXED_SCALAR

    def as_decimal(self) -> Decimal:
        """Return the exact amount as a Decimal."""
        return raw_to_decimal(self.raw, self.currency.precision)

    def __str__(self) -> str:
        return f"{raw_to_str(self.raw, self.currency.precision)} {self.currency.code}"

    def __repr__(self) -> str:
        return f"Money('{self}')"

    def to_formatted_str(self) -> str:
        """Return e.g. ``1,000,000.00 USD``."""
        return f"{self.as_decimal():,} {self.currency.code}"


def round_raw(raw: int, precision: int) -> int:
    """Round a raw int half-even to `precision` decimals (still on the raw scale)."""
    step = RAW_STEP[precision]
    if step == 1:
        return raw
    q, r = divmod(raw, step)
    twice = 2 * r
    if twice > step or (twice == step and q % 2 == 1):
        q += 1
    return q * step


def _fiat(code: str, precision: int, iso: int, name: str) -> Currency:
    return Currency(code, precision, iso, name, CurrencyType.FIAT)


def _crypto(code: str, precision: int, name: str) -> Currency:
    return Currency(code, precision, 0, name, CurrencyType.CRYPTO)


USD = _fiat("USD", 2, 840, "United States dollar")
EUR = _fiat("EUR", 2, 978, "Euro")
GBP = _fiat("GBP", 2, 826, "British pound")
JPY = _fiat("JPY", 0, 392, "Japanese yen")
CHF = _fiat("CHF", 2, 756, "Swiss franc")
AUD = _fiat("AUD", 2, 36, "Australian dollar")
CAD = _fiat("CAD", 2, 124, "Canadian dollar")
NZD = _fiat("NZD", 2, 554, "New Zealand dollar")
HKD = _fiat("HKD", 2, 344, "Hong Kong dollar")
SGD = _fiat("SGD", 2, 702, "Singapore dollar")
CNY = _fiat("CNY", 2, 156, "Chinese yuan")
KRW = _fiat("KRW", 0, 410, "South Korean won")
INR = _fiat("INR", 2, 356, "Indian rupee")
SEK = _fiat("SEK", 2, 752, "Swedish krona")
NOK = _fiat("NOK", 2, 578, "Norwegian krone")
MXN = _fiat("MXN", 2, 484, "Mexican peso")
BTC = _crypto("BTC", 8, "Bitcoin")
ETH = _crypto("ETH", 8, "Ether")
USDT = _crypto("USDT", 8, "Tether")
USDC = _crypto("USDC", 8, "USD Coin")
BNB = _crypto("BNB", 8, "Binance Coin")
SOL = _crypto("SOL", 8, "Solana")
XRP = _crypto("XRP", 6, "Ripple")
ADA = _crypto("ADA", 6, "Cardano")
DOGE = _crypto("DOGE", 8, "Dogecoin")
LTC = _crypto("LTC", 8, "Litecoin")
DOT = _crypto("DOT", 8, "Polkadot")
AVAX = _crypto("AVAX", 8, "Avalanche")
DAI = _crypto("DAI", 8, "Dai")
FDUSD = _crypto("FDUSD", 8, "First Digital USD")

CURRENCIES: dict[str, Currency] = {
    c.code: c
    for c in (
        USD, EUR, GBP, JPY, CHF, AUD, CAD, NZD, HKD, SGD, CNY, KRW, INR, SEK, NOK, MXN,
        BTC, ETH, USDT, USDC, BNB, SOL, XRP, ADA, DOGE, LTC, DOT, AVAX, DAI, FDUSD,
    )
}  # fmt: skip


__all__ = [
    "CURRENCIES",
    "Currency",
    "Money",
    "Price",
    "Quantity",
    "round_raw",
]
