"""Bar aggregation: a `BarBuilder` and aggregators cutting bars by ticks, volume or value.

Time bars live in `argonaut.engines.data.time_bars`. Every aggregator takes a
`BarType`, the instrument (for the precisions) and a `handler(bar)` callback, and is
fed with `handle_quote_tick` (BID, ASK or MID bars), `handle_trade_tick` (LAST bars) or
`update` (raw price and size on the 10**9 scale). Arithmetic is exact on raw ints.

Rules shared by every aggregator:
- An update whose `ts_init` is before the previous update's is ignored and counted in
  `ignored_count` (a bar never goes back in time).
- MID bars carry one more decimal than the instrument, for prices and volume (the mid
  of two prices at precision p is exact at p + 1).
- A bar cut by ticks, volume or value is stamped with the `ts_event` and `ts_init` of the
  update that completed it.
- Volume and value aggregators split an update that crosses the threshold: the part
  that fills the bar closes it, the rest opens the next bar at the same price. Zero-size
  updates carry no volume and are ignored there.
"""

from __future__ import annotations

from collections.abc import Callable

from argonaut.core.fixed import FIXED_PRECISION, FIXED_SCALAR, RAW_STEP
from argonaut.model.data.bars import Bar, BarType
from argonaut.model.data.ticks import QuoteTick, TradeTick
from argonaut.model.enums import BarAggregation, PriceType
from argonaut.model.instruments import Instrument
from argonaut.model.values import Price, Quantity

BarHandler = Callable[[Bar], None]


class BarBuilder:
    """Accumulate the open, high, low, close and volume of one bar from raw updates.

    After a bar is built the builder starts afresh but remembers the close, so a bar
    with no updates can still be built flat at the previous close (volume zero).
    """

    __slots__ = (
        "_close",
        "_high",
        "_last_close",
        "_low",
        "_open",
        "bar_type",
        "count",
        "price_precision",
        "size_precision",
        "ts_event_last",
        "ts_init_last",
        "volume_raw",
    )

    def __init__(self, bar_type: BarType, price_precision: int, size_precision: int) -> None:
        self.bar_type = bar_type
        self.price_precision = price_precision
        self.size_precision = size_precision
        self._open = self._high = self._low = self._close = 0
        self._last_close: int | None = None
        self.count = 0
        self.volume_raw = 0
        self.ts_event_last = 0
        self.ts_init_last = 0

    def __repr__(self) -> str:
        return (
            f"BarBuilder({self.bar_type}, count={self.count}, open={self._open}, "
            f"high={self._high}, low={self._low}, close={self._close}, volume={self.volume_raw})"
        )

    @property
    def last_close_raw(self) -> int | None:
        """The close (raw) of the last bar built or discarded, None before the first."""
        return self._last_close

    def update(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        """Add one update (raw ints on the 10**9 scale)."""
        if self.count:
            if price_raw > self._high:
                self._high = price_raw
            elif price_raw < self._low:
                self._low = price_raw
        else:
            self._open = self._high = self._low = price_raw
        self._close = price_raw
        self.volume_raw += size_raw
        self.count += 1
        self.ts_event_last = ts_event
        self.ts_init_last = ts_init

    def build(self, ts_event: int, ts_init: int) -> Bar | None:
        """Return the bar and start the next one; None if no price was ever seen.

        With no update since the last bar, the bar is flat at the previous close.
        """
        if self.count:
            o, h, lo, c = self._open, self._high, self._low, self._close
        elif self._last_close is not None:
            o = h = lo = c = self._last_close
        else:
            return None
        pp = self.price_precision
        bar = Bar(
            bar_type=self.bar_type,
            open=Price(o, pp),
            high=Price(h, pp),
            low=Price(lo, pp),
            close=Price(c, pp),
            volume=Quantity(self.volume_raw, self.size_precision),
            ts_event=ts_event,
            ts_init=ts_init,
        )
        self.discard()
        return bar

    def discard(self) -> None:
        """Drop the bar in progress (keeping its close as the previous close)."""
        if self.count:
            self._last_close = self._close
        self.count = 0
        self.volume_raw = 0


class BarAggregator:
    """Base of the aggregators: turn quotes or trades into updates of a `BarBuilder`."""

    __slots__ = ("_builder", "_price_type", "bar_type", "handler", "ignored_count")

    def __init__(self, bar_type: BarType, instrument: Instrument, handler: BarHandler) -> None:
        if bar_type.instrument_id != instrument.id:
            raise ValueError(
                f"bar type {bar_type} is for {bar_type.instrument_id}, but the instrument "
                f"given is {instrument.id}: expected the bar type's instrument"
            )
        price_type = bar_type.spec.price_type
        if price_type is PriceType.MARK:
            raise ValueError(
                f"bar type {bar_type} cannot be aggregated here: expected price type "
                "BID, ASK or MID (from quotes) or LAST (from trades)"
            )
        extra = 1 if price_type is PriceType.MID else 0
        self.bar_type = bar_type
        self.handler = handler
        self.ignored_count = 0
        self._price_type = price_type
        self._builder = BarBuilder(
            bar_type,
            min(instrument.price_precision + extra, FIXED_PRECISION),
            min(instrument.size_precision + extra, FIXED_PRECISION),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.bar_type})"

    @property
    def builder(self) -> BarBuilder:
        """The builder of the bar in progress (read it, do not feed it)."""
        return self._builder

    def handle_quote_tick(self, quote: QuoteTick) -> None:
        """Feed a quote (BID, ASK or MID bars)."""
        pt = self._price_type
        self.update(
            quote.extract_price(pt).raw, quote.extract_size(pt).raw, quote.ts_event, quote.ts_init
        )

    def handle_trade_tick(self, trade: TradeTick) -> None:
        """Feed a trade (LAST bars)."""
        self.update(trade.price.raw, trade.size.raw, trade.ts_event, trade.ts_init)

    def update(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        """Feed one update; one older than the previous update is ignored."""
        if ts_init < self._builder.ts_init_last:
            self.ignored_count += 1
            return
        self._apply(price_raw, size_raw, ts_event, ts_init)

    def stop(self) -> None:
        """Stop aggregating (time bars cancel their timer; others need nothing)."""

    def _apply(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        raise NotImplementedError

    def _build_and_send(self, ts_event: int, ts_init: int) -> None:
        bar = self._builder.build(ts_event, ts_init)
        if bar is not None:
            self.handler(bar)


def _check_aggregation(bar_type: BarType, expected: BarAggregation, name: str) -> None:
    if bar_type.spec.aggregation is not expected:
        raise ValueError(
            f"{name} cannot aggregate {bar_type}: expected a {expected.value} bar type"
        )


class TickBarAggregator(BarAggregator):
    """Close a bar every `step` updates."""

    __slots__ = ("_step",)

    def __init__(self, bar_type: BarType, instrument: Instrument, handler: BarHandler) -> None:
        _check_aggregation(bar_type, BarAggregation.TICK, type(self).__name__)
        super().__init__(bar_type, instrument, handler)
        self._step = bar_type.spec.step

    def _apply(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        builder = self._builder
        builder.update(price_raw, size_raw, ts_event, ts_init)
        if builder.count >= self._step:
            self._build_and_send(ts_event, ts_init)


class VolumeBarAggregator(BarAggregator):
    """Close a bar every `step` units of volume, splitting updates across bars."""

    __slots__ = ("_threshold",)

    def __init__(self, bar_type: BarType, instrument: Instrument, handler: BarHandler) -> None:
        _check_aggregation(bar_type, BarAggregation.VOLUME, type(self).__name__)
        super().__init__(bar_type, instrument, handler)
        self._threshold = bar_type.spec.step * FIXED_SCALAR

    def _apply(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        builder = self._builder
        remaining = size_raw
        while remaining > 0:
            needed = self._threshold - builder.volume_raw
            if remaining < needed:
                builder.update(price_raw, remaining, ts_event, ts_init)
                return
            builder.update(price_raw, needed, ts_event, ts_init)
            self._build_and_send(ts_event, ts_init)
            remaining -= needed


class ValueBarAggregator(BarAggregator):
    """Close a bar every `step` units of notional (|price| x size, in the quote currency).

    The part of an update that completes a bar is the smallest size on the instrument's
    size grid whose notional reaches the threshold; the count restarts from zero for the
    next bar (the overshoot, under one size step, is not carried). An update at price
    zero adds no notional.
    """

    __slots__ = ("_cum", "_size_step", "_threshold")

    def __init__(self, bar_type: BarType, instrument: Instrument, handler: BarHandler) -> None:
        _check_aggregation(bar_type, BarAggregation.VALUE, type(self).__name__)
        super().__init__(bar_type, instrument, handler)
        # Notional is kept as price_raw * size_raw, on the 10**18 scale.
        self._threshold = bar_type.spec.step * FIXED_SCALAR * FIXED_SCALAR
        self._size_step = RAW_STEP[self._builder.size_precision]
        self._cum = 0

    @property
    def cumulative_value_raw(self) -> int:
        """The notional of the bar in progress, on the 10**18 scale."""
        return self._cum

    def _apply(self, price_raw: int, size_raw: int, ts_event: int, ts_init: int) -> None:
        builder = self._builder
        px = abs(price_raw)
        if px == 0:
            if size_raw > 0:
                builder.update(price_raw, size_raw, ts_event, ts_init)
            return
        step = self._size_step
        remaining = size_raw
        while remaining > 0:
            needed = self._threshold - self._cum
            value = px * remaining
            if value < needed:
                self._cum += value
                builder.update(price_raw, remaining, ts_event, ts_init)
                return
            size = -(-needed // px)  # smallest raw size reaching the threshold...
            size = min(-(-size // step) * step, remaining)  # ...on the size grid
            builder.update(price_raw, size, ts_event, ts_init)
            self._build_and_send(ts_event, ts_init)
            self._cum = 0
            remaining -= size
