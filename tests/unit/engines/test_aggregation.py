from __future__ import annotations

import pytest

from argonaut.common.clock import TestClock
from argonaut.engines.data import (
    BarBuilder,
    TickBarAggregator,
    TimeBarAggregator,
    ValueBarAggregator,
    VolumeBarAggregator,
)
from argonaut.model.data import Bar, BarType, QuoteTick, TradeTick
from argonaut.testkit import btcusdt_perp
from argonaut.testkit import quote as _quote
from argonaut.testkit import trade as _trade

SEC = 1_000_000_000
MS = 1_000_000
T0 = 1_700_000_000 * SEC  # a whole second


def trade(price: str, size: str, ts: int, ts_init: int | None = None) -> TradeTick:
    return _trade(price=price, size=size, trade_id=f"T-{ts}", ts=ts, ts_init=ts_init)


def quote(bid: str, ask: str, bid_size: str, ask_size: str, ts: int) -> QuoteTick:
    return _quote(bid=bid, ask=ask, bid_size=bid_size, ask_size=ask_size, ts=ts)


def ohlcv(bar: Bar) -> tuple[str, str, str, str, str]:
    return (str(bar.open), str(bar.high), str(bar.low), str(bar.close), str(bar.volume))


# -- BarBuilder ----------------------------------------------------------------------------


def test_builder_when_updated_then_bar_holds_exact_ohlcv() -> None:
    bar_type = BarType.from_str("BTCUSDT-PERP.SIM-3-TICK-LAST-INTERNAL")
    builder = BarBuilder(bar_type, 1, 3)
    for price, size in ((100_000_000_000, 1_000_000), (105_500_000_000, 2_000_000)):
        builder.update(price, size, 1, 1)
    builder.update(99_900_000_000, 3_000_000, 2, 3)

    bar = builder.build(ts_event=2, ts_init=3)

    assert bar is not None
    assert ohlcv(bar) == ("100.0", "105.5", "99.9", "99.9", "0.006")
    assert (bar.ts_event, bar.ts_init, bar.bar_type) == (2, 3, bar_type)
    assert builder.count == 0
    assert builder.volume_raw == 0


def test_builder_when_no_updates_since_last_bar_then_flat_bar_at_previous_close() -> None:
    builder = BarBuilder(BarType.from_str("BTCUSDT-PERP.SIM-1-SECOND-LAST-INTERNAL"), 1, 3)
    builder.update(100_000_000_000, 1_000_000, 1, 1)
    builder.update(101_000_000_000, 1_000_000, 2, 2)
    builder.build(2, 2)

    bar = builder.build(3, 3)

    assert bar is not None
    assert ohlcv(bar) == ("101.0", "101.0", "101.0", "101.0", "0.000")


def test_builder_when_never_updated_then_no_bar() -> None:
    builder = BarBuilder(BarType.from_str("BTCUSDT-PERP.SIM-1-SECOND-LAST-INTERNAL"), 1, 3)

    assert builder.build(1, 1) is None


# -- tick bars -----------------------------------------------------------------------------


def test_tick_bars_when_step_updates_then_bar_with_hand_computed_values() -> None:
    bars: list[Bar] = []
    agg = TickBarAggregator(
        BarType.from_str("BTCUSDT-PERP.SIM-3-TICK-LAST-INTERNAL"), btcusdt_perp(), bars.append
    )
    for i, (px, sz) in enumerate(
        [("100.0", "1"), ("102.5", "0.5"), ("99.5", "0.25"), ("101.0", "2"), ("103.0", "1")]
    ):
        agg.handle_trade_tick(trade(px, sz, T0 + i))

    assert len(bars) == 1
    assert ohlcv(bars[0]) == ("100.0", "102.5", "99.5", "99.5", "1.750")
    assert (bars[0].ts_event, bars[0].ts_init) == (T0 + 2, T0 + 2)
    assert agg.builder.count == 2  # 101.0 and 103.0 wait for the third tick


def test_tick_bars_when_update_older_than_previous_then_ignored() -> None:
    bars: list[Bar] = []
    agg = TickBarAggregator(
        BarType.from_str("BTCUSDT-PERP.SIM-2-TICK-LAST-INTERNAL"), btcusdt_perp(), bars.append
    )
    agg.handle_trade_tick(trade("100.0", "1", T0 + 10))
    agg.handle_trade_tick(trade("90.0", "1", T0 + 5))
    agg.handle_trade_tick(trade("101.0", "1", T0 + 11))

    assert agg.ignored_count == 1
    assert ohlcv(bars[0]) == ("100.0", "101.0", "100.0", "101.0", "2.000")


@pytest.mark.parametrize(
    ("price_type", "expected"),
    [
        ("BID", ("100.0", "100.2", "100.0", "100.2", "3.000")),
        ("ASK", ("100.3", "100.6", "100.3", "100.6", "7.000")),
        # MID carries one more decimal: (100.0 + 100.3) / 2 = 100.15; sizes (1 + 3) / 2 = 2
        ("MID", ("100.15", "100.40", "100.15", "100.40", "5.0000")),
    ],
)
def test_tick_bars_from_quotes_use_the_price_type(
    price_type: str, expected: tuple[str, ...]
) -> None:
    bars: list[Bar] = []
    bar_type = BarType.from_str(f"BTCUSDT-PERP.SIM-2-TICK-{price_type}-INTERNAL")
    agg = TickBarAggregator(bar_type, btcusdt_perp(), bars.append)
    agg.handle_quote_tick(quote("100.0", "100.3", "1", "3", T0))
    agg.handle_quote_tick(quote("100.2", "100.6", "2", "4", T0 + 1))

    assert ohlcv(bars[0]) == expected


def test_aggregator_when_bar_type_for_other_instrument_then_value_error() -> None:
    with pytest.raises(ValueError, match=r"ETHUSDT-PERP\.SIM"):
        TickBarAggregator(
            BarType.from_str("ETHUSDT-PERP.SIM-3-TICK-LAST-INTERNAL"),
            btcusdt_perp(),
            lambda bar: None,
        )


def test_aggregator_when_aggregation_kind_differs_then_value_error() -> None:
    with pytest.raises(ValueError, match="expected a VOLUME bar type"):
        VolumeBarAggregator(
            BarType.from_str("BTCUSDT-PERP.SIM-3-TICK-LAST-INTERNAL"),
            btcusdt_perp(),
            lambda bar: None,
        )


# -- volume bars ---------------------------------------------------------------------------


def test_volume_bars_when_update_crosses_threshold_then_split_across_bars() -> None:
    bars: list[Bar] = []
    agg = VolumeBarAggregator(
        BarType.from_str("BTCUSDT-PERP.SIM-10-VOLUME-LAST-INTERNAL"), btcusdt_perp(), bars.append
    )
    agg.handle_trade_tick(trade("100.0", "4", T0 + 1))
    agg.handle_trade_tick(trade("101.0", "5", T0 + 2))
    agg.handle_trade_tick(trade("99.0", "3", T0 + 3))  # 1 closes bar 1, 2 open bar 2
    agg.handle_trade_tick(trade("102.0", "25", T0 + 4))  # 8 close bar 2, 10 make bar 3, 7 left

    assert [ohlcv(b) for b in bars] == [
        ("100.0", "101.0", "99.0", "99.0", "10.000"),
        ("99.0", "102.0", "99.0", "102.0", "10.000"),
        ("102.0", "102.0", "102.0", "102.0", "10.000"),
    ]
    assert [b.ts_event for b in bars] == [T0 + 3, T0 + 4, T0 + 4]
    assert agg.builder.volume_raw == 7 * 10**9


def test_volume_bars_when_update_fills_exactly_then_next_bar_starts_empty() -> None:
    bars: list[Bar] = []
    agg = VolumeBarAggregator(
        BarType.from_str("BTCUSDT-PERP.SIM-2-VOLUME-LAST-INTERNAL"), btcusdt_perp(), bars.append
    )
    agg.handle_trade_tick(trade("100.0", "0.5", T0))
    agg.handle_trade_tick(trade("100.5", "1.5", T0 + 1))

    assert [ohlcv(b) for b in bars] == [("100.0", "100.5", "100.0", "100.5", "2.000")]
    assert agg.builder.count == 0


# -- value bars ----------------------------------------------------------------------------


def test_value_bars_when_notional_reaches_step_then_split_at_the_threshold() -> None:
    bars: list[Bar] = []
    agg = ValueBarAggregator(
        BarType.from_str("BTCUSDT-PERP.SIM-1000-VALUE-LAST-INTERNAL"), btcusdt_perp(), bars.append
    )
    agg.handle_trade_tick(trade("100.0", "4", T0 + 1))  # 400
    agg.handle_trade_tick(trade("200.0", "5", T0 + 2))  # 600 (size 3) closes, 400 left
    agg.handle_trade_tick(trade("50.0", "20", T0 + 3))  # 600 (size 12) closes, 400 left

    assert [ohlcv(b) for b in bars] == [
        ("100.0", "200.0", "100.0", "200.0", "7.000"),
        ("200.0", "200.0", "50.0", "50.0", "14.000"),
    ]
    assert agg.cumulative_value_raw == 400 * 10**18
    assert agg.builder.volume_raw == 8 * 10**9


def test_value_bars_when_threshold_not_on_size_grid_then_size_rounded_up_to_step() -> None:
    bars: list[Bar] = []
    agg = ValueBarAggregator(
        BarType.from_str("BTCUSDT-PERP.SIM-1000-VALUE-LAST-INTERNAL"), btcusdt_perp(), bars.append
    )
    # 1000 / 300.0 = 3.333.. -> 3.334 on the 0.001 grid; 0.666 opens the next bar.
    agg.handle_trade_tick(trade("300.0", "4", T0))

    assert [ohlcv(b) for b in bars] == [("300.0", "300.0", "300.0", "300.0", "3.334")]
    assert agg.builder.volume_raw == 666_000_000
    assert agg.cumulative_value_raw == 300 * 666 * 10**15


# -- time bars -----------------------------------------------------------------------------


def run_to(clock: TestClock, t: int) -> None:
    for handler in clock.advance_time(t):
        handler.handle()


def time_agg(
    clock: TestClock, bars: list[Bar], spec: str = "1-SECOND-LAST", **options: object
) -> TimeBarAggregator:
    return TimeBarAggregator(
        BarType.from_str(f"BTCUSDT-PERP.SIM-{spec}-INTERNAL"),
        btcusdt_perp(),
        bars.append,
        clock,
        **options,  # type: ignore[arg-type]
    )


def test_time_bars_when_interval_ends_then_bar_built_from_its_updates() -> None:
    clock = TestClock(T0 + 500 * MS)
    bars: list[Bar] = []
    agg = time_agg(clock, bars)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 600 * MS))
    agg.handle_trade_tick(trade("101.5", "2", T0 + 900 * MS))
    agg.handle_trade_tick(trade("100.5", "1", T0 + SEC))  # left-open: the close belongs

    run_to(clock, T0 + SEC)

    assert [ohlcv(b) for b in bars] == [("100.0", "101.5", "100.0", "100.5", "4.000")]
    assert (bars[0].ts_event, bars[0].ts_init) == (T0 + SEC, T0 + SEC)


def test_time_bars_when_timestamp_on_open_then_ts_event_is_bar_open() -> None:
    clock = TestClock(T0)
    bars: list[Bar] = []
    agg = time_agg(clock, bars, timestamp_on_close=False)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 1))

    run_to(clock, T0 + SEC)

    assert bars[0].ts_event == T0


def test_time_bars_when_no_updates_then_flat_bar_at_previous_close() -> None:
    clock = TestClock(T0)
    bars: list[Bar] = []
    agg = time_agg(clock, bars)
    run_to(clock, T0 + SEC)  # nothing seen yet: no bar
    agg.handle_trade_tick(trade("100.0", "1", T0 + SEC + 1))
    agg.handle_trade_tick(trade("100.7", "1", T0 + SEC + 2))

    run_to(clock, T0 + 3 * SEC)

    assert [(ohlcv(b), b.ts_event) for b in bars] == [
        (("100.0", "100.7", "100.0", "100.7", "2.000"), T0 + 2 * SEC),
        (("100.7", "100.7", "100.7", "100.7", "0.000"), T0 + 3 * SEC),
    ]


def test_time_bars_when_no_updates_and_not_building_empty_then_no_bar() -> None:
    clock = TestClock(T0)
    bars: list[Bar] = []
    agg = time_agg(clock, bars, build_with_no_updates=False)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 1))

    run_to(clock, T0 + 3 * SEC)

    assert [b.ts_event for b in bars] == [T0 + SEC]


def test_time_bars_when_skip_first_and_started_mid_bar_then_first_bar_dropped() -> None:
    clock = TestClock(T0 + 400 * MS)
    bars: list[Bar] = []
    agg = time_agg(clock, bars, skip_first_non_full_bar=True)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 500 * MS))
    run_to(clock, T0 + SEC)
    agg.handle_trade_tick(trade("101.0", "2", T0 + 1500 * MS))

    run_to(clock, T0 + 2 * SEC)

    assert [(ohlcv(b), b.ts_event) for b in bars] == [
        (("101.0", "101.0", "101.0", "101.0", "2.000"), T0 + 2 * SEC)
    ]


def test_time_bars_when_skip_first_and_started_on_boundary_then_first_bar_kept() -> None:
    clock = TestClock(T0)
    bars: list[Bar] = []
    agg = time_agg(clock, bars, skip_first_non_full_bar=True)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 500 * MS))

    run_to(clock, T0 + SEC)

    assert [b.ts_event for b in bars] == [T0 + SEC]


def test_time_bars_with_build_delay_then_late_updates_count_and_early_ones_wait() -> None:
    clock = TestClock(T0)
    bars: list[Bar] = []
    agg = time_agg(clock, bars, build_delay_ns=100 * MS)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 950 * MS))
    run_to(clock, T0 + 1050 * MS)
    assert bars == []  # the bar closing at T0+1s is built at T0+1.1s
    # Stamped inside the first bar but received late: still counts.
    agg.handle_trade_tick(trade("99.0", "2", T0 + 990 * MS, ts_init=T0 + 1050 * MS))
    # Stamped after the first bar's close: waits for the second bar.
    agg.handle_trade_tick(trade("105.0", "4", T0 + 1020 * MS, ts_init=T0 + 1060 * MS))

    run_to(clock, T0 + 1100 * MS)
    run_to(clock, T0 + 2100 * MS)

    assert [(ohlcv(b), b.ts_event, b.ts_init) for b in bars] == [
        (("100.0", "100.0", "99.0", "99.0", "3.000"), T0 + SEC, T0 + 1100 * MS),
        (("105.0", "105.0", "105.0", "105.0", "4.000"), T0 + 2 * SEC, T0 + 2100 * MS),
    ]


def test_time_bars_when_clock_jumps_several_intervals_then_every_bar_built_in_order() -> None:
    clock = TestClock(T0)
    bars: list[Bar] = []
    agg = time_agg(clock, bars)
    agg.handle_trade_tick(trade("100.0", "1", T0 + 100 * MS))
    agg.handle_trade_tick(trade("102.0", "1", T0 + 2500 * MS))  # belongs to the third bar

    run_to(clock, T0 + 3 * SEC)

    assert [(ohlcv(b), b.ts_event) for b in bars] == [
        (("100.0", "100.0", "100.0", "100.0", "1.000"), T0 + SEC),
        (("100.0", "100.0", "100.0", "100.0", "0.000"), T0 + 2 * SEC),
        (("102.0", "102.0", "102.0", "102.0", "1.000"), T0 + 3 * SEC),
    ]


def test_time_bars_when_stopped_then_timer_cancelled() -> None:
    clock = TestClock(T0)
    agg = time_agg(clock, [])
    assert clock.timer_names == ["TimeBarAggregator.BTCUSDT-PERP.SIM-1-SECOND-LAST-INTERNAL"]

    agg.stop()

    assert clock.timer_names == []


def test_time_bars_when_month_aggregation_then_value_error() -> None:
    with pytest.raises(ValueError, match="no fixed duration"):
        time_agg(TestClock(T0), [], spec="1-MONTH-LAST")


def test_time_bars_when_minute_bars_then_aligned_to_whole_minutes() -> None:
    start = T0 - T0 % (60 * SEC)
    clock = TestClock(start + 10 * SEC)
    agg = time_agg(clock, [], spec="1-MINUTE-LAST")

    assert agg.next_close_ns == start + 60 * SEC
    assert clock.next_time_ns(agg.timer_name) == start + 60 * SEC
