"""One realistic example instance of every message type the serializers know.

`example_for(cls)` returns an instance of any class in
`argonaut.model.serialization.MESSAGE_TYPES`, with optional fields filled where that
exercises more of the wire format. The serialization tests round-trip every one, and
check that a new message type without an example here fails.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec

from argonaut.model.book_data import BookOrder, OrderBookDelta, OrderBookDeltas, OrderBookDepth10
from argonaut.model.commands import (
    DATA_COMMAND_TYPES,
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    DataResponse,
    GenerateExecutionMassStatus,
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
    ModifyOrder,
    QueryAccount,
    QueryOrder,
    ShutdownSystem,
    SubmitOrder,
    SubmitOrderList,
)
from argonaut.model.data import (
    Bar,
    BarSpecification,
    BarType,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentClose,
    InstrumentStatus,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import (
    MarketStatusAction,
    OrderSide,
    OrderStatus,
    TimeInForce,
    TriggerType,
)
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderAccepted,
    OrderAcceptedBatch,
    OrderCanceled,
    OrderCanceledBatch,
    OrderCancelRejected,
    OrderDenied,
    OrderEmulated,
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
from argonaut.model.events.position import (
    PositionAdjusted,
    PositionChanged,
    PositionClosed,
    PositionOpened,
)
from argonaut.model.events.risk import TradingStateChanged
from argonaut.model.identifiers import ClientOrderId, ExecAlgorithmId, PositionId
from argonaut.model.instruments import (
    CryptoFuture,
    CryptoPerpetual,
    CurrencyPair,
    Equity,
    FuturesContract,
    OptionContract,
)
from argonaut.model.order_list import OrderList
from argonaut.model.orders import Order
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.testkit import accounts, commands, data, events, instruments, orders, positions
from argonaut.testkit import reports as rep
from argonaut.testkit.ids import COMPONENT_ID, TS, VENUE


def _limit() -> Order:
    return orders.limit_order()


def _accepted_limit() -> Order:
    order = orders.limit_order()
    order.apply(events.submitted(order))
    order.apply(events.accepted(order))
    return order


def _accepted_stop_limit() -> Order:
    order = orders.stop_limit_order()
    order.apply(events.submitted(order))
    order.apply(events.accepted(order))
    return order


def _rich_init() -> OrderInitialized:
    """A GTD iceberg limit order run by an execution algorithm, with tags."""
    order = orders.limit_order(
        time_in_force=TimeInForce.GTD,
        expire_time_ns=TS + 3_600 * 1_000_000_000,
        display_qty="0.100",
        post_only=True,
        emulation_trigger=TriggerType.BID_ASK,
        exec_algorithm_id=ExecAlgorithmId("TWAP"),
        exec_algorithm_params={"horizon_secs": "60", "interval_secs": "5"},
        exec_spawn_id=ClientOrderId("O-1"),
        tags=("entry", "w1"),
    )
    return order.init_event


def _order_status_report() -> OrderStatusReport:
    return rep.order_status_report(
        _accepted_limit(),
        order_status=OrderStatus.PARTIALLY_FILLED,
        filled_qty="0.400",
        avg_px=Decimal("49999.95"),
        venue_position_id=PositionId("P-1"),
    )


def _mass_status() -> ExecutionMassStatus:
    order = _accepted_limit()
    return rep.mass_status(
        [
            rep.order_status_report(
                order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.400"
            )
        ],
        [rep.fill_report(order, last_qty="0.400", trade_id="T-100")],
        [rep.position_status_report()],
    )


def _data_response() -> DataResponse:
    request = commands.request_quotes()
    return commands.data_response(
        request, [data.quote(), data.quote(bid="50000.1", ask="50000.2", ts=TS + 1)], "QuoteTick"
    )


def _examples() -> dict[type[msgspec.Struct], Callable[[], msgspec.Struct]]:
    table: dict[type[msgspec.Struct], Callable[[], msgspec.Struct]] = {
        # market data
        QuoteTick: data.quote,
        TradeTick: data.trade,
        Bar: data.bar,
        MarkPriceUpdate: data.mark_price,
        IndexPriceUpdate: data.index_price,
        FundingRateUpdate: data.funding_rate,
        InstrumentStatus: lambda: data.instrument_status(
            action=MarketStatusAction.HALT, reason="volatility", is_trading=False
        ),
        InstrumentClose: data.instrument_close,
        BarSpecification: lambda: BarSpecification.from_str("5-MINUTE-MID"),
        BarType: data.bar_type,
        BookOrder: lambda: data.book_order(OrderSide.SELL, "50000.1", "0.250", order_id=7),
        OrderBookDelta: data.book_delta,
        OrderBookDeltas: data.book_snapshot_deltas,
        OrderBookDepth10: data.depth10,
        # instruments
        CurrencyPair: instruments.audusd,
        CryptoPerpetual: instruments.btcusdt_perp,
        CryptoFuture: instruments.btcusdt_future,
        Equity: instruments.aapl_equity,
        FuturesContract: instruments.es_future,
        OptionContract: instruments.btc_option,
        # order events
        OrderInitialized: _rich_init,
        OrderDenied: lambda: events.denied(_limit(), reason="notional exceeds max"),
        OrderEmulated: lambda: events.emulated(_limit()),
        OrderReleased: lambda: events.released(_limit()),
        OrderSubmitted: lambda: events.submitted(_limit()),
        OrderAccepted: lambda: events.accepted(_limit()),
        OrderRejected: lambda: events.rejected(_limit(), due_post_only=True),
        OrderCanceled: lambda: events.canceled(_accepted_limit()),
        OrderExpired: lambda: events.expired(_accepted_limit()),
        OrderTriggered: lambda: events.triggered(_accepted_stop_limit()),
        OrderPendingUpdate: lambda: events.pending_update(_accepted_limit()),
        OrderPendingCancel: lambda: events.pending_cancel(_accepted_limit()),
        OrderModifyRejected: lambda: events.modify_rejected(_accepted_limit()),
        OrderCancelRejected: lambda: events.cancel_rejected(_accepted_limit()),
        OrderUpdated: lambda: events.updated(_accepted_limit(), quantity="2.000", price="49990.0"),
        OrderFilled: lambda: events.filled(
            _accepted_limit(), last_qty="0.400", trade_id="T-1", position_id="P-1"
        ),
        OrderSubmittedBatch: lambda: events.submitted_batch(orders.bracket_orders()),
        OrderAcceptedBatch: lambda: events.accepted_batch(orders.bracket_orders()),
        OrderCanceledBatch: lambda: events.canceled_batch(orders.bracket_orders()),
        # position, account and risk events
        PositionOpened: positions.position_opened,
        PositionChanged: positions.position_changed,
        PositionClosed: positions.position_closed,
        PositionAdjusted: positions.position_adjusted,
        AccountState: accounts.margin_account_state,
        TradingStateChanged: accounts.trading_state_changed,
        # reports
        OrderStatusReport: _order_status_report,
        FillReport: lambda: rep.fill_report(_accepted_limit(), trade_id="T-1"),
        PositionStatusReport: rep.position_status_report,
        ExecutionMassStatus: _mass_status,
        OrderList: lambda: commands.order_list(orders.bracket_orders()),
        # trading commands
        SubmitOrder: lambda: commands.submit_order(_limit(), params={"venue_flag": "1"}),
        SubmitOrderList: lambda: commands.submit_order_list(orders.bracket_orders()),
        ModifyOrder: lambda: commands.modify_order(_accepted_limit(), price="49990.0"),
        CancelOrder: lambda: commands.cancel_order(_accepted_limit()),
        CancelAllOrders: lambda: commands.cancel_all_orders(order_side=OrderSide.SELL),
        BatchCancelOrders: lambda: commands.batch_cancel_orders(orders.bracket_orders()),
        QueryOrder: lambda: commands.query_order(_accepted_limit()),
        QueryAccount: commands.query_account,
        # data responses, report requests, system
        DataResponse: _data_response,
        GenerateOrderStatusReport: lambda: commands.generate_order_status_report(_accepted_limit()),
        GenerateOrderStatusReports: commands.generate_order_status_reports,
        GenerateFillReports: commands.generate_fill_reports,
        GeneratePositionStatusReports: commands.generate_position_status_reports,
        GenerateExecutionMassStatus: commands.generate_mass_status,
        ShutdownSystem: commands.shutdown_system,
    }
    for cls in DATA_COMMAND_TYPES:
        table[cls] = _data_command_builder(cls)
    return table


def _data_command_builder(cls: type[Any]) -> Callable[[], msgspec.Struct]:
    names = {f.name for f in msgspec.structs.fields(cls)}
    extra: dict[str, Any] = {"venue": VENUE, "params": {"depth_hint": "10"}}
    if "subscriber" in names:
        extra["subscriber"] = COMPONENT_ID

    def build() -> msgspec.Struct:
        return commands.data_command(cls, **extra)  # type: ignore[no-any-return]

    return build


EXAMPLES: dict[type[msgspec.Struct], Callable[[], msgspec.Struct]] = _examples()
"""Builder of the example of each message type."""


def example_for(cls: type[msgspec.Struct]) -> msgspec.Struct:
    """Return an example instance of message type `cls` (a class of `MESSAGE_TYPES`)."""
    builder = EXAMPLES.get(cls)
    if builder is None:
        raise KeyError(
            f"no example for {cls.__name__}: add a builder for it to "
            "argonaut.testkit.examples.EXAMPLES"
        )
    return builder()


__all__ = ["EXAMPLES", "example_for"]
