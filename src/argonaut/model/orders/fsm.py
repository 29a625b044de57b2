"""The order state machine as data: ``{(status, event type): next status}``.

The trigger of a transition is the order event's class. Two rows cannot name their
target status up front, so they hold a `DeferredStatus` sentinel that the order resolves
when it applies the event:

- `BY_FILLED_QTY`: a fill yields PARTIALLY_FILLED while the cumulative filled quantity is
  below the order quantity, else FILLED.
- `RESTORE_PREVIOUS`: the status the order had before it went PENDING_UPDATE or
  PENDING_CANCEL (`Order.previous_status`).

Any (status, event type) pair missing from `TRANSITIONS` is an invalid transition and
raises `InvalidStateTransition`.
"""

from __future__ import annotations

from enum import Enum, unique
from typing import Final

from argonaut.core.errors import InvalidStateTransition
from argonaut.model.enums import OrderStatus, OrderType
from argonaut.model.events.order import (
    ORDER_EVENT_TYPES,
    OrderAccepted,
    OrderCanceled,
    OrderCancelRejected,
    OrderDenied,
    OrderEmulated,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingUpdate,
    OrderRejected,
    OrderReleased,
    OrderSubmitted,
    OrderTriggered,
    OrderUpdated,
)


@unique
class DeferredStatus(Enum):
    """A transition target resolved by the order when the event is applied."""

    BY_FILLED_QTY = "BY_FILLED_QTY"
    RESTORE_PREVIOUS = "RESTORE_PREVIOUS"


BY_FILLED_QTY: Final = DeferredStatus.BY_FILLED_QTY
RESTORE_PREVIOUS: Final = DeferredStatus.RESTORE_PREVIOUS

EventKind = type[OrderEvent]
Target = OrderStatus | DeferredStatus

_S = OrderStatus

TRANSITIONS: Final[dict[tuple[OrderStatus, EventKind], Target]] = {
    # INITIALIZED: the usual local path, plus venue outcomes for external orders that
    # reconciliation creates from a venue report (marked "external").
    (_S.INITIALIZED, OrderDenied): _S.DENIED,
    (_S.INITIALIZED, OrderEmulated): _S.EMULATED,
    (_S.INITIALIZED, OrderReleased): _S.RELEASED,
    (_S.INITIALIZED, OrderSubmitted): _S.SUBMITTED,
    (_S.INITIALIZED, OrderRejected): _S.REJECTED,  # external
    (_S.INITIALIZED, OrderAccepted): _S.ACCEPTED,  # external
    (_S.INITIALIZED, OrderCanceled): _S.CANCELED,  # external
    (_S.INITIALIZED, OrderExpired): _S.EXPIRED,  # external
    (_S.INITIALIZED, OrderTriggered): _S.TRIGGERED,  # external
    (_S.INITIALIZED, OrderUpdated): _S.INITIALIZED,  # in-place modify before submit
    # EMULATED: held by the order emulator until its trigger.
    (_S.EMULATED, OrderCanceled): _S.CANCELED,
    (_S.EMULATED, OrderExpired): _S.EXPIRED,
    (_S.EMULATED, OrderUpdated): _S.EMULATED,
    (_S.EMULATED, OrderReleased): _S.RELEASED,
    # RELEASED: released by the emulator or an execution algorithm, not yet sent.
    (_S.RELEASED, OrderSubmitted): _S.SUBMITTED,
    (_S.RELEASED, OrderDenied): _S.DENIED,
    (_S.RELEASED, OrderCanceled): _S.CANCELED,  # canceled by its execution algorithm
    (_S.RELEASED, OrderUpdated): _S.RELEASED,
    # SUBMITTED
    (_S.SUBMITTED, OrderPendingUpdate): _S.PENDING_UPDATE,
    (_S.SUBMITTED, OrderPendingCancel): _S.PENDING_CANCEL,
    (_S.SUBMITTED, OrderRejected): _S.REJECTED,
    (_S.SUBMITTED, OrderCanceled): _S.CANCELED,  # IOC/FOK canceled without an ack
    (_S.SUBMITTED, OrderAccepted): _S.ACCEPTED,
    (_S.SUBMITTED, OrderUpdated): _S.SUBMITTED,
    (_S.SUBMITTED, OrderFilled): BY_FILLED_QTY,  # filled before the ack arrived
    # ACCEPTED
    (_S.ACCEPTED, OrderRejected): _S.REJECTED,  # e.g. a stop-limit rejected at trigger
    (_S.ACCEPTED, OrderPendingUpdate): _S.PENDING_UPDATE,
    (_S.ACCEPTED, OrderPendingCancel): _S.PENDING_CANCEL,
    (_S.ACCEPTED, OrderCanceled): _S.CANCELED,
    (_S.ACCEPTED, OrderTriggered): _S.TRIGGERED,
    (_S.ACCEPTED, OrderUpdated): _S.ACCEPTED,
    (_S.ACCEPTED, OrderExpired): _S.EXPIRED,
    (_S.ACCEPTED, OrderFilled): BY_FILLED_QTY,
    # TRIGGERED
    (_S.TRIGGERED, OrderRejected): _S.REJECTED,
    (_S.TRIGGERED, OrderPendingUpdate): _S.PENDING_UPDATE,
    (_S.TRIGGERED, OrderPendingCancel): _S.PENDING_CANCEL,
    (_S.TRIGGERED, OrderCanceled): _S.CANCELED,
    (_S.TRIGGERED, OrderExpired): _S.EXPIRED,
    (_S.TRIGGERED, OrderFilled): BY_FILLED_QTY,
    (_S.TRIGGERED, OrderUpdated): _S.TRIGGERED,
    # PENDING_UPDATE
    (_S.PENDING_UPDATE, OrderRejected): _S.REJECTED,
    (_S.PENDING_UPDATE, OrderAccepted): _S.ACCEPTED,
    (_S.PENDING_UPDATE, OrderCanceled): _S.CANCELED,
    (_S.PENDING_UPDATE, OrderExpired): _S.EXPIRED,
    (_S.PENDING_UPDATE, OrderTriggered): _S.TRIGGERED,
    (_S.PENDING_UPDATE, OrderPendingUpdate): _S.PENDING_UPDATE,  # repeated modify request
    (_S.PENDING_UPDATE, OrderPendingCancel): _S.PENDING_CANCEL,
    (_S.PENDING_UPDATE, OrderModifyRejected): RESTORE_PREVIOUS,  # modify refused: back
    (_S.PENDING_UPDATE, OrderUpdated): RESTORE_PREVIOUS,  # modify done: back, with new values
    (_S.PENDING_UPDATE, OrderFilled): BY_FILLED_QTY,
    # PENDING_CANCEL
    (_S.PENDING_CANCEL, OrderRejected): _S.REJECTED,
    (_S.PENDING_CANCEL, OrderPendingCancel): _S.PENDING_CANCEL,  # repeated cancel request
    (_S.PENDING_CANCEL, OrderCancelRejected): RESTORE_PREVIOUS,  # cancel refused: back
    (_S.PENDING_CANCEL, OrderCanceled): _S.CANCELED,
    (_S.PENDING_CANCEL, OrderExpired): _S.EXPIRED,
    (_S.PENDING_CANCEL, OrderAccepted): _S.ACCEPTED,  # failed cancel: venue re-acks
    (_S.PENDING_CANCEL, OrderFilled): BY_FILLED_QTY,  # filled while the cancel was in flight
    # PARTIALLY_FILLED
    (_S.PARTIALLY_FILLED, OrderPendingUpdate): _S.PENDING_UPDATE,
    (_S.PARTIALLY_FILLED, OrderPendingCancel): _S.PENDING_CANCEL,
    (_S.PARTIALLY_FILLED, OrderCanceled): _S.CANCELED,
    (_S.PARTIALLY_FILLED, OrderExpired): _S.EXPIRED,
    (_S.PARTIALLY_FILLED, OrderFilled): BY_FILLED_QTY,
    (_S.PARTIALLY_FILLED, OrderAccepted): _S.ACCEPTED,  # venue re-ack (e.g. after a modify)
    (_S.PARTIALLY_FILLED, OrderUpdated): _S.PARTIALLY_FILLED,
    # CANCELED: closed, but a fill that crossed the cancel on the wire still counts.
    (_S.CANCELED, OrderFilled): BY_FILLED_QTY,  # real-world late fill
    # DENIED, REJECTED, EXPIRED, FILLED are terminal: no rows.
}

ACTIVE_LOCAL: Final = frozenset({_S.INITIALIZED, _S.EMULATED, _S.RELEASED})
IN_FLIGHT: Final = frozenset({_S.SUBMITTED, _S.PENDING_UPDATE, _S.PENDING_CANCEL})
OPEN: Final = frozenset(
    {_S.ACCEPTED, _S.TRIGGERED, _S.PENDING_UPDATE, _S.PENDING_CANCEL, _S.PARTIALLY_FILLED}
)
CLOSED: Final = frozenset({_S.DENIED, _S.REJECTED, _S.CANCELED, _S.EXPIRED, _S.FILLED})
PENDING: Final = frozenset({_S.PENDING_UPDATE, _S.PENDING_CANCEL})
TERMINAL: Final = frozenset({_S.DENIED, _S.REJECTED, _S.EXPIRED, _S.FILLED})
# Statuses in which a cancel may safely be sent (the venue knows the order).
CANCELLABLE_STATUSES: Final = frozenset(
    {_S.ACCEPTED, _S.TRIGGERED, _S.PENDING_UPDATE, _S.PARTIALLY_FILLED}
)
# Order types that have a TRIGGERED status (a trigger turns them into a working limit).
TRIGGERABLE_ORDER_TYPES: Final = frozenset(
    {OrderType.STOP_LIMIT, OrderType.TRAILING_STOP_LIMIT, OrderType.LIMIT_IF_TOUCHED}
)
# Events after which `previous_status` is NOT overwritten (they restore it instead).
NO_SAVE_PREVIOUS_EVENTS: Final[frozenset[EventKind]] = frozenset(
    {OrderModifyRejected, OrderCancelRejected}
)

# The same table nested by status, so the hot path looks up without building a tuple.
NEXT_BY_STATUS: Final[dict[OrderStatus, dict[EventKind, Target]]] = {s: {} for s in OrderStatus}
for (_status, _kind), _target in TRANSITIONS.items():
    NEXT_BY_STATUS[_status][_kind] = _target
del _status, _kind, _target


def allowed_events(status: OrderStatus) -> tuple[EventKind, ...]:
    """Return the event types valid in `status`, in `ORDER_EVENT_TYPES` order."""
    row = NEXT_BY_STATUS[status]
    return tuple(kind for kind in ORDER_EVENT_TYPES if kind in row)


def transition_error(status: OrderStatus, kind: EventKind, who: str) -> InvalidStateTransition:
    """Build the error for an event type not valid in `status`; `who` names the order."""
    allowed = ", ".join(k.__name__ for k in allowed_events(status)) or "none (terminal status)"
    return InvalidStateTransition(
        f"invalid transition for {who}: {kind.__name__} is not valid in status "
        f"{status.value}; valid events there: {allowed}",
        state=status,
        trigger=kind,
    )


def next_status(status: OrderStatus, kind: EventKind) -> Target:
    """Return the table's target for `kind` in `status` (maybe a `DeferredStatus`).

    Raises `InvalidStateTransition` when the pair is not in the table.
    """
    target = NEXT_BY_STATUS[status].get(kind)
    if target is None:
        raise transition_error(status, kind, "an order")
    return target


__all__ = [
    "ACTIVE_LOCAL",
    "BY_FILLED_QTY",
    "CANCELLABLE_STATUSES",
    "CLOSED",
    "IN_FLIGHT",
    "NEXT_BY_STATUS",
    "NO_SAVE_PREVIOUS_EVENTS",
    "OPEN",
    "PENDING",
    "RESTORE_PREVIOUS",
    "TERMINAL",
    "TRANSITIONS",
    "TRIGGERABLE_ORDER_TYPES",
    "DeferredStatus",
    "EventKind",
    "InvalidStateTransition",
    "Target",
    "allowed_events",
    "next_status",
    "transition_error",
]
