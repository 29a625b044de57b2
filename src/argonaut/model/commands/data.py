"""Data commands: subscriptions, unsubscriptions and historical requests for market
data, plus the `DataResponse` that answers a request.

Routing: `client_id` when given, else `venue` (for instrument commands the instrument's
venue), else the default client. A request carries a `request_id` that its response
echoes as `correlation_id`; `command_id` identifies the message itself. Bars are named
by the text form of their bar type (e.g. ``BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL``).
"""

from __future__ import annotations

from typing import Any

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.commands.reports import check_window
from argonaut.model.enums import BookType
from argonaut.model.identifiers import ClientId, ComponentId, InstrumentId, Venue


def _check_bar_type(bar_type: str) -> None:
    if not bar_type or not bar_type.isprintable() or " " in bar_type:
        raise ValueError(
            f"bar type {bar_type!r} is invalid: expected its text form without spaces, "
            "e.g. 'BTCUSDT-PERP.SIM-1-MINUTE-LAST-EXTERNAL'"
        )


def _check_depth(depth: int, instrument_id: InstrumentId) -> None:
    if depth < 0:
        raise ValueError(
            f"book depth {depth} for {instrument_id} is negative: expected 0 (full book) or more"
        )


def _check_interval(interval_ms: int, instrument_id: InstrumentId) -> None:
    if interval_ms <= 0:
        raise ValueError(
            f"book snapshot interval {interval_ms} ms for {instrument_id} is invalid: "
            "expected a positive number of milliseconds"
        )


class DataCommand(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """Fields every data command carries (base class, never sent itself).

    `subscriber` names the component asking, so the data engine can count subscriptions
    per subscriber and tell a client about each stream once.
    """

    command_id: UUID4
    ts_init: int
    client_id: ClientId | None = None
    venue: Venue | None = None
    params: dict[str, str] | None = None
    subscriber: ComponentId | None = None


class SubscribeCommand(DataCommand, frozen=True, kw_only=True, tag=True):
    """Base of every subscription."""


class UnsubscribeCommand(DataCommand, frozen=True, kw_only=True, tag=True):
    """Base of every unsubscription."""


class _SubscribeInstrumentData(SubscribeCommand, frozen=True, kw_only=True, tag=True):
    instrument_id: InstrumentId


class _UnsubscribeInstrumentData(UnsubscribeCommand, frozen=True, kw_only=True, tag=True):
    instrument_id: InstrumentId


class SubscribeInstruments(SubscribeCommand, frozen=True, kw_only=True, tag=True):
    """Subscribe to every instrument (definition updates) of a venue."""

    venue: Venue


class UnsubscribeInstruments(UnsubscribeCommand, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from the instruments of a venue."""

    venue: Venue


class SubscribeInstrument(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to one instrument's definition updates."""


class UnsubscribeInstrument(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from one instrument's definition updates."""


class SubscribeQuoteTicks(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's quotes."""


class UnsubscribeQuoteTicks(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's quotes."""


class SubscribeTradeTicks(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's trades."""


class UnsubscribeTradeTicks(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's trades."""


class SubscribeBars(SubscribeCommand, frozen=True, kw_only=True, tag=True):
    """Subscribe to bars of one bar type (given as its text form)."""

    bar_type: str

    def __post_init__(self) -> None:
        _check_bar_type(self.bar_type)


class UnsubscribeBars(UnsubscribeCommand, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from bars of one bar type (given as its text form)."""

    bar_type: str

    def __post_init__(self) -> None:
        _check_bar_type(self.bar_type)


class SubscribeBookDeltas(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to order book deltas; `depth` 0 means the full book, `managed` asks the
    data engine to maintain the book in the cache."""

    book_type: BookType
    depth: int = 0
    managed: bool = True

    def __post_init__(self) -> None:
        _check_depth(self.depth, self.instrument_id)


class UnsubscribeBookDeltas(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from order book deltas."""


class SubscribeBookDepth10(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to ten-level depth snapshots."""


class UnsubscribeBookDepth10(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from ten-level depth snapshots."""


class SubscribeBookSnapshots(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to book snapshots every `interval_ms` (depth 0 means the full book)."""

    book_type: BookType
    interval_ms: int
    depth: int = 0

    def __post_init__(self) -> None:
        _check_depth(self.depth, self.instrument_id)
        _check_interval(self.interval_ms, self.instrument_id)


class UnsubscribeBookSnapshots(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from the book snapshots taken every `interval_ms`."""

    interval_ms: int

    def __post_init__(self) -> None:
        _check_interval(self.interval_ms, self.instrument_id)


class SubscribeMarkPrices(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's mark prices."""


class UnsubscribeMarkPrices(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's mark prices."""


class SubscribeIndexPrices(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's index prices."""


class UnsubscribeIndexPrices(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's index prices."""


class SubscribeFundingRates(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's funding rates."""


class UnsubscribeFundingRates(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's funding rates."""


class SubscribeInstrumentStatus(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's market status (trading halts, pauses)."""


class UnsubscribeInstrumentStatus(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's market status."""


class SubscribeInstrumentClose(_SubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Subscribe to an instrument's close prices."""


class UnsubscribeInstrumentClose(_UnsubscribeInstrumentData, frozen=True, kw_only=True, tag=True):
    """Unsubscribe from an instrument's close prices."""


class RequestCommand(DataCommand, frozen=True, kw_only=True, tag=True):
    """Base of every historical request: a window and a `limit` (0 = no limit).

    Raises `ValueError` for a negative limit or a window that starts after it ends.
    """

    request_id: UUID4
    start_ns: int | None = None
    end_ns: int | None = None
    limit: int = 0

    def __post_init__(self) -> None:
        if self.limit < 0:
            raise ValueError(
                f"{type(self).__name__} limit {self.limit} is negative: "
                "expected 0 (no limit) or a positive count"
            )
        check_window(self.start_ns, self.end_ns, type(self).__name__)


class RequestInstrument(RequestCommand, frozen=True, kw_only=True, tag=True):
    """Request one instrument's definition."""

    instrument_id: InstrumentId


class RequestInstruments(RequestCommand, frozen=True, kw_only=True, tag=True):
    """Request every instrument of a venue."""

    venue: Venue


class RequestQuoteTicks(RequestCommand, frozen=True, kw_only=True, tag=True):
    """Request historical quotes."""

    instrument_id: InstrumentId


class RequestTradeTicks(RequestCommand, frozen=True, kw_only=True, tag=True):
    """Request historical trades."""

    instrument_id: InstrumentId


class RequestBars(RequestCommand, frozen=True, kw_only=True, tag=True):
    """Request historical bars of one bar type (given as its text form)."""

    bar_type: str

    def __post_init__(self) -> None:
        _check_bar_type(self.bar_type)
        super().__post_init__()


class RequestBookSnapshot(RequestCommand, frozen=True, kw_only=True, tag=True):
    """Request a snapshot of the order book; `limit` is the depth (0 = full book)."""

    instrument_id: InstrumentId


class DataResponse(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    """The answer to a request: `correlation_id` is the request's `request_id`, and
    `data_type` names the type of the items in `data` (e.g. ``"QuoteTick"``)."""

    correlation_id: UUID4
    data_type: str
    data: tuple[Any, ...]
    response_id: UUID4
    ts_init: int
    client_id: ClientId | None = None
    venue: Venue | None = None
    start_ns: int | None = None
    end_ns: int | None = None


DATA_COMMAND_TYPES: tuple[type[DataCommand], ...] = (
    SubscribeInstruments,
    UnsubscribeInstruments,
    SubscribeInstrument,
    UnsubscribeInstrument,
    SubscribeQuoteTicks,
    UnsubscribeQuoteTicks,
    SubscribeTradeTicks,
    UnsubscribeTradeTicks,
    SubscribeBars,
    UnsubscribeBars,
    SubscribeBookDeltas,
    UnsubscribeBookDeltas,
    SubscribeBookDepth10,
    UnsubscribeBookDepth10,
    SubscribeBookSnapshots,
    UnsubscribeBookSnapshots,
    SubscribeMarkPrices,
    UnsubscribeMarkPrices,
    SubscribeIndexPrices,
    UnsubscribeIndexPrices,
    SubscribeFundingRates,
    UnsubscribeFundingRates,
    SubscribeInstrumentStatus,
    UnsubscribeInstrumentStatus,
    SubscribeInstrumentClose,
    UnsubscribeInstrumentClose,
    RequestInstrument,
    RequestInstruments,
    RequestQuoteTicks,
    RequestTradeTicks,
    RequestBars,
    RequestBookSnapshot,
)
DATA_RESPONSE_TYPES: tuple[type[DataResponse], ...] = (DataResponse,)
