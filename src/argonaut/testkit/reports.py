"""Venue report stubs: order status, fill and position status reports, mass status.

Order and fill reports describe a given live order (by default the W1 ``limit_order()``,
BUY 1.000 @ 50,000.0, client order id ``O-1``, venue order id ``V-1``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from argonaut.model.enums import LiquiditySide, OrderStatus, PositionSide
from argonaut.model.identifiers import AccountId, ClientId, TradeId, Venue, VenueOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import Money, Price, Quantity
from argonaut.testkit._coerce import as_decimal, as_qty
from argonaut.testkit.events import fill_terms
from argonaut.testkit.ids import (
    ACCOUNT_ID,
    CLIENT_ID,
    TS,
    VENUE,
    VENUE_ORDER_ID,
    next_trade_id,
    next_uuid,
)
from argonaut.testkit.instruments import BTCUSDT_PERP
from argonaut.testkit.orders import limit_order


def _venue_order_id(order: Order, venue_order_id: str | None) -> VenueOrderId:
    if venue_order_id is not None:
        return VenueOrderId(venue_order_id)
    return VENUE_ORDER_ID if order.venue_order_id is None else order.venue_order_id


def order_status_report(
    order: Order | None = None,
    *,
    order_status: OrderStatus = OrderStatus.ACCEPTED,
    filled_qty: str | Quantity | None = None,
    avg_px: str | Decimal | None = None,
    venue_order_id: str | None = None,
    account_id: AccountId = ACCOUNT_ID,
    ts: int = TS,
    **overrides: Any,
) -> OrderStatusReport:
    """Return the venue's report of `order` in `order_status` with `filled_qty` filled.

    The order's own parameters (side, type, quantity, prices, flags...) are copied.
    """
    o = limit_order() if order is None else order
    prec = o.quantity.precision
    fields: dict[str, Any] = {
        "account_id": account_id,
        "instrument_id": o.instrument_id,
        "venue_order_id": _venue_order_id(o, venue_order_id),
        "client_order_id": o.client_order_id,
        "order_side": o.side,
        "order_type": o.order_type,
        "time_in_force": o.time_in_force,
        "order_status": order_status,
        "quantity": o.quantity,
        "filled_qty": Quantity(0, prec) if filled_qty is None else as_qty(filled_qty, prec),
        "avg_px": None if avg_px is None else as_decimal(avg_px),
        "price": o.price,
        "trigger_price": o.trigger_price,
        "trigger_type": o.trigger_type,
        "limit_offset": o.limit_offset,
        "trailing_offset": o.trailing_offset,
        "trailing_offset_type": o.trailing_offset_type,
        "display_qty": o.display_qty,
        "post_only": o.post_only,
        "reduce_only": o.reduce_only,
        "contingency_type": o.contingency_type,
        "order_list_id": o.order_list_id,
        "linked_order_ids": o.linked_order_ids,
        "parent_order_id": o.parent_order_id,
        "expire_time_ns": o.expire_time_ns,
        "ts_accepted": ts,
        "ts_last": ts,
        "ts_init": ts,
        "report_id": next_uuid(),
    }
    fields.update(overrides)
    return OrderStatusReport(**fields)


def fill_report(
    order: Order | None = None,
    *,
    last_qty: str | Quantity | None = None,
    last_px: str | Price | None = None,
    trade_id: str | None = None,
    liquidity_side: LiquiditySide = LiquiditySide.TAKER,
    commission: str | Money | None = None,
    instrument: Instrument | None = None,
    venue_order_id: str | None = None,
    account_id: AccountId = ACCOUNT_ID,
    ts: int = TS,
    **overrides: Any,
) -> FillReport:
    """Return the venue's report of one fill of `order` (default: all it has left).

    Quantity, price and commission defaults are those of `events.fill_terms`.
    """
    o = limit_order() if order is None else order
    qty, px, _, fee = fill_terms(o, last_qty, last_px, liquidity_side, commission, instrument)
    fields: dict[str, Any] = {
        "account_id": account_id,
        "instrument_id": o.instrument_id,
        "venue_order_id": _venue_order_id(o, venue_order_id),
        "client_order_id": o.client_order_id,
        "trade_id": next_trade_id() if trade_id is None else TradeId(trade_id),
        "order_side": o.side,
        "last_qty": qty,
        "last_px": px,
        "commission": fee,
        "liquidity_side": liquidity_side,
        "ts_event": ts,
        "ts_init": ts,
        "report_id": next_uuid(),
    }
    fields.update(overrides)
    return FillReport(**fields)


def position_status_report(
    instrument: Instrument | None = None,
    *,
    position_side: PositionSide = PositionSide.LONG,
    quantity: str | Quantity = "1.000",
    avg_px_open: str | Decimal | None = "50000.0",
    account_id: AccountId = ACCOUNT_ID,
    ts: int = TS,
    **overrides: Any,
) -> PositionStatusReport:
    """Return the venue's report of a (netting) position: LONG 1.000 @ 50,000.0 by default.

    A FLAT report gets quantity 0 and no average price unless given.
    """
    inst = BTCUSDT_PERP if instrument is None else instrument
    flat = position_side is PositionSide.FLAT
    fields: dict[str, Any] = {
        "account_id": account_id,
        "instrument_id": inst.id,
        "position_side": position_side,
        "quantity": Quantity(0, inst.size_precision)
        if flat
        else as_qty(quantity, inst.size_precision),
        "avg_px_open": None if flat or avg_px_open is None else as_decimal(avg_px_open),
        "ts_last": ts,
        "ts_init": ts,
        "report_id": next_uuid(),
    }
    fields.update(overrides)
    return PositionStatusReport(**fields)


def mass_status(
    order_reports: Iterable[OrderStatusReport] = (),
    fill_reports: Iterable[FillReport] = (),
    position_reports: Iterable[PositionStatusReport] = (),
    *,
    client_id: ClientId = CLIENT_ID,
    account_id: AccountId = ACCOUNT_ID,
    venue: Venue = VENUE,
    ts: int = TS,
) -> ExecutionMassStatus:
    """Return a mass status holding the given reports (empty by default, as in W1)."""
    status = ExecutionMassStatus(
        client_id=client_id,
        account_id=account_id,
        venue=venue,
        report_id=next_uuid(),
        ts_init=ts,
    )
    status.add_order_reports(order_reports)
    status.add_fill_reports(fill_reports)
    status.add_position_reports(position_reports)
    return status


__all__ = [
    "fill_report",
    "mass_status",
    "order_status_report",
    "position_status_report",
]
