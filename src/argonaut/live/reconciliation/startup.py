"""Startup reconciliation of one client's `ExecutionMassStatus` (live-behaviour 3.1).

Order of work:

1. Count the reports; warn on trade ids repeated across venue orders (3.1.8).
2. Each order report, in the mass status's order: skipped when filtered
   (`filtered_client_order_ids`, `reconciliation_instrument_ids`) or when it repeats a
   client order id already seen (first kept, 3.1.9); mapped to a cached order by client
   order id, else venue order id, and reconciled with its fills (`OrderReconciler`); an
   unknown order is recorded in `result.external_orders` with its owner (the strategy
   that claimed the instrument, else ``EXTERNAL``).
3. Orphan fills (fill groups with no order report) are applied to their cached order.
4. Position reports are counted only, for now.

Every trade id is applied at most once per batch, and only when the order does not
have it yet, so reconciling the same mass status twice emits nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable

from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.live.reconciliation.orders import OrderReconciler
from argonaut.live.reconciliation.result import ExternalOrder, ReconciliationResult
from argonaut.model.identifiers import (
    EXTERNAL_STRATEGY_ID,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from argonaut.model.reports import ExecutionMassStatus, OrderStatusReport

ClaimLookup = Callable[[InstrumentId], StrategyId | None]


class MassStatusReconciler:
    """Apply a mass status to the cache through an `OrderReconciler`."""

    def __init__(
        self,
        reconciler: OrderReconciler,
        clock: Clock,
        log: Logger,
        claims: ClaimLookup,
        *,
        filter_unclaimed_external_orders: bool = False,
        filter_position_reports: bool = False,
    ) -> None:
        self._rec = reconciler
        self._clock = clock
        self._log = log
        self._claims = claims
        self._filter_unclaimed = filter_unclaimed_external_orders
        self._filter_positions = filter_position_reports

    def reconcile(self, mass_status: ExecutionMassStatus) -> ReconciliationResult:
        """Reconcile `mass_status` and return what was done (see the module docstring)."""
        ts_start = self._clock.timestamp_ns()
        result = ReconciliationResult(client_id=mass_status.client_id, ts_started=ts_start)
        result.order_reports = len(mass_status.order_reports)
        result.fill_reports = mass_status.fill_count()
        result.position_reports = sum(len(g) for g in mass_status.position_reports.values())
        self._check_duplicate_trade_ids(mass_status, result)
        applied: set[TradeId] = set()
        seen: set[ClientOrderId] = set()
        for report in mass_status.order_reports.values():
            self._reconcile_report(mass_status, report, result, applied, seen)
        self._reconcile_orphan_fills(mass_status, result, applied)
        if result.position_reports and not self._filter_positions:
            # TODO(full reconciliation issue): position reconciliation (live-behaviour
            # 3.1.7 partial-window adjustment, 3.1.17-18, 3.5) is not applied yet.
            self._log.debug(
                f"{result.position_reports} position reports of {mass_status.client_id} not "
                "reconciled: position reconciliation is not implemented yet"
            )
        result.duration_ns = self._clock.timestamp_ns() - ts_start
        return result

    def _check_duplicate_trade_ids(
        self, mass_status: ExecutionMassStatus, result: ReconciliationResult
    ) -> None:
        owners: dict[TradeId, VenueOrderId] = {}
        for venue_order_id, fills in mass_status.fill_reports.items():
            for fill in fills:
                owner = owners.setdefault(fill.trade_id, venue_order_id)
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
        if order is None:
            self._record_external(report, result)
            return
        fills = mass_status.fill_reports.get(report.venue_order_id, ())
        rec.reconcile_order(order, report, fills, result, applied)

    def _record_external(self, report: OrderStatusReport, result: ReconciliationResult) -> None:
        owner = self._claims(report.instrument_id)
        if owner is None and self._filter_unclaimed:
            result.filtered_reports += 1
            return
        # TODO(full reconciliation issue): create the external order (OrderInitialized
        # from the report + the status events of live-behaviour 3.3.6); recorded only.
        external = ExternalOrder(
            venue_order_id=report.venue_order_id,
            instrument_id=report.instrument_id,
            strategy_id=EXTERNAL_STRATEGY_ID if owner is None else owner,
            ts_init=self._clock.timestamp_ns(),
            client_order_id=report.client_order_id,
            report=report,
        )
        result.external_orders.append(external)
        self._log.info(
            f"Venue order {report.venue_order_id} ({report.order_status.value} "
            f"{report.instrument_id}) is unknown locally: recorded as external for "
            f"{external.strategy_id}"
        )

    def _reconcile_orphan_fills(
        self,
        mass_status: ExecutionMassStatus,
        result: ReconciliationResult,
        applied: set[TradeId],
    ) -> None:
        rec = self._rec
        for venue_order_id, fills in mass_status.fill_reports.items():
            if venue_order_id in mass_status.order_reports or not fills:
                continue
            first = fills[0]
            order = rec.find_order(first)
            coid = first.client_order_id if order is None else order.client_order_id
            if rec.is_filtered(coid, first.instrument_id):
                result.filtered_reports += len(fills)
                continue
            if order is None:
                # TODO(full reconciliation issue): a fill of an unknown order creates a
                # MARKET external order (live-behaviour 3.3.8).
                result.unmatched_fill_reports += len(fills)
                self._log.warning(
                    f"{len(fills)} fill reports of unknown venue order {venue_order_id} "
                    "were not applied"
                )
                continue
            rec.apply_fills(order, fills, result, applied)


__all__ = ["MassStatusReconciler"]
