"""Position stubs: positions opened by real fills, and each position event.

By default a position is LONG 1.000 on the W1 instrument, opened at 50,000.0 by order
``O-1`` with position id `POSITION_ID`; the events are built with the model's own
``create`` factories right after ``Position.apply`` / ``Position.adjust``, as the
portfolio does.
"""

from __future__ import annotations

from argonaut.model.enums import OrderSide, PositionAdjustmentType
from argonaut.model.events.order import OrderFilled
from argonaut.model.events.position import (
    PositionAdjusted,
    PositionChanged,
    PositionClosed,
    PositionOpened,
)
from argonaut.model.identifiers import PositionId
from argonaut.model.instruments import Instrument
from argonaut.model.position import Position
from argonaut.model.values import Money, Price, Quantity
from argonaut.testkit._coerce import as_money
from argonaut.testkit.events import filled
from argonaut.testkit.ids import POSITION_ID, TS, next_uuid
from argonaut.testkit.instruments import BTCUSDT_PERP
from argonaut.testkit.orders import market_order


def _opposite(side: OrderSide) -> OrderSide:
    return OrderSide.SELL if side is OrderSide.BUY else OrderSide.BUY


def position_fill(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    price: str | Price = "50000.0",
    client_order_id: str = "O-1",
    position_id: str | PositionId = POSITION_ID,
    ts: int = TS,
) -> OrderFilled:
    """Return a taker fill of a market order that carries `position_id`."""
    inst = BTCUSDT_PERP if instrument is None else instrument
    order = market_order(inst, side=side, quantity=quantity, client_order_id=client_order_id, ts=ts)
    return filled(order, last_px=price, instrument=inst, position_id=position_id, ts=ts)


def open_position(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    price: str | Price = "50000.0",
    position_id: str | PositionId = POSITION_ID,
    ts: int = TS,
) -> tuple[Position, OrderFilled]:
    """Return a position opened by one fill, and that fill."""
    inst = BTCUSDT_PERP if instrument is None else instrument
    fill = position_fill(
        inst, side=side, quantity=quantity, price=price, position_id=position_id, ts=ts
    )
    return Position(inst, fill), fill


def position_opened(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    price: str | Price = "50000.0",
    ts: int = TS,
) -> PositionOpened:
    """Return the `PositionOpened` of a fresh position."""
    position, fill = open_position(instrument, side=side, quantity=quantity, price=price, ts=ts)
    return PositionOpened.create(position, fill, next_uuid(), ts)


def position_changed(
    instrument: Instrument | None = None,
    *,
    add_quantity: str | Quantity = "0.500",
    add_price: str | Price = "50100.0",
    ts: int = TS,
) -> PositionChanged:
    """Return the `PositionChanged` of a LONG 1.000 position increased by `add_quantity`."""
    inst = BTCUSDT_PERP if instrument is None else instrument
    position, _ = open_position(inst, ts=ts)
    fill = position_fill(
        inst, quantity=add_quantity, price=add_price, client_order_id="O-2", ts=ts + 1
    )
    position.apply(fill)
    return PositionChanged.create(position, fill, next_uuid(), ts + 1)


def position_closed(
    instrument: Instrument | None = None,
    *,
    close_price: str | Price = "50100.0",
    ts: int = TS,
) -> PositionClosed:
    """Return the `PositionClosed` of a LONG 1.000 position sold at `close_price`."""
    inst = BTCUSDT_PERP if instrument is None else instrument
    position, opening = open_position(inst, ts=ts)
    fill = position_fill(
        inst,
        side=_opposite(opening.order_side),
        quantity=opening.last_qty,
        price=close_price,
        client_order_id="O-2",
        ts=ts + 1,
    )
    position.apply(fill)
    return PositionClosed.create(position, fill, next_uuid(), ts + 1)


def position_adjusted(
    instrument: Instrument | None = None,
    *,
    pnl_change: str | Money = "-1.50000000 USDT",
    reason: str | None = "funding",
    ts: int = TS,
) -> PositionAdjusted:
    """Return the `PositionAdjusted` of a funding payment on a LONG 1.000 position."""
    inst = BTCUSDT_PERP if instrument is None else instrument
    position, _ = open_position(inst, ts=ts)
    adjustment = position.adjust(
        PositionAdjustmentType.FUNDING,
        ts_event=ts + 1,
        pnl_change=as_money(pnl_change, inst.settlement_currency),
        reason=reason,
    )
    return PositionAdjusted.create(position, adjustment, next_uuid(), ts + 1)


__all__ = [
    "open_position",
    "position_adjusted",
    "position_changed",
    "position_closed",
    "position_fill",
    "position_opened",
]
