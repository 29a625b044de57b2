"""The testkit stubs build valid, deterministic objects that work with the real model."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from argonaut.model.accounts import Account, MarginAccount
from argonaut.model.enums import (
    InstrumentClass,
    OrderSide,
    OrderStatus,
    OrderType,
    PositionSide,
)
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.values import BTC, USDT, Money, Price, Quantity
from argonaut.testkit import (
    ACCOUNT_ID,
    BTCUSDT_PERP,
    TS,
    aapl_equity,
    accepted,
    audusd,
    btc_option,
    btcusd_inverse_perp,
    btcusdt_future,
    btcusdt_perp,
    canceled,
    depth10,
    es_future,
    ethusdt_perp,
    filled,
    limit_if_touched_order,
    limit_order,
    margin_account_state,
    market_if_touched_order,
    market_order,
    market_to_limit_order,
    mass_status,
    order_status_report,
    pending_cancel,
    position_closed,
    position_opened,
    quote,
    reset_ids,
    stop_limit_order,
    stop_market_order,
    submit_order,
    submitted,
    trailing_stop_limit_order,
    trailing_stop_market_order,
    triggered,
)


def test_btcusdt_perp_when_built_then_matches_the_w1_instrument() -> None:
    inst = btcusdt_perp()
    assert str(inst.id) == "BTCUSDT-PERP.SIM"
    assert inst.instrument_class is InstrumentClass.SWAP
    assert not inst.is_inverse
    assert (inst.base_currency, inst.quote_currency, inst.settlement_currency) == (BTC, USDT, USDT)
    assert (inst.price_precision, inst.price_increment) == (1, Price.from_str("0.1"))
    assert (inst.size_precision, inst.size_increment) == (3, Quantity.from_str("0.001"))
    assert inst.min_quantity == Quantity.from_str("0.001")
    assert inst.max_quantity == Quantity.from_str("1000")
    assert inst.min_price == Price.from_str("0.1")
    assert inst.max_price == Price.from_str("1000000")
    assert inst.min_notional is None
    assert inst.max_notional is None
    assert (inst.margin_init, inst.margin_maint) == (Decimal("0.05"), Decimal("0.025"))
    assert (inst.maker_fee, inst.taker_fee) == (Decimal("0.0002"), Decimal("0.0004"))


def test_btcusdt_perp_when_overridden_then_field_changes_and_instrument_still_validated() -> None:
    assert btcusdt_perp(taker_fee=Decimal("0.0005")).taker_fee == Decimal("0.0005")
    with pytest.raises(ValueError, match="price_increment"):
        btcusdt_perp(price_increment=Price.from_str("0.01"))


@pytest.mark.parametrize(
    "factory",
    [
        btcusdt_perp,
        ethusdt_perp,
        btcusd_inverse_perp,
        btcusdt_future,
        audusd,
        aapl_equity,
        es_future,
        btc_option,
    ],
)
def test_instrument_stubs_when_built_then_valid_and_alive_at_ts(
    factory: Callable[[], Instrument],
) -> None:
    inst = factory()
    assert inst.instrument_class is inst.EXPECTED_CLASS
    expiration = getattr(inst, "expiration_ns", None)
    assert expiration is None or expiration > TS


def test_quote_when_defaults_then_one_tick_spread_on_the_instrument_grid() -> None:
    q = quote()
    assert q.instrument_id == BTCUSDT_PERP.id
    assert q.ask_price - q.bid_price == BTCUSDT_PERP.price_increment
    assert q.bid_price.precision == 1
    assert q.bid_size.precision == 3
    assert q.ts_event == q.ts_init == TS


def test_quote_when_price_off_precision_then_refused() -> None:
    with pytest.raises(ValueError, match=r"50000\.05"):
        quote(bid="50000.05")


def test_depth10_when_built_then_ten_levels_a_tick_apart() -> None:
    depth = depth10()
    assert len(depth.bids) == len(depth.asks) == 10
    assert depth.bids[0].price - depth.bids[9].price == BTCUSDT_PERP.price_increment * 9


@pytest.mark.parametrize(
    ("factory", "order_type"),
    [
        (market_order, OrderType.MARKET),
        (limit_order, OrderType.LIMIT),
        (stop_market_order, OrderType.STOP_MARKET),
        (stop_limit_order, OrderType.STOP_LIMIT),
        (market_to_limit_order, OrderType.MARKET_TO_LIMIT),
        (market_if_touched_order, OrderType.MARKET_IF_TOUCHED),
        (limit_if_touched_order, OrderType.LIMIT_IF_TOUCHED),
        (trailing_stop_market_order, OrderType.TRAILING_STOP_MARKET),
        (trailing_stop_limit_order, OrderType.TRAILING_STOP_LIMIT),
    ],
)
def test_order_stubs_when_built_then_initialized_orders_on_the_w1_grid(
    factory: Callable[[], Order], order_type: OrderType
) -> None:
    order = factory()
    assert order.order_type is order_type
    assert order.status is OrderStatus.INITIALIZED
    BTCUSDT_PERP.check_quantity(order.quantity)
    for px in (order.price, order.trigger_price):
        if px is not None:
            BTCUSDT_PERP.check_price(px)


def test_limit_order_when_walked_through_submitted_accepted_filled_then_filled() -> None:
    order = limit_order(quantity="1.000", price="50000.0")

    order.apply(submitted(order))
    order.apply(accepted(order, venue_order_id="V-42"))
    order.apply(filled(order, last_qty="0.400"))
    partial = order.status
    order.apply(filled(order))

    assert partial is OrderStatus.PARTIALLY_FILLED

    assert order.status is OrderStatus.FILLED
    assert order.filled_qty == Quantity.from_str("1.000")
    assert str(order.venue_order_id) == "V-42"
    assert order.account_id == ACCOUNT_ID
    assert len(order.trade_ids) == 2


def test_filled_when_w1_order_then_commission_is_the_taker_fee_on_the_notional() -> None:
    order = limit_order(quantity="1.000", price="50000.0")
    fill = filled(order)
    # 1 BTC x 50,000 USDT x 4 bp = 20 USDT
    assert fill.commission == Money.from_str("20 USDT")
    assert fill.currency == USDT


def test_event_stubs_when_pending_cancel_then_canceled_then_order_canceled() -> None:
    order = stop_limit_order()
    for event in (submitted(order), accepted(order), triggered(order), pending_cancel(order)):
        order.apply(event)
    order.apply(canceled(order))
    assert order.status is OrderStatus.CANCELED


def test_position_stubs_when_opened_and_closed_then_pnl_follows_the_prices() -> None:
    opened = position_opened()
    closed = position_closed(close_price="50100.0")
    assert opened.side is PositionSide.LONG
    assert opened.quantity == Quantity.from_str("1.000")
    assert closed.side is PositionSide.FLAT
    # +100 USDT on 1 BTC, less 20 USDT + 20.04 USDT taker commissions.
    assert closed.realized_pnl == Money.from_str("59.96 USDT")


def test_margin_account_state_when_applied_then_builds_a_margin_account() -> None:
    account = Account.from_state(margin_account_state())
    assert isinstance(account, MarginAccount)
    assert account.balance_total(USDT) == Money.from_str("1000000 USDT")
    assert account.balance_locked(USDT) == Money.from_str("2500 USDT")


def test_reports_when_built_from_an_order_then_describe_it() -> None:
    order = limit_order(side=OrderSide.SELL)
    report = order_status_report(order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.4")
    status = mass_status([report])
    assert report.client_order_id == order.client_order_id
    assert report.order_side is OrderSide.SELL
    assert report.leaves_qty == Quantity.from_str("0.600")
    assert list(status.order_reports.values()) == [report]


def test_submit_order_when_built_then_carries_the_order_init_event() -> None:
    order = market_order()
    command = submit_order(order)
    assert command.order_init is order.init_event
    assert command.venue == BTCUSDT_PERP.venue


def test_reset_ids_when_called_then_the_same_ids_repeat() -> None:
    reset_ids()
    first = [limit_order().init_id, filled(limit_order()).trade_id]
    reset_ids()
    second = [limit_order().init_id, filled(limit_order()).trade_id]
    assert first == second
