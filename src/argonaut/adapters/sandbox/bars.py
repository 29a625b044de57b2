"""`VenueBars`: the time bars the sandbox venue aggregates itself (EXTERNAL bar types).

LAST bars are built from the venue's trades, BID, ASK and MID bars from its quotes,
with the data engine's `TimeBarAggregator` (bars aligned to the interval, left-open).
The bars close on the venue's own bar clock, which its owner moves forward with
`close_until` (the exchange's market loop does, waking at `next_close_ns`), so no node
timer is involved and the bars follow the venue's time even while the node sees nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from argonaut.common.clock import TestClock
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.data import TimeBarAggregator
from argonaut.model.data import Bar, BarType, QuoteTick, TradeTick
from argonaut.model.enums import PriceType
from argonaut.model.identifiers import InstrumentId
from argonaut.model.instruments import Instrument

__all__ = ["VenueBars"]

_FROM_QUOTES = (PriceType.BID, PriceType.ASK, PriceType.MID)


class VenueBars:
    """Time bar aggregators keyed by bar type; each built bar goes to `handler`."""

    def __init__(self, handler: Callable[[Bar], None], *, start_ns: int, seed: int) -> None:
        self._handler = handler
        self._clock = TestClock(start_ns, uuid_factory=UUIDFactory(seed=seed))
        self._aggregators: dict[BarType, TimeBarAggregator] = {}
        self._from_trades: dict[InstrumentId, list[TimeBarAggregator]] = {}
        self._from_quotes: dict[InstrumentId, list[TimeBarAggregator]] = {}

    def __bool__(self) -> bool:
        return bool(self._aggregators)

    @property
    def bar_types(self) -> list[BarType]:
        """The bar types aggregated now, in subscription order."""
        return list(self._aggregators)

    def subscribe(self, bar_type: BarType, instrument: Instrument | None, now_ns: int) -> None:
        """Start aggregating `bar_type` from `now_ns` (no-op when it already is); raise
        ValueError naming what is unsupported (no such instrument, not a time bar, MARK)."""
        if bar_type in self._aggregators:
            return
        if instrument is None:
            raise ValueError(f"bar type {bar_type}: {bar_type.instrument_id} is not traded here")
        if not bar_type.spec.is_time_aggregated():
            raise ValueError(
                f"bar type {bar_type}: the sandbox venue aggregates time bars only "
                "(MILLISECOND, SECOND, MINUTE, HOUR, DAY or WEEK)"
            )
        price_type = bar_type.spec.price_type
        if price_type is not PriceType.LAST and price_type not in _FROM_QUOTES:
            raise ValueError(
                f"bar type {bar_type}: the sandbox venue builds LAST bars from trades and "
                f"BID, ASK or MID bars from quotes, not {price_type.value}"
            )
        if now_ns > self._clock.timestamp_ns():
            self._clock.set_time(now_ns)
        aggregator = TimeBarAggregator(bar_type, instrument, self._handler, self._clock)
        self._aggregators[bar_type] = aggregator
        feeds = self._from_trades if price_type is PriceType.LAST else self._from_quotes
        feeds.setdefault(instrument.id, []).append(aggregator)

    def unsubscribe(self, bar_type: BarType) -> None:
        """Stop aggregating `bar_type` (the bar in progress is dropped)."""
        aggregator = self._aggregators.pop(bar_type, None)
        if aggregator is None:
            return
        aggregator.stop()
        for feeds in (self._from_trades, self._from_quotes):
            aggregators = feeds.get(bar_type.instrument_id)
            if aggregators is not None and aggregator in aggregators:
                aggregators.remove(aggregator)

    def stop(self) -> None:
        """Stop every aggregator."""
        for bar_type in list(self._aggregators):
            self.unsubscribe(bar_type)

    def on_trade(self, trade: TradeTick) -> None:
        """Feed a venue trade to the LAST bars of its instrument."""
        aggregators = self._from_trades.get(trade.instrument_id)
        if aggregators:
            for aggregator in aggregators:
                aggregator.handle_trade_tick(trade)

    def on_quote(self, quote: QuoteTick) -> None:
        """Feed a venue quote to the BID, ASK and MID bars of its instrument."""
        aggregators = self._from_quotes.get(quote.instrument_id)
        if aggregators:
            for aggregator in aggregators:
                aggregator.handle_quote_tick(quote)

    @property
    def next_close_ns(self) -> int | None:
        """When the next bar closes (None when nothing is aggregated)."""
        if not self._aggregators:
            return None
        return min(aggregator.next_close_ns for aggregator in self._aggregators.values())

    def close_until(self, now_ns: int, slack_ns: int = 0) -> None:
        """Move the bar clock to `now_ns`: every bar closed by then (or within `slack_ns`
        after) is built and handed over, oldest first."""
        clock = self._clock
        if now_ns <= clock.timestamp_ns():
            return
        for handler in clock.advance_time(now_ns + slack_ns, set_time=False):
            handler.handle()
        clock.set_time(now_ns)
