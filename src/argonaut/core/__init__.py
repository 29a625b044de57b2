"""The bottom layer: nanosecond time, UUIDs and fixed-point helpers.

`core` imports nothing from Argonaut. It holds no mutable global state.
"""

from argonaut.core.fixed import (
    FIXED_PRECISION,
    FIXED_SCALAR,
    check_precision,
    float_to_raw,
    int_to_raw,
    raw_to_str,
    str_to_raw,
)
from argonaut.core.nanos import (
    NANOS_PER_MICRO,
    NANOS_PER_MILLI,
    NANOS_PER_SECOND,
    datetime_to_nanos,
    iso8601_to_nanos,
    millis_to_nanos,
    nanos_to_datetime,
    nanos_to_iso8601,
    nanos_to_secs,
    secs_to_nanos,
)
from argonaut.core.uuid import UUID4, UUIDFactory

__all__ = [
    "FIXED_PRECISION",
    "FIXED_SCALAR",
    "NANOS_PER_MICRO",
    "NANOS_PER_MILLI",
    "NANOS_PER_SECOND",
    "UUID4",
    "UUIDFactory",
    "check_precision",
    "datetime_to_nanos",
    "float_to_raw",
    "int_to_raw",
    "iso8601_to_nanos",
    "millis_to_nanos",
    "nanos_to_datetime",
    "nanos_to_iso8601",
    "nanos_to_secs",
    "raw_to_str",
    "secs_to_nanos",
    "str_to_raw",
]
