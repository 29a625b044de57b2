from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.core.fixed import (
    FIXED_SCALAR,
    check_precision,
    float_to_raw,
    raw_to_decimal,
    raw_to_str,
    str_to_raw,
)


def test_str_to_raw_when_no_precision_then_precision_is_decimals_written() -> None:
    assert str_to_raw("100.05") == (100_050_000_000, 2)
    assert str_to_raw("-1.5") == (-1_500_000_000, 1)
    assert str_to_raw("7") == (7 * FIXED_SCALAR, 0)


def test_str_to_raw_when_scientific_then_parsed_exactly() -> None:
    assert str_to_raw("1e-3") == (1_000_000, 3)


def test_str_to_raw_when_more_decimals_than_precision_then_refused() -> None:
    with pytest.raises(ValueError, match="more decimals than its precision 1"):
        str_to_raw("1.05", 1)


def test_str_to_raw_when_trailing_zeros_beyond_precision_then_accepted() -> None:
    assert str_to_raw("1.50", 1) == (1_500_000_000, 1)


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "", "abc", "1.2.3"])
def test_str_to_raw_when_not_a_finite_decimal_then_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"value"):
        str_to_raw(text)


def test_str_to_raw_when_ten_decimals_then_refused() -> None:
    with pytest.raises(ValueError, match="at most 9"):
        str_to_raw("0.0000000001")


@pytest.mark.parametrize("bad", [-1, 10, 1.5, "2"])
def test_check_precision_when_out_of_range_then_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="precision"):
        check_precision(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_float_to_raw_when_not_finite_then_refused(value: float) -> None:
    with pytest.raises(ValueError, match="not finite"):
        float_to_raw(value, 2)


def test_float_to_raw_when_representation_noise_then_rounded() -> None:
    assert float_to_raw(0.1 + 0.2, 1) == 300_000_000


def test_float_to_raw_when_finer_than_precision_then_refused() -> None:
    with pytest.raises(ValueError, match="more decimals than its precision 1"):
        float_to_raw(100.05, 1)


def test_raw_to_str_when_negative_then_sign_kept() -> None:
    assert raw_to_str(-1_500_000_000, 2) == "-1.50"
    assert raw_to_str(5 * FIXED_SCALAR, 0) == "5"


@given(
    st.decimals(
        min_value=Decimal("-1000000000"),
        max_value=Decimal("1000000000"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_str_round_trip_when_any_decimal_then_exact(value: Decimal) -> None:
    text = f"{value:.6f}"
    raw, precision = str_to_raw(text)
    assert raw_to_str(raw, precision) == text
    assert raw_to_decimal(raw, precision) == Decimal(text)
