"""Nanosecond Unix time helpers.

Timestamps in Argonaut are ints of nanoseconds since the Unix epoch (UTC). These
helpers convert to and from ISO 8601 text and `datetime`. None of them reads a clock.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

NANOS_PER_MICRO = 1_000
NANOS_PER_MILLI = 1_000_000
NANOS_PER_SECOND = 1_000_000_000

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)


def secs_to_nanos(secs: float) -> int:
    """Convert seconds to nanoseconds, rounding to the nearest nanosecond."""
    if not math.isfinite(secs):
        raise ValueError(f"seconds {secs!r} is not finite")
    return round(secs * NANOS_PER_SECOND)


def millis_to_nanos(millis: float) -> int:
    """Convert milliseconds to nanoseconds."""
    if not math.isfinite(millis):
        raise ValueError(f"milliseconds {millis!r} is not finite")
    return round(millis * NANOS_PER_MILLI)


def nanos_to_secs(nanos: int) -> float:
    """Convert nanoseconds to float seconds."""
    return nanos / NANOS_PER_SECOND


def nanos_to_datetime(nanos: int) -> _dt.datetime:
    """Return a UTC `datetime` (microsecond resolution) for a nanosecond timestamp."""
    return _EPOCH + _dt.timedelta(microseconds=nanos // NANOS_PER_MICRO)


def datetime_to_nanos(value: _dt.datetime) -> int:
    """Return nanoseconds since the epoch for an aware `datetime` (naive means UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.UTC)
    delta = value - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * NANOS_PER_SECOND + (
        delta.microseconds * NANOS_PER_MICRO
    )


def nanos_to_iso8601(nanos: int) -> str:
    """Format a nanosecond timestamp as ISO 8601 UTC with nine decimals and a ``Z``."""
    secs, frac = divmod(nanos, NANOS_PER_SECOND)
    base = _EPOCH + _dt.timedelta(seconds=secs)
    return f"{base.strftime('%Y-%m-%dT%H:%M:%S')}.{frac:09d}Z"


def iso8601_to_nanos(text: str) -> int:
    """Parse ISO 8601 (date, or date-time with up to nine decimals and an offset) to nanoseconds.

    A value without an offset is taken as UTC.
    """
    match = _ISO_RE.match(text.strip())
    if match is None:
        raise ValueError(
            f"timestamp {text!r} is not ISO 8601: expected e.g. '2024-01-02T03:04:05.123456789Z'"
        )
    year, month, day, hour, minute, second, frac, offset = match.groups()
    try:
        base = _dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=_dt.UTC,
        )
    except ValueError as e:
        raise ValueError(f"timestamp {text!r} is not a valid date-time: {e}") from None
    nanos = datetime_to_nanos(base)
    if frac:
        nanos += int(frac.ljust(9, "0"))
    if offset and offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        nanos -= sign * minutes * 60 * NANOS_PER_SECOND
    return nanos
