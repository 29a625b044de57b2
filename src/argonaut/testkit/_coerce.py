"""Turn the strings stubs accept into values (exact: nothing is rounded)."""

from __future__ import annotations

from decimal import Decimal

from argonaut.model.values import Currency, Money, Price, Quantity


def as_price(value: str | Price, precision: int | None = None) -> Price:
    """Return `value` as a Price (a string is parsed, at `precision` when given)."""
    return value if isinstance(value, Price) else Price.from_str(value, precision)


def as_qty(value: str | Quantity, precision: int | None = None) -> Quantity:
    """Return `value` as a Quantity (a string is parsed, at `precision` when given)."""
    return value if isinstance(value, Quantity) else Quantity.from_str(value, precision)


def as_money(value: str | Money, currency: Currency | None = None) -> Money:
    """Return `value` as Money: ``"1.5 USDT"``, or ``"1.5"`` in `currency`."""
    if isinstance(value, Money):
        return value
    if " " in value.strip():
        return Money.from_str(value)
    return Money.from_str(value, currency)


def as_decimal(value: str | Decimal) -> Decimal:
    """Return `value` as a Decimal."""
    return value if isinstance(value, Decimal) else Decimal(value)
