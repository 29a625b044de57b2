"""Stream keys for data commands, and the per-subscriber reference counts behind them.

A subscribe command and its unsubscribe name the same stream (`StreamKey`); the
`SubscriptionTable` remembers who holds each stream so the data engine tells a client
about a stream on the first subscriber only, and withdraws it after the last.
"""

from __future__ import annotations

from typing import NamedTuple

from argonaut.model.commands.data import (
    DataCommand,
    SubscribeBars,
    SubscribeBookDeltas,
    SubscribeBookDepth10,
    SubscribeBookSnapshots,
    SubscribeFundingRates,
    SubscribeIndexPrices,
    SubscribeInstrument,
    SubscribeInstrumentClose,
    SubscribeInstruments,
    SubscribeInstrumentStatus,
    SubscribeMarkPrices,
    SubscribeQuoteTicks,
    SubscribeTradeTicks,
    UnsubscribeBars,
    UnsubscribeBookDeltas,
    UnsubscribeBookDepth10,
    UnsubscribeBookSnapshots,
    UnsubscribeFundingRates,
    UnsubscribeIndexPrices,
    UnsubscribeInstrument,
    UnsubscribeInstrumentClose,
    UnsubscribeInstruments,
    UnsubscribeInstrumentStatus,
    UnsubscribeMarkPrices,
    UnsubscribeQuoteTicks,
    UnsubscribeTradeTicks,
)
from argonaut.model.data.bars import BarType
from argonaut.model.identifiers import ComponentId


class StreamKey(NamedTuple):
    """One data stream: its kind, what it is for (venue, instrument id or bar type) and,
    for book snapshots, the interval."""

    kind: str
    target: str
    interval_ms: int = 0


_KINDS: dict[type[DataCommand], str] = {
    SubscribeInstruments: "instruments",
    UnsubscribeInstruments: "instruments",
    SubscribeInstrument: "instrument",
    UnsubscribeInstrument: "instrument",
    SubscribeQuoteTicks: "quotes",
    UnsubscribeQuoteTicks: "quotes",
    SubscribeTradeTicks: "trades",
    UnsubscribeTradeTicks: "trades",
    SubscribeBars: "bars",
    UnsubscribeBars: "bars",
    SubscribeBookDeltas: "book_deltas",
    UnsubscribeBookDeltas: "book_deltas",
    SubscribeBookDepth10: "book_depth10",
    UnsubscribeBookDepth10: "book_depth10",
    SubscribeBookSnapshots: "book_snapshots",
    UnsubscribeBookSnapshots: "book_snapshots",
    SubscribeMarkPrices: "mark_prices",
    UnsubscribeMarkPrices: "mark_prices",
    SubscribeIndexPrices: "index_prices",
    UnsubscribeIndexPrices: "index_prices",
    SubscribeFundingRates: "funding_rates",
    UnsubscribeFundingRates: "funding_rates",
    SubscribeInstrumentStatus: "status",
    UnsubscribeInstrumentStatus: "status",
    SubscribeInstrumentClose: "close",
    UnsubscribeInstrumentClose: "close",
}


def stream_key(command: DataCommand) -> StreamKey:
    """Return the stream a subscribe or unsubscribe command is about.

    Raise TypeError for a command that is not a subscription.
    """
    kind = _KINDS.get(type(command))
    if kind is None:
        raise TypeError(
            f"{type(command).__name__} names no data stream: expected a Subscribe* or "
            "Unsubscribe* command"
        )
    if kind == "instruments":
        return StreamKey(kind, str(command.venue))
    if kind == "bars":
        bar_type: str = command.bar_type  # type: ignore[attr-defined]
        return StreamKey(kind, str(BarType.from_str(bar_type)))
    instrument_id: str = command.instrument_id  # type: ignore[attr-defined]
    if kind == "book_snapshots":
        interval_ms: int = command.interval_ms  # type: ignore[attr-defined]
        return StreamKey(kind, str(instrument_id), interval_ms)
    return StreamKey(kind, str(instrument_id))


Subscriber = ComponentId | None


class SubscriptionTable:
    """The subscribers of each stream, in subscription order (None = anonymous)."""

    __slots__ = ("_subs",)

    def __init__(self) -> None:
        self._subs: dict[StreamKey, dict[Subscriber, None]] = {}

    def add(self, key: StreamKey, subscriber: Subscriber) -> bool | None:
        """Add `subscriber`; return True if it is the stream's first, False if others
        hold it, None if `subscriber` already held it (nothing changed)."""
        holders = self._subs.get(key)
        if holders is None:
            self._subs[key] = {subscriber: None}
            return True
        if subscriber in holders:
            return None
        holders[subscriber] = None
        return False

    def remove(self, key: StreamKey, subscriber: Subscriber) -> bool | None:
        """Remove `subscriber`; return True if it was the stream's last, False if others
        still hold it, None if it did not hold the stream (nothing changed)."""
        holders = self._subs.get(key)
        if holders is None or subscriber not in holders:
            return None
        del holders[subscriber]
        if holders:
            return False
        del self._subs[key]
        return True

    def subscribers(self, key: StreamKey) -> list[Subscriber]:
        """Return the subscribers of `key`, in subscription order."""
        return list(self._subs.get(key, ()))

    def keys(self) -> list[StreamKey]:
        """Return every subscribed stream, in first-subscription order."""
        return list(self._subs)

    def __contains__(self, key: object) -> bool:
        return key in self._subs

    def __len__(self) -> int:
        return len(self._subs)

    def clear(self) -> None:
        """Forget every subscription."""
        self._subs.clear()
