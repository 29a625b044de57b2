"""What open orders and positions hold on the accounts the node calculates itself.

For an account the venue does not report (`AccountState.is_reported` False), the node
works out what is locked:

- a CASH account locks, per currency, what its open orders would spend
  (`CashAccount.calculate_balance_locked` at each order's leaves quantity);
- a MARGIN account holds, per instrument, the initial margin of its open orders plus
  the maintenance margin of its open positions (valued at their average open price);
  its locked balance per currency is the sum of those margins.

Reduce-only orders lock nothing. The manager keeps each instrument's share, so one
instrument's change costs a pass over that instrument's orders or positions only;
`build_state` then derives the account's next `AccountState` (None when nothing
changed). Balances in currencies the manager never locked are left as reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from argonaut.cache import Cache
from argonaut.core.fixed import FIXED_PRECISION
from argonaut.core.uuid import UUID4
from argonaut.engines.portfolio.pricing import order_lock_price
from argonaut.model.accounts import Account, AccountBalance, MarginAccount, MarginBalance
from argonaut.model.events.account import AccountState
from argonaut.model.identifiers import AccountId, InstrumentId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.values import Currency, Money, Price


def margin_currency(instrument: Instrument) -> Currency:
    """Return the currency an instrument's margins are held in (its notional currency)."""
    if instrument.is_inverse and instrument.base_currency is not None:
        return instrument.base_currency
    return instrument.quote_currency


def avg_open_price(position: Position) -> Price:
    """Return a position's average open price as a `Price` at full (9 decimal) precision."""
    scaled = Decimal(repr(position.avg_px_open)).scaleb(FIXED_PRECISION)
    return Price(int(scaled.to_integral_value(rounding=ROUND_HALF_EVEN)), FIXED_PRECISION)


class AccountsManager:
    """Per-instrument locks and margins of calculated accounts, and the states they imply."""

    __slots__ = ("_cache", "_currencies", "_locks", "_margins_init", "_margins_maint")

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        # cash: account -> instrument -> currency code -> locked
        self._locks: dict[AccountId, dict[InstrumentId, dict[str, Money]]] = {}
        # margin: account -> instrument -> margin (in the instrument's margin currency)
        self._margins_init: dict[AccountId, dict[InstrumentId, Money]] = {}
        self._margins_maint: dict[AccountId, dict[InstrumentId, Money]] = {}
        # every currency the manager has set a lock in, per account (ordered set)
        self._currencies: dict[AccountId, dict[str, Currency]] = {}

    def tracks(self, account_id: AccountId) -> bool:
        """Return True when the manager holds locks or margins for the account."""
        return account_id in self._currencies

    def reset(self) -> None:
        """Forget everything tracked."""
        self._locks.clear()
        self._margins_init.clear()
        self._margins_maint.clear()
        self._currencies.clear()

    def zero_orders(self) -> list[AccountId]:
        """Set every tracked order lock and initial margin to zero; return those accounts.

        The zeroed entries stay, so the next `build_state` releases them.
        """
        for by_instrument in self._locks.values():
            for iid in by_instrument:
                by_instrument[iid] = {}
        for margins in self._margins_init.values():
            for iid, held in margins.items():
                margins[iid] = Money(0, held.currency)
        return list(self._currencies)

    def zero_positions(self) -> list[AccountId]:
        """Set every tracked maintenance margin to zero; return the accounts tracked."""
        for margins in self._margins_maint.values():
            for iid, held in margins.items():
                margins[iid] = Money(0, held.currency)
        return list(self._currencies)

    # -- updates ---------------------------------------------------------------------------

    def update_orders(
        self, account: Account, instrument: Instrument, orders: Iterable[Order]
    ) -> None:
        """Recalculate what the open `orders` of `instrument` lock on `account`."""
        iid = instrument.id
        if isinstance(account, MarginAccount):
            currency = margin_currency(instrument)
            raw = 0
            for order in orders:
                price = self._lock_price(order)
                if price is None:
                    continue
                raw += account.calculate_margin_init(instrument, order.leaves_qty, price).raw
            self._margins_init.setdefault(account.id, {})[iid] = Money(raw, currency)
            self._currencies.setdefault(account.id, {})[currency.code] = currency
            return
        sums: dict[str, int] = {}
        currencies = self._currencies.setdefault(account.id, {})
        for order in orders:
            price = self._lock_price(order)
            if price is None:
                continue
            locked = account.calculate_balance_locked(
                instrument, order.side, order.leaves_qty, price
            )
            code = locked.currency.code
            sums[code] = sums.get(code, 0) + locked.raw
            currencies[code] = locked.currency
        self._locks.setdefault(account.id, {})[iid] = {
            code: Money(raw, currencies[code]) for code, raw in sums.items()
        }

    def update_positions(
        self, account: MarginAccount, instrument: Instrument, positions: Iterable[Position]
    ) -> None:
        """Recalculate the maintenance margin the open `positions` of `instrument` hold."""
        currency = margin_currency(instrument)
        raw = 0
        for position in positions:
            if position.is_closed:
                continue
            price = avg_open_price(position)
            raw += account.calculate_margin_maint(instrument, position.quantity, price).raw
        self._margins_maint.setdefault(account.id, {})[instrument.id] = Money(raw, currency)
        self._currencies.setdefault(account.id, {})[currency.code] = currency

    def _lock_price(self, order: Order) -> Price | None:
        if order.reduce_only or not order.is_open:
            return None
        return order_lock_price(self._cache, order)

    # -- states ----------------------------------------------------------------------------

    def build_state(
        self, account: Account, event_id: UUID4, ts_event: int, ts_init: int
    ) -> AccountState | None:
        """Return the account's next calculated state, or None when nothing would change."""
        currencies = self._currencies.get(account.id)
        if currencies is None:
            return None
        if isinstance(account, MarginAccount):
            margins = self._margins(account)
            locked: dict[str, int] = {}
            for margin in margins:
                code = margin.currency.code
                locked[code] = locked.get(code, 0) + margin.initial.raw + margin.maintenance.raw
                currencies.setdefault(code, margin.currency)
        else:
            margins = []
            locked = {}
            for by_currency in self._locks.get(account.id, {}).values():
                for code, held in by_currency.items():
                    locked[code] = locked.get(code, 0) + held.raw
        current = list(account.balances().values())
        balances = [self._balance(b, currencies, locked) for b in current]
        held_codes = {b.currency.code for b in current}
        for code, currency in currencies.items():
            if code not in held_codes and locked.get(code, 0) != 0:
                balances.append(
                    AccountBalance.from_total_locked(
                        Money(0, currency), Money(locked[code], currency)
                    )
                )
        if balances == current and margins == _margin_list(account):
            return None
        return AccountState(
            account_id=account.id,
            account_type=account.type,
            base_currency=account.base_currency,
            balances=tuple(balances),
            margins=tuple(margins),
            is_reported=False,
            event_id=event_id,
            ts_event=ts_event,
            ts_init=ts_init,
        )

    @staticmethod
    def _balance(
        balance: AccountBalance, currencies: dict[str, Currency], locked: dict[str, int]
    ) -> AccountBalance:
        code = balance.currency.code
        if code not in currencies:
            return balance  # never locked by the node: keep what was reported
        held = Money(locked.get(code, 0), balance.currency)
        if held == balance.locked:
            return balance
        return AccountBalance.from_total_locked(balance.total, held)

    def _margins(self, account: MarginAccount) -> list[MarginBalance]:
        """Return the account's margins with the tracked instruments' margins in place."""
        inits = self._margins_init.get(account.id, {})
        maints = self._margins_maint.get(account.id, {})
        margins: list[MarginBalance] = []
        placed: set[InstrumentId] = set()
        for margin in account.margins():
            iid = margin.instrument_id
            if iid is None or (iid not in inits and iid not in maints):
                margins.append(margin)  # account-wide, or not calculated by the node
                continue
            placed.add(iid)
            updated = _merge(iid, inits.get(iid), maints.get(iid), margin)
            if updated is not None:
                margins.append(updated)
        for iid in [*inits, *(i for i in maints if i not in inits)]:
            if iid not in placed:
                added = _merge(iid, inits.get(iid), maints.get(iid), None)
                if added is not None:
                    margins.append(added)
        return margins


def _merge(
    instrument_id: InstrumentId,
    initial: Money | None,
    maintenance: Money | None,
    held: MarginBalance | None,
) -> MarginBalance | None:
    """Return the margin of an instrument from its tracked parts (the held one fills gaps)."""
    if initial is None:
        initial = held.initial if held is not None else None
    if maintenance is None:
        maintenance = held.maintenance if held is not None else None
    known = initial if initial is not None else maintenance
    assert known is not None  # one part is always tracked
    currency = known.currency
    init = initial if initial is not None else Money(0, currency)
    maint = maintenance if maintenance is not None else Money(0, currency)
    if init.raw == 0 and maint.raw == 0:
        return None
    return MarginBalance(initial=init, maintenance=maint, instrument_id=instrument_id)


def _margin_list(account: Account) -> list[MarginBalance]:
    return account.margins() if isinstance(account, MarginAccount) else []


__all__ = ["AccountsManager", "avg_open_price", "margin_currency"]
