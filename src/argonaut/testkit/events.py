"""Order event stubs: one builder per order event type, for a given live order.

Each builder fills the identity fields from the order (trader, strategy, instrument,
client order id, and the venue order id / account id the order already has), a fresh
seeded event id and ``ts_event == ts_init == ts``; any field can be overridden by
keyword. Walk an order through its life with ``order.apply(submitted(order))``,
``order.apply(accepted(order))``, ``order.apply(filled(order))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from argonaut.model.accounts import mul_rate
from argonaut.model.enums import LiquiditySide
from argonaut.model.events.order import (
    OrderAccepted,
    OrderAcceptedBatch,
    OrderCanceled,
    OrderCanceledBatch,
    OrderCancelRejected,
    OrderDenied,
    OrderEmulated,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderInitialized,
    OrderModifyRejected,
    OrderPendingCancel,
    OrderPendingUpdate,
    OrderRejected,
    OrderReleased,
    OrderSubmitted,
    OrderSubmittedBatch,
    OrderTriggered,
    OrderUpdated,
)
from argonaut.model.identifiers import AccountId, PositionId, TradeId, VenueOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.values import USDT, Currency, Money, Price, Quantity
from argonaut.testkit._coerce import as_money, as_price, as_qty
from argonaut.testkit.ids import ACCOUNT_ID, TS, VENUE_ORDER_ID, next_trade_id, next_uuid
from argonaut.testkit.instruments import BTCUSDT_PERP

_E = TypeVar("_E", bound=OrderEvent)


def _common(order: Order, ts: int) -> dict[str, Any]:
    return {
        "trader_id": order.trader_id,
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "venue_order_id": order.venue_order_id,
        "account_id": order.account_id,
        "event_id": next_uuid(),
        "ts_event": ts,
        "ts_init": ts,
    }


def _account(order: Order) -> AccountId:
    return ACCOUNT_ID if order.account_id is None else order.account_id


def _venue_order_id(order: Order) -> VenueOrderId:
    return VENUE_ORDER_ID if order.venue_order_id is None else order.venue_order_id


def _build(kind: type[_E], fields: dict[str, Any], overrides: dict[str, Any]) -> _E:
    fields.update(overrides)
    return kind(**fields)


def initialized(order: Order) -> OrderInitialized:
    """Return the order's own `OrderInitialized` event."""
    return order.init_event


def denied(
    order: Order, *, reason: str = "denied by test", ts: int = TS, **overrides: Any
) -> OrderDenied:
    """Return an `OrderDenied` (risk refused the order)."""
    return _build(OrderDenied, {**_common(order, ts), "reason": reason}, overrides)


def emulated(order: Order, *, ts: int = TS, **overrides: Any) -> OrderEmulated:
    """Return an `OrderEmulated`."""
    return _build(OrderEmulated, _common(order, ts), overrides)


def released(
    order: Order,
    *,
    released_price: str | Price | None = None,
    ts: int = TS,
    **overrides: Any,
) -> OrderReleased:
    """Return an `OrderReleased` at `released_price` (default: the order's price or trigger)."""
    if released_price is None:
        px = order.price if order.price is not None else order.trigger_price
        released_price = Price.from_str("50000.0") if px is None else px
    fields = {**_common(order, ts), "released_price": as_price(released_price)}
    return _build(OrderReleased, fields, overrides)


def submitted(
    order: Order, *, account_id: AccountId = ACCOUNT_ID, ts: int = TS, **overrides: Any
) -> OrderSubmitted:
    """Return an `OrderSubmitted` for account `account_id`."""
    return _build(OrderSubmitted, {**_common(order, ts), "account_id": account_id}, overrides)


def accepted(
    order: Order,
    *,
    venue_order_id: str | VenueOrderId = VENUE_ORDER_ID,
    ts: int = TS,
    **overrides: Any,
) -> OrderAccepted:
    """Return an `OrderAccepted` assigning `venue_order_id`."""
    fields = {
        **_common(order, ts),
        "venue_order_id": VenueOrderId(venue_order_id),
        "account_id": _account(order),
    }
    return _build(OrderAccepted, fields, overrides)


def rejected(
    order: Order,
    *,
    reason: str = "rejected by test",
    due_post_only: bool = False,
    ts: int = TS,
    **overrides: Any,
) -> OrderRejected:
    """Return an `OrderRejected` (the venue refused the order)."""
    fields = {
        **_common(order, ts),
        "account_id": _account(order),
        "reason": reason,
        "due_post_only": due_post_only,
    }
    return _build(OrderRejected, fields, overrides)


def canceled(order: Order, *, ts: int = TS, **overrides: Any) -> OrderCanceled:
    """Return an `OrderCanceled`."""
    return _build(OrderCanceled, _common(order, ts), overrides)


def expired(order: Order, *, ts: int = TS, **overrides: Any) -> OrderExpired:
    """Return an `OrderExpired`."""
    return _build(OrderExpired, _common(order, ts), overrides)


def triggered(order: Order, *, ts: int = TS, **overrides: Any) -> OrderTriggered:
    """Return an `OrderTriggered` (for STOP_LIMIT, TRAILING_STOP_LIMIT, LIMIT_IF_TOUCHED)."""
    return _build(OrderTriggered, _common(order, ts), overrides)


def pending_update(order: Order, *, ts: int = TS, **overrides: Any) -> OrderPendingUpdate:
    """Return an `OrderPendingUpdate` (a modify is in flight)."""
    fields = {**_common(order, ts), "account_id": _account(order)}
    return _build(OrderPendingUpdate, fields, overrides)


def pending_cancel(order: Order, *, ts: int = TS, **overrides: Any) -> OrderPendingCancel:
    """Return an `OrderPendingCancel` (a cancel is in flight)."""
    fields = {**_common(order, ts), "account_id": _account(order)}
    return _build(OrderPendingCancel, fields, overrides)


def modify_rejected(
    order: Order, *, reason: str = "modify rejected by test", ts: int = TS, **overrides: Any
) -> OrderModifyRejected:
    """Return an `OrderModifyRejected`."""
    return _build(OrderModifyRejected, {**_common(order, ts), "reason": reason}, overrides)


def cancel_rejected(
    order: Order, *, reason: str = "cancel rejected by test", ts: int = TS, **overrides: Any
) -> OrderCancelRejected:
    """Return an `OrderCancelRejected`."""
    return _build(OrderCancelRejected, {**_common(order, ts), "reason": reason}, overrides)


def updated(
    order: Order,
    *,
    quantity: str | Quantity | None = None,
    price: str | Price | None = None,
    trigger_price: str | Price | None = None,
    ts: int = TS,
    **overrides: Any,
) -> OrderUpdated:
    """Return an `OrderUpdated`; unset values keep the order's current ones."""
    fields = {
        **_common(order, ts),
        "quantity": order.quantity if quantity is None else as_qty(quantity),
        "price": order.price if price is None else as_price(price),
        "trigger_price": order.trigger_price if trigger_price is None else as_price(trigger_price),
    }
    return _build(OrderUpdated, fields, overrides)


def filled(
    order: Order,
    *,
    last_qty: str | Quantity | None = None,
    last_px: str | Price | None = None,
    trade_id: str | TradeId | None = None,
    liquidity_side: LiquiditySide = LiquiditySide.TAKER,
    commission: str | Money | None = None,
    instrument: Instrument | None = None,
    position_id: str | PositionId | None = None,
    ts: int = TS,
    **overrides: Any,
) -> OrderFilled:
    """Return an `OrderFilled` of `last_qty` (default: all that is left) at `last_px`.

    `trade_id` defaults to the next of the seeded sequence (``T-1``, ``T-2``, ...);
    quantity, price, currency and commission defaults are those of `fill_terms`.
    """
    qty, px, currency, fee = fill_terms(
        order, last_qty, last_px, liquidity_side, commission, instrument
    )
    fields = {
        **_common(order, ts),
        "venue_order_id": _venue_order_id(order),
        "account_id": _account(order),
        "trade_id": TradeId(trade_id) if trade_id is not None else next_trade_id(),
        "order_side": order.side,
        "order_type": order.order_type,
        "last_qty": qty,
        "last_px": px,
        "currency": currency,
        "commission": fee,
        "liquidity_side": liquidity_side,
        "position_id": None if position_id is None else PositionId(position_id),
    }
    return _build(OrderFilled, fields, overrides)


def submitted_batch(orders: Sequence[Order], *, ts: int = TS) -> OrderSubmittedBatch:
    """Return an `OrderSubmittedBatch` of one `submitted` event per order."""
    return OrderSubmittedBatch(events=tuple(submitted(o, ts=ts) for o in orders))


def accepted_batch(orders: Sequence[Order], *, ts: int = TS) -> OrderAcceptedBatch:
    """Return an `OrderAcceptedBatch`; order i gets venue order id ``V-{i+1}``."""
    return OrderAcceptedBatch(
        events=tuple(
            accepted(o, venue_order_id=f"V-{i}", ts=ts) for i, o in enumerate(orders, start=1)
        )
    )


def canceled_batch(orders: Sequence[Order], *, ts: int = TS) -> OrderCanceledBatch:
    """Return an `OrderCanceledBatch` of one `canceled` event per order."""
    return OrderCanceledBatch(events=tuple(canceled(o, ts=ts) for o in orders))


def fill_terms(
    order: Order,
    last_qty: str | Quantity | None,
    last_px: str | Price | None,
    liquidity_side: LiquiditySide,
    commission: str | Money | None,
    instrument: Instrument | None,
) -> tuple[Quantity, Price, Currency, Money]:
    """Return the quantity, price, price currency and commission of a stub fill of `order`.

    Quantity defaults to the order's leaves quantity; price to its price, else its
    trigger price, else 50,000.0. The commission defaults to the maker/taker fee on the
    notional in the settlement currency of `instrument` (the W1 instrument for an order
    on it); without an instrument the currency is USDT and the commission zero.
    """
    inst = instrument
    if inst is None and order.instrument_id == BTCUSDT_PERP.id:
        inst = BTCUSDT_PERP
    size_prec = None if inst is None else inst.size_precision
    price_prec = None if inst is None else inst.price_precision
    qty = order.leaves_qty if last_qty is None else as_qty(last_qty, size_prec)
    if last_px is None:
        known = order.price if order.price is not None else order.trigger_price
        px = Price.from_str("50000.0", price_prec) if known is None else known
    else:
        px = as_price(last_px, price_prec)
    currency = USDT if inst is None else inst.quote_currency
    if commission is not None:
        fee = as_money(commission, USDT if inst is None else inst.settlement_currency)
    elif inst is None:
        fee = Money(0, USDT)
    else:
        rate = inst.maker_fee if liquidity_side is LiquiditySide.MAKER else inst.taker_fee
        fee = mul_rate(inst.notional_value(qty, px), rate)
    return qty, px, currency, fee


__all__ = [
    "accepted",
    "accepted_batch",
    "cancel_rejected",
    "canceled",
    "canceled_batch",
    "denied",
    "emulated",
    "expired",
    "fill_terms",
    "filled",
    "initialized",
    "modify_rejected",
    "pending_cancel",
    "pending_update",
    "rejected",
    "released",
    "submitted",
    "submitted_batch",
    "triggered",
    "updated",
]
