"""Startup reconciliation of one client's `ExecutionMassStatus` (live-behaviour 3.1).

Order of work:

1. Count the reports. Apply the partial lookback window adjustment (`window`, 3.1.7)
   to a copy of the mass status; warn on trade ids repeated across venue orders (3.1.8).
2. Each order report, oldest first (by its first fill, else its acceptance time, so
   fills of different orders reach the positions roughly in venue order, 3.1.16):
   skipped when filtered (`filtered_client_order_ids`, `reconciliation_instrument_ids`)
   or when it repeats a client order id already seen (first kept, 3.1.9); mapped to a
   cached order by client order id, else venue order id, and reconciled with its fills
   (`OrderReconciler`). An unknown order becomes an external order (3.3): owned by the
   strategy that claimed the instrument (no tag), else ``EXTERNAL`` with tag ``VENUE``
   (dropped when `filter_unclaimed_external_orders`); a synthetic venue order id
   (``S-``) makes a ``RECONCILIATION`` order, never dropped.
3. Orphan fills (fill groups with no order report) are applied to their cached order,
   found by client order id or venue order id; for an order unknown locally a MARKET
   external order is created from the fills (3.3.8); an unknown instrument skips them.
4. Position reports (unless `filter_position_reports`): hedge reports whose position
   the batch's fills already build are skipped (3.5.12), the rest reconciled by
   `PositionReconciler` (3.5).
5. Validation: venue order ids left without a cached order are counted and warned about.

Before anything changes, the raw reports are published on
``reconciliation.raw.OrderStatusReport`` / ``FillReport`` / ``PositionStatusReport`` and
the mass status on ``reports.execution.{venue}``, only when someone subscribes.

Every trade id is applied at most once per batch, and only when the order does not
have it yet, so reconciling the same mass status twice emits nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.reconciliation.ids import is_synthetic
from argonaut.live.reconciliation.orders import RECONCILIATION_TAG, VENUE_TAG, OrderReconciler
from argonaut.live.reconciliation.positions import PositionReconciler
from argonaut.live.reconciliation.result import ExternalOrder, ReconciliationResult
from argonaut.live.reconciliation.window import adjust_for_partial_window
from argonaut.model.enums import OrderStatus, OrderType, TimeInForce
from argonaut.model.events.order import OrderFilled
from argonaut.model.identifiers import (
    EXTERNAL_STRATEGY_ID,
    ClientId,
    ClientOrderId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from argonaut.model.instruments import Instrument
from argonaut.model.reports import ExecutionMassStatus, FillReport, OrderStatusReport
from argonaut.model.values import Quantity

RAW_ORDER_TOPIC = "reconciliation.raw.OrderStatusReport"
RAW_FILL_TOPIC = "reconciliation.raw.FillReport"
RAW_POSITION_TOPIC = "reconciliation.raw.PositionStatusReport"
ClaimLookup = Callable[[InstrumentId], StrategyId | None]
InstrumentLookup = Callable[[InstrumentId], Instrument | None]
_SCALE = Decimal(10**9)


class MassStatusReconciler:
    """Apply a mass status to the cache through an `OrderReconciler`."""

    def __init__(
        self,
        reconciler: OrderReconciler,
        positions: PositionReconciler,
        clock: Clock,
        log: Logger,
        claims: ClaimLookup,
        instrument: InstrumentLookup,
        uuid_factory: UUIDFactory,
        *,
        filter_unclaimed_external_orders: bool = False,
        filter_position_reports: bool = False,
        msgbus: MessageBus | None = None,
    ) -> None:
        self._msgbus = msgbus
        self._rec = reconciler
        self._positions = positions
        self._clock = clock
        self._log = log
        self._claims = claims
        self._instrument = instrument
        self._uuids = uuid_factory
        self._filter_unclaimed = filter_unclaimed_external_orders
        self._filter_positions = filter_position_reports

    def reconcile(self, mass_status: ExecutionMassStatus) -> ReconciliationResult:
        """Reconcile `mass_status` and return what was done (see the module docstring)."""
        ts_start = self._clock.timestamp_ns()
        result = ReconciliationResult(client_id=mass_status.client_id, ts_started=ts_start)
        result.order_reports = len(mass_status.order_reports)
        result.fill_reports = mass_status.fill_count()
        result.position_reports = sum(len(g) for g in mass_status.position_reports.values())
        self._publish_raw(mass_status)
        if mass_status.position_reports:
            mass_status, adjusted = adjust_for_partial_window(
                mass_status,
                self._instrument,
                self._rec.instrument_ids,
                self._uuids,
                ts_start,
                self._cached_fills,
            )
            if adjusted:
                self._log.info(
                    f"Partial lookback window: adjusted the fills of {adjusted} instruments "
                    f"of {mass_status.client_id}"
                )
        self._check_duplicate_trade_ids(mass_status, result)
        applied: set[TradeId] = set()
        seen: set[ClientOrderId] = set()
        fill_reports = mass_status.fill_reports
        reports = list(mass_status.order_reports.values())
        reports.sort(key=lambda r: _first_ts(r, fill_reports))
        for report in reports:
            self._reconcile_report(mass_status, report, result, applied, seen)
        self._reconcile_orphan_fills(mass_status, result, applied)
        if result.position_reports and not self._filter_positions:
            self._reconcile_positions(mass_status, result)
        self._validate(mass_status, result)
        result.duration_ns = self._clock.timestamp_ns() - ts_start
        return result

    def _publish_raw(self, mass_status: ExecutionMassStatus) -> None:
        """Publish the venue's raw reports (3.1.6) and the mass status (3.1.19), before
        anything changes, to whoever listens (nothing is built when no one does)."""
        bus = self._msgbus
        if bus is None:
            return
        topic = f"reports.execution.{mass_status.venue}"
        if bus.has_subscribers(topic):
            bus.publish(topic, mass_status)
        if bus.has_subscribers(RAW_ORDER_TOPIC):
            for report in mass_status.order_reports.values():
                bus.publish(RAW_ORDER_TOPIC, report)
        if bus.has_subscribers(RAW_FILL_TOPIC):
            for fills in mass_status.fill_reports.values():
                for fill in fills:
                    bus.publish(RAW_FILL_TOPIC, fill)
        if bus.has_subscribers(RAW_POSITION_TOPIC):
            for positions in mass_status.position_reports.values():
                for position in positions:
                    bus.publish(RAW_POSITION_TOPIC, position)

    def _validate(self, mass_status: ExecutionMassStatus, result: ReconciliationResult) -> None:
        """Warn about venue order ids not indexed to a cached order (3.1.19)."""
        rec = self._rec
        client_order_id = rec.cache_client_order_id
        missing = 0
        for venue_order_id, report in mass_status.order_reports.items():
            if client_order_id(venue_order_id) is not None:
                continue
            if rec.is_filtered(report.client_order_id, report.instrument_id):
                continue
            missing += 1
        if missing:
            result.unindexed_venue_order_ids = missing
            self._log.warning(
                f"{missing} venue order ids of {mass_status.client_id}'s reports map to no "
                "cached order after reconciliation (filtered, skipped or not creatable)"
            )

    def _cached_fills(self, report: OrderStatusReport) -> list[OrderFilled]:
        order = self._rec.find_order(report)
        if order is None or not order.filled_qty.raw:
            return []
        return [e for e in order.events if type(e) is OrderFilled]

    def _check_duplicate_trade_ids(
        self, mass_status: ExecutionMassStatus, result: ReconciliationResult
    ) -> None:
        owners: dict[TradeId, VenueOrderId] = {}
        setdefault = owners.setdefault
        for venue_order_id, fills in mass_status.fill_reports.items():
            for fill in fills:
                owner = setdefault(fill.trade_id, venue_order_id)
                if owner != venue_order_id:
                    result.duplicate_trade_ids += 1
                    self._log.warning(
                        f"Trade id {fill.trade_id} is reported for venue orders {owner} and "
                        f"{venue_order_id}: applied once, to the first"
                    )

    def _reconcile_report(
        self,
        mass_status: ExecutionMassStatus,
        report: OrderStatusReport,
        result: ReconciliationResult,
        applied: set[TradeId],
        seen: set[ClientOrderId],
    ) -> None:
        rec = self._rec
        order = rec.find_order(report)
        coid = report.client_order_id if order is None else order.client_order_id
        if rec.is_filtered(coid, report.instrument_id):
            result.filtered_reports += 1
            return
        if coid is not None:
            if coid in seen:
                result.duplicate_order_reports += 1
                self._log.warning(
                    f"Order {coid} is reported again (venue order id {report.venue_order_id}): "
                    "kept the first report"
                )
                return
            seen.add(coid)
        fills = mass_status.fill_reports.get(report.venue_order_id, ())
        if order is None:
            self.create_external(report, fills, result, applied, mass_status.client_id)
            return
        rec.reconcile_order(order, report, fills, result, applied)

    def create_external(
        self,
        report: OrderStatusReport,
        fills: list[FillReport] | tuple[()],
        result: ReconciliationResult,
        applied: set[TradeId],
        client_id: ClientId | None,
    ) -> bool:
        """Create an external order for `report` with its owner and tag (3.3.1-3.3.2)."""
        owner = self._claims(report.instrument_id)
        synthetic = is_synthetic(str(report.venue_order_id))
        if owner is None and not synthetic and self._filter_unclaimed:
            result.filtered_reports += 1
            return False
        strategy_id = EXTERNAL_STRATEGY_ID if owner is None else owner
        tag = RECONCILIATION_TAG if synthetic else (VENUE_TAG if owner is None else None)
        order = self._rec.create_external_order(
            report, strategy_id, tag, list(fills), result, applied, client_id
        )
        if order is None:
            return False
        result.external_orders.append(
            ExternalOrder(
                venue_order_id=report.venue_order_id,
                instrument_id=report.instrument_id,
                strategy_id=strategy_id,
                ts_init=self._clock.timestamp_ns(),
                client_order_id=order.client_order_id,
                report=report,
            )
        )
        if self._log.debug_enabled:
            self._log.debug(
                f"Venue order {report.venue_order_id} ({report.order_status.value} "
                f"{report.instrument_id}) was unknown locally: created for {strategy_id}"
            )
        return True

    def _reconcile_orphan_fills(
        self,
        mass_status: ExecutionMassStatus,
        result: ReconciliationResult,
        applied: set[TradeId],
    ) -> None:
        rec = self._rec
        orphans = [
            (venue_order_id, fills)
            for venue_order_id, fills in mass_status.fill_reports.items()
            if fills and venue_order_id not in mass_status.order_reports
        ]
        orphans.sort(key=lambda item: min(f.ts_event for f in item[1]))
        for venue_order_id, fills in orphans:
            first = fills[0]
            order = rec.find_order(first)
            coid = first.client_order_id if order is None else order.client_order_id
            if rec.is_filtered(coid, first.instrument_id):
                result.filtered_reports += len(fills)
                continue
            if order is not None:
                rec.apply_fills(order, fills, result, applied)
                continue
            instrument = self._instrument(first.instrument_id)
            if instrument is None:
                result.unmatched_fill_reports += len(fills)
                self._log.warning(
                    f"{len(fills)} fill reports of unknown venue order {venue_order_id} on "
                    f"{first.instrument_id} (not in the cache) were not applied"
                )
                continue
            report = report_from_fills(venue_order_id, fills, instrument, self._uuids)
            self.create_external(report, fills, result, applied, mass_status.client_id)

    def _reconcile_positions(
        self, mass_status: ExecutionMassStatus, result: ReconciliationResult
    ) -> None:
        hedged_ids, unattributed = _hedge_coverage(mass_status)
        included = self._rec.instrument_ids
        for iid, reports in mass_status.position_reports.items():
            if included is not None and iid not in included:
                result.filtered_reports += len(reports)
                continue
            for report in reports:
                hedge_id = report.venue_position_id
                if hedge_id is not None and (hedge_id in hedged_ids or iid in unattributed):
                    continue  # the batch's fills build this position (3.5.12)
                if not self._positions.reconcile(report, result, mass_status.client_id):
                    result.add_discrepancy(
                        f"position {iid} on {report.account_id} could not be aligned with the venue"
                    )
                if hedge_id is None:
                    break  # only the first netting report of an instrument counts


def _first_ts(report: OrderStatusReport, fills: dict[VenueOrderId, list[FillReport]]) -> int:
    group = fills.get(report.venue_order_id)
    if group:
        return min(f.ts_event for f in group)
    return report.ts_accepted


def _hedge_coverage(
    mass_status: ExecutionMassStatus,
) -> tuple[set[PositionId], set[InstrumentId]]:
    """Return the venue position ids the batch's fills build, and the instruments with a
    fill (or filled order) that names no venue position id."""
    ids: set[PositionId] = set()
    unattributed: set[InstrumentId] = set()
    hedged_instruments = {
        iid
        for iid, reports in mass_status.position_reports.items()
        if any(r.venue_position_id is not None for r in reports)
    }
    if not hedged_instruments:
        return ids, unattributed
    for fills in mass_status.fill_reports.values():
        for fill in fills:
            if fill.instrument_id not in hedged_instruments:
                continue
            if fill.venue_position_id is None:
                unattributed.add(fill.instrument_id)
            else:
                ids.add(fill.venue_position_id)
    for report in mass_status.order_reports.values():
        if report.instrument_id not in hedged_instruments or not report.filled_qty.raw:
            continue
        if report.venue_position_id is None:
            unattributed.add(report.instrument_id)
        else:
            ids.add(report.venue_position_id)
    return ids, unattributed


def report_from_fills(
    venue_order_id: VenueOrderId,
    fills: list[FillReport],
    instrument: Instrument,
    uuids: UUIDFactory,
) -> OrderStatusReport:
    """Build a FILLED MARKET order report covering `fills` (live-behaviour 3.3.8)."""
    first = fills[0]
    total = sum(f.last_qty.raw for f in fills)
    notional = sum(Decimal(f.last_qty.raw) * f.last_px.as_decimal() for f in fills)
    qty = Quantity(total, instrument.size_precision)
    return OrderStatusReport(
        account_id=first.account_id,
        instrument_id=first.instrument_id,
        venue_order_id=venue_order_id,
        client_order_id=first.client_order_id,
        order_side=first.order_side,
        order_type=OrderType.MARKET,
        time_in_force=TimeInForce.IOC,
        order_status=OrderStatus.FILLED,
        quantity=qty,
        filled_qty=qty,
        avg_px=notional / Decimal(total),
        ts_accepted=min(f.ts_event for f in fills),
        ts_last=max(f.ts_event for f in fills),
        ts_init=first.ts_init,
        report_id=uuids.generate(),
        venue_position_id=first.venue_position_id,
    )


__all__ = [
    "RAW_FILL_TOPIC",
    "RAW_ORDER_TOPIC",
    "RAW_POSITION_TOPIC",
    "MassStatusReconciler",
    "report_from_fills",
]
