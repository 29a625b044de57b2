"""Margin accounts: leverage per instrument, initial and maintenance margins.

Margin rule (all amounts exact, rounded half-even once to the notional's currency,
the notional being ``instrument.notional_value``: quote currency, or base currency for
an inverse instrument unless `use_quote_for_inverse`):

- initial margin = ``notional / leverage`` when a leverage applies to the instrument
  (its own, else the account's `default_leverage`); otherwise
  ``notional * instrument.margin_init`` (the venue's rate, i.e. leverage 1/margin_init).
  A reduce-only order needs no initial margin.
- maintenance margin = ``notional * instrument.margin_maint`` (leverage does not
  change it).

Margins are held per instrument or account-wide per collateral currency. An applied
`AccountState` replaces both stores with its `margins`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from argonaut.model.accounts.balances import MarginBalance
from argonaut.model.accounts.base import Account, div_rate, mul_rate
from argonaut.model.enums import OrderSide
from argonaut.model.identifiers import InstrumentId
from argonaut.model.position import InstrumentLike
from argonaut.model.values import Currency, Money, Price, Quantity

if TYPE_CHECKING:
    from argonaut.model.events.account import AccountState


def _check_leverage(leverage: Decimal, what: str) -> Decimal:
    if not isinstance(leverage, Decimal) or not leverage.is_finite() or leverage <= 0:
        raise ValueError(f"leverage {leverage!r} for {what} is invalid: expected a Decimal > 0")
    return leverage


class MarginAccount(Account):
    """A margin account (see the module docstring for the margin rule)."""

    __slots__ = ("_account_margins", "_instrument_margins", "_leverages", "default_leverage")

    def __init__(self, state: AccountState, *, default_leverage: Decimal | None = None) -> None:
        self.default_leverage: Decimal | None = (
            None if default_leverage is None else _check_leverage(default_leverage, "the account")
        )
        self._leverages: dict[InstrumentId, Decimal] = {}
        self._instrument_margins: dict[InstrumentId, MarginBalance] = {}
        self._account_margins: dict[str, MarginBalance] = {}
        super().__init__(state)

    # -- leverage ------------------------------------------------------------------------

    def set_default_leverage(self, leverage: Decimal | None) -> None:
        """Set the leverage for instruments without their own (None: use margin_init)."""
        self.default_leverage = (
            None if leverage is None else _check_leverage(leverage, "the account")
        )

    def set_leverage(self, instrument_id: InstrumentId, leverage: Decimal) -> None:
        """Set the leverage for one instrument."""
        self._leverages[instrument_id] = _check_leverage(leverage, str(instrument_id))

    def leverage(self, instrument_id: InstrumentId) -> Decimal | None:
        """Return the leverage in effect for the instrument (None: margin_init applies)."""
        return self._leverages.get(instrument_id, self.default_leverage)

    def leverages(self) -> dict[InstrumentId, Decimal]:
        """Return the leverages set per instrument."""
        return dict(self._leverages)

    # -- calculations --------------------------------------------------------------------

    def calculate_margin_init(
        self,
        instrument: InstrumentLike,
        quantity: Quantity,
        price: Price,
        *,
        use_quote_for_inverse: bool = False,
        reduce_only: bool = False,
    ) -> Money:
        """Return the initial margin an order of `quantity` at `price` needs."""
        notional = instrument.notional_value(
            quantity, price, use_quote_for_inverse=use_quote_for_inverse
        )
        if reduce_only:
            return Money(0, notional.currency)
        leverage = self._leverages.get(instrument.id, self.default_leverage)
        if leverage is not None:
            return div_rate(notional, leverage)
        return mul_rate(notional, instrument.margin_init)

    def calculate_margin_maint(
        self,
        instrument: InstrumentLike,
        quantity: Quantity,
        price: Price,
        *,
        use_quote_for_inverse: bool = False,
    ) -> Money:
        """Return the maintenance margin of a position of `quantity` opened at `price`."""
        notional = instrument.notional_value(
            quantity, price, use_quote_for_inverse=use_quote_for_inverse
        )
        return mul_rate(notional, instrument.margin_maint)

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
        """Return the initial margin the order locks (the side does not matter)."""
        return self.calculate_margin_init(
            instrument,
            quantity,
            price,
            use_quote_for_inverse=use_quote_for_inverse,
            reduce_only=reduce_only,
        )

    # -- margins held --------------------------------------------------------------------

    def update_margin(self, margin: MarginBalance) -> None:
        """Set the margin of its instrument, or the account-wide margin of its currency."""
        if margin.instrument_id is None:
            self._account_margins[margin.initial.currency.code] = margin
        else:
            self._instrument_margins[margin.instrument_id] = margin

    def margin(self, instrument_id: InstrumentId) -> MarginBalance | None:
        """Return the margin held for an instrument, if any."""
        return self._instrument_margins.get(instrument_id)

    def account_margin(self, currency: Currency) -> MarginBalance | None:
        """Return the account-wide margin held in `currency`, if any."""
        return self._account_margins.get(currency.code)

    def margins(self) -> list[MarginBalance]:
        """Return every margin held: per instrument, then account-wide."""
        return self._margin_list()

    def clear_margin(self, instrument_id: InstrumentId) -> None:
        """Forget the margin held for an instrument (no error if none)."""
        self._instrument_margins.pop(instrument_id, None)

    def clear_account_margin(self, currency: Currency) -> None:
        """Forget the account-wide margin held in `currency` (no error if none)."""
        self._account_margins.pop(currency.code, None)

    def margin_init_total(self, currency: Currency) -> Money:
        """Return the sum of initial margins held in `currency`."""
        code = currency.code
        raw = sum(m.initial.raw for m in self._margin_list() if m.initial.currency.code == code)
        return Money(raw, currency)

    def margin_maint_total(self, currency: Currency) -> Money:
        """Return the sum of maintenance margins held in `currency`."""
        code = currency.code
        raw = sum(
            m.maintenance.raw for m in self._margin_list() if m.maintenance.currency.code == code
        )
        return Money(raw, currency)

    def _apply_margins(self, margins: tuple[MarginBalance, ...]) -> None:
        self._instrument_margins.clear()
        self._account_margins.clear()
        for margin in margins:
            self.update_margin(margin)

    def _margin_list(self) -> list[MarginBalance]:
        return [*self._instrument_margins.values(), *self._account_margins.values()]


__all__ = ["MarginAccount"]
