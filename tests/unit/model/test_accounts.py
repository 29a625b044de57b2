from __future__ import annotations

from decimal import Decimal

import pytest

from argonaut.core.uuid import UUID4
from argonaut.model.accounts import (
    Account,
    AccountBalance,
    AccountBalanceNegative,
    BettingAccount,
    CashAccount,
    MarginAccount,
    MarginBalance,
)
from argonaut.model.enums import AccountType, LiquiditySide, OrderSide
from argonaut.model.events.account import AccountState
from argonaut.model.identifiers import AccountId
from argonaut.model.values import BTC, USD, USDT, Currency, Money, Price, Quantity
from argonaut.testkit import (
    ACCOUNT_ID,
    aapl_equity,
    account_state,
    btcusd_inverse_perp,
    btcusdt_perp,
)
from argonaut.testkit import balance as bal

# The account reads only currencies, multiplier, fees and margins of an instrument.
# Linear, BTC base, USDT quote: maker 2 bp, taker 5 bp.
BTCUSDT = btcusdt_perp(taker_fee=Decimal("0.0005"))
# Linear, USD quote, no base currency: margins 10 % / 5 %.
AAPL = aapl_equity(margin_init=Decimal("0.1"), margin_maint=Decimal("0.05"))
# Inverse 1 USD contracts settled in BTC: taker 5 bp, maintenance margin 5 %.
INVERSE = btcusd_inverse_perp(taker_fee=Decimal("0.0005"), margin_maint=Decimal("0.05"))


def m(text: str) -> Money:
    return Money.from_str(text)


def state(
    *balances: AccountBalance,
    account_type: AccountType = AccountType.CASH,
    base: Currency | None = None,
    margins: tuple[MarginBalance, ...] = (),
    n: int = 1,
) -> AccountState:
    return account_state(
        account_type=account_type,
        balances=balances,
        margins=margins,
        base_currency=base,
        ts=n,
    )


# -- balances -------------------------------------------------------------------------


def test_account_balance_when_total_not_locked_plus_free_then_error_states_expected() -> None:
    with pytest.raises(ValueError, match=r"total 100.00 USD must equal locked 10.00 USD \+ free"):
        AccountBalance(total=m("100 USD"), locked=m("10 USD"), free=m("80 USD"))


def test_account_balance_compares_at_currency_precision() -> None:
    # sub-cent raw noise below USD precision is not a mismatch
    balance = AccountBalance(
        total=Money(100_000_000_001, USD), locked=m("40 USD"), free=m("60 USD")
    )
    assert balance.currency == USD


def test_account_balance_when_currencies_differ_then_error() -> None:
    with pytest.raises(ValueError, match="share one currency"):
        AccountBalance(total=m("100 USD"), locked=m("0 USDT"), free=m("100 USD"))


def test_account_balance_when_locked_negative_then_error() -> None:
    with pytest.raises(ValueError, match=r"locked -1\.00 USD is negative"):
        AccountBalance(total=m("100 USD"), locked=m("-1 USD"), free=m("101 USD"))


def test_margin_balance_when_currencies_differ_then_error() -> None:
    with pytest.raises(ValueError, match="same currency"):
        MarginBalance(initial=m("1 USD"), maintenance=m("1 USDT"))


# -- construction and history ---------------------------------------------------------


def test_from_state_chooses_class_by_account_type() -> None:
    assert type(Account.from_state(state(bal("1 USD")))) is CashAccount
    assert (
        type(Account.from_state(state(bal("1 USD"), account_type=AccountType.WALLET)))
        is CashAccount
    )
    margin = Account.from_state(state(bal("1 USD"), account_type=AccountType.MARGIN))
    assert type(margin) is MarginAccount
    assert margin.is_margin_account
    assert not margin.is_cash_account
    betting = Account.from_state(state(bal("1 USD"), account_type=AccountType.BETTING))
    assert type(betting) is BettingAccount
    assert betting.is_cash_account


def test_apply_appends_state_history_and_updates_balances_per_currency() -> None:
    first = state(bal("1000 USDT"), bal("1 BTC"))
    account = Account.from_state(first)
    second = state(bal("900 USDT", "100"), n=2)
    account.apply(second)
    assert account.events == [first, second]
    assert account.last_event is second
    assert account.event_count == 2
    assert account.balance_total(USDT) == m("900 USDT")
    assert account.balance_locked(USDT) == m("100 USDT")
    assert account.balance_free(USDT) == m("800 USDT")
    assert account.balance_total(BTC) == m("1 BTC")  # absent from the state: kept
    assert account.starting_balances() == {USDT: m("1000 USDT"), BTC: m("1 BTC")}
    assert set(account.balances()) == {USDT, BTC}


def test_apply_when_other_account_or_type_then_refused() -> None:
    account = Account.from_state(state(bal("1 USD")))
    other = AccountState(
        account_id=AccountId("SIM-002"),
        account_type=AccountType.CASH,
        base_currency=None,
        balances=(),
        margins=(),
        is_reported=False,
        event_id=UUID4.from_int(5),
        ts_event=0,
        ts_init=0,
    )
    with pytest.raises(ValueError, match="SIM-002 cannot apply to account SIM-001"):
        account.apply(other)
    with pytest.raises(ValueError, match="type MARGIN cannot apply to CASH"):
        account.apply(state(bal("1 USD"), account_type=AccountType.MARGIN))


def test_balance_without_currency_uses_base_currency_or_asks_for_one() -> None:
    single = Account.from_state(state(bal("5 USD"), base=USD))
    assert single.balance() == bal("5 USD")
    multi = Account.from_state(state(bal("5 USD"), bal("1 BTC")))
    with pytest.raises(ValueError, match="pass the currency"):
        multi.balance_total()
    assert multi.balance(USDT) is None


def test_cash_update_balances_when_free_negative_then_refused_naming_amounts() -> None:
    account = Account.from_state(state(bal("100 USD")))
    negative = AccountBalance(total=m("100 USD"), locked=m("150 USD"), free=m("-50 USD"))
    with pytest.raises(AccountBalanceNegative, match=r"negative free USD balance: free -50.00 USD"):
        account.update_balances([negative])
    assert account.balance_free(USD) == m("100 USD")


def test_cash_update_balances_when_borrowing_allowed_then_negative_free_accepted() -> None:
    account = Account.from_state(state(bal("100 USD")), allow_borrowing=True)
    negative = AccountBalance(total=m("-20 USD"), locked=m("0 USD"), free=m("-20 USD"))
    account.update_balances([negative])
    assert account.balance_free(USD) == m("-20 USD")


def test_margin_account_accepts_negative_free_balance() -> None:
    account = Account.from_state(state(bal("100 USD"), account_type=AccountType.MARGIN))
    account.update_balances(
        [AccountBalance(total=m("100 USD"), locked=m("120 USD"), free=m("-20 USD"))]
    )
    assert account.balance_free(USD) == m("-20 USD")


def test_update_balances_when_empty_then_refused() -> None:
    account = Account.from_state(state(bal("100 USD")))
    with pytest.raises(ValueError, match="no balances"):
        account.update_balances([])


def test_commissions_accumulate_per_currency() -> None:
    account = Account.from_state(state(bal("100 USD")))
    account.update_commissions(m("1.5 USD"))
    account.update_commissions(m("0.5 USD"))
    account.update_commissions(m("0.001 BTC"))
    assert account.commission(USD) == m("2 USD")
    assert account.commissions() == {USD: m("2 USD"), BTC: m("0.001 BTC")}


# -- commission -----------------------------------------------------------------------


def test_calculate_commission_uses_maker_or_taker_rate_times_notional() -> None:
    account = Account.from_state(state(bal("100000 USDT")))
    qty, px = Quantity.from_str("0.5"), Price.from_str("30000")
    maker = account.calculate_commission(BTCUSDT, qty, px, LiquiditySide.MAKER)
    taker = account.calculate_commission(BTCUSDT, qty, px, LiquiditySide.TAKER)
    assert maker == m("3 USDT")
    assert taker == m("7.5 USDT")


def test_calculate_commission_rounds_half_even_at_currency_precision() -> None:
    inst = aapl_equity(taker_fee=Decimal("0.1"))
    account = Account.from_state(state(bal("100 USD")))
    # 12.25 * 0.1 = 1.225 -> 1.22 ; 12.35 * 0.1 = 1.235 -> 1.24
    assert account.calculate_commission(
        inst, Quantity.from_int(1), Price.from_str("12.25"), LiquiditySide.TAKER
    ) == m("1.22 USD")
    assert account.calculate_commission(
        inst, Quantity.from_int(1), Price.from_str("12.35"), LiquiditySide.TAKER
    ) == m("1.24 USD")


def test_calculate_commission_inverse_in_base_or_quote() -> None:
    account = Account.from_state(state(bal("1 BTC")))
    qty, px = Quantity.from_int(10_000), Price.from_str("50000")
    assert account.calculate_commission(INVERSE, qty, px, LiquiditySide.TAKER) == m("0.0001 BTC")
    assert account.calculate_commission(
        INVERSE, qty, px, LiquiditySide.TAKER, use_quote_for_inverse=True
    ) == m("5 USD")


def test_calculate_commission_when_no_liquidity_side_then_refused() -> None:
    account = Account.from_state(state(bal("1 USD")))
    with pytest.raises(ValueError, match="expected MAKER or TAKER"):
        account.calculate_commission(
            AAPL, Quantity.from_int(1), Price.from_int(1), LiquiditySide.NO_LIQUIDITY_SIDE
        )


# -- cash locks -----------------------------------------------------------------------


def test_cash_buy_locks_quote_notional_and_sell_locks_base_quantity() -> None:
    account = Account.from_state(state(bal("100000 USDT"), bal("2 BTC")))
    qty, px = Quantity.from_str("0.25"), Price.from_str("40000.10")
    assert account.calculate_balance_locked(BTCUSDT, OrderSide.BUY, qty, px) == m("10000.025 USDT")
    assert account.calculate_balance_locked(BTCUSDT, OrderSide.SELL, qty, px) == m("0.25 BTC")


def test_cash_sell_without_base_currency_locks_notional() -> None:
    account = Account.from_state(state(bal("1000 USD")))
    locked = account.calculate_balance_locked(
        AAPL, OrderSide.SELL, Quantity.from_int(2), Price.from_str("10.5")
    )
    assert locked == m("21 USD")


def test_cash_reduce_only_order_locks_nothing() -> None:
    account = Account.from_state(state(bal("1000 USDT")))
    qty, px = Quantity.from_int(1), Price.from_int(100)
    buy = account.calculate_balance_locked(BTCUSDT, OrderSide.BUY, qty, px, reduce_only=True)
    sell = account.calculate_balance_locked(BTCUSDT, OrderSide.SELL, qty, px, reduce_only=True)
    assert buy == m("0 USDT")
    assert sell == m("0 BTC")


def test_betting_account_locks_stake_for_back_and_liability_for_lay() -> None:
    account = Account.from_state(state(bal("1000 USD"), account_type=AccountType.BETTING))
    qty, odds = Quantity.from_int(10), Price.from_str("2.5")
    assert account.calculate_balance_locked(AAPL, OrderSide.BUY, qty, odds) == m("10 USD")
    assert account.calculate_balance_locked(AAPL, OrderSide.SELL, qty, odds) == m("15 USD")


# -- margin ---------------------------------------------------------------------------


def margin_account(default_leverage: Decimal | None = None) -> MarginAccount:
    account = Account.from_state(
        state(bal("10000 USD"), account_type=AccountType.MARGIN), default_leverage=default_leverage
    )
    assert isinstance(account, MarginAccount)
    return account


def test_margin_init_without_leverage_is_notional_times_margin_init() -> None:
    account = margin_account()
    # notional 2 * 1500 = 3000 USD; margin_init 0.1 -> 300
    assert account.calculate_margin_init(AAPL, Quantity.from_int(2), Price.from_int(1500)) == m(
        "300 USD"
    )


def test_margin_init_with_instrument_leverage_is_notional_over_leverage() -> None:
    account = margin_account(default_leverage=Decimal(2))
    qty, px = Quantity.from_int(2), Price.from_int(1500)
    assert account.leverage(AAPL.id) == Decimal(2)
    assert account.calculate_margin_init(AAPL, qty, px) == m("1500 USD")
    account.set_leverage(AAPL.id, Decimal(3))
    assert account.leverages() == {AAPL.id: Decimal(3)}
    assert account.calculate_margin_init(AAPL, Quantity.from_int(1), Price.from_int(100)) == m(
        "33.33 USD"
    )
    assert account.calculate_balance_locked(AAPL, OrderSide.SELL, qty, px) == m("1000 USD")


def test_margin_init_for_reduce_only_is_zero() -> None:
    account = margin_account()
    assert account.calculate_margin_init(
        AAPL, Quantity.from_int(2), Price.from_int(1500), reduce_only=True
    ) == m("0 USD")


def test_margin_maint_is_notional_times_margin_maint_regardless_of_leverage() -> None:
    account = margin_account(default_leverage=Decimal(10))
    assert account.calculate_margin_maint(AAPL, Quantity.from_int(2), Price.from_int(1500)) == m(
        "150 USD"
    )
    inverse = account.calculate_margin_maint(
        INVERSE, Quantity.from_int(10_000), Price.from_int(50_000)
    )
    assert inverse == m("0.01 BTC")


def test_set_leverage_when_not_positive_then_refused() -> None:
    account = margin_account()
    with pytest.raises(ValueError, match="expected a Decimal > 0"):
        account.set_leverage(AAPL.id, Decimal(0))


def test_update_margin_per_instrument_and_account_wide_then_read_and_clear() -> None:
    account = margin_account()
    per_instrument = MarginBalance(
        initial=m("300 USD"), maintenance=m("150 USD"), instrument_id=AAPL.id
    )
    account_wide = MarginBalance(initial=m("50 USD"), maintenance=m("20 USD"))
    account.update_margin(per_instrument)
    account.update_margin(account_wide)
    assert account.margin(AAPL.id) == per_instrument
    assert account.account_margin(USD) == account_wide
    assert account.margins() == [per_instrument, account_wide]
    assert account.margin_init_total(USD) == m("350 USD")
    assert account.margin_maint_total(USD) == m("170 USD")
    account.clear_margin(AAPL.id)
    account.clear_account_margin(USD)
    assert account.margin(AAPL.id) is None
    assert account.margins() == []


def test_margin_state_applied_replaces_both_margin_stores() -> None:
    old = MarginBalance(initial=m("1 USD"), maintenance=m("1 USD"), instrument_id=AAPL.id)
    account = Account.from_state(
        state(bal("100 USD"), account_type=AccountType.MARGIN, margins=(old,))
    )
    assert isinstance(account, MarginAccount)
    assert account.margin(AAPL.id) == old
    new = MarginBalance(initial=m("2 USD"), maintenance=m("1 USD"))
    account.apply(state(bal("100 USD"), account_type=AccountType.MARGIN, margins=(new,), n=2))
    assert account.margins() == [new]


def test_cash_account_when_state_has_margins_then_refused() -> None:
    margins = (MarginBalance(initial=m("1 USD"), maintenance=m("1 USD")),)
    with pytest.raises(ValueError, match="CASH account SIM-001 cannot hold margins"):
        Account.from_state(state(bal("100 USD"), margins=margins))


def test_to_state_reflects_current_balances_and_margins() -> None:
    account = margin_account()
    margin = MarginBalance(initial=m("3 USD"), maintenance=m("1 USD"), instrument_id=AAPL.id)
    account.update_margin(margin)
    out = account.to_state(UUID4.from_int(77), 5, 6)
    assert out.account_id == ACCOUNT_ID
    assert out.account_type is AccountType.MARGIN
    assert out.balances == (bal("10000 USD"),)
    assert out.margins == (margin,)
    assert not out.is_reported
    assert out.ts_event == 5
    assert out.ts_init == 6
    assert out.balance(USD) == bal("10000 USD")
    assert account.event_count == 1  # not applied
