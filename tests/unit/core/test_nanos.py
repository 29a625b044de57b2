from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argonaut.core.nanos import (
    datetime_to_nanos,
    iso8601_to_nanos,
    millis_to_nanos,
    nanos_to_datetime,
    nanos_to_iso8601,
    secs_to_nanos,
)


def test_nanos_to_iso8601_when_formatted_then_nine_decimals_and_z() -> None:
    assert nanos_to_iso8601(1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123456789Z"


def test_iso8601_to_nanos_when_offset_given_then_converted_to_utc() -> None:
    assert iso8601_to_nanos("2023-11-14T23:13:20+01:00") == 1_700_000_000_000_000_000


def test_iso8601_to_nanos_when_date_only_then_midnight_utc() -> None:
    assert iso8601_to_nanos("1970-01-02") == 86_400_000_000_000


@pytest.mark.parametrize("text", ["2023-13-01", "yesterday", "2023-11-14T25:00:00Z"])
def test_iso8601_to_nanos_when_invalid_then_refused(text: str) -> None:
    with pytest.raises(ValueError, match="timestamp"):
        iso8601_to_nanos(text)


@given(st.integers(min_value=0, max_value=4_000_000_000_000_000_000))
def test_iso8601_round_trip_when_any_nanos_then_exact(nanos: int) -> None:
    assert iso8601_to_nanos(nanos_to_iso8601(nanos)) == nanos


def test_datetime_round_trip_when_naive_then_taken_as_utc() -> None:
    value = dt.datetime(2024, 1, 2, 3, 4, 5, 678_901)
    nanos = datetime_to_nanos(value)
    assert nanos_to_datetime(nanos) == value.replace(tzinfo=dt.UTC)


def test_unit_conversions_when_given_then_rounded_to_nanos() -> None:
    assert secs_to_nanos(1.5) == 1_500_000_000
    assert millis_to_nanos(2) == 2_000_000
    with pytest.raises(ValueError, match="not finite"):
        secs_to_nanos(float("nan"))
