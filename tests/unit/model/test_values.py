from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.model.codec import dec_hook, enc_hook
from argonaut.model.values import (
    BTC,
    USD,
    USDT,
    Currency,
    Money,
    Price,
    Quantity,
    round_raw,
)

prices = st.builds(
    lambda raw, prec: Price.checked(raw - raw % 10 ** (9 - prec), prec),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.integers(min_value=0, max_value=9),
)
quantities = st.builds(
    lambda raw, prec: Quantity.checked(raw - raw % 10 ** (9 - prec), prec),
    st.integers(min_value=0, max_value=10**18),
    st.integers(min_value=0, max_value=9),
)


def test_price_when_parsed_then_exact_and_formatted() -> None:
    price = Price.from_str("100.05")
    assert price.raw == 100_050_000_000
    assert price.precision == 2
    assert str(price) == "100.05"
    assert repr(price) == "Price('100.05')"


def test_price_when_different_precision_same_value_then_equal_and_same_hash() -> None:
    assert Price.from_str("1.0") == Price.from_str("1.00")
    assert hash(Price.from_str("1.0")) == hash(Price.from_str("1.00"))
    assert not Price.from_str("1.0") < Price.from_str("1.00")


def test_price_add_when_precisions_differ_then_larger_precision() -> None:
    total = Price.from_str("1.5") + Price.from_str("0.25")
    assert total == Price.from_str("1.75")
    assert total.precision == 2


def test_price_when_negative_then_allowed() -> None:
    assert (-Price.from_str("1.5")).as_decimal() == Decimal("-1.5")


def test_price_when_excess_precision_then_refused() -> None:
    with pytest.raises(ValueError, match="more decimals than its precision 1"):
        Price.from_str("100.05", 1)
    with pytest.raises(ValueError, match="more decimals than its precision 1"):
        Price.from_float(100.05, 1)


def test_price_when_overflow_then_refused_naming_limit() -> None:
    with pytest.raises(ValueError, match="out of range"):
        Price.from_int(10_000_000_000)


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_price_when_not_finite_then_refused(value: float) -> None:
    with pytest.raises(ValueError, match="not finite"):
        Price.from_float(value, 2)


def test_checked_when_raw_not_int_then_type_error() -> None:
    with pytest.raises(TypeError, match="must be an int"):
        Price.checked(1.5, 1)  # type: ignore[arg-type]


def test_quantity_when_negative_then_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Quantity.from_str("-1")
    with pytest.raises(ValueError, match="negative"):
        Quantity.from_int(1) - Quantity.from_int(2)


def test_quantity_when_overflow_then_refused() -> None:
    with pytest.raises(ValueError, match="out of range"):
        Quantity.from_int(10_000_000_000)


def test_quantity_mul_when_int_then_exact() -> None:
    assert Quantity.from_str("0.001") * 3 == Quantity.from_str("0.003")
    assert 2 * Quantity.from_str("0.5") == Quantity.from_int(1)


def test_money_when_parsed_then_rounded_half_even_to_currency() -> None:
    assert Money.from_str("100.255 USD") == Money.from_str("100.26", USD)
    assert Money.from_str("100.245 USD") == Money.from_str("100.24", USD)
    assert str(Money.from_str("1.5 USD")) == "1.50 USD"


def test_money_when_currencies_differ_then_refused() -> None:
    with pytest.raises(ValueError, match="currencies differ"):
        Money.from_str("1 USD") + Money.from_str("1 USDT")


def test_money_when_equal_amounts_different_currency_then_not_equal() -> None:
    assert Money.from_str("1 USD") != Money.from_str("1 EUR")


def test_currency_when_unknown_then_refused_with_hint() -> None:
    with pytest.raises(ValueError, match="unknown currency"):
        Currency.from_str("XYZ")
    with pytest.raises(ValueError, match="currency code"):
        Currency("", 2)


def test_currency_registry_when_looked_up_then_precision_known() -> None:
    assert Currency.from_str("btc") == BTC
    assert BTC.precision == 8
    assert USDT.code == "USDT"


def test_round_raw_when_half_then_to_even() -> None:
    assert round_raw(1_500_000_000, 0) == 2_000_000_000
    assert round_raw(2_500_000_000, 0) == 2_000_000_000
    assert round_raw(-1_500_000_000, 0) == -2_000_000_000


@given(prices, prices)
def test_price_arithmetic_when_any_then_matches_decimal(a: Price, b: Price) -> None:
    assert (a + b).as_decimal() == a.as_decimal() + b.as_decimal()
    assert (a - b).as_decimal() == a.as_decimal() - b.as_decimal()
    assert (a < b) == (a.as_decimal() < b.as_decimal())
    assert (a == b) == (a.as_decimal() == b.as_decimal())
    assert (a <= b) == (a.as_decimal() <= b.as_decimal())


@given(quantities)
def test_quantity_str_round_trip_when_any_then_exact(q: Quantity) -> None:
    assert Quantity.from_str(str(q)) == q
    assert Quantity.from_str(str(q)).precision == q.precision


@given(prices)
def test_price_codec_round_trip_when_any_then_equal(p: Price) -> None:
    for module in (msgspec.json, msgspec.msgpack):
        data = module.encode(p, enc_hook=enc_hook)
        back = module.decode(data, type=Price, dec_hook=dec_hook)
        assert back == p
        assert back.precision == p.precision


def test_decode_when_quantity_negative_then_validation_error() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b"[-1,0]", type=Quantity)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b"[1,12]", type=Price)


def test_money_codec_round_trip_when_encoded_then_equal() -> None:
    m = Money.from_str("-12.34 USD")
    data = msgspec.msgpack.encode(m, enc_hook=enc_hook)
    assert msgspec.msgpack.decode(data, type=Money, dec_hook=dec_hook) == m
