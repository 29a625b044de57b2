"""`DataEngineConfig`: how the data engine builds time bars, validates and buffers data."""

from __future__ import annotations

import msgspec

from argonaut.common.errors import ConfigError


class DataEngineConfig(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Options of the `DataEngine`.

    Time bars (internally aggregated): `time_bars_build_with_no_updates` emits a flat bar
    at the previous close when an interval saw no update; `time_bars_timestamp_on_close`
    stamps a bar with its close time (else its open time);
    `time_bars_skip_first_non_full_bar` drops the first bar when aggregation started
    after its open; `time_bars_build_delay_ns` builds each bar that long after its close,
    so late updates stamped inside the bar still count.

    `validate_data_sequence` drops data whose `ts_event` goes backwards within its stream
    (warning once per stream). `buffer_deltas` holds book deltas until one carries
    `F_LAST`, then applies and publishes them as one `OrderBookDeltas`. `debug` logs every
    command and response at DEBUG.
    """

    time_bars_build_with_no_updates: bool = True
    time_bars_timestamp_on_close: bool = True
    time_bars_skip_first_non_full_bar: bool = False
    time_bars_build_delay_ns: int = 0
    validate_data_sequence: bool = False
    buffer_deltas: bool = False
    debug: bool = False

    def __post_init__(self) -> None:
        delay = self.time_bars_build_delay_ns
        if type(delay) is not int or delay < 0:
            raise ConfigError(
                f"time_bars_build_delay_ns must be an int of nanoseconds >= 0, found {delay!r}"
            )
