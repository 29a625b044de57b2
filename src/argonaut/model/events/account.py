"""Account events."""

from __future__ import annotations

from typing import Any

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.accounts.balances import AccountBalance, MarginBalance
from argonaut.model.enums import AccountType
from argonaut.model.identifiers import AccountId
from argonaut.model.values import Currency


class AccountState(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """An account's balances and margins at `ts_event`.

    `is_reported` is True when the venue reported the state, False when the node
    calculated it. `base_currency` is set for a single-currency account. Margins are the
    account's *full* margin picture: applying the state replaces the margins held.
    """

    account_id: AccountId
    account_type: AccountType
    base_currency: Currency | None
    balances: tuple[AccountBalance, ...]
    margins: tuple[MarginBalance, ...]
    is_reported: bool
    event_id: UUID4
    ts_event: int
    ts_init: int
    info: dict[str, Any] | None = None

    def balance(self, currency: Currency) -> AccountBalance | None:
        """Return the balance in `currency`, if the state has one."""
        code = currency.code
        for balance in self.balances:
            if balance.total.currency.code == code:
                return balance
        return None


__all__ = ["AccountState"]
