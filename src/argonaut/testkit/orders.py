"""Order stubs: live `Order` objects of every type, built through their `create()`.

The named factories (`limit_order`, `market_order`, ...) default to a BUY of 1.000 on the
W1 instrument for trader `TRADER_ID` and strategy `STRATEGY_ID`, client order id ``O-1``.
Any `OrderParams` key (``reduce_only=True``, ``tags=("a",)``, ``strategy_id=...``) passes
through as a keyword.

Instrument-agnostic orders of any type for state machine tests are in
`argonaut.testkit.lifecycle` (`make_init`, `make_order`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from argonaut.model.enums import (
    ContingencyType,
    OrderSide,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.identifiers import ClientOrderId, OrderListId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import (
    LimitIfTouchedOrder,
    LimitOrder,
    MarketIfTouchedOrder,
    MarketOrder,
    MarketToLimitOrder,
    Order,
    StopLimitOrder,
    StopMarketOrder,
    TrailingStopLimitOrder,
    TrailingStopMarketOrder,
)
from argonaut.model.values import Price, Quantity
from argonaut.testkit._coerce import as_decimal, as_price, as_qty
from argonaut.testkit.ids import STRATEGY_ID, TRADER_ID, TS, next_uuid
from argonaut.testkit.instruments import BTCUSDT_PERP

_GTC = TimeInForce.GTC


def _params(
    instrument: Instrument | None,
    side: OrderSide,
    quantity: str | Quantity,
    client_order_id: str,
    extra: dict[str, Any],
) -> tuple[Instrument, dict[str, Any]]:
    inst = BTCUSDT_PERP if instrument is None else instrument
    params: dict[str, Any] = {
        "trader_id": TRADER_ID,
        "strategy_id": STRATEGY_ID,
        "instrument_id": inst.id,
        "client_order_id": ClientOrderId(client_order_id),
        "order_side": side,
        "quantity": as_qty(quantity, inst.size_precision),
    }
    params.update(extra)
    return inst, params


def _px(value: str | Price, inst: Instrument) -> Price:
    return as_price(value, inst.price_precision)


def _opt_px(value: str | Price | None, inst: Instrument) -> Price | None:
    return None if value is None else as_price(value, inst.price_precision)


def market_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> MarketOrder:
    """Return a MARKET order (INITIALIZED)."""
    _, kw = _params(instrument, side, quantity, client_order_id, params)
    return MarketOrder.create(init_id=next_uuid(), ts_init=ts, time_in_force=time_in_force, **kw)


def limit_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    price: str | Price = "50000.0",
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    post_only: bool = False,
    display_qty: str | Quantity | None = None,
    ts: int = TS,
    **params: Any,
) -> LimitOrder:
    """Return a LIMIT order (INITIALIZED), BUY 1.000 @ 50,000.0 by default."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return LimitOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        price=_px(price, inst),
        time_in_force=time_in_force,
        post_only=post_only,
        display_qty=None if display_qty is None else as_qty(display_qty, inst.size_precision),
        **kw,
    )


def stop_market_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    trigger_price: str | Price = "50100.0",
    trigger_type: TriggerType = TriggerType.DEFAULT,
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> StopMarketOrder:
    """Return a STOP_MARKET order (INITIALIZED), triggering at 50,100.0 by default."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return StopMarketOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        trigger_price=_px(trigger_price, inst),
        trigger_type=trigger_type,
        time_in_force=time_in_force,
        **kw,
    )


def stop_limit_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    price: str | Price = "50110.0",
    trigger_price: str | Price = "50100.0",
    trigger_type: TriggerType = TriggerType.DEFAULT,
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> StopLimitOrder:
    """Return a STOP_LIMIT order (INITIALIZED)."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return StopLimitOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        price=_px(price, inst),
        trigger_price=_px(trigger_price, inst),
        trigger_type=trigger_type,
        time_in_force=time_in_force,
        **kw,
    )


def market_to_limit_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> MarketToLimitOrder:
    """Return a MARKET_TO_LIMIT order (INITIALIZED)."""
    _, kw = _params(instrument, side, quantity, client_order_id, params)
    return MarketToLimitOrder.create(
        init_id=next_uuid(), ts_init=ts, time_in_force=time_in_force, **kw
    )


def market_if_touched_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    trigger_price: str | Price = "49900.0",
    trigger_type: TriggerType = TriggerType.DEFAULT,
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> MarketIfTouchedOrder:
    """Return a MARKET_IF_TOUCHED order (INITIALIZED)."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return MarketIfTouchedOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        trigger_price=_px(trigger_price, inst),
        trigger_type=trigger_type,
        time_in_force=time_in_force,
        **kw,
    )


def limit_if_touched_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.BUY,
    quantity: str | Quantity = "1.000",
    price: str | Price = "49890.0",
    trigger_price: str | Price = "49900.0",
    trigger_type: TriggerType = TriggerType.DEFAULT,
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> LimitIfTouchedOrder:
    """Return a LIMIT_IF_TOUCHED order (INITIALIZED)."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return LimitIfTouchedOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        price=_px(price, inst),
        trigger_price=_px(trigger_price, inst),
        trigger_type=trigger_type,
        time_in_force=time_in_force,
        **kw,
    )


def trailing_stop_market_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.SELL,
    quantity: str | Quantity = "1.000",
    trailing_offset: str | Decimal = "100.0",
    trailing_offset_type: TrailingOffsetType = TrailingOffsetType.PRICE,
    trigger_price: str | Price | None = None,
    trigger_type: TriggerType = TriggerType.DEFAULT,
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> TrailingStopMarketOrder:
    """Return a TRAILING_STOP_MARKET order (INITIALIZED), a SELL trailing by 100.0."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return TrailingStopMarketOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        trailing_offset=as_decimal(trailing_offset),
        trailing_offset_type=trailing_offset_type,
        trigger_price=_opt_px(trigger_price, inst),
        trigger_type=trigger_type,
        time_in_force=time_in_force,
        **kw,
    )


def trailing_stop_limit_order(
    instrument: Instrument | None = None,
    *,
    side: OrderSide = OrderSide.SELL,
    quantity: str | Quantity = "1.000",
    trailing_offset: str | Decimal = "100.0",
    limit_offset: str | Decimal = "50.0",
    trailing_offset_type: TrailingOffsetType = TrailingOffsetType.PRICE,
    price: str | Price | None = None,
    trigger_price: str | Price | None = None,
    trigger_type: TriggerType = TriggerType.DEFAULT,
    client_order_id: str = "O-1",
    time_in_force: TimeInForce = _GTC,
    ts: int = TS,
    **params: Any,
) -> TrailingStopLimitOrder:
    """Return a TRAILING_STOP_LIMIT order (INITIALIZED), a SELL trailing by 100.0."""
    inst, kw = _params(instrument, side, quantity, client_order_id, params)
    return TrailingStopLimitOrder.create(
        init_id=next_uuid(),
        ts_init=ts,
        trailing_offset=as_decimal(trailing_offset),
        limit_offset=as_decimal(limit_offset),
        trailing_offset_type=trailing_offset_type,
        price=_opt_px(price, inst),
        trigger_price=_opt_px(trigger_price, inst),
        trigger_type=trigger_type,
        time_in_force=time_in_force,
        **kw,
    )


def bracket_orders(instrument: Instrument | None = None, *, list_id: str = "OL-1") -> list[Order]:
    """Return an OTO/OCO bracket: a BUY limit entry, a SELL stop loss and a SELL take profit."""
    inst = BTCUSDT_PERP if instrument is None else instrument
    olid = OrderListId(list_id)
    entry_id, sl_id, tp_id = ClientOrderId("O-1"), ClientOrderId("O-2"), ClientOrderId("O-3")
    common: dict[str, Any] = {"order_list_id": olid}
    entry = limit_order(
        inst,
        client_order_id=entry_id,
        contingency_type=ContingencyType.OTO,
        linked_order_ids=(sl_id, tp_id),
        **common,
    )
    children: dict[str, Any] = {
        **common,
        "side": OrderSide.SELL,
        "contingency_type": ContingencyType.OUO,
        "parent_order_id": entry.client_order_id,
        "reduce_only": True,
    }
    stop = stop_market_order(
        inst, client_order_id=sl_id, trigger_price="49000.0", linked_order_ids=(tp_id,), **children
    )
    take = limit_order(
        inst, client_order_id=tp_id, price="52000.0", linked_order_ids=(sl_id,), **children
    )
    return [entry, stop, take]


__all__ = [
    "bracket_orders",
    "limit_if_touched_order",
    "limit_order",
    "market_if_touched_order",
    "market_order",
    "market_to_limit_order",
    "stop_limit_order",
    "stop_market_order",
    "trailing_stop_limit_order",
    "trailing_stop_market_order",
]
