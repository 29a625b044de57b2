"""The shape every instrument shares, its validation, and its price/size/notional helpers.

Instruments are frozen, keyword-only, tagged `msgspec.Struct`s; they are validated in
``__post_init__`` (so on decode too) because they are built rarely.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

import msgspec

from argonaut.core.fixed import FIXED_SCALAR, RAW_STEP, check_precision
from argonaut.model.enums import AssetClass, InstrumentClass
from argonaut.model.identifiers import InstrumentId, Symbol, Venue
from argonaut.model.instruments.rounding import (
    Number,
    Rounding,
    div_round,
    div_round_half_even,
    round_fraction,
    to_fraction,
)
from argonaut.model.values import Currency, Money, Price, Quantity

ONE = Quantity(FIXED_SCALAR, 0)
_ZERO = Decimal(0)


class Instrument(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Base of every tradable instrument; build one of its subclasses (see `INSTRUMENT_TYPES`).

    ``price_increment`` (tick size) and ``size_increment`` (lot step) define the grids
    prices and quantities must lie on; their precisions must equal ``price_precision``
    and ``size_precision``. ``multiplier`` scales one unit of quantity to its notional.
    Limits (``max_quantity`` ... ``min_price``) are optional; ``None`` means no limit.
    Margins and fees are rates (``Decimal('0.0002')`` = 2 bp); a negative maker fee is a
    rebate.
    """

    # The instrument class a subclass must carry.
    EXPECTED_CLASS: ClassVar[InstrumentClass]

    id: InstrumentId
    raw_symbol: Symbol
    asset_class: AssetClass
    instrument_class: InstrumentClass
    base_currency: Currency | None = None
    quote_currency: Currency
    settlement_currency: Currency
    is_inverse: bool = False
    price_precision: int
    size_precision: int
    price_increment: Price
    size_increment: Quantity
    multiplier: Quantity = ONE
    lot_size: Quantity | None = None
    max_quantity: Quantity | None = None
    min_quantity: Quantity | None = None
    max_notional: Money | None = None
    min_notional: Money | None = None
    max_price: Price | None = None
    min_price: Price | None = None
    margin_init: Decimal = _ZERO
    margin_maint: Decimal = _ZERO
    maker_fee: Decimal = _ZERO
    taker_fee: Decimal = _ZERO
    ts_event: int
    ts_init: int

    def __post_init__(self) -> None:
        if getattr(type(self), "EXPECTED_CLASS", None) is None:
            raise TypeError(
                f"{type(self).__name__} is abstract: build a CurrencyPair, CryptoPerpetual, ..."
            )
        self._validate_common()
        self._validate_specific()

    # -- validation ---------------------------------------------------------------------

    def _validate_common(self) -> None:
        iid = self.id
        name = type(self).__name__
        if not isinstance(iid, InstrumentId):
            raise TypeError(
                f"{name}.id must be an InstrumentId, found {type(iid).__name__} {iid!r}"
            )
        require_type(self.raw_symbol, Symbol, "raw_symbol", iid)
        require_type(self.asset_class, AssetClass, "asset_class", iid)
        if self.instrument_class is not self.EXPECTED_CLASS:
            raise ValueError(
                f"instrument_class of {name} {iid} is {self.instrument_class!r}: "
                f"expected {self.EXPECTED_CLASS.value}"
            )
        if self.base_currency is not None:
            require_type(self.base_currency, Currency, "base_currency", iid)
        require_type(self.quote_currency, Currency, "quote_currency", iid)
        require_type(self.settlement_currency, Currency, "settlement_currency", iid)
        require_type(self.is_inverse, bool, "is_inverse", iid)
        if self.is_inverse and self.base_currency is None:
            raise ValueError(
                f"inverse instrument {iid} has no base_currency: an inverse instrument's "
                "notional is in its base currency, so base_currency is required"
            )
        check_precision(self.price_precision, f"price_precision of {iid}")
        check_precision(self.size_precision, f"size_precision of {iid}")
        _check_increment(self.price_increment, Price, self.price_precision, "price", iid)
        _check_increment(self.size_increment, Quantity, self.size_precision, "size", iid)
        require_type(self.multiplier, Quantity, "multiplier", iid)
        if self.multiplier.raw <= 0:
            raise ValueError(f"multiplier {self.multiplier} of {iid} must be positive")
        if self.lot_size is not None:
            require_type(self.lot_size, Quantity, "lot_size", iid)
            if self.lot_size.raw <= 0:
                raise ValueError(f"lot_size {self.lot_size} of {iid} must be positive")
        self._validate_limits()
        for field in ("margin_init", "margin_maint", "maker_fee", "taker_fee"):
            rate = getattr(self, field)
            if not isinstance(rate, Decimal):
                raise TypeError(
                    f"{field} of {iid} must be a Decimal (e.g. Decimal('0.001')), "
                    f"found {type(rate).__name__} {rate!r}"
                )
            if not rate.is_finite():
                raise ValueError(f"{field} {rate} of {iid} is not finite")
        if self.margin_init < 0 or self.margin_maint < 0:
            raise ValueError(
                f"margins of {iid} must be >= 0, found margin_init {self.margin_init} "
                f"and margin_maint {self.margin_maint}"
            )
        check_ns(self.ts_event, "ts_event", iid)
        check_ns(self.ts_init, "ts_init", iid)

    def _validate_limits(self) -> None:
        iid = self.id
        lo_q, hi_q = self.min_quantity, self.max_quantity
        for qty, field in ((lo_q, "min_quantity"), (hi_q, "max_quantity")):
            if qty is not None:
                require_type(qty, Quantity, field, iid)
        if hi_q is not None and hi_q.raw <= 0:
            raise ValueError(f"max_quantity {hi_q} of {iid} must be positive")
        if lo_q is not None and hi_q is not None and lo_q > hi_q:
            raise ValueError(f"min_quantity {lo_q} of {iid} exceeds max_quantity {hi_q}")
        lo_n, hi_n = self.min_notional, self.max_notional
        for money, field in ((lo_n, "min_notional"), (hi_n, "max_notional")):
            if money is not None:
                require_type(money, Money, field, iid)
                if money.raw < 0:
                    raise ValueError(f"{field} {money} of {iid} must be >= 0")
        if lo_n is not None and hi_n is not None:
            if lo_n.currency.code != hi_n.currency.code:
                raise ValueError(
                    f"min_notional {lo_n} and max_notional {hi_n} of {iid} must be in one currency"
                )
            if lo_n.raw > hi_n.raw:
                raise ValueError(f"min_notional {lo_n} of {iid} exceeds max_notional {hi_n}")
        lo_p, hi_p = self.min_price, self.max_price
        for px, field in ((lo_p, "min_price"), (hi_p, "max_price")):
            if px is not None:
                require_type(px, Price, field, iid)
                if px.raw < 0 and not self.allows_negative_price():
                    raise ValueError(
                        f"{field} {px} of {iid} is negative but {type(self).__name__} "
                        "does not allow negative prices"
                    )
        if lo_p is not None and hi_p is not None and lo_p > hi_p:
            raise ValueError(f"min_price {lo_p} of {iid} exceeds max_price {hi_p}")

    def _validate_specific(self) -> None:
        """Validate the fields a subclass adds (overridden by subclasses)."""

    # -- identity -----------------------------------------------------------------------

    @property
    def symbol(self) -> Symbol:
        """The symbol part of the instrument id."""
        return self.id.symbol

    @property
    def venue(self) -> Venue:
        """The venue part of the instrument id."""
        return self.id.venue

    def get_base_currency(self) -> Currency | None:
        """Return the base currency, or None for instruments without one (equities...)."""
        return self.base_currency

    def get_settlement_currency(self) -> Currency:
        """Return the currency the instrument settles (and pays PnL) in."""
        return self.settlement_currency

    def is_spread(self) -> bool:
        """Return True for spread instruments (none of the built-in types is one)."""
        return False

    def allows_negative_price(self) -> bool:
        """Return True when the instrument may legitimately trade below zero.

        False by default; `FuturesContract` says True (futures have traded negative,
        e.g. WTI crude in April 2020).
        """
        return False

    # -- prices and quantities ----------------------------------------------------------

    def make_price(self, value: Number | Price) -> Price:
        """Return `value` as a Price at the instrument's precision, rounded half-even.

        A float is read at its shortest repr (``0.1`` is one tenth). The result is not
        snapped to ``price_increment``: use `next_bid_price`/`next_ask_price` for that.
        """
        prec = self.price_precision
        units = round_fraction(to_fraction(value, "price") * (10**prec), Rounding.HALF_EVEN)
        return Price.checked(units * RAW_STEP[prec], prec)

    def make_qty(self, value: Number | Quantity, round_down: bool = False) -> Quantity:
        """Return `value` as a Quantity at the instrument's size precision.

        Rounds half-even, or down (toward zero) with `round_down`. A positive value that
        would round to zero is refused, so a tiny order size never silently becomes 0.
        """
        prec = self.size_precision
        exact = to_fraction(value, "quantity")
        if exact < 0:
            raise ValueError(f"quantity {value!r} for {self.id} is negative: expected >= 0")
        rounding = Rounding.DOWN if round_down else Rounding.HALF_EVEN
        units = round_fraction(exact * (10**prec), rounding)
        if units == 0 and exact > 0:
            raise ValueError(
                f"quantity {value!r} for {self.id} rounds to zero at size precision {prec}"
            )
        return Quantity.checked(units * RAW_STEP[prec], prec)

    def price_on_grid(self, price: Price) -> bool:
        """Return True when `price` is an exact multiple of ``price_increment``."""
        return price.raw % self.price_increment.raw == 0

    def quantity_on_grid(self, quantity: Quantity) -> bool:
        """Return True when `quantity` is an exact multiple of ``size_increment``."""
        return quantity.raw % self.size_increment.raw == 0

    def check_price(self, price: Price) -> None:
        """Raise ValueError unless `price` lies on the tick grid and within the price limits."""
        if price.raw % self.price_increment.raw:
            raise ValueError(
                f"price {price} is not a multiple of the tick size {self.price_increment} "
                f"for {self.id}"
            )
        if self.max_price is not None and price > self.max_price:
            raise ValueError(f"price {price} exceeds max_price {self.max_price} for {self.id}")
        if self.min_price is not None and price < self.min_price:
            raise ValueError(f"price {price} is below min_price {self.min_price} for {self.id}")

    def check_quantity(self, quantity: Quantity) -> None:
        """Raise ValueError unless `quantity` lies on the size grid and within the limits."""
        if quantity.raw % self.size_increment.raw:
            raise ValueError(
                f"quantity {quantity} is not a multiple of the size increment "
                f"{self.size_increment} for {self.id}"
            )
        if self.max_quantity is not None and quantity > self.max_quantity:
            raise ValueError(
                f"quantity {quantity} exceeds max_quantity {self.max_quantity} for {self.id}"
            )
        if self.min_quantity is not None and quantity < self.min_quantity:
            raise ValueError(
                f"quantity {quantity} is below min_quantity {self.min_quantity} for {self.id}"
            )

    def next_bid_price(self, value: Number | Price, num_ticks: int = 0) -> Price:
        """Return the highest grid price <= `value`, then `num_ticks` ticks lower."""
        return self._grid_price(value, num_ticks, Rounding.DOWN)

    def next_ask_price(self, value: Number | Price, num_ticks: int = 0) -> Price:
        """Return the lowest grid price >= `value`, then `num_ticks` ticks higher."""
        return self._grid_price(value, num_ticks, Rounding.UP)

    def _grid_price(self, value: Number | Price, num_ticks: int, rounding: Rounding) -> Price:
        if type(num_ticks) is not int or num_ticks < 0:
            raise ValueError(f"num_ticks {num_ticks!r} must be an int >= 0")
        inc = self.price_increment.raw
        if isinstance(value, Price):
            ticks = div_round(value.raw, inc, rounding)
        else:
            ticks = round_fraction(to_fraction(value, "price") * FIXED_SCALAR / inc, rounding)
        ticks += num_ticks if rounding is Rounding.UP else -num_ticks
        return Price.checked(ticks * inc, self.price_precision)

    # -- notional -----------------------------------------------------------------------

    def notional_value(
        self, quantity: Quantity, price: Price, use_quote_for_inverse: bool = False
    ) -> Money:
        """Return the notional of `quantity` at `price`, exactly, rounded half-even to the currency.

        Linear: ``quantity * price * multiplier`` in the quote currency. Inverse:
        ``quantity * multiplier / price`` in the base currency, or with
        `use_quote_for_inverse` ``quantity * multiplier`` in the quote currency (an
        inverse contract's quantity is already counted in quote units).
        """
        q, m = quantity.raw, self.multiplier.raw
        if not self.is_inverse:
            currency = self.quote_currency
            num, den = q * price.raw * m, FIXED_SCALAR * FIXED_SCALAR
        elif use_quote_for_inverse:
            currency = self.quote_currency
            num, den = q * m, FIXED_SCALAR
        else:
            if price.raw <= 0:
                raise ValueError(
                    f"price {price} must be positive for the notional of inverse {self.id}"
                )
            assert self.base_currency is not None  # checked at construction
            currency = self.base_currency
            num, den = q * m, price.raw
        step = RAW_STEP[currency.precision]
        return Money(div_round_half_even(num, den * step) * step, currency)

    def calculate_base_quantity(
        self, quantity: Quantity, last_px: Price, round_down: bool = False
    ) -> Quantity:
        """Convert a quote-currency amount (a quote-quantity order) into an order quantity.

        Linear: ``quantity / (last_px * multiplier)``. Inverse: ``quantity / multiplier``
        (contracts are counted in quote units, so the price does not enter). The result
        is rounded half-even (or down) to the size precision; it is the inverse of
        `notional_value` (with `use_quote_for_inverse` for inverse instruments).
        """
        if last_px.raw <= 0:
            raise ValueError(f"last_px {last_px} must be positive to size an order for {self.id}")
        prec = self.size_precision
        step = RAW_STEP[prec]
        m = self.multiplier.raw
        if self.is_inverse:
            num, den = quantity.raw * FIXED_SCALAR, m * step
        else:
            num, den = quantity.raw * FIXED_SCALAR * FIXED_SCALAR, last_px.raw * m * step
        rounding = Rounding.DOWN if round_down else Rounding.HALF_EVEN
        return Quantity.checked(div_round(num, den, rounding) * step, prec)


def require_type(value: object, expected: type, field: str, iid: InstrumentId) -> None:
    """Raise TypeError unless `value` (field `field` of `iid`) is an instance of `expected`."""
    if not isinstance(value, expected):
        raise TypeError(
            f"{field} of {iid} must be a {expected.__name__}, "
            f"found {type(value).__name__} {value!r}"
        )


def _check_increment(
    inc: Price | Quantity, expected: type, precision: int, what: str, iid: InstrumentId
) -> None:
    require_type(inc, expected, f"{what}_increment", iid)
    if inc.raw <= 0:
        raise ValueError(f"{what}_increment {inc} of {iid} must be positive")
    if inc.precision != precision:
        raise ValueError(
            f"{what}_increment {inc} of {iid} has precision {inc.precision}, "
            f"but {what}_precision is {precision}: they must be equal"
        )
    if inc.raw % RAW_STEP[precision]:
        raise ValueError(
            f"{what}_increment raw {inc.raw} of {iid} has more decimals than "
            f"{what}_precision {precision}"
        )


def check_ns(value: object, field: str, iid: InstrumentId) -> None:
    """Raise ValueError unless `value` is an int timestamp (ns) >= 0."""
    if type(value) is not int or value < 0:
        raise ValueError(f"{field} of {iid} must be an int of nanoseconds >= 0, found {value!r}")
