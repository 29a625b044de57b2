"""Report requests: commands asking an execution client for venue reports.

The reconciliation sends these; the client answers with `OrderStatusReport`,
`FillReport`, `PositionStatusReport` or `ExecutionMassStatus` (`argonaut.model.reports`).
Routing: `client_id` when given, else `venue`, else the default client. Time windows
are ``[start_ns, end_ns]`` in Unix nanoseconds, None meaning unbounded.
"""

from __future__ import annotations

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.identifiers import ClientId, ClientOrderId, InstrumentId, Venue, VenueOrderId


def check_window(start_ns: int | None, end_ns: int | None, what: str) -> None:
    """Raise `ValueError` when a time window starts after it ends."""
    if start_ns is not None and end_ns is not None and start_ns > end_ns:
        raise ValueError(
            f"{what} window starts after it ends (start_ns={start_ns} > end_ns={end_ns}): "
            "expected start_ns <= end_ns"
        )


class ReportCommand(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Fields every report request carries (base class, never sent itself)."""

    command_id: UUID4
    ts_init: int
    client_id: ClientId | None = None
    venue: Venue | None = None


class GenerateOrderStatusReport(ReportCommand, frozen=True, kw_only=True, tag=True, gc=False):
    """Ask for the report of one order, by client order id and/or venue order id.

    Raises `ValueError` when neither id is given.
    """

    instrument_id: InstrumentId | None = None
    client_order_id: ClientOrderId | None = None
    venue_order_id: VenueOrderId | None = None

    def __post_init__(self) -> None:
        if self.client_order_id is None and self.venue_order_id is None:
            raise ValueError(
                "an order status report request needs a client_order_id or a venue_order_id"
            )


class GenerateOrderStatusReports(ReportCommand, frozen=True, kw_only=True, tag=True, gc=False):
    """Ask for order reports in a time window (open orders only when `open_only`)."""

    instrument_id: InstrumentId | None = None
    start_ns: int | None = None
    end_ns: int | None = None
    open_only: bool = False

    def __post_init__(self) -> None:
        check_window(self.start_ns, self.end_ns, "order status reports request")


class GenerateFillReports(ReportCommand, frozen=True, kw_only=True, tag=True, gc=False):
    """Ask for fill reports in a time window, optionally of one venue order."""

    instrument_id: InstrumentId | None = None
    venue_order_id: VenueOrderId | None = None
    start_ns: int | None = None
    end_ns: int | None = None

    def __post_init__(self) -> None:
        check_window(self.start_ns, self.end_ns, "fill reports request")


class GeneratePositionStatusReports(ReportCommand, frozen=True, kw_only=True, tag=True, gc=False):
    """Ask for position reports, optionally of one instrument."""

    instrument_id: InstrumentId | None = None
    start_ns: int | None = None
    end_ns: int | None = None

    def __post_init__(self) -> None:
        check_window(self.start_ns, self.end_ns, "position status reports request")


class GenerateExecutionMassStatus(ReportCommand, frozen=True, kw_only=True, tag=True, gc=False):
    """Ask for the full mass status (orders, fills, positions) over a lookback.

    `lookback_mins` None or 0 means no lookback limit. Raises `ValueError` when negative.
    """

    lookback_mins: int | None = None

    def __post_init__(self) -> None:
        if self.lookback_mins is not None and self.lookback_mins < 0:
            raise ValueError(
                f"mass status lookback_mins {self.lookback_mins} is negative: "
                "expected minutes >= 0, or None for no limit"
            )


REPORT_COMMAND_TYPES: tuple[type[ReportCommand], ...] = (
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GenerateFillReports,
    GeneratePositionStatusReports,
    GenerateExecutionMassStatus,
)
