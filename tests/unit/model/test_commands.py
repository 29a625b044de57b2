from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

import msgspec
import pytest

from argonaut.core.uuid import UUID4, UUIDFactory
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.commands import (
    DATA_COMMAND_TYPES,
    DATA_RESPONSE_TYPES,
    REPORT_COMMAND_TYPES,
    SYSTEM_COMMAND_TYPES,
    TRADING_COMMAND_TYPES,
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
    RequestBars,
    RequestBookSnapshot,
    RequestInstrument,
    RequestInstruments,
    RequestQuoteTicks,
    RequestTradeTicks,
    ShutdownSystem,
    SubmitOrder,
    SubmitOrderList,
    SubscribeBars,
    SubscribeBookDeltas,
    SubscribeBookSnapshots,
    SubscribeInstruments,
    UnsubscribeBars,
    UnsubscribeBookSnapshots,
    UnsubscribeInstruments,
)
from argonaut.model.enums import (
    BookType,
    ContingencyType,
    OrderSide,
    OrderType,
    TimeInForce,
)
from argonaut.model.events.order import OrderInitialized
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    ComponentId,
    ExecAlgorithmId,
    InstrumentId,
    OrderListId,
    PositionId,
    StrategyId,
    TraderId,
    Venue,
    VenueOrderId,
)
from argonaut.model.order_list import OrderList
from argonaut.model.values import Price, Quantity

TRADER = TraderId("TRADER-001")
STRATEGY = StrategyId("EMACross-001")
BTCUSDT = InstrumentId("BTCUSDT-PERP.SIM")
ETHUSDT = InstrumentId("ETHUSDT-PERP.SIM")
SIM = Venue("SIM")
T0 = 1_700_000_000_000_000_000
BAR_TYPE = "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL"
_uuids = UUIDFactory(seed=11)


def uuid() -> UUID4:
    return _uuids.generate()


def order_init(
    client_order_id: str = "O-1",
    *,
    strategy_id: StrategyId = STRATEGY,
    instrument_id: InstrumentId = BTCUSDT,
    order_list_id: OrderListId | None = None,
) -> OrderInitialized:
    return OrderInitialized(
        trader_id=TRADER,
        strategy_id=strategy_id,
        instrument_id=instrument_id,
        client_order_id=ClientOrderId(client_order_id),
        order_side=OrderSide.BUY,
        order_type=OrderType.LIMIT,
        quantity=Quantity.from_str("0.010"),
        price=Price.from_str("50000.0"),
        time_in_force=TimeInForce.GTC,
        contingency_type=ContingencyType.OTO if order_list_id else ContingencyType.NO_CONTINGENCY,
        order_list_id=order_list_id,
        event_id=uuid(),
        ts_event=T0,
        ts_init=T0,
    )


def order_list(*orders: OrderInitialized, list_id: str = "OL-1") -> OrderList:
    return OrderList(
        id=OrderListId(list_id),
        instrument_id=BTCUSDT,
        strategy_id=STRATEGY,
        orders=orders or (order_init("O-1"), order_init("O-2")),
        ts_init=T0,
    )


def cancel(client_order_id: str = "O-1", instrument_id: InstrumentId = BTCUSDT) -> CancelOrder:
    return CancelOrder(
        trader_id=TRADER,
        strategy_id=STRATEGY,
        instrument_id=instrument_id,
        client_order_id=ClientOrderId(client_order_id),
        venue_order_id=VenueOrderId("V-1"),
        command_id=uuid(),
        ts_init=T0,
    )


def trading(cls: type[Any], **kwargs: Any) -> Any:
    return cls(trader_id=TRADER, command_id=uuid(), ts_init=T0, **kwargs)


def on_instrument(cls: type[Any], **kwargs: Any) -> Any:
    return trading(cls, strategy_id=STRATEGY, instrument_id=BTCUSDT, **kwargs)


def data(cls: type[Any], **kwargs: Any) -> Any:
    return cls(command_id=uuid(), ts_init=T0, client_id=ClientId("SIM"), **kwargs)


def request(cls: type[Any], **kwargs: Any) -> Any:
    return data(cls, request_id=uuid(), start_ns=T0, end_ns=T0 + 60_000_000_000, **kwargs)


def report_request(cls: type[Any], **kwargs: Any) -> Any:
    return cls(command_id=uuid(), ts_init=T0, venue=SIM, **kwargs)


FACTORIES: dict[type[Any], Callable[[], Any]] = {
    # trading
    SubmitOrder: lambda: trading(
        SubmitOrder,
        order_init=order_init(),
        position_id=PositionId("P-1"),
        exec_algorithm_id=ExecAlgorithmId("TWAP"),
        params={"margin_mode": "cross"},
    ),
    SubmitOrderList: lambda: trading(SubmitOrderList, order_list=order_list()),
    ModifyOrder: lambda: on_instrument(
        ModifyOrder, client_order_id=ClientOrderId("O-1"), price=Price.from_str("50001.0")
    ),
    CancelOrder: cancel,
    CancelAllOrders: lambda: on_instrument(CancelAllOrders, order_side=OrderSide.SELL),
    BatchCancelOrders: lambda: on_instrument(
        BatchCancelOrders, cancels=(cancel("O-1"), cancel("O-2"))
    ),
    QueryOrder: lambda: on_instrument(QueryOrder, client_order_id=ClientOrderId("O-1")),
    QueryAccount: lambda: trading(QueryAccount, account_id=AccountId("SIM-001")),
    # data: subscriptions
    SubscribeInstruments: lambda: data(SubscribeInstruments, venue=SIM),
    UnsubscribeInstruments: lambda: data(UnsubscribeInstruments, venue=SIM),
    SubscribeBars: lambda: data(SubscribeBars, bar_type=BAR_TYPE),
    UnsubscribeBars: lambda: data(UnsubscribeBars, bar_type=BAR_TYPE),
    SubscribeBookDeltas: lambda: data(
        SubscribeBookDeltas, instrument_id=BTCUSDT, book_type=BookType.L2_MBP, depth=20
    ),
    SubscribeBookSnapshots: lambda: data(
        SubscribeBookSnapshots,
        instrument_id=BTCUSDT,
        book_type=BookType.L2_MBP,
        depth=10,
        interval_ms=1000,
    ),
    UnsubscribeBookSnapshots: lambda: data(
        UnsubscribeBookSnapshots, instrument_id=BTCUSDT, interval_ms=1000
    ),
    # data: requests
    RequestInstrument: lambda: request(RequestInstrument, instrument_id=BTCUSDT),
    RequestInstruments: lambda: request(RequestInstruments, venue=SIM),
    RequestQuoteTicks: lambda: request(RequestQuoteTicks, instrument_id=BTCUSDT, limit=100),
    RequestTradeTicks: lambda: request(RequestTradeTicks, instrument_id=BTCUSDT),
    RequestBars: lambda: request(RequestBars, bar_type=BAR_TYPE, limit=500),
    RequestBookSnapshot: lambda: request(RequestBookSnapshot, instrument_id=BTCUSDT, limit=10),
    DataResponse: lambda: DataResponse(
        correlation_id=uuid(),
        client_id=ClientId("SIM"),
        venue=SIM,
        data_type="QuoteTick",
        data=("a", 1, 2.5),
        start_ns=T0,
        end_ns=T0 + 1,
        response_id=uuid(),
        ts_init=T0,
    ),
    # report requests
    GenerateOrderStatusReport: lambda: report_request(
        GenerateOrderStatusReport, instrument_id=BTCUSDT, venue_order_id=VenueOrderId("V-1")
    ),
    GenerateOrderStatusReports: lambda: report_request(
        GenerateOrderStatusReports, start_ns=T0, end_ns=T0 + 1, open_only=True
    ),
    GenerateFillReports: lambda: report_request(
        GenerateFillReports, instrument_id=BTCUSDT, venue_order_id=VenueOrderId("V-1")
    ),
    GeneratePositionStatusReports: lambda: report_request(
        GeneratePositionStatusReports, instrument_id=BTCUSDT, start_ns=T0
    ),
    GenerateExecutionMassStatus: lambda: report_request(
        GenerateExecutionMassStatus, lookback_mins=60
    ),
    # system
    ShutdownSystem: lambda: ShutdownSystem(
        trader_id=TRADER,
        component_id=ComponentId("RiskEngine"),
        reason="fatal error",
        command_id=uuid(),
        ts_init=T0,
    ),
}
# The remaining data commands only name an instrument.
for _cls in DATA_COMMAND_TYPES:
    if _cls not in FACTORIES:
        FACTORIES[_cls] = functools.partial(data, _cls, instrument_id=BTCUSDT)

ALL_TYPES: tuple[type[Any], ...] = (
    TRADING_COMMAND_TYPES
    + DATA_COMMAND_TYPES
    + DATA_RESPONSE_TYPES
    + REPORT_COMMAND_TYPES
    + SYSTEM_COMMAND_TYPES
)
ALL_UNION: Any = typing.Union[ALL_TYPES]  # noqa: UP007


# --- serialization -------------------------------------------------------------------


def test_every_command_type_has_an_example() -> None:
    assert set(FACTORIES) == set(ALL_TYPES)
    assert len(ALL_TYPES) == len(set(ALL_TYPES))


@pytest.mark.parametrize("command_type", ALL_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("codec", [msgspec.json, msgspec.msgpack], ids=["json", "msgpack"])
def test_command_round_trips_through_codec(command_type: type[Any], codec: Any) -> None:
    command = FACTORIES[command_type]()
    assert type(command) is command_type
    data = codec.encode(command, enc_hook=enc_hook)
    back = codec.decode(data, type=command_type, dec_hook=dec_hook)
    assert back == command
    # Decoding through the union of all commands finds the type by its tag.
    assert codec.decode(data, type=ALL_UNION, dec_hook=dec_hook) == command


def test_command_json_carries_class_name_tag_and_typed_ids() -> None:
    command = FACTORIES[CancelOrder]()
    data = msgspec.json.encode(command, enc_hook=enc_hook)
    assert msgspec.json.decode(data)["type"] == "CancelOrder"
    back = msgspec.json.decode(data, type=CancelOrder, dec_hook=dec_hook)
    assert type(back.client_order_id) is ClientOrderId
    assert type(back.instrument_id) is InstrumentId


@pytest.mark.parametrize("command_type", ALL_TYPES, ids=lambda t: t.__name__)
def test_command_is_frozen(command_type: type[Any]) -> None:
    command = FACTORIES[command_type]()
    with pytest.raises(AttributeError):
        command.ts_init = 0


# --- trading commands ----------------------------------------------------------------


def test_submit_order_exposes_order_ids_and_routing() -> None:
    command: SubmitOrder = FACTORIES[SubmitOrder]()
    assert command.client_order_id == ClientOrderId("O-1")
    assert command.instrument_id == BTCUSDT
    assert command.strategy_id == STRATEGY
    assert command.venue == SIM
    assert command.client_id is None


def test_submit_order_has_no_construction_validation() -> None:
    # SubmitOrder is on the hot path: it is built without any __post_init__ check.
    assert not hasattr(SubmitOrder, "__post_init__")


def test_submit_order_list_exposes_list_ids() -> None:
    command: SubmitOrderList = FACTORIES[SubmitOrderList]()
    assert command.instrument_id == BTCUSDT
    assert command.strategy_id == STRATEGY
    assert command.client_order_ids == (ClientOrderId("O-1"), ClientOrderId("O-2"))
    assert command.venue == SIM


def test_modify_order_when_nothing_to_change_then_value_error() -> None:
    with pytest.raises(ValueError, match="changes nothing"):
        on_instrument(ModifyOrder, client_order_id=ClientOrderId("O-1"))


def test_cancel_all_orders_defaults_to_both_sides() -> None:
    command = on_instrument(CancelAllOrders)
    assert command.order_side is OrderSide.NO_ORDER_SIDE


def test_batch_cancel_when_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="expected at least one cancel"):
        on_instrument(BatchCancelOrders, cancels=())


def test_batch_cancel_when_cancel_for_other_instrument_then_value_error() -> None:
    with pytest.raises(ValueError, match="must be for the batch's instrument"):
        on_instrument(BatchCancelOrders, cancels=(cancel("O-1"), cancel("O-2", ETHUSDT)))


def test_batch_cancel_exposes_client_order_ids() -> None:
    command: BatchCancelOrders = FACTORIES[BatchCancelOrders]()
    assert command.client_order_ids == (ClientOrderId("O-1"), ClientOrderId("O-2"))


# --- order list ----------------------------------------------------------------------


def test_order_list_first_is_entry_order() -> None:
    entry = order_init("O-1", order_list_id=OrderListId("OL-1"))
    orders = order_list(entry, order_init("O-2", order_list_id=OrderListId("OL-1")))
    assert orders.first is entry
    assert orders.client_order_ids == (ClientOrderId("O-1"), ClientOrderId("O-2"))


def test_order_list_when_empty_then_value_error() -> None:
    with pytest.raises(ValueError, match="is empty"):
        OrderList(
            id=OrderListId("OL-1"),
            instrument_id=BTCUSDT,
            strategy_id=STRATEGY,
            orders=(),
            ts_init=0,
        )


def test_order_list_when_client_order_id_repeated_then_value_error() -> None:
    with pytest.raises(ValueError, match="holds client order id O-1 twice"):
        order_list(order_init("O-1"), order_init("O-1"))


def test_order_list_when_order_of_other_strategy_then_value_error() -> None:
    other = order_init("O-2", strategy_id=StrategyId("Other-002"))
    with pytest.raises(ValueError, match="belongs to strategy Other-002"):
        order_list(order_init("O-1"), other)


def test_order_list_when_order_on_other_instrument_then_value_error() -> None:
    with pytest.raises(ValueError, match="expected one instrument"):
        order_list(order_init("O-1"), order_init("O-2", instrument_id=ETHUSDT))


def test_order_list_when_order_names_other_list_then_value_error() -> None:
    with pytest.raises(ValueError, match="names order list OL-9"):
        order_list(order_init("O-1", order_list_id=OrderListId("OL-9")))


# --- data commands -------------------------------------------------------------------


def test_subscribe_book_deltas_defaults_full_managed_book() -> None:
    command = data(SubscribeBookDeltas, instrument_id=BTCUSDT, book_type=BookType.L3_MBO)
    assert command.depth == 0
    assert command.managed is True


def test_subscribe_book_deltas_when_negative_depth_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"book depth -1 for BTCUSDT-PERP\.SIM is negative"):
        data(SubscribeBookDeltas, instrument_id=BTCUSDT, book_type=BookType.L2_MBP, depth=-1)


@pytest.mark.parametrize("interval_ms", [0, -100])
def test_subscribe_book_snapshots_when_interval_not_positive_then_value_error(
    interval_ms: int,
) -> None:
    with pytest.raises(ValueError, match="expected a positive number of milliseconds"):
        data(
            SubscribeBookSnapshots,
            instrument_id=BTCUSDT,
            book_type=BookType.L2_MBP,
            interval_ms=interval_ms,
        )
    with pytest.raises(ValueError, match="snapshot interval"):
        data(UnsubscribeBookSnapshots, instrument_id=BTCUSDT, interval_ms=interval_ms)


@pytest.mark.parametrize("bar_type", ["", "BTCUSDT-PERP.SIM 1-MINUTE"])
@pytest.mark.parametrize("cls", [SubscribeBars, UnsubscribeBars])
def test_bar_commands_when_bar_type_malformed_then_value_error(
    cls: type[Any], bar_type: str
) -> None:
    with pytest.raises(ValueError, match="expected its text form without spaces"):
        data(cls, bar_type=bar_type)


def test_request_bars_when_bar_type_malformed_then_value_error() -> None:
    with pytest.raises(ValueError, match="bar type"):
        request(RequestBars, bar_type="")


@pytest.mark.parametrize(
    "cls", [RequestQuoteTicks, RequestTradeTicks, RequestBookSnapshot, RequestInstrument]
)
def test_request_when_negative_limit_then_value_error(cls: type[Any]) -> None:
    with pytest.raises(ValueError, match=f"{cls.__name__} limit -1 is negative"):
        request(cls, instrument_id=BTCUSDT, limit=-1)


def test_request_when_start_after_end_then_value_error() -> None:
    with pytest.raises(ValueError, match="window starts after it ends"):
        data(RequestQuoteTicks, instrument_id=BTCUSDT, request_id=uuid(), start_ns=2, end_ns=1)


def test_request_defaults_to_unbounded_window_and_no_limit() -> None:
    command = data(RequestTradeTicks, instrument_id=BTCUSDT, request_id=uuid())
    assert (command.start_ns, command.end_ns, command.limit) == (None, None, 0)


def test_request_instruments_needs_a_venue() -> None:
    with pytest.raises(TypeError, match="venue"):
        data(RequestInstruments, request_id=uuid())


def test_data_response_correlates_with_request() -> None:
    req = FACTORIES[RequestQuoteTicks]()
    response = DataResponse(
        correlation_id=req.request_id,
        data_type="QuoteTick",
        data=(),
        response_id=uuid(),
        ts_init=T0,
    )
    assert response.correlation_id == req.request_id
    assert response.client_id is None


# --- report requests -----------------------------------------------------------------


def test_generate_order_status_report_when_no_order_id_then_value_error() -> None:
    with pytest.raises(ValueError, match="needs a client_order_id or a venue_order_id"):
        report_request(GenerateOrderStatusReport, instrument_id=BTCUSDT)


def test_generate_order_status_report_by_client_order_id_alone_is_valid() -> None:
    command = report_request(GenerateOrderStatusReport, client_order_id=ClientOrderId("O-1"))
    assert command.venue_order_id is None


@pytest.mark.parametrize(
    "cls", [GenerateOrderStatusReports, GenerateFillReports, GeneratePositionStatusReports]
)
def test_report_request_when_start_after_end_then_value_error(cls: type[Any]) -> None:
    with pytest.raises(ValueError, match="start_ns=5 > end_ns=4"):
        report_request(cls, start_ns=5, end_ns=4)


def test_generate_mass_status_when_negative_lookback_then_value_error() -> None:
    with pytest.raises(ValueError, match="lookback_mins -1 is negative"):
        report_request(GenerateExecutionMassStatus, lookback_mins=-1)


def test_generate_mass_status_without_lookback_is_valid() -> None:
    assert report_request(GenerateExecutionMassStatus, lookback_mins=None).lookback_mins is None
