"""Accounts: balances per currency, margins, and the fees and locks orders imply.

`Account.from_state(state)` builds a `CashAccount` (CASH, WALLET), `MarginAccount`
(MARGIN) or `BettingAccount` (BETTING) from its first `AccountState`. Imports only
`argonaut.core` and the lower `model` modules (values, identifiers, position).
"""

from __future__ import annotations

from argonaut.model.accounts.balances import AccountBalance, MarginBalance
from argonaut.model.accounts.base import (
    Account,
    AccountBalanceNegative,
    div_rate,
    money_from_product,
    mul_rate,
)
from argonaut.model.accounts.cash import BettingAccount, CashAccount
from argonaut.model.accounts.margin import MarginAccount

__all__ = [
    "Account",
    "AccountBalance",
    "AccountBalanceNegative",
    "BettingAccount",
    "CashAccount",
    "MarginAccount",
    "MarginBalance",
    "div_rate",
    "money_from_product",
    "mul_rate",
]
