"""The account base: balances per currency, state history, commissions.

Exceptions::

    ValueError
     +-- AccountBalanceNegative   a balance update would leave a cash account's free
                                  balance below zero (refuse the update)
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from argonaut.core.fixed import FIXED_SCALAR, RAW_STEP
from argonaut.core.uuid import UUID4
from argonaut.model.accounts.balances import AccountBalance, MarginBalance
from argonaut.model.enums import AccountType, LiquiditySide, OrderSide
from argonaut.model.identifiers import AccountId
from argonaut.model.position import InstrumentLike, div_half_even
from argonaut.model.values import Currency, Money, Price, Quantity

if TYPE_CHECKING:
    from argonaut.model.events.account import AccountState


class AccountBalanceNegative(ValueError):
    """A balance update would leave a free balance below zero where that is not allowed."""


def mul_rate(amount: Money, rate: Decimal) -> Money:
    """Return ``amount * rate`` computed exactly and rounded half-even to the currency."""
    num, den = rate.as_integer_ratio()
    step = RAW_STEP[amount.currency.precision]
    return Money(div_half_even(amount.raw * num, den * step) * step, amount.currency)


def div_rate(amount: Money, rate: Decimal) -> Money:
    """Return ``amount / rate`` (rate > 0) exactly, rounded half-even to the currency."""
    num, den = rate.as_integer_ratio()
    if num <= 0:
        raise ValueError(f"cannot divide {amount} by {rate}: expected a positive rate")
    step = RAW_STEP[amount.currency.precision]
    return Money(div_half_even(amount.raw * den, num * step) * step, amount.currency)


def money_from_product(a_raw: int, b_raw: int, currency: Currency) -> Money:
    """Return the product of two raw values as money, rounded half-even once."""
    step = RAW_STEP[currency.precision]
    return Money(div_half_even(a_raw * b_raw, FIXED_SCALAR * step) * step, currency)


class Account:
    """An account built from its first `AccountState`; later states are `apply`-ed.

    Build one with `Account.from_state`, which picks the class by account type.
    """

    __slots__ = ("_balances", "_commissions", "_starting", "base_currency", "events", "id", "type")

    def __init__(self, state: AccountState) -> None:
        self.id: AccountId = state.account_id
        self.type: AccountType = state.account_type
        self.base_currency: Currency | None = state.base_currency
        self.events: list[AccountState] = []
        self._balances: dict[str, AccountBalance] = {}
        self._commissions: dict[str, Money] = {}
        self.apply(state)
        self._starting: dict[str, Money] = {c: b.total for c, b in self._balances.items()}

    @staticmethod
    def from_state(
        state: AccountState,
        *,
        allow_borrowing: bool = False,
        default_leverage: Decimal | None = None,
    ) -> Account:
        """Build the account class matching ``state.account_type``.

        CASH and WALLET build a `CashAccount` (`allow_borrowing` applies), MARGIN a
        `MarginAccount` (`default_leverage` applies), BETTING a `BettingAccount`.
        """
        from argonaut.model.accounts.cash import BettingAccount, CashAccount
        from argonaut.model.accounts.margin import MarginAccount

        kind = state.account_type
        if kind is AccountType.MARGIN:
            return MarginAccount(state, default_leverage=default_leverage)
        if kind is AccountType.BETTING:
            return BettingAccount(state, allow_borrowing=allow_borrowing)
        return CashAccount(state, allow_borrowing=allow_borrowing)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id}, {self.type.value})"

    @property
    def is_cash_account(self) -> bool:
        """Return True for an account without margin (CASH, WALLET, BETTING)."""
        return self.type is not AccountType.MARGIN

    @property
    def is_margin_account(self) -> bool:
        """Return True for a MARGIN account."""
        return self.type is AccountType.MARGIN

    # -- state history -------------------------------------------------------------------

    @property
    def last_event(self) -> AccountState:
        """The latest state applied."""
        return self.events[-1]

    @property
    def event_count(self) -> int:
        """The number of states applied."""
        return len(self.events)

    def apply(self, state: AccountState) -> None:
        """Apply a new state: record it and update its balances (and margins).

        Balances are updated per currency (currencies absent from the state keep their
        balance). Raise ValueError for another account or type, or a refused balance.
        """
        if state.account_id != self.id:
            raise ValueError(
                f"account state for {state.account_id} cannot apply to account {self.id}"
            )
        if state.account_type is not self.type:
            raise ValueError(
                f"account state of type {state.account_type.value} cannot apply to "
                f"{self.type.value} account {self.id}"
            )
        for balance in state.balances:
            self._check_balance(balance)
        self._apply_margins(state.margins)
        self.events.append(state)
        for balance in state.balances:
            self._balances[balance.total.currency.code] = balance

    def to_state(
        self, event_id: UUID4, ts_event: int, ts_init: int, *, is_reported: bool = False
    ) -> AccountState:
        """Return an `AccountState` of the current balances and margins (not applied)."""
        from argonaut.model.events.account import AccountState

        return AccountState(
            account_id=self.id,
            account_type=self.type,
            base_currency=self.base_currency,
            balances=tuple(self._balances.values()),
            margins=tuple(self._margin_list()),
            is_reported=is_reported,
            event_id=event_id,
            ts_event=ts_event,
            ts_init=ts_init,
        )

    # -- balances ------------------------------------------------------------------------

    def _currency_code(self, currency: Currency | None) -> str:
        if currency is not None:
            return currency.code
        if self.base_currency is None:
            raise ValueError(
                f"account {self.id} holds several currencies: pass the currency to read"
            )
        return self.base_currency.code

    def balance(self, currency: Currency | None = None) -> AccountBalance | None:
        """Return the balance in `currency` (default: the base currency), if any."""
        return self._balances.get(self._currency_code(currency))

    def balance_total(self, currency: Currency | None = None) -> Money | None:
        """Return the total balance in `currency`, if any."""
        balance = self._balances.get(self._currency_code(currency))
        return None if balance is None else balance.total

    def balance_free(self, currency: Currency | None = None) -> Money | None:
        """Return the free balance in `currency`, if any."""
        balance = self._balances.get(self._currency_code(currency))
        return None if balance is None else balance.free

    def balance_locked(self, currency: Currency | None = None) -> Money | None:
        """Return the locked balance in `currency`, if any."""
        balance = self._balances.get(self._currency_code(currency))
        return None if balance is None else balance.locked

    def balances(self) -> dict[Currency, AccountBalance]:
        """Return the current balances by currency."""
        return {b.total.currency: b for b in self._balances.values()}

    def starting_balances(self) -> dict[Currency, Money]:
        """Return the total balances of the first state, by currency."""
        return {m.currency: m for m in self._starting.values()}

    def currencies(self) -> list[Currency]:
        """Return the currencies the account holds a balance in."""
        return [b.total.currency for b in self._balances.values()]

    def update_balances(self, balances: Iterable[AccountBalance]) -> None:
        """Replace the balances of the given currencies (all are checked before any change)."""
        items = list(balances)
        if not items:
            raise ValueError(f"no balances given to update account {self.id}")
        for balance in items:
            self._check_balance(balance)
        for balance in items:
            self._balances[balance.total.currency.code] = balance

    def _check_balance(self, balance: AccountBalance) -> None:
        """Refuse a balance this kind of account cannot hold (overridden)."""

    # -- commissions ---------------------------------------------------------------------

    def update_commissions(self, commission: Money) -> None:
        """Add a commission charged to the account's running total for its currency."""
        code = commission.currency.code
        held = self._commissions.get(code)
        self._commissions[code] = commission if held is None else held + commission

    def commission(self, currency: Currency) -> Money:
        """Return the commissions charged in `currency` (zero if none)."""
        return self._commissions.get(currency.code, Money(0, currency))

    def commissions(self) -> dict[Currency, Money]:
        """Return the commissions charged, by currency."""
        return {m.currency: m for m in self._commissions.values()}

    def calculate_commission(
        self,
        instrument: InstrumentLike,
        last_qty: Quantity,
        last_px: Price,
        liquidity_side: LiquiditySide,
        use_quote_for_inverse: bool = False,
    ) -> Money:
        """Return the fee of a fill: maker or taker rate times the fill's notional.

        The notional is ``instrument.notional_value`` (quote currency; base currency
        for an inverse instrument unless `use_quote_for_inverse`); the product is exact
        and rounded half-even to that currency's precision.
        """
        if liquidity_side is LiquiditySide.MAKER:
            rate = instrument.maker_fee
        elif liquidity_side is LiquiditySide.TAKER:
            rate = instrument.taker_fee
        else:
            raise ValueError(
                f"liquidity side {liquidity_side.value} has no fee rate: expected MAKER or TAKER"
            )
        notional = instrument.notional_value(
            last_qty, last_px, use_quote_for_inverse=use_quote_for_inverse
        )
        return mul_rate(notional, rate)

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
        """Return what an open order of `quantity` at `price` locks (overridden)."""
        raise NotImplementedError(f"{type(self).__name__} does not calculate locked balances")

    # -- margins (overridden by margin accounts) -------------------------------------------

    def _apply_margins(self, margins: tuple[MarginBalance, ...]) -> None:
        if margins:
            raise ValueError(f"{self.type.value} account {self.id} cannot hold margins")

    def _margin_list(self) -> list[MarginBalance]:
        return []


__all__ = ["Account", "AccountBalanceNegative", "div_rate", "money_from_product", "mul_rate"]
