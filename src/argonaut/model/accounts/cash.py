"""Cash accounts: no leverage; open orders lock what they would spend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.accounts.balances import AccountBalance
from argonaut.model.accounts.base import Account, AccountBalanceNegative, money_from_product
from argonaut.model.enums import OrderSide
from argonaut.model.position import InstrumentLike
from argonaut.model.values import Money, Price, Quantity

if TYPE_CHECKING:
    from argonaut.model.events.account import AccountState


class CashAccount(Account):
    """A cash account: a free balance never goes below zero unless `allow_borrowing`.

    Locking rule (`calculate_balance_locked`): a BUY locks its notional in the quote
    currency; a SELL of an instrument with a base currency (spot) locks the base
    quantity (quantity * multiplier), otherwise its notional. Fees are not locked.
    A reduce-only order locks nothing.
    """

    __slots__ = ("allow_borrowing",)

    def __init__(self, state: AccountState, *, allow_borrowing: bool = False) -> None:
        self.allow_borrowing = allow_borrowing
        super().__init__(state)

    def _check_balance(self, balance: AccountBalance) -> None:
        if balance.free.raw < 0 and not self.allow_borrowing:
            code = balance.total.currency.code
            raise AccountBalanceNegative(
                f"cash account {self.id} cannot hold a negative free {code} balance: "
                f"free {balance.free} (total {balance.total}, locked {balance.locked}); "
                "expected free >= 0, or build the account with allow_borrowing=True"
            )

    def calculate_balance_locked(
        self,
        instrument: InstrumentLike,
        side: OrderSide,
        quantity: Quantity,
        price: Price,
        *,
        use_quote_for_inverse: bool = False,
        reduce_only: bool = False,
    ) -> Money:
        """Return the amount an open order locks (see the class docstring)."""
        base = instrument.base_currency
        if side is OrderSide.SELL and base is not None:
            if reduce_only:
                return Money(0, base)
            return money_from_product(quantity.raw, instrument.multiplier.raw, base)
        if side is not OrderSide.BUY and side is not OrderSide.SELL:
            raise ValueError(f"order side {side.value} locks nothing: expected BUY or SELL")
        notional = instrument.notional_value(
            quantity, price, use_quote_for_inverse=use_quote_for_inverse
        )
        return Money(0, notional.currency) if reduce_only else notional


class BettingAccount(CashAccount):
    """A betting account: a back (BUY) locks its stake, a lay (SELL) its liability.

    The stake is the quantity, the liability ``quantity * (price - 1)`` (decimal odds),
    both in the quote currency.
    """

    __slots__ = ()

    def calculate_balance_locked(
        self,
        instrument: InstrumentLike,
        side: OrderSide,
        quantity: Quantity,
        price: Price,
        *,
        use_quote_for_inverse: bool = False,
        reduce_only: bool = False,
    ) -> Money:
        """Return the stake (BUY) or liability (SELL) an open bet locks."""
        currency = instrument.quote_currency
        if reduce_only:
            return Money(0, currency)
        if side is OrderSide.BUY:
            return Money.from_raw(quantity.raw, currency)
        if side is OrderSide.SELL:
            return money_from_product(quantity.raw, max(price.raw - FIXED_SCALAR, 0), currency)
        raise ValueError(f"order side {side.value} locks nothing: expected BUY or SELL")


__all__ = ["BettingAccount", "CashAccount"]
