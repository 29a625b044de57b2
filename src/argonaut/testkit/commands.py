"""Command stubs: trading commands for live orders, data subscriptions and requests,
report requests and the shutdown command.

Trading commands take the order they act on (``cancel_order(order)``); data commands
take the instrument (the W1 instrument by default). `data_command(cls)` builds any data
command class, filling its required fields with defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec

from argonaut.model.commands import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    DataCommand,
    DataResponse,
    GenerateExecutionMassStatus,
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
    ModifyOrder,
    QueryAccount,
    QueryOrder,
    RequestBars,
    RequestCommand,
    RequestQuoteTicks,
    ShutdownSystem,
    SubmitOrder,
    SubmitOrderList,
    SubscribeBars,
    SubscribeBookDeltas,
    SubscribeQuoteTicks,
    SubscribeTradeTicks,
    UnsubscribeQuoteTicks,
)
from argonaut.model.enums import BookType, OrderSide
from argonaut.model.identifiers import AccountId, OrderListId, PositionId
from argonaut.model.instruments import Instrument
from argonaut.model.order_list import OrderList
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.testkit._coerce import as_price, as_qty
from argonaut.testkit.ids import (
    ACCOUNT_ID,
    CLIENT_ID,
    COMPONENT_ID,
    STRATEGY_ID,
    TRADER_ID,
    TS,
    next_uuid,
)
from argonaut.testkit.instruments import BTCUSDT_PERP

_C = TypeVar("_C", bound=DataCommand)

_BAR_TYPE = "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL"


def _inst(instrument: Instrument | None) -> Instrument:
    return BTCUSDT_PERP if instrument is None else instrument


# -- trading ---------------------------------------------------------------------------


def submit_order(
    order: Order,
    *,
    position_id: str | PositionId | None = None,
    ts: int = TS,
    **overrides: Any,
) -> SubmitOrder:
    """Return the `SubmitOrder` of `order` (routed by its venue)."""
    fields: dict[str, Any] = {
        "trader_id": order.trader_id,
        "command_id": next_uuid(),
        "ts_init": ts,
        "order_init": order.init_event,
        "position_id": None if position_id is None else PositionId(position_id),
        "exec_algorithm_id": order.exec_algorithm_id,
    }
    fields.update(overrides)
    return SubmitOrder(**fields)


def order_list(orders: Sequence[Order], *, list_id: str = "OL-1", ts: int = TS) -> OrderList:
    """Return an `OrderList` of `orders` (one strategy, one instrument)."""
    first = orders[0]
    return OrderList(
        id=OrderListId(list_id),
        instrument_id=first.instrument_id,
        strategy_id=first.strategy_id,
        orders=tuple(o.init_event for o in orders),
        ts_init=ts,
    )


def submit_order_list(
    orders: Sequence[Order], *, ts: int = TS, **overrides: Any
) -> SubmitOrderList:
    """Return the `SubmitOrderList` of `orders`."""
    fields: dict[str, Any] = {
        "trader_id": orders[0].trader_id,
        "command_id": next_uuid(),
        "ts_init": ts,
        "order_list": order_list(orders, ts=ts),
    }
    fields.update(overrides)
    return SubmitOrderList(**fields)


def _order_fields(order: Order, ts: int) -> dict[str, Any]:
    return {
        "trader_id": order.trader_id,
        "command_id": next_uuid(),
        "ts_init": ts,
        "strategy_id": order.strategy_id,
        "instrument_id": order.instrument_id,
        "client_order_id": order.client_order_id,
        "venue_order_id": order.venue_order_id,
    }


def modify_order(
    order: Order,
    *,
    quantity: str | Quantity | None = None,
    price: str | Price | None = None,
    trigger_price: str | Price | None = None,
    ts: int = TS,
    **overrides: Any,
) -> ModifyOrder:
    """Return a `ModifyOrder` of `order` (give at least one of the three values)."""
    fields = _order_fields(order, ts)
    fields["quantity"] = None if quantity is None else as_qty(quantity)
    fields["price"] = None if price is None else as_price(price)
    fields["trigger_price"] = None if trigger_price is None else as_price(trigger_price)
    fields.update(overrides)
    return ModifyOrder(**fields)


def cancel_order(order: Order, *, ts: int = TS, **overrides: Any) -> CancelOrder:
    """Return a `CancelOrder` of `order`."""
    fields = _order_fields(order, ts)
    fields.update(overrides)
    return CancelOrder(**fields)


def query_order(order: Order, *, ts: int = TS, **overrides: Any) -> QueryOrder:
    """Return a `QueryOrder` of `order`."""
    fields = _order_fields(order, ts)
    fields.update(overrides)
    return QueryOrder(**fields)


def cancel_all_orders(
    instrument: Instrument | None = None,
    *,
    order_side: OrderSide = OrderSide.NO_ORDER_SIDE,
    ts: int = TS,
    **overrides: Any,
) -> CancelAllOrders:
    """Return a `CancelAllOrders` of strategy `STRATEGY_ID` on the instrument (both sides)."""
    fields: dict[str, Any] = {
        "trader_id": TRADER_ID,
        "command_id": next_uuid(),
        "ts_init": ts,
        "strategy_id": STRATEGY_ID,
        "instrument_id": _inst(instrument).id,
        "order_side": order_side,
    }
    fields.update(overrides)
    return CancelAllOrders(**fields)


def batch_cancel_orders(orders: Sequence[Order], *, ts: int = TS) -> BatchCancelOrders:
    """Return a `BatchCancelOrders` of `orders` (all on one instrument)."""
    first = orders[0]
    return BatchCancelOrders(
        trader_id=first.trader_id,
        command_id=next_uuid(),
        ts_init=ts,
        strategy_id=first.strategy_id,
        instrument_id=first.instrument_id,
        cancels=tuple(cancel_order(o, ts=ts) for o in orders),
    )


def query_account(account_id: AccountId = ACCOUNT_ID, *, ts: int = TS) -> QueryAccount:
    """Return a `QueryAccount`."""
    return QueryAccount(
        trader_id=TRADER_ID, command_id=next_uuid(), ts_init=ts, account_id=account_id
    )


# -- data ------------------------------------------------------------------------------

# Values for the fields a data command class may require (by field name).
_DATA_DEFAULTS: dict[str, Any] = {
    "bar_type": _BAR_TYPE,
    "book_type": BookType.L2_MBP,
    "interval_ms": 1_000,
}


def data_command(
    cls: type[_C], instrument: Instrument | None = None, *, ts: int = TS, **overrides: Any
) -> _C:
    """Return a `cls` data command with every required field filled, plus `overrides`.

    Instrument commands are for the instrument, venue commands for its venue; requests
    get a fresh request id and ask for the hour before `ts`.
    """
    inst = _inst(instrument)
    names = {f.name for f in msgspec.structs.fields(cls)}
    fields: dict[str, Any] = {"command_id": next_uuid(), "ts_init": ts, "venue": inst.venue}
    if "instrument_id" in names:
        fields["instrument_id"] = inst.id
    fields.update({name: value for name, value in _DATA_DEFAULTS.items() if name in names})
    if issubclass(cls, RequestCommand):
        fields["request_id"] = next_uuid()
        fields["start_ns"] = ts - 3_600 * 1_000_000_000
        fields["end_ns"] = ts
    fields.update(overrides)
    return cls(**fields)


def subscribe_quotes(instrument: Instrument | None = None, **overrides: Any) -> SubscribeQuoteTicks:
    """Return a `SubscribeQuoteTicks` for the instrument."""
    return data_command(SubscribeQuoteTicks, instrument, **overrides)


def unsubscribe_quotes(
    instrument: Instrument | None = None, **overrides: Any
) -> UnsubscribeQuoteTicks:
    """Return an `UnsubscribeQuoteTicks` for the instrument."""
    return data_command(UnsubscribeQuoteTicks, instrument, **overrides)


def subscribe_trades(instrument: Instrument | None = None, **overrides: Any) -> SubscribeTradeTicks:
    """Return a `SubscribeTradeTicks` for the instrument."""
    return data_command(SubscribeTradeTicks, instrument, **overrides)


def subscribe_bars(bar_type: str = _BAR_TYPE, **overrides: Any) -> SubscribeBars:
    """Return a `SubscribeBars` for `bar_type` (text form)."""
    return data_command(SubscribeBars, bar_type=bar_type, **overrides)


def subscribe_book_deltas(
    instrument: Instrument | None = None, **overrides: Any
) -> SubscribeBookDeltas:
    """Return a `SubscribeBookDeltas` (L2, full depth, managed) for the instrument."""
    return data_command(SubscribeBookDeltas, instrument, **overrides)


def request_quotes(instrument: Instrument | None = None, **overrides: Any) -> RequestQuoteTicks:
    """Return a `RequestQuoteTicks` for the hour before `TS`."""
    return data_command(RequestQuoteTicks, instrument, **overrides)


def request_bars(bar_type: str = _BAR_TYPE, **overrides: Any) -> RequestBars:
    """Return a `RequestBars` for the hour before `TS`."""
    return data_command(RequestBars, bar_type=bar_type, **overrides)


def data_response(
    request: RequestCommand, data: Sequence[Any], data_type: str, *, ts: int = TS
) -> DataResponse:
    """Return the `DataResponse` answering `request` with `data` (items of `data_type`)."""
    return DataResponse(
        correlation_id=request.request_id,
        data_type=data_type,
        data=tuple(data),
        response_id=next_uuid(),
        ts_init=ts,
        client_id=request.client_id,
        venue=request.venue,
        start_ns=request.start_ns,
        end_ns=request.end_ns,
    )


# -- report requests and system --------------------------------------------------------


def generate_order_status_report(order: Order, *, ts: int = TS) -> GenerateOrderStatusReport:
    """Return a request for the venue's report of `order`."""
    return GenerateOrderStatusReport(
        command_id=next_uuid(),
        ts_init=ts,
        client_id=CLIENT_ID,
        instrument_id=order.instrument_id,
        client_order_id=order.client_order_id,
        venue_order_id=order.venue_order_id,
    )


def generate_order_status_reports(
    *, open_only: bool = True, ts: int = TS
) -> GenerateOrderStatusReports:
    """Return a request for the client's (open) order reports."""
    return GenerateOrderStatusReports(
        command_id=next_uuid(), ts_init=ts, client_id=CLIENT_ID, open_only=open_only
    )


def generate_fill_reports(
    *, lookback_ns: int = 3_600 * 1_000_000_000, ts: int = TS
) -> GenerateFillReports:
    """Return a request for the fill reports of the last `lookback_ns`."""
    return GenerateFillReports(
        command_id=next_uuid(),
        ts_init=ts,
        client_id=CLIENT_ID,
        start_ns=ts - lookback_ns,
        end_ns=ts,
    )


def generate_position_status_reports(*, ts: int = TS) -> GeneratePositionStatusReports:
    """Return a request for the client's position reports."""
    return GeneratePositionStatusReports(command_id=next_uuid(), ts_init=ts, client_id=CLIENT_ID)


def generate_mass_status(
    *, lookback_mins: int | None = 60, ts: int = TS
) -> GenerateExecutionMassStatus:
    """Return a request for the client's mass status over `lookback_mins`."""
    return GenerateExecutionMassStatus(
        command_id=next_uuid(), ts_init=ts, client_id=CLIENT_ID, lookback_mins=lookback_mins
    )


def shutdown_system(reason: str | None = "test shutdown", *, ts: int = TS) -> ShutdownSystem:
    """Return a `ShutdownSystem` command."""
    return ShutdownSystem(
        trader_id=TRADER_ID,
        component_id=COMPONENT_ID,
        command_id=next_uuid(),
        ts_init=ts,
        reason=reason,
    )


__all__ = [
    "batch_cancel_orders",
    "cancel_all_orders",
    "cancel_order",
    "data_command",
    "data_response",
    "generate_fill_reports",
    "generate_mass_status",
    "generate_order_status_report",
    "generate_order_status_reports",
    "generate_position_status_reports",
    "modify_order",
    "order_list",
    "query_account",
    "query_order",
    "request_bars",
    "request_quotes",
    "shutdown_system",
    "submit_order",
    "submit_order_list",
    "subscribe_bars",
    "subscribe_book_deltas",
    "subscribe_quotes",
    "subscribe_trades",
    "unsubscribe_quotes",
]
