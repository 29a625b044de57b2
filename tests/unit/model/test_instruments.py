from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.enums import AssetClass, InstrumentClass, OptionKind
from argonaut.model.identifiers import InstrumentId, Symbol
from argonaut.model.instruments import (
    INSTRUMENT_TYPES,
    AnyInstrument,
    CryptoFuture,
    CryptoPerpetual,
    CurrencyPair,
    Equity,
    FuturesContract,
    Instrument,
    OptionContract,
)
from argonaut.model.values import BTC, EUR, USD, USDT, Money, Price, Quantity

NS_2024 = 1_704_067_200_000_000_000
NS_2025 = 1_735_689_600_000_000_000


def px(text: str) -> Price:
    return Price.from_str(text)


def qty(text: str) -> Quantity:
    return Quantity.from_str(text)


def perp(**overrides: Any) -> CryptoPerpetual:
    fields: dict[str, Any] = {
        "id": InstrumentId("BTCUSDT-PERP.SIM"),
        "raw_symbol": Symbol("BTCUSDT"),
        "base_currency": BTC,
        "quote_currency": USDT,
        "settlement_currency": USDT,
        "price_precision": 1,
        "size_precision": 3,
        "price_increment": px("0.1"),
        "size_increment": qty("0.001"),
        "max_quantity": qty("1000.000"),
        "min_quantity": qty("0.001"),
        "max_notional": Money.from_str("1000000 USDT"),
        "min_notional": Money.from_str("5 USDT"),
        "max_price": px("1000000.0"),
        "min_price": px("0.1"),
        "margin_init": Decimal("0.01"),
        "margin_maint": Decimal("0.005"),
        "maker_fee": Decimal("-0.0001"),
        "taker_fee": Decimal("0.0005"),
        "ts_event": 1,
        "ts_init": 2,
    }
    fields.update(overrides)
    return CryptoPerpetual(**fields)


def inverse_perp(**overrides: Any) -> CryptoPerpetual:
    fields: dict[str, Any] = {
        "id": InstrumentId("XBTUSD-PERP.SIM"),
        "raw_symbol": Symbol("XBTUSD"),
        "base_currency": BTC,
        "quote_currency": USD,
        "settlement_currency": BTC,
        "is_inverse": True,
        "price_precision": 1,
        "size_precision": 0,
        "price_increment": px("0.5"),
        "size_increment": qty("1"),
        "ts_event": 0,
        "ts_init": 0,
    }
    fields.update(overrides)
    return CryptoPerpetual(**fields)


def fx_pair() -> CurrencyPair:
    return CurrencyPair(
        id=InstrumentId("EUR/USD.SIM"),
        raw_symbol=Symbol("EUR/USD"),
        asset_class=AssetClass.FX,
        base_currency=EUR,
        quote_currency=USD,
        settlement_currency=USD,
        price_precision=5,
        size_precision=0,
        price_increment=px("0.00001"),
        size_increment=qty("1"),
        lot_size=qty("1000"),
        ts_event=0,
        ts_init=0,
    )


def crypto_future(**overrides: Any) -> CryptoFuture:
    fields: dict[str, Any] = {
        "id": InstrumentId("BTCUSDT-250328.SIM"),
        "raw_symbol": Symbol("BTCUSDT_250328"),
        "base_currency": BTC,
        "quote_currency": USDT,
        "settlement_currency": USDT,
        "price_precision": 1,
        "size_precision": 3,
        "price_increment": px("0.1"),
        "size_increment": qty("0.001"),
        "activation_ns": NS_2024,
        "expiration_ns": NS_2025,
        "ts_event": 0,
        "ts_init": 0,
    }
    fields.update(overrides)
    return CryptoFuture(**fields)


def equity(**overrides: Any) -> Equity:
    fields: dict[str, Any] = {
        "id": InstrumentId("AAPL.XNAS"),
        "raw_symbol": Symbol("AAPL"),
        "quote_currency": USD,
        "settlement_currency": USD,
        "price_precision": 2,
        "size_precision": 0,
        "price_increment": px("0.01"),
        "size_increment": qty("1"),
        "isin": "US0378331005",
        "ts_event": 0,
        "ts_init": 0,
    }
    fields.update(overrides)
    return Equity(**fields)


def es_future(**overrides: Any) -> FuturesContract:
    fields: dict[str, Any] = {
        "id": InstrumentId("ESH5.XCME"),
        "raw_symbol": Symbol("ESH5"),
        "asset_class": AssetClass.INDEX,
        "quote_currency": USD,
        "settlement_currency": USD,
        "price_precision": 2,
        "size_precision": 0,
        "price_increment": px("0.25"),
        "size_increment": qty("1"),
        "multiplier": qty("50"),
        "underlying": "ES",
        "exchange": "XCME",
        "activation_ns": NS_2024,
        "expiration_ns": NS_2025,
        "ts_event": 0,
        "ts_init": 0,
    }
    fields.update(overrides)
    return FuturesContract(**fields)


def option(**overrides: Any) -> OptionContract:
    fields: dict[str, Any] = {
        "id": InstrumentId("AAPL250117C00150000.OPRA"),
        "raw_symbol": Symbol("AAPL250117C00150000"),
        "asset_class": AssetClass.EQUITY,
        "quote_currency": USD,
        "settlement_currency": USD,
        "price_precision": 2,
        "size_precision": 0,
        "price_increment": px("0.01"),
        "size_increment": qty("1"),
        "multiplier": qty("100"),
        "underlying": "AAPL",
        "option_kind": OptionKind.CALL,
        "strike_price": px("150.00"),
        "activation_ns": NS_2024,
        "expiration_ns": NS_2025,
        "ts_event": 0,
        "ts_init": 0,
    }
    fields.update(overrides)
    return OptionContract(**fields)


ALL_SAMPLES: list[Callable[[], Instrument]] = [
    perp,
    inverse_perp,
    fx_pair,
    crypto_future,
    equity,
    es_future,
    option,
]


# -- construction ---------------------------------------------------------------------


@pytest.mark.parametrize("factory", ALL_SAMPLES)
def test_construct_when_fields_valid_then_instrument_class_matches_type(factory: Any) -> None:
    inst = factory()
    assert inst.instrument_class is inst.EXPECTED_CLASS
    assert isinstance(inst, Instrument)


def test_instrument_types_when_listed_then_every_concrete_type_once() -> None:
    assert set(INSTRUMENT_TYPES) == {type(f()) for f in ALL_SAMPLES}
    assert len(INSTRUMENT_TYPES) == 6


def test_construct_when_base_class_then_type_error() -> None:
    with pytest.raises(TypeError, match=r"Instrument is abstract"):
        Instrument(
            id=InstrumentId("X.SIM"),
            raw_symbol=Symbol("X"),
            asset_class=AssetClass.EQUITY,
            instrument_class=InstrumentClass.SPOT,
            quote_currency=USD,
            settlement_currency=USD,
            price_precision=2,
            size_precision=0,
            price_increment=px("0.01"),
            size_increment=qty("1"),
            ts_event=0,
            ts_init=0,
        )


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        (
            {"price_increment": px("0.01")},
            ValueError,
            "price_increment 0.01 .* precision 2, but price_precision is 1",
        ),
        (
            {"size_increment": qty("0.01")},
            ValueError,
            "size_increment 0.01 .* but size_precision is 3",
        ),
        ({"price_increment": Price(0, 1)}, ValueError, "price_increment 0.0 .* must be positive"),
        (
            {"size_increment": Quantity(0, 3)},
            ValueError,
            "size_increment 0.000 .* must be positive",
        ),
        (
            {"price_increment": Price(123, 1)},
            ValueError,
            "has more decimals than price_precision 1",
        ),
        (
            {"price_precision": 10},
            ValueError,
            "precision 10 of price_precision of BTCUSDT-PERP.SIM",
        ),
        (
            {"multiplier": Quantity(0, 0)},
            ValueError,
            "multiplier 0 of BTCUSDT-PERP.SIM must be positive",
        ),
        ({"lot_size": Quantity(0, 0)}, ValueError, "lot_size 0 of .* must be positive"),
        (
            {"min_quantity": qty("2.000"), "max_quantity": qty("1.000")},
            ValueError,
            "min_quantity 2.000 .* exceeds max_quantity 1.000",
        ),
        ({"max_quantity": Quantity(0, 3)}, ValueError, "max_quantity 0.000 .* must be positive"),
        (
            {"min_notional": Money.from_str("10 USDT"), "max_notional": Money.from_str("5 USDT")},
            ValueError,
            "min_notional 10.00000000 USDT .* exceeds max_notional",
        ),
        ({"min_notional": Money.from_str("1 USD")}, ValueError, "must be in one currency"),
        (
            {"min_notional": Money.from_str("-1 USDT")},
            ValueError,
            "min_notional -1.00000000 USDT .* must be >= 0",
        ),
        (
            {"min_price": px("10.0"), "max_price": px("5.0")},
            ValueError,
            "min_price 10.0 .* exceeds max_price 5.0",
        ),
        (
            {"min_price": px("-1.0")},
            ValueError,
            "min_price -1.0 .* CryptoPerpetual does not allow negative prices",
        ),
        (
            {"maker_fee": 0.001},
            TypeError,
            r"maker_fee .* must be a Decimal \(e.g. Decimal\('0.001'\)\), found float",
        ),
        ({"taker_fee": Decimal("NaN")}, ValueError, "taker_fee NaN .* is not finite"),
        ({"margin_init": Decimal("-0.1")}, ValueError, "margins of .* must be >= 0"),
        (
            {"instrument_class": InstrumentClass.SPOT},
            ValueError,
            "instrument_class of CryptoPerpetual .* expected SWAP",
        ),
        (
            {"ts_event": -1},
            ValueError,
            "ts_event of .* must be an int of nanoseconds >= 0, found -1",
        ),
        ({"ts_init": 1.5}, ValueError, "ts_init .* found 1.5"),
        (
            {"id": "BTCUSDT-PERP.SIM"},
            TypeError,
            "CryptoPerpetual.id must be an InstrumentId, found str",
        ),
        ({"raw_symbol": "BTCUSDT"}, TypeError, "raw_symbol of BTCUSDT-PERP.SIM must be a Symbol"),
        (
            {"quote_currency": "USDT"},
            TypeError,
            "quote_currency of .* must be a Currency, found str",
        ),
        (
            {"price_increment": qty("0.1")},
            TypeError,
            "price_increment of .* must be a Price, found Quantity",
        ),
        ({"min_price": 0.1}, TypeError, "min_price of .* must be a Price, found float"),
    ],
)
def test_construct_when_field_invalid_then_error_names_field(
    overrides: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        perp(**overrides)


def test_construct_when_inverse_without_base_currency_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"inverse instrument AAPL.XNAS has no base_currency"):
        equity(is_inverse=True)


def test_construct_when_activation_not_before_expiration_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"activation_ns .* must be before expiration_ns"):
        crypto_future(activation_ns=NS_2025, expiration_ns=NS_2025)
    with pytest.raises(ValueError, match=r"expiration_ns of .* must be an int of nanoseconds >= 0"):
        es_future(expiration_ns=-5)


@pytest.mark.parametrize("isin", ["US037833100", "us0378331005", "US037833100X", "U10378331005"])
def test_construct_equity_when_isin_malformed_then_value_error(isin: str) -> None:
    with pytest.raises(ValueError, match=f"isin '{isin}' of AAPL.XNAS is invalid: expected 12"):
        equity(isin=isin)


def test_construct_equity_when_isin_omitted_then_none() -> None:
    assert equity(isin=None).isin is None


def test_construct_option_when_strike_not_positive_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"strike_price 0.00 of .* must be positive"):
        option(strike_price=px("0.00"))


def test_construct_option_when_kind_not_enum_then_type_error() -> None:
    with pytest.raises(TypeError, match=r"option_kind of .* must be a OptionKind, found str"):
        option(option_kind="CALL")


def test_construct_future_when_underlying_blank_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"underlying of ESH5.XCME is empty"):
        es_future(underlying=" ")


def test_construct_future_when_negative_min_price_then_allowed() -> None:
    inst = es_future(min_price=px("-100.00"))
    assert inst.allows_negative_price()
    assert inst.min_price == px("-100.00")


# -- identity and currencies ----------------------------------------------------------


def test_identity_helpers_when_called_then_report_parts_and_currencies() -> None:
    inst = inverse_perp()
    assert inst.symbol == "XBTUSD-PERP"
    assert inst.venue == "SIM"
    assert inst.get_base_currency() == BTC
    assert inst.get_settlement_currency() == BTC
    assert not inst.is_spread()
    assert equity().get_base_currency() is None


@pytest.mark.parametrize(
    ("factory", "allowed"),
    [
        (perp, False),
        (fx_pair, False),
        (equity, False),
        (crypto_future, False),
        (es_future, True),
        (option, False),
    ],
)
def test_allows_negative_price_when_asked_then_only_futures_contracts(
    factory: Any, allowed: bool
) -> None:
    assert factory().allows_negative_price() is allowed


def test_has_expired_when_at_expiration_then_true() -> None:
    inst = crypto_future()
    assert not inst.has_expired(NS_2025 - 1)
    assert inst.has_expired(NS_2025)


# -- make_price / make_qty ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100.05", "100.0"),  # half-even: the 0 is even
        ("100.15", "100.2"),
        (100.05, "100.0"),  # float read at its repr, not 100.0499999...
        (100.25, "100.2"),
        (Decimal("99.96"), "100.0"),
        (7, "7.0"),
        ("-3.25", "-3.2"),
        (px("1.2345"), "1.2"),
    ],
)
def test_make_price_when_value_given_then_rounded_half_even_to_precision(
    value: Any, expected: str
) -> None:
    price = perp().make_price(value)
    assert price == px(expected)
    assert price.precision == 1


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (float("nan"), ValueError, "price nan is not finite"),
        (float("inf"), ValueError, "price inf is not finite"),
        ("abc", ValueError, "price 'abc' is not a decimal number"),
        (Decimal("Infinity"), ValueError, "is not finite"),
        (True, TypeError, "price must be a number, found bool"),
        ([1], TypeError, "price must be a float, str, Decimal or int, found list"),
        ("1e30", ValueError, "price raw .* is out of range"),
    ],
)
def test_make_price_when_value_bad_then_error(
    value: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        perp().make_price(value)


@given(st.integers(min_value=-(9 * 10**10), max_value=9 * 10**10))
def test_make_price_when_text_of_a_price_then_round_trips(units: int) -> None:
    inst = perp()
    price = Price(units * 10**8, 1)
    assert inst.make_price(str(price)) == price
    assert inst.make_price(price.as_decimal()) == price


@given(st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=6))
def test_make_price_when_any_decimal_then_within_half_tick(value: Decimal) -> None:
    price = perp().make_price(value)
    assert abs(price.as_decimal() - value) <= Decimal("0.05")


def test_make_qty_when_round_down_then_truncated() -> None:
    inst = perp()
    assert inst.make_qty("1.2345") == qty("1.234")
    assert inst.make_qty("1.2355") == qty("1.236")
    assert inst.make_qty("1.2359", round_down=True) == qty("1.235")
    assert inst.make_qty(2).precision == 3


def test_make_qty_when_positive_rounds_to_zero_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"quantity '0.0004' for BTCUSDT-PERP.SIM rounds to zero"):
        perp().make_qty("0.0004")
    assert perp().make_qty(0) == Quantity(0, 3)


def test_make_qty_when_negative_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"quantity -1 for BTCUSDT-PERP.SIM is negative"):
        perp().make_qty(-1)


# -- grids ----------------------------------------------------------------------------


def test_price_on_grid_when_quarter_tick_then_exact_multiples_only() -> None:
    inst = es_future()
    assert inst.price_on_grid(px("4500.25"))
    assert inst.price_on_grid(px("-0.75"))
    assert not inst.price_on_grid(px("4500.10"))
    assert not inst.price_on_grid(px("4500.251"))


def test_quantity_on_grid_when_off_increment_then_false() -> None:
    inst = perp()
    assert inst.quantity_on_grid(qty("0.123"))
    assert not inst.quantity_on_grid(qty("0.1234"))


def test_check_price_when_off_tick_then_message_names_tick_and_instrument() -> None:
    with pytest.raises(
        ValueError,
        match=r"price 100.05 is not a multiple of the tick size 0.1 for BTCUSDT-PERP.SIM",
    ):
        perp().check_price(px("100.05"))
    with pytest.raises(ValueError, match=r"exceeds max_price"):
        perp().check_price(px("2000000.0"))
    with pytest.raises(ValueError, match=r"is below min_price"):
        perp().check_price(px("0.0"))
    perp().check_price(px("100.1"))


def test_check_quantity_when_off_grid_or_out_of_limits_then_value_error() -> None:
    inst = perp()
    with pytest.raises(
        ValueError, match=r"quantity 0.0015 is not a multiple of the size increment"
    ):
        inst.check_quantity(qty("0.0015"))
    with pytest.raises(ValueError, match=r"exceeds max_quantity 1000.000"):
        inst.check_quantity(qty("1000.001"))
    with pytest.raises(ValueError, match=r"is below min_quantity 0.001"):
        inst.check_quantity(qty("0.000"))
    inst.check_quantity(qty("0.002"))


@pytest.mark.parametrize(
    ("value", "ticks", "bid", "ask"),
    [
        ("4500.10", 0, "4500.00", "4500.25"),
        ("4500.25", 0, "4500.25", "4500.25"),
        ("4500.25", 2, "4499.75", "4500.75"),
        (4500.3, 0, "4500.25", "4500.50"),
        ("-0.10", 0, "-0.25", "0.00"),
        (px("4500.26"), 1, "4500.00", "4500.75"),
    ],
)
def test_next_bid_and_ask_price_when_value_given_then_floor_and_ceil_to_grid(
    value: Any, ticks: int, bid: str, ask: str
) -> None:
    inst = es_future()
    assert inst.next_bid_price(value, ticks) == px(bid)
    assert inst.next_ask_price(value, num_ticks=ticks) == px(ask)
    assert inst.next_bid_price(value).precision == 2


def test_next_bid_price_when_num_ticks_negative_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"num_ticks -1 must be an int >= 0"):
        es_future().next_bid_price("1.00", -1)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_next_prices_when_any_raw_price_then_bracket_it_on_the_grid(raw: int) -> None:
    inst = es_future()
    price = Price(raw, 9)
    bid = inst.next_bid_price(price)
    ask = inst.next_ask_price(price)
    assert bid <= price <= ask
    assert inst.price_on_grid(bid)
    assert inst.price_on_grid(ask)
    assert ask.raw - bid.raw in (0, inst.price_increment.raw)
    assert (ask.raw == bid.raw) == inst.price_on_grid(price)


# -- notional -------------------------------------------------------------------------


def test_notional_value_when_linear_then_qty_times_price_in_quote() -> None:
    # 1.5 * 20000.1 = 30000.15 USDT
    assert perp().notional_value(qty("1.5"), px("20000.1")) == Money.from_str("30000.15 USDT")


def test_notional_value_when_multiplier_then_included() -> None:
    # 2 contracts * 1.25 * 100 = 250.00 USD; ES: 3 * 4500.25 * 50 = 675037.50 USD
    assert option().notional_value(qty("2"), px("1.25")) == Money.from_str("250.00 USD")
    assert es_future().notional_value(qty("3"), px("4500.25")) == Money.from_str("675037.50 USD")


def test_notional_value_when_finer_than_currency_then_rounded_half_even() -> None:
    # 3 * 1.00005 = 3.00015 -> 3.00 USD; 5 * 1.00001 = 5.00005 -> 5.00 (half-even)
    pair = fx_pair()
    assert pair.notional_value(qty("3"), px("1.00005")) == Money.from_str("3.00 USD")
    assert pair.notional_value(qty("5"), px("1.00001")) == Money.from_str("5.00 USD")
    assert pair.notional_value(qty("1000"), px("1.00005")) == Money.from_str("1000.05 USD")
    assert pair.notional_value(qty("500"), px("1.00003")) == Money.from_str("500.02 USD")  # 500.015


def test_notional_value_when_inverse_then_qty_over_price_in_base() -> None:
    inst = inverse_perp()
    # 100 contracts of 1 USD at 50000.0 = 100 / 50000 = 0.002 BTC
    assert inst.notional_value(qty("100"), px("50000.0")) == Money.from_str("0.002 BTC")
    # 1 / 30000 = 0.0000333333... -> 0.00003333 BTC
    assert inst.notional_value(qty("1"), px("30000.0")) == Money.from_str("0.00003333 BTC")
    # 2 / 30000 = 0.0000666666... -> 0.00006667 BTC
    assert inst.notional_value(qty("2"), px("30000.0")) == Money.from_str("0.00006667 BTC")


def test_notional_value_when_inverse_and_quote_asked_then_qty_times_multiplier() -> None:
    inst = inverse_perp(multiplier=qty("10"))
    value = inst.notional_value(qty("100"), px("50000.0"), use_quote_for_inverse=True)
    assert value == Money.from_str("1000.00 USD")


def test_notional_value_when_inverse_and_price_zero_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"price 0.0 must be positive for the notional of inverse"):
        inverse_perp().notional_value(qty("1"), px("0.0"))


def test_calculate_base_quantity_when_linear_then_quote_over_price() -> None:
    inst = perp()
    assert inst.calculate_base_quantity(qty("1000"), px("20000.0")) == qty("0.050")
    # 100 / 30000 = 0.003333 -> 0.003
    assert inst.calculate_base_quantity(qty("100"), px("30000.0")) == qty("0.003")
    # 35 / 20000 = 0.00175 -> half-even 0.002, down 0.001
    assert inst.calculate_base_quantity(qty("35"), px("20000.0")) == qty("0.002")
    assert inst.calculate_base_quantity(qty("35"), px("20000.0"), round_down=True) == qty("0.001")


def test_calculate_base_quantity_when_multiplier_then_divided_out() -> None:
    # 1000 USD / (5.00 * 100) = 2 contracts
    assert option().calculate_base_quantity(qty("1000"), px("5.00")) == qty("2")


def test_calculate_base_quantity_when_inverse_then_quote_over_multiplier() -> None:
    inst = inverse_perp(multiplier=qty("10"))
    assert inst.calculate_base_quantity(qty("1000"), px("50000.0")) == qty("100")


def test_calculate_base_quantity_when_price_not_positive_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"last_px 0.0 must be positive"):
        perp().calculate_base_quantity(qty("1"), px("0.0"))


@given(
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=10**7),
)
def test_notional_value_when_linear_then_matches_decimal_product(units: int, ticks: int) -> None:
    inst = perp()
    quantity = Quantity(units * 10**6, 3)
    price = Price(ticks * 10**8, 1)
    exact = quantity.as_decimal() * price.as_decimal()
    assert inst.notional_value(quantity, price).as_decimal() == exact.quantize(Decimal("1e-8"))


# -- serialization --------------------------------------------------------------------


@pytest.mark.parametrize("factory", ALL_SAMPLES)
def test_json_round_trip_when_encoded_then_decodes_equal(factory: Any) -> None:
    inst = factory()
    data = msgspec.json.Encoder(enc_hook=enc_hook).encode(inst)
    assert msgspec.json.Decoder(type(inst), dec_hook=dec_hook).decode(data) == inst
    decoded = msgspec.json.Decoder(AnyInstrument, dec_hook=dec_hook).decode(data)
    assert decoded == inst
    assert type(decoded) is type(inst)
    assert type(decoded.id) is InstrumentId
    assert msgspec.json.decode(data)["type"] == type(inst).__name__


@pytest.mark.parametrize("factory", ALL_SAMPLES)
def test_msgpack_round_trip_when_encoded_then_decodes_equal(factory: Any) -> None:
    inst = factory()
    data = msgspec.msgpack.Encoder(enc_hook=enc_hook).encode(inst)
    decoded = msgspec.msgpack.Decoder(AnyInstrument, dec_hook=dec_hook).decode(data)
    assert decoded == inst
    assert type(decoded.raw_symbol) is Symbol


def test_decode_when_limits_inconsistent_then_validation_error() -> None:
    inst = perp()
    raw = msgspec.json.decode(msgspec.json.encode(inst, enc_hook=enc_hook))
    raw["min_quantity"] = [5_000 * FIXED_SCALAR, 3]
    with pytest.raises(msgspec.ValidationError, match=r"exceeds max_quantity"):
        msgspec.json.Decoder(AnyInstrument, dec_hook=dec_hook).decode(msgspec.json.encode(raw))
