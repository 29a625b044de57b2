"""Serialization: every message type round-trips through JSON and MessagePack by its
type tag, and corrupt records raise `SerializationError` naming the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Union

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.core.fixed import RAW_STEP
from argonaut.core.uuid import UUID4
from argonaut.model.codec import dec_hook
from argonaut.model.commands import DataResponse
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import AggressorSide, LiquiditySide, OrderSide, OrderType
from argonaut.model.events.order import OrderFilled
from argonaut.model.identifiers import (
    AccountId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.reports import ExecutionMassStatus, PositionStatusReport
from argonaut.model.serialization import (
    MESSAGE_TYPES,
    JsonSerializer,
    MsgPackSerializer,
    SerializationError,
)
from argonaut.model.values import (
    CURRENCIES,
    PRICE_RAW_MAX,
    QUANTITY_RAW_MAX,
    Money,
    Price,
    Quantity,
)
from argonaut.testkit import EXAMPLES, example_for, filled, limit_order, quote, submit_order

JSON = JsonSerializer()
MSGPACK = MsgPackSerializer()
CODECS = [pytest.param(JSON, id="json"), pytest.param(MSGPACK, id="msgpack")]
TYPES = [pytest.param(cls, id=cls.__name__) for cls in MESSAGE_TYPES]
_ANY_MESSAGE: Any = Union[MESSAGE_TYPES]  # noqa: UP007


def _raw_module(codec: JsonSerializer | MsgPackSerializer) -> Any:
    return msgspec.json if codec is JSON else msgspec.msgpack


def assert_same(decoded: Any, original: Any, path: str = "$") -> None:
    """Assert equal values of identical types, field by field (identifier types too)."""
    assert type(decoded) is type(original), (
        f"{path}: decoded {type(decoded).__name__}, expected {type(original).__name__}"
    )
    if isinstance(original, msgspec.Struct):
        for field in msgspec.structs.fields(original):
            name = field.name
            assert_same(getattr(decoded, name), getattr(original, name), f"{path}.{name}")
    elif isinstance(original, tuple | list):
        assert len(decoded) == len(original), f"{path}: length {len(decoded)} != {len(original)}"
        for i, (d, o) in enumerate(zip(decoded, original, strict=True)):
            assert_same(d, o, f"{path}[{i}]")
    elif isinstance(original, dict):
        assert list(decoded) == list(original), f"{path}: keys differ"
        for (dk, dv), (ok, ov) in zip(decoded.items(), original.items(), strict=True):
            assert_same(dk, ok, f"{path} key {ok!r}")
            assert_same(dv, ov, f"{path}[{ok!r}]")
    else:
        assert decoded == original, f"{path}: {decoded!r} != {original!r}"


def _retype_data(response: DataResponse) -> DataResponse:
    """Decode the untyped items of a DataResponse (`data: tuple[Any, ...]`) by their tags."""
    items = tuple(msgspec.convert(i, _ANY_MESSAGE, dec_hook=dec_hook) for i in response.data)
    return msgspec.structs.replace(response, data=items)


# -- every type round-trips ---------------------------------------------------------------


def test_example_for_when_every_message_type_then_each_has_an_example() -> None:
    missing = [cls.__name__ for cls in MESSAGE_TYPES if cls not in EXAMPLES]
    assert missing == [], f"add examples to argonaut.testkit.examples for {missing}"


@pytest.mark.parametrize("cls", TYPES)
def test_example_for_when_called_then_returns_an_instance_of_exactly_that_type(
    cls: type[msgspec.Struct],
) -> None:
    assert type(example_for(cls)) is cls


def test_example_for_when_type_unknown_then_key_error_names_it() -> None:
    class Unknown(msgspec.Struct, tag=True):
        pass

    with pytest.raises(KeyError, match="no example for Unknown"):
        example_for(Unknown)


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("cls", TYPES)
def test_round_trip_when_decoded_by_tag_then_equals_original(
    cls: type[msgspec.Struct], codec: JsonSerializer | MsgPackSerializer
) -> None:
    original = example_for(cls)
    encoded = codec.encode(original)

    decoded = codec.decode(encoded)

    if isinstance(original, DataResponse):
        decoded = _retype_data(decoded)
    assert_same(decoded, original)
    assert decoded == original  # msgspec equality (ExecutionMassStatus included)
    assert codec.encode(decoded) == encoded


@pytest.mark.parametrize("codec", CODECS)
def test_round_trip_when_data_response_then_items_come_back_as_tagged_records(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    response = example_for(DataResponse)
    assert isinstance(response, DataResponse)

    decoded = codec.decode(codec.encode(response))

    assert [item["type"] for item in decoded.data] == ["QuoteTick", "QuoteTick"]
    assert _retype_data(decoded).data == response.data


@pytest.mark.parametrize("codec", CODECS)
def test_round_trip_when_execution_mass_status_then_every_report_kept_by_key(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    status = example_for(ExecutionMassStatus)
    assert isinstance(status, ExecutionMassStatus)

    decoded = codec.decode(codec.encode(status))

    assert isinstance(decoded, ExecutionMassStatus)
    assert decoded.order_reports == status.order_reports
    assert decoded.fill_reports == status.fill_reports
    assert decoded.position_reports == status.position_reports
    assert all(type(k) is VenueOrderId for k in decoded.order_reports)
    assert all(type(k) is InstrumentId for k in decoded.position_reports)


@pytest.mark.parametrize("codec", CODECS)
def test_decode_as_when_type_given_then_returns_that_type(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    q = quote()
    assert codec.decode_as(codec.encode(q), QuoteTick) == q
    with pytest.raises(SerializationError, match="'QuoteTick'"):
        codec.decode_as(codec.encode(q), TradeTick)


def test_encode_when_json_then_envelope_carries_the_class_name_as_type() -> None:
    record = msgspec.json.decode(JSON.encode(quote()))
    assert record["type"] == "QuoteTick"
    assert record["bid_price"] == [50_000_000_000_000, 1]
    assert record["instrument_id"] == "BTCUSDT-PERP.SIM"


# -- corrupt records ---------------------------------------------------------------------


def _mutated(
    codec: JsonSerializer | MsgPackSerializer, obj: msgspec.Struct, change: Callable[[Any], None]
) -> bytes:
    """Encode `obj`, decode it to plain builtins, apply `change`, and re-encode it."""
    module = _raw_module(codec)
    record = module.decode(codec.encode(obj))
    change(record)
    return module.encode(record)  # type: ignore[no-any-return]


def _first_required(cls: type[msgspec.Struct]) -> str:
    return next(f.name for f in msgspec.structs.fields(cls) if f.required)


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("cls", [QuoteTick, OrderFilled, ExecutionMassStatus])
def test_decode_when_bytes_truncated_then_serialization_error_says_not_valid(
    cls: type[msgspec.Struct], codec: JsonSerializer | MsgPackSerializer
) -> None:
    data = codec.encode(example_for(cls))
    with pytest.raises(SerializationError, match=f"not valid {codec.format_name}"):
        codec.decode(data[: len(data) // 2])


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_empty_input_then_serialization_error(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    with pytest.raises(SerializationError, match="record of 0 bytes"):
        codec.decode(b"")


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_type_tag_unknown_then_error_names_the_tag(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    data = _mutated(codec, quote(), lambda r: r.update(type="QuoteTickV2"))
    with pytest.raises(SerializationError, match="record of type 'QuoteTickV2'"):
        codec.decode(data)


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_type_tag_missing_then_error_says_so(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    data = _mutated(codec, quote(), lambda r: r.pop("type"))
    with pytest.raises(SerializationError, match="missing required field `type`"):
        codec.decode(data)


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_record_not_an_object_then_error_says_no_type_tag(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    with pytest.raises(SerializationError, match="no type tag"):
        codec.decode(_raw_module(codec).encode([1, 2, 3]))


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("cls", TYPES)
def test_decode_when_required_field_missing_then_error_names_type_and_field(
    cls: type[msgspec.Struct], codec: JsonSerializer | MsgPackSerializer
) -> None:
    field = _first_required(cls)
    data = _mutated(codec, example_for(cls), lambda r: r.pop(field))
    with pytest.raises(SerializationError) as info:
        codec.decode(data)
    message = str(info.value)
    assert f"record of type '{cls.__name__}'" in message
    assert field in message


def _first_required_non_text(cls: type[msgspec.Struct], record: dict[str, Any]) -> str:
    """The first required field encoded as a number, an array or an object."""
    return next(
        f.name
        for f in msgspec.structs.fields(cls)
        if f.required and isinstance(record[f.name], int | list | dict)
    )


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize("cls", TYPES)
def test_decode_when_field_has_wrong_type_then_error_names_type_and_path(
    cls: type[msgspec.Struct], codec: JsonSerializer | MsgPackSerializer
) -> None:
    obj = example_for(cls)
    field = _first_required_non_text(cls, _raw_module(codec).decode(codec.encode(obj)))
    data = _mutated(codec, obj, lambda r: r.update({field: "not-a-number-or-array"}))
    with pytest.raises(SerializationError) as info:
        codec.decode(data)
    message = str(info.value)
    assert f"record of type '{cls.__name__}'" in message
    assert f"$.{field}" in message


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_identifier_field_holds_a_number_then_serialization_error(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    data = _mutated(codec, quote(), lambda r: r.update(instrument_id=12345))
    with pytest.raises(SerializationError, match=r"'QuoteTick'.*instrument_id"):
        codec.decode(data)


def _set_path(record: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        record = record[key]
    record[path[-1]] = value


_BAD_IDENTIFIERS = [
    pytest.param(quote(), ("instrument_id",), "BTCUSDT", "instrument id", id="instrument-no-venue"),
    pytest.param(
        filled(limit_order(), trade_id="T-1"),
        ("trade_id",),
        "T" * 65,
        "trade id",
        id="trade-id-too-long",
    ),
    pytest.param(
        filled(limit_order(), trade_id="T-1"),
        ("account_id",),
        "SIM",
        "account id",
        id="account-id-no-number",
    ),
    pytest.param(
        submit_order(limit_order()),
        ("order_init", "client_order_id"),
        "O 1",
        "client order id",
        id="nested-client-order-id-with-space",
    ),
    pytest.param(
        submit_order(limit_order()),
        ("command_id",),
        "not-a-uuid",
        "UUID",
        id="uuid-malformed",
    ),
]


@pytest.mark.parametrize("codec", CODECS)
@pytest.mark.parametrize(("obj", "path", "bad", "what"), _BAD_IDENTIFIERS)
def test_decode_when_identifier_invalid_then_error_names_type_and_identifier(
    codec: JsonSerializer | MsgPackSerializer,
    obj: msgspec.Struct,
    path: tuple[str | int, ...],
    bad: str,
    what: str,
) -> None:
    data = _mutated(codec, obj, lambda r: _set_path(r, path, bad))
    with pytest.raises(SerializationError) as info:
        codec.decode(data)
    message = str(info.value)
    assert f"record of type '{type(obj).__name__}'" in message
    assert what in message
    assert "$." + ".".join(map(str, path)) in message


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_mass_status_key_invalid_then_error_names_mass_status(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    status = example_for(ExecutionMassStatus)

    def break_key(record: Any) -> None:
        reports = record["position_reports"]
        reports["BTCUSDT"] = reports.pop("BTCUSDT-PERP.SIM")

    with pytest.raises(SerializationError, match=r"'ExecutionMassStatus'.*instrument id"):
        codec.decode(_mutated(codec, status, break_key))


@pytest.mark.parametrize("codec", CODECS)
def test_decode_when_value_breaks_a_model_rule_then_serialization_error(
    codec: JsonSerializer | MsgPackSerializer,
) -> None:
    # A FLAT position report with a quantity is refused by its __post_init__.
    report = example_for(PositionStatusReport)
    data = _mutated(codec, report, lambda r: r.update(position_side="FLAT"))
    with pytest.raises(SerializationError, match=r"'PositionStatusReport'.*FLAT"):
        codec.decode(data)


def test_serialization_error_is_a_value_error_chained_to_the_msgspec_error() -> None:
    with pytest.raises(SerializationError) as info:
        JSON.decode(b"{")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value.__cause__, msgspec.DecodeError)


# -- property tests ----------------------------------------------------------------------

_NS = st.integers(min_value=0, max_value=2**63 - 1)
_PRECISION = st.integers(min_value=0, max_value=9)
_SYMBOL = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/", min_size=1, max_size=20)
_VENUE = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10)
_INSTRUMENT_ID = st.builds(lambda s, v: InstrumentId(f"{s}.{v}"), _SYMBOL, _VENUE)
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_NAME = st.text(alphabet=_ALNUM, min_size=1, max_size=12)
_TOKEN = st.text(alphabet=_ALNUM + "-_:/", min_size=1, max_size=30)
_UUID = st.integers(min_value=0, max_value=2**128 - 1).map(UUID4.from_int)


@st.composite
def _prices(draw: st.DrawFn, precision: int | None = None) -> Price:
    prec = draw(_PRECISION) if precision is None else precision
    limit = PRICE_RAW_MAX // RAW_STEP[prec]
    units = draw(st.integers(min_value=-limit, max_value=limit))
    return Price.checked(units * RAW_STEP[prec], prec)


@st.composite
def _quantities(draw: st.DrawFn, precision: int | None = None, min_units: int = 0) -> Quantity:
    prec = draw(_PRECISION) if precision is None else precision
    units = draw(st.integers(min_value=min_units, max_value=QUANTITY_RAW_MAX // RAW_STEP[prec]))
    return Quantity.checked(units * RAW_STEP[prec], prec)


@st.composite
def _quotes(draw: st.DrawFn) -> QuoteTick:
    pp, sp = draw(_PRECISION), draw(_PRECISION)
    return QuoteTick.checked(
        draw(_INSTRUMENT_ID),
        draw(_prices(pp)),
        draw(_prices(pp)),
        draw(_quantities(sp)),
        draw(_quantities(sp)),
        draw(_NS),
        draw(_NS),
    )


@st.composite
def _trades(draw: st.DrawFn) -> TradeTick:
    return TradeTick.checked(
        draw(_INSTRUMENT_ID),
        draw(_prices()),
        draw(_quantities(min_units=1)),
        draw(st.sampled_from(AggressorSide)),
        TradeId(draw(_TOKEN)),
        draw(_NS),
        draw(_NS),
    )


@st.composite
def _fills(draw: st.DrawFn) -> OrderFilled:
    currency = draw(st.sampled_from(sorted(CURRENCIES.values(), key=lambda c: c.code)))
    step = RAW_STEP[currency.precision]
    limit = PRICE_RAW_MAX // step
    commission = Money(draw(st.integers(-limit, limit)) * step, currency)
    return OrderFilled(
        trader_id=TraderId(f"{draw(_NAME)}-{draw(_NAME)}"),
        strategy_id=StrategyId(f"{draw(_NAME)}-{draw(_NAME)}"),
        instrument_id=draw(_INSTRUMENT_ID),
        client_order_id=ClientOrderId(draw(_TOKEN)),
        venue_order_id=VenueOrderId(draw(_TOKEN)),
        account_id=AccountId(f"{draw(_NAME)}-{draw(_NAME)}"),
        trade_id=TradeId(draw(_TOKEN)),
        position_id=draw(st.none() | _TOKEN.map(PositionId)),
        order_side=draw(st.sampled_from([OrderSide.BUY, OrderSide.SELL])),
        order_type=draw(st.sampled_from(OrderType)),
        last_qty=draw(_quantities(min_units=1)),
        last_px=draw(_prices()),
        currency=currency,
        commission=commission,
        liquidity_side=draw(st.sampled_from(LiquiditySide)),
        event_id=draw(_UUID),
        ts_event=draw(_NS),
        ts_init=draw(_NS),
        reconciliation=draw(st.booleans()),
    )


def _check_round_trip(obj: msgspec.Struct) -> None:
    for codec in (JSON, MSGPACK):
        decoded = codec.decode(codec.encode(obj))
        assert_same(decoded, obj)


@given(_quotes())
def test_round_trip_when_any_quote_then_identical(tick: QuoteTick) -> None:
    _check_round_trip(tick)


@given(_trades())
def test_round_trip_when_any_trade_then_identical(tick: TradeTick) -> None:
    _check_round_trip(tick)


@given(_fills())
def test_round_trip_when_any_fill_then_identical(fill: OrderFilled) -> None:
    _check_round_trip(fill)
