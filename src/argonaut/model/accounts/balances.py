"""Account balance and margin values (carried by `AccountState` events)."""

from __future__ import annotations

import msgspec

from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Currency, Money, round_raw


class AccountBalance(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """One currency's balance: ``total == locked + free`` at the currency's precision.

    `locked` is never negative; `free` may be (a margin account or a borrowing cash
    account), and the account decides whether it accepts that.
    """

    total: Money
    locked: Money
    free: Money

    def __post_init__(self) -> None:
        code = self.total.currency.code
        if self.locked.currency.code != code or self.free.currency.code != code:
            raise ValueError(
                f"account balance amounts must share one currency: total {self.total}, "
                f"locked {self.locked}, free {self.free}"
            )
        p = self.total.currency.precision
        total = round_raw(self.total.raw, p)
        if total != round_raw(self.locked.raw, p) + round_raw(self.free.raw, p):
            expected = Money(self.locked.raw + self.free.raw, self.total.currency)
            raise ValueError(
                f"account balance total {self.total} must equal locked {self.locked} + "
                f"free {self.free} (= {expected})"
            )
        if self.locked.raw < 0:
            raise ValueError(f"account balance locked {self.locked} is negative: expected >= 0")

    @classmethod
    def from_total_locked(cls, total: Money, locked: Money) -> AccountBalance:
        """Build a balance whose free amount is ``total - locked``."""
        return cls(total=total, locked=locked, free=total - locked)

    @property
    def currency(self) -> Currency:
        """The balance's currency."""
        return self.total.currency

    def __repr__(self) -> str:
        return f"AccountBalance(total={self.total}, locked={self.locked}, free={self.free})"


class MarginBalance(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Margin held: for one instrument, or account-wide for a collateral currency."""

    initial: Money
    maintenance: Money
    instrument_id: InstrumentId | None = None

    def __post_init__(self) -> None:
        if self.initial.currency.code != self.maintenance.currency.code:
            raise ValueError(
                f"margin initial {self.initial} and maintenance {self.maintenance} must be "
                "in the same currency"
            )
        if self.initial.raw < 0 or self.maintenance.raw < 0:
            raise ValueError(
                f"margin initial {self.initial} and maintenance {self.maintenance} must be >= 0"
            )

    @property
    def currency(self) -> Currency:
        """The margin's currency."""
        return self.initial.currency


__all__ = ["AccountBalance", "MarginBalance"]
