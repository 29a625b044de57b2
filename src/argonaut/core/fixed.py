"""Fixed-point helpers shared by `Price`, `Quantity` and `Money`.

Every fixed-point value is stored as a Python int ``raw`` on one global scale of
``10**FIXED_PRECISION``, whatever its display precision. Values of different precision
therefore compare and add exactly by their raw integers.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

FIXED_PRECISION: int = 9
FIXED_SCALAR: int = 1_000_000_000

# Scale factor from a value with `p` decimals to the raw scale, indexed by p.
POW10: tuple[int, ...] = tuple(10**i for i in range(FIXED_PRECISION + 1))
RAW_STEP: tuple[int, ...] = tuple(10 ** (FIXED_PRECISION - p) for p in range(FIXED_PRECISION + 1))


def check_precision(precision: int, what: str = "value") -> int:
    """Return `precision` if it is an int in 0..9, else raise ValueError naming it."""
    if type(precision) is not int or not 0 <= precision <= FIXED_PRECISION:
        raise ValueError(
            f"precision {precision!r} of {what} is out of range: expected an int "
            f"from 0 to {FIXED_PRECISION}"
        )
    return precision


def str_to_raw(value: str, precision: int | None = None, what: str = "value") -> tuple[int, int]:
    """Parse a decimal string into ``(raw, precision)``.

    With `precision` None, the precision is the number of decimals written. With a
    precision, a string with more decimals than that is refused (never rounded).
    """
    text = value.strip()
    if not text:
        raise ValueError(f"{what} is empty: expected a decimal number such as '100.5'")
    try:
        dec = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a decimal number") from None
    if not dec.is_finite():
        raise ValueError(f"{what} {value!r} is not finite")
    exponent = dec.as_tuple().exponent
    assert isinstance(exponent, int)
    written = max(0, -exponent)
    if precision is None:
        if written > FIXED_PRECISION:
            raise ValueError(
                f"{what} {value!r} has {written} decimals: at most {FIXED_PRECISION} are supported"
            )
        precision = written
    else:
        check_precision(precision, what)
        if written > precision and dec != dec.quantize(Decimal(1).scaleb(-precision)):
            raise ValueError(
                f"{what} {value!r} has more decimals than its precision {precision} allows"
            )
    raw = int(dec.scaleb(FIXED_PRECISION))
    return raw, precision


def float_to_raw(value: float, precision: int, what: str = "value") -> int:
    """Convert a float to a raw int at `precision`; refuse NaN, infinity and excess decimals."""
    check_precision(precision, what)
    if not math.isfinite(value):
        raise ValueError(f"{what} {value!r} is not finite")
    scaled = value * POW10[precision]
    rounded = round(scaled)
    if abs(scaled - rounded) > 1e-6 * max(1.0, abs(scaled) * 1e-9):
        raise ValueError(
            f"{what} {value!r} has more decimals than its precision {precision} allows"
        )
    return int(rounded) * RAW_STEP[precision]


def int_to_raw(value: int) -> int:
    """Return the raw int for a whole number."""
    return value * FIXED_SCALAR


def raw_to_str(raw: int, precision: int) -> str:
    """Format a raw int with exactly `precision` decimals (truncating finer digits)."""
    sign = "-" if raw < 0 else ""
    units, frac = divmod(abs(raw), FIXED_SCALAR)
    if precision == 0:
        return f"{sign}{units}"
    digits = frac // RAW_STEP[precision]
    return f"{sign}{units}.{digits:0{precision}d}"


def raw_to_decimal(raw: int, precision: int) -> Decimal:
    """Return the exact Decimal of a raw int, quantized to `precision`."""
    return Decimal(raw_to_str(raw, precision))
