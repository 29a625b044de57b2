"""`Order.apply`: the effects of each event (section 4.2 "Apply rules")."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.core.errors import InvalidStateTransition
from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.enums import LiquiditySide, OrderSide, OrderStatus, OrderType
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderFilled,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingUpdate,
    OrderSubmitted,
    OrderTriggered,
    OrderUpdated,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    PositionId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from argonaut.model.orders import DuplicateFill, Order, OverfillError
from argonaut.model.values import USD, USDT, Money, Price, Quantity
from argonaut.testkit import ACCOUNT_ID as ACCOUNT
from argonaut.testkit import make_event, make_order, order_in_status, snapshot
from argonaut.testkit import make_fill as fill

S = OrderStatus


def _accepted(order_type: OrderType = OrderType.LIMIT) -> Order:
    return order_in_status(S.ACCEPTED, order_type)


# -- identity -------------------------------------------------------------------------


def test_apply_when_client_order_id_differs_then_value_error_and_unchanged() -> None:
    order = make_order()
    event = make_event(order, OrderSubmitted, client_order_id=ClientOrderId("O-2"))
    before = snapshot(order)
    with pytest.raises(ValueError, match="is for order O-2, not O-1"):
        order.apply(event)
    assert snapshot(order) == before


def test_apply_when_strategy_id_differs_then_value_error_and_unchanged() -> None:
    order = make_order()
    event = make_event(order, OrderSubmitted, strategy_id=StrategyId("OTHER-002"))
    before = snapshot(order)
    with pytest.raises(ValueError, match="strategy OTHER-002"):
        order.apply(event)
    assert snapshot(order) == before


# -- submitted / accepted ---------------------------------------------------------------


def test_apply_submitted_then_account_and_ts_submitted_set() -> None:
    order = make_order()
    order.apply(make_event(order, OrderSubmitted, ts=5))
    assert order.status is S.SUBMITTED
    assert order.previous_status is S.INITIALIZED
    assert order.account_id == ACCOUNT
    assert order.ts_submitted == 5
    assert order.ts_last == 5
    assert order.event_count == 2
    assert order.is_inflight


def test_apply_accepted_then_venue_order_id_history_account_and_ts_accepted_set() -> None:
    order = make_order()
    order.apply(make_event(order, OrderSubmitted, ts=5))
    order.apply(
        make_event(
            order,
            OrderAccepted,
            ts=6,
            venue_order_id=VenueOrderId("V-9"),
            account_id=AccountId("SIM-002"),
        )
    )
    assert order.status is S.ACCEPTED
    assert order.venue_order_id == VenueOrderId("V-9")
    assert order.venue_order_ids == [VenueOrderId("V-9")]
    assert order.account_id == AccountId("SIM-002")
    assert order.ts_accepted == 6
    assert order.is_open


def test_apply_accepted_when_already_accepted_then_invalid_transition() -> None:
    order = _accepted()
    with pytest.raises(InvalidStateTransition):
        order.apply(make_event(order, OrderAccepted))


# -- pending: previous status saved and restored -------------------------------------------


@pytest.mark.parametrize(
    ("start", "pending", "answer"),
    [
        (S.ACCEPTED, OrderPendingUpdate, OrderModifyRejected),
        (S.ACCEPTED, OrderPendingUpdate, OrderUpdated),
        (S.ACCEPTED, OrderPendingCancel, OrderCancelRejected),
        (S.TRIGGERED, OrderPendingUpdate, OrderModifyRejected),
        (S.TRIGGERED, OrderPendingCancel, OrderCancelRejected),
        (S.PARTIALLY_FILLED, OrderPendingUpdate, OrderUpdated),
        (S.PARTIALLY_FILLED, OrderPendingCancel, OrderCancelRejected),
        (S.SUBMITTED, OrderPendingUpdate, OrderModifyRejected),
    ],
)
def test_apply_answer_when_pending_then_status_before_pending_restored(
    start: OrderStatus, pending: type, answer: type
) -> None:
    order = order_in_status(start)
    order.apply(make_event(order, pending, ts=50))
    assert order.previous_status is start
    order.apply(make_event(order, answer, ts=51))
    assert order.status is start
    assert order.previous_status is start


def test_apply_pending_cancel_after_pending_update_then_pre_pending_status_kept() -> None:
    order = _accepted()
    order.apply(make_event(order, OrderPendingUpdate))
    order.apply(make_event(order, OrderPendingUpdate))
    order.apply(make_event(order, OrderPendingCancel))
    assert order.previous_status is S.ACCEPTED
    order.apply(make_event(order, OrderCancelRejected))
    assert order.status is S.ACCEPTED


def test_apply_updated_from_pending_update_then_new_values_and_status_restored() -> None:
    order = order_in_status(S.PARTIALLY_FILLED, OrderType.STOP_LIMIT)  # 4 of 10 filled
    order.apply(make_event(order, OrderPendingUpdate))
    order.apply(
        make_event(
            order,
            OrderUpdated,
            quantity=Quantity.from_str("12"),
            price=Price.from_str("99.5"),
            trigger_price=Price.from_str("100.5"),
        )
    )
    assert order.status is S.PARTIALLY_FILLED
    assert order.quantity == Quantity.from_str("12")
    assert order.leaves_qty == Quantity.from_str("8")
    assert order.price == Price.from_str("99.5")
    assert order.trigger_price == Price.from_str("100.5")


def test_apply_updated_with_new_venue_order_id_then_cancel_replace_recorded() -> None:
    order = _accepted()
    order.apply(make_event(order, OrderUpdated, venue_order_id=VenueOrderId("V-2")))
    assert order.venue_order_id == VenueOrderId("V-2")
    assert order.venue_order_ids == [VenueOrderId("V-1"), VenueOrderId("V-2")]


def test_apply_updated_when_price_on_market_order_then_refused_and_unchanged() -> None:
    order = order_in_status(S.ACCEPTED, OrderType.MARKET)
    before = snapshot(order)
    with pytest.raises(ValueError, match="has no price"):
        order.apply(make_event(order, OrderUpdated, price=Price.from_str("1.0")))
    assert snapshot(order) == before


def test_apply_updated_when_trigger_price_on_limit_order_then_refused() -> None:
    order = order_in_status(S.ACCEPTED, OrderType.LIMIT)
    with pytest.raises(ValueError, match="has no trigger price"):
        order.apply(make_event(order, OrderUpdated, trigger_price=Price.from_str("1.0")))


def test_apply_updated_when_quantity_zero_then_refused() -> None:
    order = order_in_status(S.ACCEPTED, OrderType.LIMIT)
    with pytest.raises(ValueError, match="expected a positive one"):
        order.apply(make_event(order, OrderUpdated, quantity=Quantity.from_str("0")))


def test_apply_updated_below_filled_then_leaves_zero_and_overfill_booked() -> None:
    order = order_in_status(S.PARTIALLY_FILLED, OrderType.LIMIT)  # 4 of 10
    order.apply(make_event(order, OrderUpdated, quantity=Quantity.from_str("3")))
    assert order.leaves_qty.raw == 0
    assert order.overfill_qty == Quantity.from_str("1")


# -- triggered --------------------------------------------------------------------------


def test_apply_triggered_on_stop_limit_then_triggered_with_timestamp() -> None:
    order = order_in_status(S.ACCEPTED, OrderType.STOP_LIMIT)
    order.apply(make_event(order, OrderTriggered, ts=77))
    assert order.status is S.TRIGGERED
    assert order.ts_triggered == 77


@pytest.mark.parametrize(
    "order_type",
    [OrderType.LIMIT, OrderType.MARKET, OrderType.STOP_MARKET, OrderType.MARKET_IF_TOUCHED],
)
def test_apply_triggered_on_non_triggerable_type_then_refused_and_unchanged(
    order_type: OrderType,
) -> None:
    order = order_in_status(S.ACCEPTED, order_type)
    before = snapshot(order)
    with pytest.raises(InvalidStateTransition, match="applies only to STOP_LIMIT"):
        order.apply(make_event(order, OrderTriggered))
    assert snapshot(order) == before


# -- fills --------------------------------------------------------------------------------


def test_apply_partial_then_full_fill_then_quantities_statuses_and_ts_closed() -> None:
    order = _accepted()
    order.apply(fill(order, "4", "100.0", ts=20))
    assert order.status is S.PARTIALLY_FILLED
    assert order.filled_qty == Quantity.from_str("4")
    assert order.leaves_qty == Quantity.from_str("6")
    assert order.ts_closed is None
    assert order.is_open
    order.apply(fill(order, "6", "101.0", ts=21))
    assert order.status is S.FILLED
    assert order.previous_status is S.PARTIALLY_FILLED
    assert order.filled_qty == Quantity.from_str("10")
    assert order.leaves_qty.raw == 0
    assert order.overfill_qty.raw == 0
    assert order.ts_closed == 21
    assert order.is_closed
    assert not order.is_open


def test_apply_fills_then_avg_px_is_the_exact_ratio_rounded_once() -> None:
    order = _accepted()
    legs = [("1", "100.1"), ("2", "100.2"), ("3", "100.3"), ("0.7", "99.99")]
    for qty, px in legs:
        order.apply(fill(order, qty, px))
    exact = sum(Fraction(q) * Fraction(p) for q, p in legs) / sum(Fraction(q) for q, _ in legs)
    assert order.avg_px == float(exact)


def test_avg_px_before_any_fill_is_none() -> None:
    assert make_order().avg_px is None


def test_apply_fills_with_commissions_in_two_currencies_then_summed_per_currency() -> None:
    order = _accepted()
    order.apply(fill(order, "1", "100", commission=Money.from_str("0.25 USD")))
    order.apply(fill(order, "1", "100", commission=Money.from_str("0.5 USDT"), currency=USDT))
    order.apply(fill(order, "1", "100", commission=Money.from_str("0.30 USD")))
    assert order.commissions == {
        "USD": Money.from_str("0.55 USD"),
        "USDT": Money.from_str("0.5 USDT"),
    }


def test_apply_fill_then_ids_liquidity_position_and_account_recorded() -> None:
    order = _accepted()
    event = fill(
        order,
        "1",
        "100",
        trade_id=TradeId("X-1"),
        position_id=PositionId("P-1"),
        liquidity_side=LiquiditySide.TAKER,
    )
    order.apply(event)
    assert order.trade_ids == [TradeId("X-1")]
    assert order.last_trade_id == TradeId("X-1")
    assert order.position_id == PositionId("P-1")
    assert order.liquidity_side is LiquiditySide.TAKER
    assert order.account_id == ACCOUNT
    assert order.last_event is event


def test_apply_fill_before_accepted_then_venue_order_id_and_ts_accepted_set() -> None:
    order = order_in_status(S.SUBMITTED)
    order.apply(fill(order, "10", "100", ts=30, venue_order_id=VenueOrderId("V-7")))
    assert order.status is S.FILLED
    assert order.ts_accepted == 30
    assert order.venue_order_id == VenueOrderId("V-7")
    assert order.venue_order_ids == [VenueOrderId("V-7")]


def test_apply_fill_when_trade_id_repeated_then_duplicate_fill_and_unchanged() -> None:
    order = _accepted()
    order.apply(fill(order, "1", "100", trade_id=TradeId("X-1")))
    before = snapshot(order)
    with pytest.raises(DuplicateFill, match="trade id X-1 was already applied"):
        order.apply(fill(order, "2", "101", trade_id=TradeId("X-1")))
    assert snapshot(order) == before
    assert issubclass(DuplicateFill, ValueError)


def test_apply_fill_when_side_differs_then_refused() -> None:
    order = _accepted()
    with pytest.raises(ValueError, match="is a SELL fill"):
        order.apply(fill(order, "1", "100", order_side=OrderSide.SELL))


def test_apply_fill_when_overfill_not_allowed_then_overfill_error_and_unchanged() -> None:
    order = _accepted()
    order.apply(fill(order, "8", "100"))
    before = snapshot(order)
    with pytest.raises(OverfillError, match="above its quantity 10"):
        order.apply(fill(order, "3", "100"))
    assert snapshot(order) == before


def test_apply_fill_when_overfill_allowed_then_excess_in_overfill_qty() -> None:
    order = _accepted()
    order.apply(fill(order, "8", "100"))
    order.apply(fill(order, "3", "100"), allow_overfill=True)
    assert order.status is S.FILLED
    assert order.filled_qty == Quantity.from_str("11")
    assert order.leaves_qty.raw == 0
    assert order.overfill_qty == Quantity.from_str("1")


def test_apply_late_fill_on_canceled_order_then_filled() -> None:
    order = order_in_status(S.CANCELED)
    assert order.ts_closed is not None
    order.apply(fill(order, "10", "100", ts=90))
    assert order.status is S.FILLED
    assert order.previous_status is S.CANCELED
    assert order.ts_closed == 90


def test_apply_late_partial_fill_on_canceled_order_then_partially_filled_and_reopened() -> None:
    order = order_in_status(S.CANCELED)
    order.apply(fill(order, "3", "100", ts=90))
    assert order.status is S.PARTIALLY_FILLED
    assert order.ts_closed is None


def test_apply_canceled_then_ts_closed_set() -> None:
    order = _accepted()
    order.apply(make_event(order, OrderCanceled, ts=44))
    assert order.ts_closed == 44
    assert order.is_canceled


# -- property -----------------------------------------------------------------------------


@given(
    quantity_lots=st.integers(min_value=1, max_value=10**6),
    fills=st.lists(
        st.tuples(st.integers(min_value=1, max_value=10**6), st.integers(1, 10**8)),
        min_size=1,
        max_size=30,
    ),
)
def test_apply_random_valid_fills_then_filled_plus_leaves_is_quantity_and_avg_in_range(
    quantity_lots: int, fills: list[tuple[int, int]]
) -> None:
    order = make_order(OrderType.LIMIT, quantity=Quantity(quantity_lots * 10**6, 3))
    order.apply(make_event(order, OrderSubmitted))
    order.apply(make_event(order, OrderAccepted))
    quantity_raw = order.quantity.raw
    prices: list[int] = []
    for lots, price_cents in fills:
        qty_raw = min(lots * 10**6, order.leaves_qty.raw)
        if qty_raw == 0:
            break
        px = Price(price_cents * 10**7, 2)
        prices.append(px.raw)
        order.apply(make_event(order, OrderFilled, last_qty=Quantity(qty_raw, 3), last_px=px))
        assert order.filled_qty.raw + order.leaves_qty.raw == quantity_raw
        avg = order.avg_px
        assert avg is not None
        assert min(prices) / FIXED_SCALAR <= avg <= max(prices) / FIXED_SCALAR
        expected = OrderStatus.FILLED if order.leaves_qty.raw == 0 else S.PARTIALLY_FILLED
        assert order.status is expected
    assert order.overfill_qty.raw == 0
    assert len(order.trade_ids) == len(prices)
    assert order.commissions["USD"] == Money(len(prices) * Money.from_str("0.10 USD").raw, USD)


def test_new_order_then_fill_containers_empty_and_stable_lists() -> None:
    order = make_order(OrderType.LIMIT)

    assert order.trade_ids == []
    assert order.commissions == {}
    assert order.venue_order_ids == []
    assert order.trade_ids is order.trade_ids
    assert order.venue_order_ids is order.venue_order_ids


def test_venue_order_ids_when_replaced_twice_then_full_history() -> None:
    order = order_in_status(S.ACCEPTED, OrderType.LIMIT)
    first = order.venue_order_id
    assert order.venue_order_ids == [first]

    order.apply(fill(order, "1", "100.0", 20, venue_order_id=VenueOrderId("V-NEW")))
    order.apply(fill(order, "1", "100.0", 21, venue_order_id=VenueOrderId("V-NEWER")))

    assert order.venue_order_ids == [first, VenueOrderId("V-NEW"), VenueOrderId("V-NEWER")]
    assert order.trade_ids == [order.events[-2].trade_id, order.events[-1].trade_id]
