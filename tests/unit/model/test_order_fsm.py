"""The order state machine: the full transition table, enumerated pair by pair."""

from __future__ import annotations

import pytest

from argonaut.core.errors import InvalidStateTransition
from argonaut.model.enums import OrderStatus, OrderType
from argonaut.model.events.order import ORDER_EVENT_TYPES, OrderEvent, OrderFilled
from argonaut.model.orders import (
    ACTIVE_LOCAL,
    BY_FILLED_QTY,
    CANCELLABLE_STATUSES,
    CLOSED,
    IN_FLIGHT,
    OPEN,
    RESTORE_PREVIOUS,
    TRANSITIONS,
    TRIGGERABLE_ORDER_TYPES,
    allowed_events,
    next_status,
)
from argonaut.model.orders.base import Order
from argonaut.testkit import make_event, order_in_status, snapshot
from argonaut.testkit import make_fill as fill

# Section 4.2 of the reference, transcribed independently of the implementation.
# "FILL" = PARTIALLY_FILLED or FILLED by cumulative quantity; "PREVIOUS" = pre-pending status.
_SPEC_TEXT = {
    "INITIALIZED": "Denied:DENIED Emulated:EMULATED Released:RELEASED Submitted:SUBMITTED "
    "Rejected:REJECTED Accepted:ACCEPTED Canceled:CANCELED Expired:EXPIRED "
    "Triggered:TRIGGERED Updated:INITIALIZED",
    "EMULATED": "Canceled:CANCELED Expired:EXPIRED Updated:EMULATED Released:RELEASED",
    "RELEASED": "Submitted:SUBMITTED Denied:DENIED Canceled:CANCELED Updated:RELEASED",
    "SUBMITTED": "PendingUpdate:PENDING_UPDATE PendingCancel:PENDING_CANCEL Rejected:REJECTED "
    "Canceled:CANCELED Accepted:ACCEPTED Updated:SUBMITTED Filled:FILL",
    "ACCEPTED": "Rejected:REJECTED PendingUpdate:PENDING_UPDATE PendingCancel:PENDING_CANCEL "
    "Canceled:CANCELED Triggered:TRIGGERED Updated:ACCEPTED Expired:EXPIRED Filled:FILL",
    "TRIGGERED": "Rejected:REJECTED PendingUpdate:PENDING_UPDATE PendingCancel:PENDING_CANCEL "
    "Canceled:CANCELED Expired:EXPIRED Filled:FILL Updated:TRIGGERED",
    "PENDING_UPDATE": "Rejected:REJECTED Accepted:ACCEPTED Canceled:CANCELED Expired:EXPIRED "
    "Triggered:TRIGGERED PendingUpdate:PENDING_UPDATE PendingCancel:PENDING_CANCEL "
    "ModifyRejected:PREVIOUS Updated:PREVIOUS Filled:FILL",
    "PENDING_CANCEL": "Rejected:REJECTED PendingCancel:PENDING_CANCEL CancelRejected:PREVIOUS "
    "Canceled:CANCELED Expired:EXPIRED Accepted:ACCEPTED Filled:FILL",
    "PARTIALLY_FILLED": "PendingUpdate:PENDING_UPDATE PendingCancel:PENDING_CANCEL "
    "Canceled:CANCELED Expired:EXPIRED Filled:FILL Accepted:ACCEPTED "
    "Updated:PARTIALLY_FILLED",
    "CANCELED": "Filled:FILL",
    "DENIED": "",
    "REJECTED": "",
    "EXPIRED": "",
    "FILLED": "",
}
_KINDS = {kind.__name__.removeprefix("Order"): kind for kind in ORDER_EVENT_TYPES}
SPEC: dict[tuple[OrderStatus, type[OrderEvent]], str] = {
    (OrderStatus[status], _KINDS[name]): target
    for status, row in _SPEC_TEXT.items()
    for name, target in (item.split(":") for item in row.split())
}
ALL_PAIRS = [(status, kind) for status in OrderStatus for kind in ORDER_EVENT_TYPES]
VALID_PAIRS = [pair for pair in ALL_PAIRS if pair in SPEC]
INVALID_PAIRS = [pair for pair in ALL_PAIRS if pair not in SPEC]


def _pair_id(pair: tuple[OrderStatus, type[OrderEvent]]) -> str:
    return f"{pair[0].value}-{pair[1].__name__}"


def _event_for(order_status: OrderStatus, kind: type[OrderEvent]) -> tuple[Order, OrderEvent]:
    order = order_in_status(order_status)
    if kind is OrderFilled:
        return order, fill(order, "1", "100.0", ts=99)
    return order, make_event(order, kind, ts=99)


def test_table_when_compared_with_reference_then_identical() -> None:
    expected = {
        pair: (
            BY_FILLED_QTY
            if target == "FILL"
            else RESTORE_PREVIOUS
            if target == "PREVIOUS"
            else OrderStatus[target]
        )
        for pair, target in SPEC.items()
    }
    assert expected == TRANSITIONS


def test_table_when_counted_then_65_rows_and_terminal_statuses_have_none() -> None:
    assert len(ALL_PAIRS) == 14 * 16
    assert len(TRANSITIONS) == len(VALID_PAIRS) == 65
    for status in (
        OrderStatus.DENIED,
        OrderStatus.REJECTED,
        OrderStatus.EXPIRED,
        OrderStatus.FILLED,
    ):
        assert allowed_events(status) == ()


@pytest.mark.parametrize("pair", VALID_PAIRS, ids=_pair_id)
def test_apply_when_pair_in_table_then_expected_status(
    pair: tuple[OrderStatus, type[OrderEvent]],
) -> None:
    status, kind = pair
    order, event = _event_for(status, kind)
    order.apply(event)
    target = SPEC[pair]
    if target == "FILL":
        expected = OrderStatus.PARTIALLY_FILLED  # a 1-lot fill never completes 10
    elif target == "PREVIOUS":
        expected = OrderStatus.ACCEPTED  # every pending path went through ACCEPTED
    else:
        expected = OrderStatus[target]
    assert order.status is expected
    assert order.events[-1] is event
    assert order.ts_last == 99


@pytest.mark.parametrize(
    "status", [status for status, kind in VALID_PAIRS if kind is OrderFilled], ids=str
)
def test_apply_fill_when_it_completes_the_quantity_then_filled(status: OrderStatus) -> None:
    order = order_in_status(status)
    order.apply(fill(order, str(order.leaves_qty), "100.0", ts=99))
    assert order.status is OrderStatus.FILLED
    assert order.leaves_qty.raw == 0
    assert order.ts_closed == 99


@pytest.mark.parametrize("pair", INVALID_PAIRS, ids=_pair_id)
def test_apply_when_pair_not_in_table_then_invalid_transition_and_order_unchanged(
    pair: tuple[OrderStatus, type[OrderEvent]],
) -> None:
    status, kind = pair
    order, event = _event_for(status, kind)
    before = snapshot(order)
    with pytest.raises(InvalidStateTransition) as info:
        order.apply(event)
    message = str(info.value)
    assert "O-1" in message
    assert status.value in message
    assert kind.__name__ in message
    assert info.value.state is status
    assert info.value.trigger is kind
    assert snapshot(order) == before


@pytest.mark.parametrize("pair", INVALID_PAIRS, ids=_pair_id)
def test_next_status_when_pair_not_in_table_then_raises(
    pair: tuple[OrderStatus, type[OrderEvent]],
) -> None:
    with pytest.raises(InvalidStateTransition):
        next_status(*pair)


def test_status_categories_match_reference() -> None:
    s = OrderStatus
    assert {s.INITIALIZED, s.EMULATED, s.RELEASED} == ACTIVE_LOCAL
    assert {s.SUBMITTED, s.PENDING_UPDATE, s.PENDING_CANCEL} == IN_FLIGHT
    assert {
        s.ACCEPTED,
        s.TRIGGERED,
        s.PENDING_UPDATE,
        s.PENDING_CANCEL,
        s.PARTIALLY_FILLED,
    } == OPEN
    assert {s.DENIED, s.REJECTED, s.CANCELED, s.EXPIRED, s.FILLED} == CLOSED
    assert {s.ACCEPTED, s.TRIGGERED, s.PENDING_UPDATE, s.PARTIALLY_FILLED} == CANCELLABLE_STATUSES
    assert {
        OrderType.STOP_LIMIT,
        OrderType.TRAILING_STOP_LIMIT,
        OrderType.LIMIT_IF_TOUCHED,
    } == TRIGGERABLE_ORDER_TYPES
    assert not (OPEN & CLOSED)
    assert not (ACTIVE_LOCAL & (OPEN | CLOSED | IN_FLIGHT))
    assert OrderStatus.EMULATED not in OPEN | IN_FLIGHT
