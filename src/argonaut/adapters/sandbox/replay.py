"""`ReplaySource`: recorded quotes and trades played onto the node's clock, as one of the
sandbox exchange's market data sources (see docs/replay.md)."""

from __future__ import annotations

from argonaut.adapters.sandbox.marketdata import GeneratedData
from argonaut.model.data import QuoteTick, TradeTick

__all__ = ["ReplaySource"]


class ReplaySource:
    """Recorded quotes and trades of one instrument, played from `start_ns` at `speed`
    times real time (timestamps are moved onto the node's clock); `loop` plays again."""

    def __init__(
        self, items: list[QuoteTick | TradeTick], *, start_ns: int, speed: float, loop: bool
    ) -> None:
        if not items:
            raise ValueError("a replay needs at least one quote or trade")
        self._items = sorted(items, key=lambda d: d.ts_event)
        self._first = self._items[0].ts_event
        self._span = self._items[-1].ts_event - self._first
        self._speed = speed
        self._loop = loop
        self._start = start_ns
        self._i = 0

    @property
    def next_ts(self) -> int:
        """When the next item plays (a far future once the file is done)."""
        if self._i >= len(self._items):
            return 1 << 62
        return self._start + round((self._items[self._i].ts_event - self._first) / self._speed)

    def step(self) -> list[GeneratedData]:
        """Return the next item, stamped with its play time."""
        ts = self.next_ts
        item = self._items[self._i]
        self._i += 1
        if self._i >= len(self._items) and self._loop:
            self._i = 0
            self._start = ts + max(1, round(self._span / self._speed / max(len(self._items), 1)))
        if isinstance(item, QuoteTick):
            return [
                QuoteTick(
                    item.instrument_id,
                    item.bid_price,
                    item.ask_price,
                    item.bid_size,
                    item.ask_size,
                    ts,
                    ts,
                )
            ]
        return [
            TradeTick(
                item.instrument_id,
                item.price,
                item.size,
                item.aggressor_side,
                item.trade_id,
                ts,
                ts,
            )
        ]

    def skip_to(self, ts: int) -> None:
        """Resume after a pause: shift the rest of the file so its next item plays at `ts`."""
        if self._i < len(self._items) and self.next_ts < ts:
            self._start += ts - self.next_ts
