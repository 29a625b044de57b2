"""Portfolio: account states, calculated locks and margins, PnL, exposure, rebuilds.

The real bus, cache and test clock; events are published the way the data and
execution engines publish them (cache first, then the bus).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.portfolio import Portfolio, PortfolioConfig
from argonaut.model.accounts import MarginAccount
from argonaut.model.enums import AccountType, OmsType, OrderSide
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import OrderEvent
from argonaut.model.events.position import PositionChanged, PositionClosed, PositionOpened
from argonaut.model.identifiers import AccountId, InstrumentId, PositionId, Symbol, Venue
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.values import USD, USDT, Money, Price
from argonaut.testkit import (
    ACCOUNT_ID,
    BTCUSDT_PERP,
    STRATEGY_ID,
    TRADER_ID,
    TS,
    accepted,
    account_state,
    audusd,
    balance,
    canceled,
    filled,
    limit_order,
    mark_price,
    market_order,
    next_uuid,
    quote,
    submitted,
    trade,
)

SIM = Venue("SIM")
IID = BTCUSDT_PERP.id
POSITION = PositionId(f"{IID}-{STRATEGY_ID}")


def usdt(amount: str) -> Money:
    return Money.from_str(f"{amount} USDT")


class Env:
    """A portfolio wired to a real bus and cache, with engine-like publishers."""

    def __init__(self, config: PortfolioConfig | None = None, cache: Cache | None = None) -> None:
        self.clock = TestClock(TS)
        self.bus = MessageBus(TRADER_ID)
        self.cache = Cache() if cache is None else cache
        if self.cache.instrument(IID) is None:
            self.cache.add_instrument(BTCUSDT_PERP)
        self.portfolio = Portfolio(
            self.bus, self.cache, self.clock, config=config, uuid_factory=UUIDFactory(seed=3)
        )
        self.account_events: list[AccountState] = []
        self.bus.subscribe("events.account.*", self.account_events.append)
        self._trade_ids = 0

    # -- accounts --------------------------------------------------------------------------

    def send_account(self, state: AccountState) -> None:
        self.bus.send(topics.PORTFOLIO_UPDATE_ACCOUNT, state)

    def cash_account(self, total: str = "100000 USDT", *, reported: bool = False) -> None:
        self.send_account(
            account_state(
                account_type=AccountType.CASH,
                balances=[balance(total)],
                base_currency=USDT,
                is_reported=reported,
            )
        )

    def margin_account(self, total: str = "1000000 USDT", *, reported: bool = False) -> None:
        self.send_account(
            account_state(
                balances=[balance(total)],
                base_currency=USDT,
                is_reported=reported,
            )
        )

    @property
    def account(self) -> Any:
        account = self.cache.account(ACCOUNT_ID)
        assert account is not None
        return account

    # -- orders and positions (as the execution engine does it) ----------------------------

    def publish_order_event(self, order: Order, event: OrderEvent) -> None:
        order.apply(event)
        self.cache.update_order(order)
        self.bus.publish(topics.order_events(order.strategy_id), event)

    def working(self, order: Order) -> Order:
        self.cache.add_order(order)
        self.publish_order_event(order, submitted(order))
        self.publish_order_event(order, accepted(order))
        return order

    def fill(self, order: Order, px: str, qty: str | None = None) -> None:
        self._trade_ids += 1
        event = filled(
            order, last_px=px, last_qty=qty, trade_id=f"E-{self._trade_ids}", position_id=POSITION
        )
        self.publish_order_event(order, event)
        position = self.cache.position(POSITION)
        kind: Any
        if position is None:
            position = Position(BTCUSDT_PERP, event)
            self.cache.add_position(position, OmsType.NETTING)
            kind = PositionOpened
        else:
            position.apply(event)
            self.cache.update_position(position)
            kind = PositionClosed if position.is_closed else PositionChanged
        self.bus.publish(
            topics.position_events(STRATEGY_ID),
            kind.create(position, event, next_uuid(), self.clock.timestamp_ns()),
        )

    def trade_at(self, side: OrderSide, px: str, qty: str = "1.000", coid: str = "M-1") -> None:
        order = self.working(market_order(side=side, quantity=qty, client_order_id=coid))
        self.fill(order, px)

    # -- market data (as the data engine does it) -------------------------------------------

    def quote(self, bid: str, ask: str) -> None:
        tick = quote(bid=bid, ask=ask)
        self.cache.add_quote_tick(tick)
        self.bus.publish(topics.quotes(IID), tick)

    def trade(self, px: str) -> None:
        tick = trade(price=px)
        self.cache.add_trade_tick(tick)
        self.bus.publish(topics.trades(IID), tick)


@pytest.fixture
def env() -> Env:
    return Env()


# -- config ---------------------------------------------------------------------------------


def test_config_defaults_and_unknown_field_refused() -> None:
    config = PortfolioConfig()
    assert (
        config.use_mark_prices,
        config.bar_updates,
        config.convert_to_account_base_currency,
    ) == (
        False,
        True,
        True,
    )
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"use_mark_price": True}, PortfolioConfig)


# -- account states -------------------------------------------------------------------------


def test_update_account_when_first_state_then_account_cached_and_published(env: Env) -> None:
    state = account_state()
    env.send_account(state)
    account = env.portfolio.account(SIM)
    assert isinstance(account, MarginAccount)
    assert env.cache.account(ACCOUNT_ID) is account
    assert account.balance_total(USDT) == usdt("1000000")
    assert env.account_events == [state]


def test_update_account_when_later_state_then_applied_to_cached_account(env: Env) -> None:
    env.send_account(account_state())
    env.send_account(account_state(balances=[balance("900000 USDT", "1000 USDT")]))
    assert env.account.event_count == 2
    assert env.portfolio.balances_locked(SIM) == {USDT: usdt("1000")}


def test_account_state_published_on_topic_then_applied_once(env: Env) -> None:
    state = account_state()
    env.bus.publish(topics.account_events(ACCOUNT_ID), state)
    env.bus.publish(topics.account_events(ACCOUNT_ID), state)
    assert env.account.event_count == 1


def test_account_state_for_another_type_then_refused_and_counted(env: Env) -> None:
    env.send_account(account_state())
    env.send_account(account_state(account_type=AccountType.CASH))
    assert env.account.event_count == 1
    assert env.portfolio.account_error_count == 1


# -- cash accounts: locked balances -----------------------------------------------------------


def test_cash_account_when_buy_limit_open_then_notional_locked(env: Env) -> None:
    env.cash_account()
    env.working(limit_order(price="50000.0", quantity="1.000"))
    balance_now = env.account.balance(USDT)
    assert balance_now.locked == usdt("50000")
    assert balance_now.free == usdt("50000")
    last = env.account_events[-1]
    assert last.is_reported is False
    assert last.account_id == ACCOUNT_ID
    assert env.account.last_event is last


def test_cash_account_when_order_canceled_then_lock_released(env: Env) -> None:
    env.cash_account()
    order = env.working(limit_order(price="50000.0"))
    env.publish_order_event(order, canceled(order))
    assert env.account.balance_locked(USDT) == usdt("0")
    assert env.account.balance_free(USDT) == usdt("100000")


def test_cash_account_when_partially_filled_then_leaves_quantity_locked(env: Env) -> None:
    env.cash_account()
    order = env.working(limit_order(price="40000.0", quantity="2.000"))
    env.fill(order, "40000.0", "0.500")
    assert env.account.balance_locked(USDT) == usdt("60000")


def test_reduce_only_order_locks_nothing(env: Env) -> None:
    env.cash_account()
    env.working(limit_order(price="50000.0", reduce_only=True))
    assert env.account.balance_locked(USDT) == usdt("0")
    assert len(env.account_events) == 1  # only the client's state: nothing calculated


def test_submitted_order_locks_nothing_until_accepted(env: Env) -> None:
    env.cash_account()
    order = limit_order(price="50000.0")
    env.cache.add_order(order)
    env.publish_order_event(order, submitted(order))
    assert env.account.balance_locked(USDT) == usdt("0")


def test_reported_account_is_not_recalculated(env: Env) -> None:
    env.cash_account(reported=True)
    env.working(limit_order(price="50000.0"))
    env.trade_at(OrderSide.BUY, "50000.0")
    assert env.account.event_count == 1
    assert env.account.balance_locked(USDT) == usdt("0")
    assert len(env.account_events) == 1


def test_unreported_state_from_client_then_calculated_locks_kept(env: Env) -> None:
    env.cash_account()
    env.working(limit_order(price="50000.0"))
    env.cash_account("120000 USDT")  # the client knows totals, not locks
    balance_now = env.account.balance(USDT)
    assert (balance_now.total, balance_now.locked) == (usdt("120000"), usdt("50000"))


# -- margin accounts ------------------------------------------------------------------------


def test_margin_account_when_order_open_then_initial_margin_held(env: Env) -> None:
    env.margin_account()
    env.working(limit_order(price="50000.0", quantity="1.000"))
    assert env.portfolio.margins_init(SIM) == {IID: usdt("2500")}  # 5 %
    assert env.portfolio.margins_maint(SIM) == {IID: usdt("0")}
    assert env.account.balance_locked(USDT) == usdt("2500")


def test_margin_account_when_position_open_then_maintenance_margin_held(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    assert env.portfolio.margins_init(SIM) == {IID: usdt("0")}
    assert env.portfolio.margins_maint(SIM) == {IID: usdt("1250")}  # 2.5 %
    env.working(limit_order(price="40000.0", quantity="2.000", client_order_id="O-2"))
    assert env.portfolio.margins_init(SIM) == {IID: usdt("4000")}
    assert env.account.balance_locked(USDT) == usdt("5250")
    assert env.account.balance_free(USDT) == usdt("994750")


def test_margin_account_when_position_closed_then_margin_released(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    env.trade_at(OrderSide.SELL, "50100.0", coid="M-2")
    assert env.portfolio.margins_maint(SIM) == {}
    assert env.account.balance_locked(USDT) == usdt("0")


def test_margin_account_reduce_only_order_needs_no_initial_margin(env: Env) -> None:
    env.margin_account()
    env.working(limit_order(side=OrderSide.SELL, price="60000.0", reduce_only=True))
    assert env.portfolio.margins_init(SIM) == {}


# -- PnL ------------------------------------------------------------------------------------


def test_unrealized_pnl_of_long_moves_with_the_bid(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.unrealized_pnl(IID) == usdt("100")
    env.quote("49900.0", "49900.5")
    assert env.portfolio.unrealized_pnl(IID) == usdt("-100")


def test_unrealized_pnl_of_short_uses_the_ask(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.SELL, "50000.0")
    env.quote("49800.0", "49900.0")
    assert env.portfolio.unrealized_pnl(IID) == usdt("100")
    assert env.portfolio.is_net_short(IID)


def test_unrealized_pnl_uses_last_trade_when_no_quote(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    assert env.portfolio.unrealized_pnl(IID) is None  # nothing prices it yet
    env.trade("50250.0")
    assert env.portfolio.unrealized_pnl(IID) == usdt("250")


def test_unrealized_pnl_at_a_given_price(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0", qty="2.000")
    assert env.portfolio.unrealized_pnl(IID, Price.from_str("50010.0")) == usdt("20")


def test_unrealized_pnl_is_cached_until_a_tick_for_the_instrument(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.unrealized_pnl(IID) == usdt("100")
    env.cache.add_quote_tick(quote(bid="50300.0", ask="50300.5"))  # cached, not published
    assert env.portfolio.unrealized_pnl(IID) == usdt("100")
    env.bus.publish(topics.quotes(IID), quote(bid="50300.0", ask="50300.5"))
    assert env.portfolio.unrealized_pnl(IID) == usdt("300")


def test_unrealized_pnl_with_mark_prices_prefers_the_mark() -> None:
    env = Env(PortfolioConfig(use_mark_prices=True))
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.unrealized_pnl(IID) == usdt("100")
    update = mark_price(value="50050.0")
    env.cache.add_mark_price(update)
    env.bus.publish(topics.mark_prices(IID), update)
    assert env.portfolio.unrealized_pnl(IID) == usdt("50")


def test_realized_pnl_after_close(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    assert env.portfolio.realized_pnl(IID) == usdt("-20")  # the taker fee so far
    env.trade_at(OrderSide.SELL, "50100.0", coid="M-2")
    position = env.cache.position(POSITION)
    assert position is not None
    assert position.is_closed
    expected = usdt("100") - usdt("20") - usdt("20.04")
    assert env.portfolio.realized_pnl(IID) == expected == position.realized_pnl
    assert env.portfolio.realized_pnls(SIM) == {USDT: expected}
    assert env.portfolio.unrealized_pnl(IID) == usdt("0")
    assert env.portfolio.total_pnl(IID) == expected


def test_realized_pnl_counts_closed_netting_cycles_kept_as_snapshots(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    env.trade_at(OrderSide.SELL, "50100.0", coid="M-2")
    first_cycle = env.portfolio.realized_pnl(IID)
    assert first_cycle is not None
    position = env.cache.position(POSITION)
    assert position is not None
    env.cache.snapshot_position(position)  # the exec engine keeps it before a reopen
    env.trade_at(OrderSide.BUY, "50000.0", coid="M-3")
    assert env.portfolio.realized_pnl(IID) == first_cycle + usdt("-20")


def test_unrealized_and_total_pnls_per_venue(env: Env) -> None:
    env.margin_account()
    env.trade_at(OrderSide.BUY, "50000.0")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.unrealized_pnls(SIM) == {USDT: usdt("100")}
    assert env.portfolio.total_pnls(SIM) == {USDT: usdt("80")}


def test_unknown_instrument_has_no_pnl(env: Env) -> None:
    other = InstrumentId("ETHUSDT-PERP.SIM")
    assert env.portfolio.realized_pnl(other) is None
    assert env.portfolio.unrealized_pnl(other) is None
    assert env.portfolio.net_exposure(other) is None


# -- exposure and net position --------------------------------------------------------------


def test_net_exposure_net_position_and_flat_checks(env: Env) -> None:
    env.margin_account()
    assert env.portfolio.is_flat(IID)
    assert env.portfolio.is_completely_flat()
    env.trade_at(OrderSide.BUY, "50000.0", qty="2.000")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.net_exposure(IID) == usdt("100200")
    assert env.portfolio.net_exposures(SIM) == {USDT: usdt("100200")}
    assert env.portfolio.net_position(IID) == Decimal("2.000")
    assert env.portfolio.is_net_long(IID)
    assert not env.portfolio.is_net_short(IID)
    assert not env.portfolio.is_flat(IID)
    assert not env.portfolio.is_completely_flat()
    env.trade_at(OrderSide.SELL, "50100.0", qty="2.000", coid="M-2")
    assert env.portfolio.net_position(IID) == 0
    assert env.portfolio.is_flat(IID)
    assert env.portfolio.is_completely_flat()
    assert env.portfolio.net_exposure(IID) == usdt("0")


# -- currency conversion ----------------------------------------------------------------------


def test_pnl_converted_to_account_base_currency_when_a_rate_is_cached() -> None:
    env = Env()
    usdtusd = audusd(
        id=InstrumentId("USDTUSD.SIM"),
        base_currency=USDT,
        quote_currency=USD,
        raw_symbol=Symbol("USDTUSD"),
    )
    env.cache.add_instrument(usdtusd)
    env.send_account(
        account_state(balances=[balance("100000 USD")], base_currency=USD, is_reported=True)
    )
    env.trade_at(OrderSide.BUY, "50000.0")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.unrealized_pnl(IID) is None  # no USDT/USD price yet
    assert env.portfolio.unrealized_pnls(SIM) == {USDT: usdt("100")}  # kept in its own currency
    env.cache.add_quote_tick(quote(usdtusd, bid="0.99990", ask="1.00010"))
    assert env.portfolio.unrealized_pnl(IID) == Money.from_str("100.00 USD")
    assert env.portfolio.unrealized_pnls(SIM) == {USD: Money.from_str("100.00 USD")}


# -- rebuilding from the cache ----------------------------------------------------------------


def test_initialize_orders_and_positions_rebuild_from_a_prefilled_cache() -> None:
    first = Env()
    first.margin_account()
    first.trade_at(OrderSide.BUY, "50000.0")
    first.working(limit_order(price="40000.0", quantity="2.000", client_order_id="O-2"))
    cache = first.cache
    # A restart: the account state held no margins, the new portfolio saw no events.
    account = cache.account(ACCOUNT_ID)
    assert account is not None
    account.apply(account_state(balances=[balance("1000000 USDT")], is_reported=False))
    env = Env(cache=cache)
    assert not env.portfolio.initialized
    env.portfolio.initialize_orders()
    assert not env.portfolio.initialized
    env.portfolio.initialize_positions()
    assert env.portfolio.initialized
    assert env.portfolio.margins_init(SIM) == {IID: usdt("4000")}
    assert env.portfolio.margins_maint(SIM) == {IID: usdt("1250")}
    assert env.account.balance_locked(USDT) == usdt("5250")
    env.quote("50100.0", "50100.5")
    assert env.portfolio.unrealized_pnl(IID) == usdt("100")


def test_initialize_orders_releases_locks_of_orders_no_longer_open(env: Env) -> None:
    env.cash_account()
    order = env.working(limit_order(price="50000.0"))
    order.apply(canceled(order))  # closed in the cache without the event reaching us
    env.cache.update_order(order)
    assert env.account.balance_locked(USDT) == usdt("50000")
    env.portfolio.initialize_orders()
    assert env.account.balance_locked(USDT) == usdt("0")


def test_suspend_event_updates_when_events_replayed_then_skipped_until_initialize(
    env: Env,
) -> None:
    env.margin_account()
    env.portfolio.suspend_event_updates()
    env.working(limit_order(price="40000.0", quantity="2.000", client_order_id="O-2"))
    env.trade_at(OrderSide.BUY, "50000.0")
    skipped = (env.portfolio.margins_init(SIM), env.portfolio.margins_maint(SIM))
    assert env.portfolio.event_updates_suspended

    env.portfolio.initialize_orders()
    env.portfolio.initialize_positions()

    assert skipped == ({}, {})  # nothing handled while suspended
    assert not env.portfolio.event_updates_suspended
    assert env.portfolio.margins_init(SIM) == {IID: usdt("4000")}
    assert env.portfolio.margins_maint(SIM) == {IID: usdt("1250")}
    env.trade_at(OrderSide.SELL, "50000.0", coid="M-2")  # events handled again
    assert env.portfolio.margins_maint(SIM) == {IID: usdt("0")}


def test_suspend_event_updates_when_account_state_arrives_then_still_applied(env: Env) -> None:
    env.portfolio.suspend_event_updates()

    env.margin_account()

    assert env.cache.account(ACCOUNT_ID) is not None


# -- lifecycle ------------------------------------------------------------------------------


def test_dispose_unwires_the_portfolio(env: Env) -> None:
    env.portfolio.dispose()
    assert not env.bus.is_registered(topics.PORTFOLIO_UPDATE_ACCOUNT)
    env.bus.publish(topics.account_events(AccountId("SIM-001")), account_state())
    assert env.cache.account(ACCOUNT_ID) is None
