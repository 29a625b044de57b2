"""What the sandbox execution client emits for one order after a reconnect.

While the link was down the venue kept working; its messages were lost. For an order
the node still holds open or in flight, `resync_order` compares the node's order with
the venue's record and emits what the node missed, in an order the order's state
machine accepts:

1. the acceptance, when the node has no venue order id yet;
2. the trigger of a limit-kind stop (STOP_LIMIT, LIMIT_IF_TOUCHED, TRAILING_STOP_LIMIT)
   and the last modify the venue applied (quantity, price or trigger price differ; also
   a trailing stop's move), the two in venue time order: both must precede the fills,
   since a partly filled order cannot trigger and a larger quantity must be known before
   the fills that need it;
3. each fill whose trade id the order has not applied;
4. a cancel or an expiry.
"""

from __future__ import annotations

from typing import TypedDict

from argonaut.adapters.sandbox.state import LIMIT_AFTER_TRIGGER, SimFill, SimOrder
from argonaut.live.clients.execution import LiveExecutionClient
from argonaut.model.enums import OrderStatus
from argonaut.model.events.order import OrderTriggered, OrderUpdated
from argonaut.model.identifiers import ClientOrderId, InstrumentId, StrategyId, VenueOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import TRANSITIONS, Order

__all__ = ["resync_order"]


class _Ids(TypedDict):
    strategy_id: StrategyId
    instrument_id: InstrumentId
    client_order_id: ClientOrderId
    venue_order_id: VenueOrderId


def resync_order(
    client: LiveExecutionClient,
    order: Order,
    sim: SimOrder,
    fills: list[SimFill],
    instrument: Instrument,
) -> int:
    """Emit through `client` what `order` missed of the venue's `sim` and its `fills`;
    return how many events that was."""
    ids: _Ids = {
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "venue_order_id": sim.venue_order_id,
    }
    count = 0
    status = order.status
    if order.venue_order_id is None:
        client.generate_order_accepted(**ids, ts_event=sim.ts_accepted)
        count += 1
        status = OrderStatus.ACCEPTED
    triggered = (
        sim.triggered
        and sim.order_type in LIMIT_AFTER_TRIGGER
        and order.ts_triggered is None
        and (status, OrderTriggered) in TRANSITIONS
    )
    updated = (status, OrderUpdated) in TRANSITIONS and (
        order.quantity != sim.quantity
        or (sim.price is not None and order.price != sim.price)
        or (sim.trigger_price is not None and order.trigger_price != sim.trigger_price)
    )
    ts_updated = sim.ts_updated if sim.ts_updated is not None else sim.ts_last
    ts_triggered = sim.ts_triggered if sim.ts_triggered is not None else sim.ts_last
    if triggered and (not updated or ts_triggered <= ts_updated):
        client.generate_order_triggered(**ids, ts_event=ts_triggered)
        count += 1
        triggered = False
    if updated:
        client.generate_order_updated(
            **ids,
            quantity=sim.quantity,
            price=sim.price,
            trigger_price=sim.trigger_price,
            ts_event=ts_updated,
        )
        count += 1
    if triggered:
        client.generate_order_triggered(**ids, ts_event=ts_triggered)
        count += 1
    applied = set(order.trade_ids)
    for fill in fills:
        if fill.trade_id in applied:
            continue
        client.generate_order_filled(
            **ids,
            venue_position_id=fill.position_id,
            trade_id=fill.trade_id,
            order_side=fill.side,
            order_type=sim.order_type,
            last_qty=fill.last_qty,
            last_px=fill.last_px,
            quote_currency=instrument.quote_currency,
            commission=fill.commission,
            liquidity_side=fill.liquidity_side,
            ts_event=fill.ts_event,
        )
        count += 1
    if sim.status is OrderStatus.CANCELED:
        client.generate_order_canceled(**ids, ts_event=sim.ts_last)
        count += 1
    elif sim.status is OrderStatus.EXPIRED:
        client.generate_order_expired(**ids, ts_event=sim.ts_last)
        count += 1
    return count
