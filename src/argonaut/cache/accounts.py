"""Accounts (each holds its own state history in `Account.events`) and the venue index.

An account's venue is its id's issuer: account ``SIM-001`` belongs to venue ``SIM``.
"""

from __future__ import annotations

from argonaut.cache.base import CacheBase
from argonaut.model.accounts import Account
from argonaut.model.identifiers import AccountId, Venue


class AccountMixin(CacheBase):
    """Accounts of the `Cache`."""

    __slots__ = ()

    def add_account(self, account: Account) -> None:
        """Add an account; an account id already cached is refused (use `update_account`)."""
        if not isinstance(account, Account):
            raise TypeError(f"expected an Account, found {type(account).__name__}")
        if account.id in self._accounts:
            raise ValueError(
                f"account {account.id} is already in the cache: call update_account after "
                "applying a new state"
            )
        self._accounts[account.id] = account
        self._index_venue_account[Venue(account.id.get_issuer())] = account.id
        sink = self._db_sink
        if sink is not None:
            self._db_account(account, sink)

    def update_account(self, account: Account) -> None:
        """Record that `account` changed (a state was applied); it must be cached."""
        cached = self._accounts.get(account.id)
        if cached is None:
            raise ValueError(f"account {account.id} is not in the cache: call add_account first")
        if cached is not account:
            self._accounts[account.id] = account
        sink = self._db_sink
        if sink is not None:
            self._db_account(account, sink)

    def account(self, account_id: AccountId) -> Account | None:
        """Return the account with this id, or None."""
        return self._accounts.get(account_id)

    def account_for_venue(self, venue: Venue) -> Account | None:
        """Return the account of `venue`, or None."""
        account_id = self._index_venue_account.get(venue)
        return None if account_id is None else self._accounts.get(account_id)

    def account_id(self, venue: Venue) -> AccountId | None:
        """Return the id of the account of `venue`, or None."""
        return self._index_venue_account.get(venue)

    def accounts(self) -> list[Account]:
        """Return every account, in the order added."""
        return list(self._accounts.values())


__all__ = ["AccountMixin"]
