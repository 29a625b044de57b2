"""Account and risk event stubs: `AccountState` for cash and margin accounts, and
`TradingStateChanged`.

The default is the W1 account: margin account `ACCOUNT_ID` (SIM-001) holding
1,000,000 USDT, all free, as reported by the venue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argonaut.model.accounts import AccountBalance, MarginBalance
from argonaut.model.enums import AccountType, TradingState
from argonaut.model.events.account import AccountState
from argonaut.model.events.risk import TradingStateChanged
from argonaut.model.identifiers import AccountId, InstrumentId
from argonaut.model.values import Currency, Money
from argonaut.testkit._coerce import as_money
from argonaut.testkit.ids import ACCOUNT_ID, INSTRUMENT_ID, TRADER_ID, TS, next_uuid


def balance(
    total: str | Money = "1000000 USDT", locked: str | Money | None = None
) -> AccountBalance:
    """Return a balance of `total` with `locked` (default none) and the rest free."""
    total_m = as_money(total)
    locked_m = Money(0, total_m.currency) if locked is None else as_money(locked, total_m.currency)
    return AccountBalance.from_total_locked(total_m, locked_m)


def margin(
    initial: str | Money = "2500 USDT",
    maintenance: str | Money = "1250 USDT",
    instrument_id: InstrumentId | None = INSTRUMENT_ID,
) -> MarginBalance:
    """Return a margin balance (per instrument; account-wide when `instrument_id` is None).

    The defaults are the W1 instrument's 5 % / 2.5 % on a 1 BTC position at 50,000.
    """
    initial_m = as_money(initial)
    return MarginBalance(
        initial=initial_m,
        maintenance=as_money(maintenance, initial_m.currency),
        instrument_id=instrument_id,
    )


def account_state(
    *,
    account_id: str | AccountId = ACCOUNT_ID,
    account_type: AccountType = AccountType.MARGIN,
    balances: Sequence[AccountBalance] | None = None,
    margins: Sequence[MarginBalance] = (),
    base_currency: Currency | None = None,
    is_reported: bool = True,
    info: dict[str, Any] | None = None,
    ts: int = TS,
) -> AccountState:
    """Return an account state (default: the W1 margin account, 1,000,000 USDT free)."""
    return AccountState(
        account_id=AccountId(account_id),
        account_type=account_type,
        base_currency=base_currency,
        balances=(balance(),) if balances is None else tuple(balances),
        margins=tuple(margins),
        is_reported=is_reported,
        event_id=next_uuid(),
        ts_event=ts,
        ts_init=ts,
        info=info,
    )


def cash_account_state(
    total: str | Money = "100000.00 USD",
    locked: str | Money | None = None,
    *,
    account_id: str | AccountId = "CASH-001",
    ts: int = TS,
) -> AccountState:
    """Return the state of a single-currency CASH account (100,000 USD by default)."""
    bal = balance(total, locked)
    return account_state(
        account_id=account_id,
        account_type=AccountType.CASH,
        balances=(bal,),
        base_currency=bal.currency,
        ts=ts,
    )


def margin_account_state(
    total: str | Money = "1000000 USDT",
    *,
    margins: Sequence[MarginBalance] | None = None,
    account_id: str | AccountId = ACCOUNT_ID,
    ts: int = TS,
) -> AccountState:
    """Return the state of a MARGIN account with one balance and its margins.

    By default it holds one W1 instrument margin, locked out of the balance.
    """
    held = (margin(),) if margins is None else tuple(margins)
    total_m = as_money(total)
    locked = sum((m.initial.raw for m in held if m.currency == total_m.currency), 0)
    bal = balance(total_m, Money(locked, total_m.currency))
    return account_state(
        account_id=account_id,
        account_type=AccountType.MARGIN,
        balances=(bal,),
        margins=held,
        ts=ts,
    )


def trading_state_changed(
    state: TradingState = TradingState.HALTED, reason: str = "halted by test", *, ts: int = TS
) -> TradingStateChanged:
    """Return a `TradingStateChanged` of trader `TRADER_ID` (HALTED by default)."""
    return TradingStateChanged(
        trader_id=TRADER_ID,
        state=state,
        reason=reason,
        event_id=next_uuid(),
        ts_event=ts,
        ts_init=ts,
    )


__all__ = [
    "account_state",
    "balance",
    "cash_account_state",
    "margin",
    "margin_account_state",
    "trading_state_changed",
]
