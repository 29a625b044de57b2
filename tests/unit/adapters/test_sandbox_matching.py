"""Matching semantics of the sandbox venue (hand-computed on BTCUSDT-PERP.SIM:
tick 0.1, step 0.001, maker 2 bp, taker 4 bp)."""

from __future__ import annotations

from decimal import Decimal

from sandbox_env import INST, T0, book, kinds, make_venue, of_type, quote, submit, trade

from argonaut.adapters.sandbox import (
    VenueModifyRejected,
    VenueOrderCanceled,
    VenueOrderFilled,
    VenueOrderRejected,
    VenueOrderTriggered,
    VenueOrderUpdated,
)
from argonaut.model.enums import LiquiditySide, OrderSide, OrderStatus, TimeInForce
from argonaut.model.values import Money, Price, Quantity
from argonaut.testkit.commands import cancel_order, modify_order
from argonaut.testkit.orders import (
    limit_if_touched_order,
    limit_order,
    market_if_touched_order,
    market_order,
    market_to_limit_order,
    stop_limit_order,
    stop_market_order,
    trailing_stop_limit_order,
    trailing_stop_market_order,
)

BOOK = book(
    bids=[("99.5", "1.000"), ("99.0", "2.000")],
    asks=[("100.0", "1.000"), ("100.5", "1.000"), ("101.0", "5.000")],
)


def _fills(messages: list[object]) -> list[tuple[str, str, LiquiditySide]]:
    return [
        (str(m.last_px), str(m.last_qty), m.liquidity_side)
        for m in messages
        if isinstance(m, VenueOrderFilled)
    ]


def test_market_order_sweeps_levels_at_vwap_with_taker_fees():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, market_order(INST, quantity="2.000"))
    assert kinds(out)[:3] == ["VenueOrderAccepted", "VenueOrderFilled", "VenueOrderFilled"]
    assert _fills(out) == [
        ("100.0", "1.000", LiquiditySide.TAKER),
        ("100.5", "1.000", LiquiditySide.TAKER),
    ]
    fills = of_type(out, VenueOrderFilled)
    assert [f.commission for f in fills] == [
        Money.from_str("0.04 USDT"),
        Money.from_str("0.0402 USDT"),
    ]
    report = venue.order_status_reports(ts_init=T0)[0]
    assert report.order_status is OrderStatus.FILLED
    assert report.avg_px == Decimal("100.25")


def test_market_order_when_book_thin_then_rest_canceled_ioc():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, market_order(INST, quantity="8.000"))
    assert _fills(out) == [
        ("100.0", "1.000", LiquiditySide.TAKER),
        ("100.5", "1.000", LiquiditySide.TAKER),
        ("101.0", "5.000", LiquiditySide.TAKER),
    ]
    canceled = of_type(out, VenueOrderCanceled)
    assert len(canceled) == 1
    assert "IOC" in (canceled[0].reason or "")
    assert venue.orders[canceled[0].client_order_id].filled_qty == Quantity.from_str("7.000")


def test_market_order_takes_liquidity_from_book_copy_until_next_update():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, market_order(INST, quantity="1.000"))
    out = submit(venue, market_order(INST, quantity="1.000", client_order_id="O-2"))
    assert _fills(out) == [("100.5", "1.000", LiquiditySide.TAKER)]


def test_marketable_limit_fills_at_once_partially_and_rests():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, limit_order(INST, quantity="3.000", price="100.5"))
    assert _fills(out) == [
        ("100.0", "1.000", LiquiditySide.TAKER),
        ("100.5", "1.000", LiquiditySide.TAKER),
    ]
    [order] = venue.open_orders()
    assert order.status is OrderStatus.PARTIALLY_FILLED
    assert order.leaves_raw == Quantity.from_str("1.000").raw


def test_resting_limit_fills_as_maker_when_quotes_cross_it():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, limit_order(INST, quantity="2.000", price="99.8"))
    out = venue.process(quote("99.0", "99.7", ask_size="1.500", ts=T0 + 1))
    assert _fills(out) == [("99.8", "1.500", LiquiditySide.MAKER)]
    fill = of_type(out, VenueOrderFilled)[0]
    # maker 2 bp of 1.5 * 99.8 = 149.7 -> 0.02994
    assert fill.commission == Money.from_str("0.02994 USDT")


def test_resting_limit_fills_as_maker_when_trade_prints_through_it():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, limit_order(INST, side=OrderSide.SELL, quantity="2.000", price="100.8"))
    assert venue.process(trade("100.7", "5.000", ts=T0 + 1)) == []
    out = venue.process(trade("100.9", "0.500", ts=T0 + 2))
    assert _fills(out) == [("100.8", "0.500", LiquiditySide.MAKER)]


def test_ioc_limit_cancels_the_rest():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(
        venue, limit_order(INST, quantity="3.000", price="100.0", time_in_force=TimeInForce.IOC)
    )
    assert _fills(out) == [("100.0", "1.000", LiquiditySide.TAKER)]
    assert len(of_type(out, VenueOrderCanceled)) == 1
    assert venue.open_orders() == []


def test_fok_fills_all_or_nothing():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(
        venue, limit_order(INST, quantity="3.000", price="100.5", time_in_force=TimeInForce.FOK)
    )
    assert _fills(out) == []
    assert "FOK" in (of_type(out, VenueOrderCanceled)[0].reason or "")
    out = submit(
        venue,
        limit_order(
            INST,
            quantity="2.000",
            price="100.5",
            time_in_force=TimeInForce.FOK,
            client_order_id="O-2",
        ),
    )
    assert [q for _, q, _ in _fills(out)] == ["1.000", "1.000"]


def test_post_only_rejected_when_it_would_take():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, limit_order(INST, price="100.0", post_only=True))
    [rejected] = of_type(out, VenueOrderRejected)
    assert rejected.due_post_only
    assert rejected.venue_order_id is None
    out = submit(venue, limit_order(INST, price="99.9", post_only=True, client_order_id="O-2"))
    assert kinds(out)[0] == "VenueOrderAccepted"


def test_modify_price_and_quantity_then_crossing_modify_fills():
    venue = make_venue()
    venue.process(BOOK)
    order = limit_order(INST, quantity="1.000", price="99.0")
    submit(venue, order)
    out = venue.execute(modify_order(order, quantity="2.000", price="99.2"), T0 + 1)
    [updated] = of_type(out, VenueOrderUpdated)
    assert updated.quantity == Quantity.from_str("2.000")
    assert updated.price == Price.from_str("99.2")
    out = venue.execute(modify_order(order, price="100.0"), T0 + 2)
    assert kinds(out)[:2] == ["VenueOrderUpdated", "VenueOrderFilled"]
    assert _fills(out) == [("100.0", "1.000", LiquiditySide.TAKER)]


def test_modify_post_only_to_crossing_price_is_refused():
    venue = make_venue()
    venue.process(BOOK)
    order = limit_order(INST, price="99.0", post_only=True)
    submit(venue, order)
    out = venue.execute(modify_order(order, price="100.0"), T0 + 1)
    assert kinds(out) == ["VenueModifyRejected"]
    assert venue.open_orders()[0].price == Price.from_str("99.0")


def test_cancel_then_cancel_again_is_rejected():
    venue = make_venue()
    venue.process(BOOK)
    order = limit_order(INST, price="99.0")
    submit(venue, order)
    out = venue.execute(cancel_order(order), T0 + 1)
    assert kinds(out) == ["VenueOrderCanceled", "VenueAccountUpdate"]
    out = venue.execute(cancel_order(order), T0 + 2)
    assert kinds(out) == ["VenueCancelRejected"]
    out = venue.execute(modify_order(order, price="98.0"), T0 + 3)
    assert isinstance(out[0], VenueModifyRejected)


def test_stop_market_triggers_when_last_trade_reaches_it():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, stop_market_order(INST, trigger_price="100.5"))
    assert kinds(out) == ["VenueOrderAccepted", "VenueAccountUpdate"]
    assert _fills(venue.process(trade("100.4", ts=T0 + 1))) == []
    out = venue.process(trade("100.5", ts=T0 + 2))
    assert _fills(out) == [("100.0", "1.000", LiquiditySide.TAKER)]
    assert of_type(out, VenueOrderTriggered) == []  # market kinds have no TRIGGERED state


def test_stop_already_reached_at_submission_is_rejected():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, stop_market_order(INST, trigger_price="100.0"))
    assert "already reached" in of_type(out, VenueOrderRejected)[0].reason


def test_stop_limit_triggers_then_rests_as_limit():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, stop_limit_order(INST, trigger_price="100.2", price="100.3", quantity="1.000"))
    out = venue.process(quote("99.5", "100.4", ts=T0 + 1))
    assert kinds(out)[0] == "VenueOrderTriggered"
    assert _fills(out) == []
    [order] = venue.open_orders()
    assert order.status is OrderStatus.TRIGGERED
    out = venue.process(quote("99.5", "100.3", ts=T0 + 2))
    assert _fills(out) == [("100.3", "1.000", LiquiditySide.MAKER)]


def test_market_if_touched_buy_triggers_when_ask_falls_to_it():
    venue = make_venue()
    venue.process(BOOK)
    submit(venue, market_if_touched_order(INST, trigger_price="99.8"))
    assert _fills(venue.process(quote("99.5", "99.9", ts=T0 + 1))) == []
    out = venue.process(quote("99.5", "99.8", ask_size="3.000", ts=T0 + 2))
    assert _fills(out) == [("99.8", "1.000", LiquiditySide.TAKER)]


def test_limit_if_touched_sell_triggers_and_fills_when_marketable():
    venue = make_venue()
    venue.process(BOOK)
    submit(
        venue,
        limit_if_touched_order(INST, side=OrderSide.SELL, trigger_price="100.0", price="99.9"),
    )
    out = venue.process(quote("100.0", "100.2", ts=T0 + 1))
    assert kinds(out)[:2] == ["VenueOrderTriggered", "VenueOrderFilled"]
    assert _fills(out) == [("100.0", "1.000", LiquiditySide.TAKER)]


def test_market_to_limit_takes_best_level_then_rests_at_that_price():
    venue = make_venue()
    venue.process(BOOK)
    out = submit(venue, market_to_limit_order(INST, quantity="2.000"))
    assert _fills(out) == [("100.0", "1.000", LiquiditySide.TAKER)]
    [order] = venue.open_orders()
    assert order.price == Price.from_str("100.0")


def test_trailing_stop_market_follows_then_triggers():
    venue = make_venue()
    venue.process(quote("100.0", "100.1"))
    submit(venue, trailing_stop_market_order(INST, side=OrderSide.SELL, trailing_offset="1.0"))
    assert venue.open_orders()[0].trigger_price == Price.from_str("99.0")
    out = venue.process(quote("102.0", "102.1", ts=T0 + 1))
    assert of_type(out, VenueOrderUpdated)[0].trigger_price == Price.from_str("101.0")
    out = venue.process(quote("101.5", "101.6", ts=T0 + 2))
    assert out == []  # a falling market never loosens the trigger
    out = venue.process(quote("101.0", "101.1", bid_size="3.000", ts=T0 + 3))
    assert _fills(out) == [("101.0", "1.000", LiquiditySide.TAKER)]


def test_trailing_stop_limit_moves_its_limit_with_the_trigger():
    venue = make_venue()
    venue.process(quote("100.0", "100.1"))
    submit(
        venue,
        trailing_stop_limit_order(
            INST, side=OrderSide.SELL, trailing_offset="1.0", limit_offset="0.5"
        ),
    )
    venue.process(quote("102.0", "102.1", ts=T0 + 1))
    [order] = venue.open_orders()
    assert (order.trigger_price, order.price) == (Price.from_str("101.0"), Price.from_str("100.5"))
    out = venue.process(quote("100.9", "101.0", ts=T0 + 2))
    assert kinds(out)[:2] == ["VenueOrderTriggered", "VenueOrderFilled"]
    assert _fills(out) == [("100.9", "1.000", LiquiditySide.TAKER)]
