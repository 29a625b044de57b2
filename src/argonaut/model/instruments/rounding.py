"""Exact conversions from user numbers to raw fixed-point ints.

Floats are taken at their shortest decimal repr (``0.1`` means one tenth, not its binary
expansion); everything else is converted exactly. All rounding is done on `Fraction`s,
so no decimal context precision can round a value twice.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction

from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.values import Price, Quantity

Number = float | str | Decimal | int
"""What `make_price`, `make_qty` and the grid helpers accept besides `Price`/`Quantity`."""


class Rounding(Enum):
    """How a value is brought onto a grid."""

    HALF_EVEN = "HALF_EVEN"
    DOWN = "DOWN"
    UP = "UP"


def to_fraction(value: Number | Price | Quantity, what: str) -> Fraction:
    """Return the exact value of `value` as a Fraction, refusing NaN, infinity and non-numbers."""
    if isinstance(value, Price | Quantity):
        return Fraction(value.raw, FIXED_SCALAR)
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, found bool {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{what} {value!r} is not finite")
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{what} {value!r} is not a decimal number") from None
    elif isinstance(value, Decimal):
        dec = value
    else:
        raise TypeError(
            f"{what} must be a float, str, Decimal or int, found {type(value).__name__} {value!r}"
        )
    if not dec.is_finite():
        raise ValueError(f"{what} {value!r} is not finite")
    return Fraction(dec)


def round_fraction(value: Fraction, rounding: Rounding) -> int:
    """Round `value` to an int: half-even, toward -infinity (DOWN) or +infinity (UP)."""
    if rounding is Rounding.HALF_EVEN:
        return round(value)
    if rounding is Rounding.DOWN:
        return math.floor(value)
    return math.ceil(value)


def div_round_half_even(num: int, den: int) -> int:
    """Return ``num / den`` rounded half-even, exactly (`den` must be positive)."""
    q, r = divmod(num, den)
    twice = 2 * r
    if twice > den or (twice == den and q % 2 == 1):
        q += 1
    return q


def div_round(num: int, den: int, rounding: Rounding) -> int:
    """Return ``num / den`` rounded as asked, exactly (`den` must be positive)."""
    if rounding is Rounding.HALF_EVEN:
        return div_round_half_even(num, den)
    if rounding is Rounding.DOWN:
        return num // den
    return -(-num // den)
