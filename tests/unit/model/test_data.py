from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.data import (
    DATA_TYPES,
    Bar,
    BarSpecification,
    BarType,
    Data,
    FundingRateUpdate,
    IndexPriceUpdate,
    InstrumentClose,
    InstrumentStatus,
    MarkPriceUpdate,
    QuoteTick,
    TradeTick,
)
from argonaut.model.enums import (
    AggregationSource,
    AggressorSide,
    BarAggregation,
    InstrumentCloseType,
    MarketStatusAction,
    PriceType,
)
from argonaut.model.identifiers import InstrumentId, TradeId
from argonaut.model.values import Price, Quantity

IID = InstrumentId("BTCUSDT-PERP.SIM")
MINUTE_LAST = BarSpecification(step=1, aggregation=BarAggregation.MINUTE, price_type=PriceType.LAST)
BAR_TYPE = BarType(instrument_id=IID, spec=MINUTE_LAST)


def px(text: str) -> Price:
    return Price.from_str(text)


def qty(text: str) -> Quantity:
    return Quantity.from_str(text)


def quote() -> QuoteTick:
    return QuoteTick.checked(IID, px("100.0"), px("100.1"), qty("1.000"), qty("2.500"), 10, 11)


def trade() -> TradeTick:
    return TradeTick.checked(
        IID, px("100.1"), qty("0.500"), AggressorSide.BUYER, TradeId("T-1"), 10, 11
    )


def bar(**overrides: Any) -> Bar:
    fields: dict[str, Any] = {
        "bar_type": BAR_TYPE,
        "open": px("100.0"),
        "high": px("101.5"),
        "low": px("99.5"),
        "close": px("101.0"),
        "volume": qty("12.345"),
        "ts_event": 60_000_000_000,
        "ts_init": 60_000_000_001,
    }
    fields.update(overrides)
    return Bar.checked(**fields)


SAMPLES: list[Any] = [
    quote(),
    trade(),
    bar(),
    MarkPriceUpdate(instrument_id=IID, value=px("100.05"), ts_event=1, ts_init=2),
    IndexPriceUpdate(instrument_id=IID, value=px("100.04"), ts_event=1, ts_init=2),
    FundingRateUpdate(
        instrument_id=IID,
        rate=Decimal("0.0001"),
        next_funding_ns=8 * 3600 * 10**9,
        ts_event=1,
        ts_init=2,
    ),
    FundingRateUpdate(instrument_id=IID, rate=Decimal("-0.00025"), ts_event=1, ts_init=2),
    InstrumentStatus(
        instrument_id=IID,
        action=MarketStatusAction.HALT,
        reason="volatility",
        trading_event="LULD",
        is_trading=False,
        is_quoting=True,
        ts_event=1,
        ts_init=2,
    ),
    InstrumentStatus(instrument_id=IID, action=MarketStatusAction.TRADING, ts_event=1, ts_init=2),
    InstrumentClose(
        instrument_id=IID,
        close_price=px("101.0"),
        close_type=InstrumentCloseType.END_OF_SESSION,
        ts_event=1,
        ts_init=2,
    ),
]


# -- quotes ---------------------------------------------------------------------------


def test_quote_from_raw_when_raw_ints_then_equals_checked_construction() -> None:
    built = QuoteTick.from_raw(
        IID, 100_000_000_000, 100_100_000_000, 1_000_000_000, 2_500_000_000, 1, 3, 10, 11
    )
    assert built == quote()
    assert built.bid_price.precision == 1
    assert built.ask_size.precision == 3
    assert str(built) == "BTCUSDT-PERP.SIM,100.0,100.1,1.000,2.500,10"


def test_quote_when_keywords_used_then_same_as_positional() -> None:
    kw = QuoteTick(
        instrument_id=IID,
        bid_price=px("100.0"),
        ask_price=px("100.1"),
        bid_size=qty("1.000"),
        ask_size=qty("2.500"),
        ts_event=10,
        ts_init=11,
    )
    assert kw == quote()


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            (IID, px("100.0"), px("100.10"), qty("1"), qty("1"), 0, 0),
            ValueError,
            "precisions 1 and 2: they must match",
        ),
        (
            (IID, px("100.0"), px("100.1"), qty("1"), qty("1.0"), 0, 0),
            ValueError,
            "bid_size 1 and ask_size 1.0 have precisions 0 and 1",
        ),
        (
            (IID, 100.0, px("100.1"), qty("1"), qty("1"), 0, 0),
            TypeError,
            "bid_price for BTCUSDT-PERP.SIM must be a Price, found float",
        ),
        (
            (IID, px("100.0"), px("100.1"), px("1"), qty("1"), 0, 0),
            TypeError,
            "bid_size .* must be a Quantity, found Price",
        ),
        (
            ("BTCUSDT-PERP.SIM", px("1"), px("1"), qty("1"), qty("1"), 0, 0),
            TypeError,
            "instrument_id must be an InstrumentId, found str",
        ),
        (
            (IID, px("1"), px("1"), qty("1"), qty("1"), -1, 0),
            ValueError,
            "ts_event must be an int of nanoseconds >= 0, found -1",
        ),
        (
            (IID, px("1"), px("1"), qty("1"), qty("1"), 0, 1.0),
            ValueError,
            "ts_init must be .* found 1.0",
        ),
    ],
)
def test_quote_checked_when_invalid_then_error_says_what(
    args: tuple[Any, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        QuoteTick.checked(*args)


def test_quote_checked_when_crossed_then_accepted() -> None:
    crossed = QuoteTick.checked(IID, px("101.0"), px("100.0"), qty("1"), qty("1"), 0, 0)
    assert crossed.bid_price > crossed.ask_price


def test_quote_extract_price_when_mid_then_exact_with_one_more_decimal() -> None:
    tick = quote()
    assert tick.extract_price(PriceType.BID) == px("100.0")
    assert tick.extract_price(PriceType.ASK) == px("100.1")
    mid = tick.extract_price(PriceType.MID)
    assert mid == px("100.05")
    assert mid.precision == 2


def test_quote_extract_price_when_precision_nine_then_mid_rounded_half_even() -> None:
    tick = QuoteTick.from_raw(IID, 1, 2, 1, 1, 9, 0, 0, 0)  # mid 1.5 raw -> 2
    assert tick.extract_price(PriceType.MID) == Price(2, 9)
    tick = QuoteTick.from_raw(IID, 2, 3, 1, 1, 9, 0, 0, 0)  # mid 2.5 raw -> 2
    assert tick.extract_price(PriceType.MID) == Price(2, 9)
    tick = QuoteTick.from_raw(IID, -3, 0, 1, 1, 9, 0, 0, 0)  # mid -1.5 raw -> -2
    assert tick.extract_price(PriceType.MID) == Price(-2, 9)
    assert tick.extract_price(PriceType.MID).precision == 9


def test_quote_extract_size_when_each_type_then_side_or_mean() -> None:
    tick = quote()
    assert tick.extract_size(PriceType.BID) == qty("1.000")
    assert tick.extract_size(PriceType.ASK) == qty("2.500")
    mid = tick.extract_size(PriceType.MID)
    assert mid == qty("1.75")
    assert mid.precision == 4


@pytest.mark.parametrize("price_type", [PriceType.LAST, PriceType.MARK])
def test_quote_extract_when_price_type_not_on_quote_then_value_error(price_type: PriceType) -> None:
    with pytest.raises(ValueError, match=f"a quote has no {price_type.value} price"):
        quote().extract_price(price_type)
    with pytest.raises(ValueError, match=f"a quote has no {price_type.value} size"):
        quote().extract_size(price_type)


@given(
    bid=st.integers(min_value=-(9 * 10**9), max_value=9 * 10**9),
    spread=st.integers(min_value=0, max_value=10**6),
    sizes=st.tuples(st.integers(0, 9 * 10**9), st.integers(0, 9 * 10**9)),
    prec=st.integers(min_value=0, max_value=9),
    ts=st.integers(min_value=0, max_value=2**63 - 1),
)
def test_quote_when_any_values_then_json_and_msgpack_round_trip(
    bid: int, spread: int, sizes: tuple[int, int], prec: int, ts: int
) -> None:
    step = 10 ** (9 - prec)
    tick = QuoteTick.from_raw(
        IID, bid * step, (bid + spread) * step, sizes[0] * step, sizes[1] * step, prec, prec, ts, ts
    )
    for encode, decoder in (
        (
            msgspec.json.Encoder(enc_hook=enc_hook).encode,
            msgspec.json.Decoder(Data, dec_hook=dec_hook),
        ),
        (
            msgspec.msgpack.Encoder(enc_hook=enc_hook).encode,
            msgspec.msgpack.Decoder(Data, dec_hook=dec_hook),
        ),
    ):
        back = decoder.decode(encode(tick))
        assert back == tick
        assert isinstance(back, QuoteTick)
        assert back.bid_price.precision == prec
        mid = back.extract_price(PriceType.MID)
        assert tick.bid_price <= mid <= tick.ask_price


# -- trades ---------------------------------------------------------------------------


def test_trade_from_raw_when_raw_ints_then_equals_checked_construction() -> None:
    built = TradeTick.from_raw(
        IID, 100_100_000_000, 500_000_000, 1, 3, AggressorSide.BUYER, TradeId("T-1"), 10, 11
    )
    assert built == trade()
    assert str(built) == "BTCUSDT-PERP.SIM,100.1,0.500,BUYER,T-1,10"


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        (
            {"size": qty("0.000")},
            ValueError,
            "TradeTick size 0.000 for BTCUSDT-PERP.SIM must be positive",
        ),
        ({"price": 100.1}, TypeError, "price must be a Price, found float"),
        ({"size": 1}, TypeError, "size must be a Quantity, found int"),
        ({"aggressor_side": "BUYER"}, TypeError, "aggressor_side must be an AggressorSide"),
        ({"trade_id": "T-1"}, TypeError, "trade_id must be a TradeId, found str"),
        ({"ts_init": -2}, ValueError, "TradeTick ts_init must be an int of nanoseconds >= 0"),
    ],
)
def test_trade_checked_when_invalid_then_error_says_what(
    overrides: dict[str, Any], error: type[Exception], message: str
) -> None:
    fields: dict[str, Any] = {
        "instrument_id": IID,
        "price": px("100.1"),
        "size": qty("0.500"),
        "aggressor_side": AggressorSide.SELLER,
        "trade_id": TradeId("T-1"),
        "ts_event": 0,
        "ts_init": 0,
    }
    fields.update(overrides)
    with pytest.raises(error, match=message):
        TradeTick.checked(**fields)


# -- bar specification and bar type ---------------------------------------------------


@pytest.mark.parametrize(
    ("aggregation", "step", "expected_ns"),
    [
        (BarAggregation.MILLISECOND, 250, 250_000_000),
        (BarAggregation.SECOND, 5, 5_000_000_000),
        (BarAggregation.MINUTE, 1, 60_000_000_000),
        (BarAggregation.HOUR, 4, 4 * 3_600_000_000_000),
        (BarAggregation.DAY, 1, 86_400_000_000_000),
        (BarAggregation.WEEK, 1, 604_800_000_000_000),
    ],
)
def test_bar_spec_timedelta_when_time_aggregation_then_step_times_unit(
    aggregation: BarAggregation, step: int, expected_ns: int
) -> None:
    spec = BarSpecification(step=step, aggregation=aggregation, price_type=PriceType.MID)
    assert spec.is_time_aggregated()
    assert spec.timedelta_ns == expected_ns


@pytest.mark.parametrize(
    "aggregation", [BarAggregation.MONTH, BarAggregation.TICK, BarAggregation.VOLUME]
)
def test_bar_spec_timedelta_when_no_fixed_duration_then_value_error(
    aggregation: BarAggregation,
) -> None:
    spec = BarSpecification(step=1, aggregation=aggregation, price_type=PriceType.LAST)
    assert spec.is_time_aggregated() is (aggregation is BarAggregation.MONTH)
    with pytest.raises(ValueError, match=r"has no fixed duration"):
        _ = spec.timedelta_ns


@pytest.mark.parametrize("step", [0, -1, 1.5, True])
def test_bar_spec_when_step_not_positive_int_then_value_error(step: Any) -> None:
    with pytest.raises(ValueError, match=r"must be a positive int"):
        BarSpecification(step=step, aggregation=BarAggregation.TICK, price_type=PriceType.LAST)


def test_bar_spec_from_str_when_valid_then_round_trips() -> None:
    spec = BarSpecification.from_str("100-TICK-BID")
    assert spec == BarSpecification(
        step=100, aggregation=BarAggregation.TICK, price_type=PriceType.BID
    )
    assert str(spec) == "100-TICK-BID"
    with pytest.raises(ValueError, match=r"expected STEP-AGGREGATION-PRICE_TYPE"):
        BarSpecification.from_str("1-MINUTE")
    with pytest.raises(ValueError, match=r"'X' is not a PriceType"):
        BarSpecification.from_str("1-MINUTE-X")


@pytest.mark.parametrize(
    "text",
    [
        "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL",
        "BTCUSDT.BINANCE-100-TICK-MID-INTERNAL",
        "ES-H5-FUT.XCME-15-SECOND-BID-EXTERNAL",
        "EUR/USD.SIM-1-DAY-ASK-INTERNAL",
        "X.SIM-1000000-VALUE-LAST-EXTERNAL",
    ],
)
def test_bar_type_from_str_when_valid_then_str_round_trips(text: str) -> None:
    bar_type = BarType.from_str(text)
    assert str(bar_type) == text
    assert BarType.from_str(str(bar_type)) == bar_type


def test_bar_type_from_str_when_symbol_has_dashes_then_parts_split_from_the_right() -> None:
    bar_type = BarType.from_str("BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL")
    assert bar_type.instrument_id == IID
    assert bar_type.spec == MINUTE_LAST
    assert bar_type.aggregation_source is AggregationSource.EXTERNAL
    assert bar_type.is_externally_aggregated()
    assert not bar_type.is_internally_aggregated()
    assert bar_type == BAR_TYPE
    assert hash(bar_type) == hash(BAR_TYPE)


def test_bar_type_from_str_when_lower_case_enums_then_accepted() -> None:
    assert BarType.from_str("BTCUSDT-PERP.SIM-1-minute-last-external") == BAR_TYPE


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "expected INSTRUMENT_ID-STEP-AGGREGATION-PRICE_TYPE-SOURCE"),
        ("BTCUSDT.SIM", "expected INSTRUMENT_ID"),
        ("BTCUSDT.SIM-1-MINUTE-LAST", "the aggregation source (EXTERNAL or INTERNAL) is missing"),
        (
            "BTCUSDT-PERP.SIM-1-MINUTE-LAST",
            "the aggregation source (EXTERNAL or INTERNAL) is missing",
        ),
        ("-1-MINUTE-LAST-EXTERNAL", "expected INSTRUMENT_ID"),
        ("BTCUSDT-1-MINUTE-LAST-EXTERNAL", "instrument id 'BTCUSDT' is invalid"),
        ("X.SIM-0-MINUTE-LAST-EXTERNAL", "bar step 0 must be a positive int"),
        ("X.SIM-a-MINUTE-LAST-EXTERNAL", "step 'a' is not a positive integer"),
        ("X.SIM-1-MINUTES-LAST-EXTERNAL", "'MINUTES' is not a BarAggregation"),
        ("X.SIM-1-MINUTE-LASTS-EXTERNAL", "'LASTS' is not a PriceType"),
        ("X.SIM-1-MINUTE-LAST-OUTSIDE", "'OUTSIDE' is not a AggregationSource"),
    ],
)
def test_bar_type_from_str_when_malformed_then_value_error_shows_form(
    text: str, detail: str
) -> None:
    with pytest.raises(ValueError, match=r"bar type .* is invalid") as info:
        BarType.from_str(text)
    assert detail in str(info.value)
    assert "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL" in str(info.value)


def test_bar_type_when_fields_wrong_types_then_type_error() -> None:
    with pytest.raises(TypeError, match=r"instrument_id must be an InstrumentId"):
        BarType(instrument_id="X.SIM", spec=MINUTE_LAST)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"spec must be a BarSpecification"):
        BarType(instrument_id=IID, spec="1-MINUTE-LAST")  # type: ignore[arg-type]


@given(
    symbol=st.from_regex(r"[A-Z0-9][A-Z0-9/_-]{0,15}", fullmatch=True),
    venue=st.from_regex(r"[A-Z][A-Z0-9-]{0,7}", fullmatch=True),
    step=st.integers(min_value=1, max_value=10**9),
    aggregation=st.sampled_from(BarAggregation),
    price_type=st.sampled_from(PriceType),
    source=st.sampled_from(AggregationSource),
)
def test_bar_type_when_any_parts_then_format_parse_round_trip(
    symbol: str,
    venue: str,
    step: int,
    aggregation: BarAggregation,
    price_type: PriceType,
    source: AggregationSource,
) -> None:
    bar_type = BarType(
        instrument_id=InstrumentId(f"{symbol}.{venue}"),
        spec=BarSpecification(step=step, aggregation=aggregation, price_type=price_type),
        aggregation_source=source,
    )
    assert BarType.from_str(str(bar_type)) == bar_type


# -- bars -----------------------------------------------------------------------------


def test_bar_checked_when_consistent_then_built() -> None:
    built = bar()
    assert built.instrument_id == IID
    assert str(built) == (
        "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL,100.0,101.5,99.5,101.0,12.345,60000000000"
    )
    flat = bar(open=px("1.0"), high=px("1.0"), low=px("1.0"), close=px("1.0"), volume=qty("0"))
    assert flat.high == flat.low


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        ({"high": px("99.0")}, ValueError, "high 99.0 is below low 99.5"),
        ({"open": px("102.0")}, ValueError, "open 102.0 is above high 101.5"),
        ({"close": px("102.0")}, ValueError, "close 102.0 is above high 101.5"),
        ({"open": px("99.0")}, ValueError, "open 99.0 is below low 99.5"),
        ({"close": px("99.4")}, ValueError, "close 99.4 is below low 99.5"),
        (
            {"close": px("101.00")},
            ValueError,
            r"must share one precision, found .*close 101.00 \(2\)",
        ),
        ({"volume": 1.0}, TypeError, "volume .* must be a Quantity"),
        ({"low": 99.5}, TypeError, "low for .* must be a Price, found float"),
        (
            {"bar_type": "BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL"},
            TypeError,
            "bar_type must be a BarType",
        ),
        ({"ts_event": -1}, ValueError, "Bar ts_event must be an int of nanoseconds >= 0"),
    ],
)
def test_bar_checked_when_inconsistent_then_error_says_what(
    overrides: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        bar(**overrides)


# -- other updates --------------------------------------------------------------------


def test_funding_rate_when_not_finite_decimal_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"must be a finite Decimal"):
        FundingRateUpdate(instrument_id=IID, rate=0.0001, ts_event=0, ts_init=0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"must be a finite Decimal"):
        FundingRateUpdate(instrument_id=IID, rate=Decimal("NaN"), ts_event=0, ts_init=0)
    with pytest.raises(ValueError, match=r"next_funding_ns -1 .* must be an int >= 0 or None"):
        FundingRateUpdate(
            instrument_id=IID, rate=Decimal("0.0001"), next_funding_ns=-1, ts_event=0, ts_init=0
        )


def test_instrument_status_when_optional_flags_omitted_then_none() -> None:
    status = InstrumentStatus(
        instrument_id=IID, action=MarketStatusAction.PAUSE, ts_event=0, ts_init=0
    )
    assert status.reason is None
    assert status.is_trading is None
    assert status.is_quoting is None


# -- the set of data types and serialization ------------------------------------------


def test_data_types_when_listed_then_every_sample_type_is_covered() -> None:
    assert {type(s) for s in SAMPLES} == set(DATA_TYPES)
    for data_type in DATA_TYPES:
        info = msgspec.inspect.type_info(data_type)
        assert isinstance(info, msgspec.inspect.StructType)
        assert info.tag == data_type.__name__
        names = [f.name for f in info.fields]
        assert {"ts_event", "ts_init"} <= set(names)
        assert data_type.__struct_config__.frozen
        assert not data_type.__struct_config__.gc


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_json_round_trip_when_encoded_then_decodes_equal(sample: Any) -> None:
    data = msgspec.json.Encoder(enc_hook=enc_hook).encode(sample)
    assert msgspec.json.Decoder(type(sample), dec_hook=dec_hook).decode(data) == sample
    back = msgspec.json.Decoder(Data, dec_hook=dec_hook).decode(data)
    assert back == sample
    assert type(back) is type(sample)
    assert type(back.instrument_id) is InstrumentId
    assert msgspec.json.decode(data)["type"] == type(sample).__name__


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_msgpack_round_trip_when_encoded_then_decodes_equal(sample: Any) -> None:
    data = msgspec.msgpack.Encoder(enc_hook=enc_hook).encode(sample)
    back = msgspec.msgpack.Decoder(Data, dec_hook=dec_hook).decode(data)
    assert back == sample
    assert type(back) is type(sample)


@pytest.mark.parametrize("value", [BAR_TYPE, MINUTE_LAST], ids=lambda v: type(v).__name__)
def test_bar_type_and_spec_when_serialized_alone_then_round_trip(value: Any) -> None:
    for module in (msgspec.json, msgspec.msgpack):
        data = module.encode(value, enc_hook=enc_hook)
        assert module.decode(data, type=type(value), dec_hook=dec_hook) == value


def test_decode_when_bar_spec_step_zero_then_validation_error() -> None:
    data = msgspec.json.encode(bar(), enc_hook=enc_hook).replace(b'"step":1', b'"step":0')
    with pytest.raises(msgspec.ValidationError, match=r"bar step 0 must be a positive int"):
        msgspec.json.Decoder(Data, dec_hook=dec_hook).decode(data)
