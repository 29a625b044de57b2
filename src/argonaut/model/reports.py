"""Venue reports: what the venue says is true about orders, fills and positions.

Execution clients build reports from venue responses; the reconciliation turns the
differences between reports and the cache into order and position events.

Reports are immutable and cheap to build (no validation on construction, except the
position report whose side and quantity must agree): a startup mass status can hold
tens of thousands of them. Average prices are `Decimal`: they are venue averages, not
tick-aligned prices, and the reconciliation derives exact incremental fill prices from
them (`(avg * filled - cached_avg * cached_filled) / last_qty`), which floats would blur.

`ExecutionMassStatus` is the one mutable report: a client fills it incrementally with
`add_order_reports`, `add_fill_reports` and `add_position_reports`. Those methods never
log (the model is pure); they return the duplicates they discarded so the caller can.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import msgspec

from argonaut.core.uuid import UUID4
from argonaut.model.enums import (
    ContingencyType,
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    PositionSide,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    OrderListId,
    PositionId,
    TradeId,
    Venue,
    VenueOrderId,
)
from argonaut.model.values import Money, Price, Quantity

# Statuses of a working order at the venue (live-behaviour 3, "Open").
OPEN_ORDER_STATUSES: frozenset[OrderStatus] = frozenset(
    {
        OrderStatus.ACCEPTED,
        OrderStatus.TRIGGERED,
        OrderStatus.PENDING_UPDATE,
        OrderStatus.PENDING_CANCEL,
        OrderStatus.PARTIALLY_FILLED,
    }
)
# Terminal statuses (live-behaviour 3, "Closed").
CLOSED_ORDER_STATUSES: frozenset[OrderStatus] = frozenset(
    {
        OrderStatus.DENIED,
        OrderStatus.REJECTED,
        OrderStatus.CANCELED,
        OrderStatus.EXPIRED,
        OrderStatus.FILLED,
    }
)
# Tie-break rank between two reports of one venue order with the same `ts_last` and
# `filled_qty`: the more final status wins.
_STATUS_RANK: dict[OrderStatus, int] = {
    OrderStatus.FILLED: 6,
    OrderStatus.CANCELED: 5,
    OrderStatus.EXPIRED: 5,
    OrderStatus.REJECTED: 5,
    OrderStatus.PARTIALLY_FILLED: 4,
    OrderStatus.TRIGGERED: 3,
    OrderStatus.ACCEPTED: 2,
    OrderStatus.PENDING_UPDATE: 2,
    OrderStatus.PENDING_CANCEL: 2,
    OrderStatus.RELEASED: 1,
    OrderStatus.DENIED: 1,
}


class OrderStatusReport(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """The venue's view of one order: its parameters, status and filled quantity.

    `avg_px` is the venue's average fill price (None when nothing is filled or the venue
    does not say). `client_order_id` is None for orders the venue cannot tie to ours.
    """

    account_id: AccountId
    instrument_id: InstrumentId
    venue_order_id: VenueOrderId
    order_side: OrderSide
    order_type: OrderType
    time_in_force: TimeInForce
    order_status: OrderStatus
    quantity: Quantity
    filled_qty: Quantity
    ts_accepted: int
    ts_last: int
    ts_init: int
    report_id: UUID4
    client_order_id: ClientOrderId | None = None
    avg_px: Decimal | None = None
    price: Price | None = None
    trigger_price: Price | None = None
    trigger_type: TriggerType = TriggerType.NO_TRIGGER
    limit_offset: Decimal | None = None
    trailing_offset: Decimal | None = None
    trailing_offset_type: TrailingOffsetType = TrailingOffsetType.NO_TRAILING_OFFSET
    display_qty: Quantity | None = None
    post_only: bool = False
    reduce_only: bool = False
    cancel_reason: str | None = None
    contingency_type: ContingencyType = ContingencyType.NO_CONTINGENCY
    order_list_id: OrderListId | None = None
    linked_order_ids: tuple[ClientOrderId, ...] | None = None
    parent_order_id: ClientOrderId | None = None
    expire_time_ns: int | None = None
    venue_position_id: PositionId | None = None
    ts_triggered: int | None = None

    @property
    def leaves_qty(self) -> Quantity:
        """Return the quantity still working: quantity - filled, never below zero."""
        raw = self.quantity.raw - self.filled_qty.raw
        p = self.quantity.precision
        q = self.filled_qty.precision
        return Quantity(raw if raw > 0 else 0, p if p >= q else q)

    @property
    def is_open(self) -> bool:
        """Return True when the venue says the order is working (accepted, triggered,
        pending update/cancel or partially filled)."""
        return self.order_status in OPEN_ORDER_STATUSES

    @property
    def is_closed(self) -> bool:
        """Return True when the venue says the order is done (denied, rejected,
        canceled, expired or filled)."""
        return self.order_status in CLOSED_ORDER_STATUSES


class FillReport(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """One execution at the venue; `trade_id` is unique per instrument at the venue."""

    account_id: AccountId
    instrument_id: InstrumentId
    venue_order_id: VenueOrderId
    trade_id: TradeId
    order_side: OrderSide
    last_qty: Quantity
    last_px: Price
    commission: Money
    liquidity_side: LiquiditySide
    ts_event: int
    ts_init: int
    report_id: UUID4
    client_order_id: ClientOrderId | None = None
    venue_position_id: PositionId | None = None


class PositionStatusReport(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """The venue's view of one position (netting, or hedging when `venue_position_id`
    is set). `quantity` is unsigned; `position_side` gives the sign.

    Raises `ValueError` when side and quantity disagree: FLAT needs a zero quantity,
    LONG and SHORT a positive one, and NO_POSITION_SIDE (a filter value) is refused.
    """

    account_id: AccountId
    instrument_id: InstrumentId
    position_side: PositionSide
    quantity: Quantity
    ts_last: int
    ts_init: int
    report_id: UUID4
    avg_px_open: Decimal | None = None
    venue_position_id: PositionId | None = None

    def __post_init__(self) -> None:
        side = self.position_side
        if side is PositionSide.FLAT:
            if self.quantity.raw != 0:
                raise ValueError(
                    f"position report for {self.instrument_id} is FLAT with quantity "
                    f"{self.quantity}: a FLAT report needs quantity 0, or use LONG/SHORT"
                )
        elif side is PositionSide.NO_POSITION_SIDE:
            raise ValueError(
                f"position report for {self.instrument_id} has side NO_POSITION_SIDE: "
                "expected LONG, SHORT or FLAT"
            )
        elif self.quantity.raw == 0:
            raise ValueError(
                f"position report for {self.instrument_id} is {side.value} with quantity 0: "
                "a LONG/SHORT report needs a positive quantity, or use FLAT"
            )

    @property
    def signed_decimal_qty(self) -> Decimal:
        """Return the quantity signed by side (positive LONG, negative SHORT, 0 FLAT)."""
        qty = self.quantity.as_decimal()
        return -qty if self.position_side is PositionSide.SHORT else qty

    @property
    def signed_raw(self) -> int:
        """Return the signed quantity as a raw int on the 10**9 scale (exact)."""
        raw = self.quantity.raw
        return -raw if self.position_side is PositionSide.SHORT else raw

    @property
    def is_flat(self) -> bool:
        """Return True when the venue reports no position."""
        return self.position_side is PositionSide.FLAT


def _prefer(new: OrderStatusReport, old: OrderStatusReport) -> bool:
    """Return True when `new` should replace `old` for the same venue order."""
    if new.ts_last != old.ts_last:
        return new.ts_last > old.ts_last
    if new.filled_qty.raw != old.filled_qty.raw:
        return new.filled_qty.raw > old.filled_qty.raw
    return _STATUS_RANK.get(new.order_status, 0) > _STATUS_RANK.get(old.order_status, 0)


class ExecutionMassStatus(msgspec.Struct, kw_only=True, tag=True):
    """Everything one execution client knows about its account at the venue.

    Mutable on purpose: a client adds reports as its queries return. Reports are keyed
    by venue order id (orders, fills) and by instrument (positions); insertion order is
    kept, so iteration is deterministic.
    """

    client_id: ClientId
    account_id: AccountId
    venue: Venue
    report_id: UUID4
    ts_init: int
    order_reports: dict[VenueOrderId, OrderStatusReport] = msgspec.field(default_factory=dict)
    fill_reports: dict[VenueOrderId, list[FillReport]] = msgspec.field(default_factory=dict)
    position_reports: dict[InstrumentId, list[PositionStatusReport]] = msgspec.field(
        default_factory=dict
    )

    def _check_account(self, account_id: AccountId, kind: str) -> None:
        if account_id != self.account_id:
            raise ValueError(
                f"{kind} for account {account_id} cannot join the mass status of "
                f"account {self.account_id}: expected reports of {self.account_id} only"
            )

    def add_order_reports(self, reports: Iterable[OrderStatusReport]) -> list[OrderStatusReport]:
        """Merge order reports (one per venue order id) and return those discarded.

        For a repeated venue order id the report with the later `ts_last` is kept; on a
        tie, the larger `filled_qty`, then the more final status, else the one already
        held. Every discarded report (exact replays included) is returned, so
        ``len(result)`` is the number of duplicates detected.
        """
        held = self.order_reports
        dropped: list[OrderStatusReport] = []
        for report in reports:
            self._check_account(report.account_id, "order report")
            key = report.venue_order_id
            old = held.get(key)
            if old is None:
                held[key] = report
            elif _prefer(report, old):
                held[key] = report
                dropped.append(old)
            else:
                dropped.append(report)
        return dropped

    def add_fill_reports(self, reports: Iterable[FillReport]) -> list[FillReport]:
        """Merge fill reports (grouped by venue order id) and return those discarded.

        A fill whose `trade_id` is already held for the same venue order is dropped, the
        first one kept, whatever its content; the dropped fills are returned.
        """
        held = self.fill_reports
        seen: dict[VenueOrderId, set[TradeId]] = {}
        dropped: list[FillReport] = []
        for report in reports:
            self._check_account(report.account_id, "fill report")
            key = report.venue_order_id
            fills = held.get(key)
            if fills is None:
                held[key] = [report]
                seen[key] = {report.trade_id}
                continue
            trade_ids = seen.get(key)
            if trade_ids is None:
                trade_ids = seen[key] = {f.trade_id for f in fills}
            if report.trade_id in trade_ids:
                dropped.append(report)
            else:
                fills.append(report)
                trade_ids.add(report.trade_id)
        return dropped

    def add_position_reports(
        self, reports: Iterable[PositionStatusReport]
    ) -> list[PositionStatusReport]:
        """Merge position reports (grouped by instrument) and return those discarded.

        One report is kept per (instrument, venue position id); a netting report has
        venue position id None. For a repeat, the later `ts_last` wins (the held one on
        a tie); every discarded report is returned.
        """
        held = self.position_reports
        dropped: list[PositionStatusReport] = []
        for report in reports:
            self._check_account(report.account_id, "position report")
            group = held.setdefault(report.instrument_id, [])
            for i, old in enumerate(group):
                if old.venue_position_id == report.venue_position_id:
                    if report.ts_last > old.ts_last:
                        group[i] = report
                        dropped.append(old)
                    else:
                        dropped.append(report)
                    break
            else:
                group.append(report)
        return dropped

    def fill_count(self) -> int:
        """Return the number of fill reports held."""
        return sum(len(fills) for fills in self.fill_reports.values())


REPORT_TYPES: tuple[type[msgspec.Struct], ...] = (
    OrderStatusReport,
    FillReport,
    PositionStatusReport,
    ExecutionMassStatus,
)
