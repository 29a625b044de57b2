"""Continuous reconciliation checks: in-flight orders, open orders, positions.

`ContinuousChecks.run(now_ns)` runs each sub-check whose interval has passed since its
last run (the first run of each waits one full interval from construction or from
`reset_schedule`). A venue query is bounded by `query_timeout_secs`; a failing query is
logged and never resolves anything by itself.

In-flight (live-behaviour 3.7, DESIGN.md section 7): an order SUBMITTED, PENDING_UPDATE
or PENDING_CANCEL for longer than `inflight_check_threshold_ms` (since its registration,
else its last event) is queried with `generate_order_status_report`, at most once per
threshold. A report found is reconciled and resets the miss count. After
`inflight_check_retries` queries the venue answered "unknown" (at least one), a
SUBMITTED order becomes REJECTED (``INFLIGHT_TIMEOUT``); a PENDING_UPDATE or
PENDING_CANCEL order is never given an invented outcome: it stays pending, is still
queried, and a warning is logged every cycle until the venue reports it.

Open orders (3.8): every client is polled (`open_check_open_only`, lookback
`open_check_lookback_mins`); a report clears the order's query tracking and is
reconciled when the venue's open flag or filled quantity differs (orders unknown
locally become external orders), unless the order's local activity is younger than
`open_check_threshold_ms`. In both modes a working order missing from the answer and
older than the threshold counts a miss (shared with the in-flight check); at
`open_check_missing_retries` misses one targeted single-order query is made (at most
`max_single_order_queries_per_cycle` per cycle, `single_order_query_delay_ms` apart; the
rest wait for the next cycle). A report the venue returns is reconciled like any other
(e.g. FILLED while the node missed the fills: an inferred fill). If the venue does not
know the order: in full-history mode SUBMITTED or ACCEPTED/TRIGGERED -> REJECTED
(``ORDER_NOT_FOUND_AT_VENUE``), PARTIALLY_FILLED -> CANCELED (fills kept), PENDING_* ->
left pending with a warning; in open-only mode (venues drop closed orders from "open"
endpoints, so absence proves little) it is only logged, and its miss count restarts, so
it is queried again after as many cycles (our decision, issue #6). After a full-history
cycle the fills of every open order must add up to its filled quantity (else ERROR).

Positions (3.9): cached open positions are grouped by (instrument, account); every
client is asked for its position reports; a failed client skips its venue for the cycle
(never treated as flat). A discrepancy (beyond one size unit) older than
`position_check_threshold_ms` and below `position_check_retries` attempts is remediated:
the venue's fills since `position_check_lookback_mins` are searched for trade ids the
cache does not have, which are applied; if still off (and no fill query failed) and
`generate_missing_orders`, an alignment order is generated (`PositionReconciler`).
Resolved clears the counter; else it grows, with an ERROR at the limit. Venue-only
positions (nothing cached) only get the missing-fill search. Counters are pruned for
keys neither cached-open nor venue-non-flat, and are per account.

`verified` is True after a run in which an open-order or position check reached every
client without a failure or an unresolved discrepancy (fail-closed uses it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from argonaut.cache import Cache
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.reconciliation.orders import OrderReconciler
from argonaut.live.reconciliation.positions import PositionReconciler
from argonaut.live.reconciliation.result import ReconciliationClient, ReconciliationResult
from argonaut.live.reconciliation.startup import MassStatusReconciler, report_from_fills
from argonaut.live.reconciliation.tracking import ReconTracking
from argonaut.model.commands.reports import (
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
)
from argonaut.model.enums import OrderStatus, PositionSide
from argonaut.model.events.order import OrderCanceled, OrderFilled, OrderRejected
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    TradeId,
    Venue,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.orders.fsm import CLOSED, IN_FLIGHT, PENDING
from argonaut.model.reports import FillReport, OrderStatusReport, PositionStatusReport
from argonaut.model.values import Quantity

_T = TypeVar("_T")
_MS = 1_000_000
_SECOND = 1_000_000_000
_MINUTE = 60 * _SECOND

PositionKey = tuple[InstrumentId, AccountId]


class ContinuousChecks:
    """The manager's periodic checks; see the module docstring."""

    def __init__(
        self,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        log: Logger,
        config: LiveExecEngineConfig,
        tracking: ReconTracking,
        reconciler: OrderReconciler,
        positions: PositionReconciler,
        startup: MassStatusReconciler,
        clients: Mapping[ClientId, ReconciliationClient],
        *,
        query_timeout_secs: float,
    ) -> None:
        self._cache = cache
        self._clock = clock
        self._uuids = uuid_factory
        self._log = log
        self._config = config
        self._tracking = tracking
        self._rec = reconciler
        self._positions = positions
        self._startup = startup
        self._clients = clients
        self.verified = False
        self.missing_resolved = 0
        self.missing_unresolved = 0
        self.single_order_queries = 0
        self._timeout = query_timeout_secs
        self.inflight_interval_ns = config.inflight_check_interval_ms * _MS
        self.open_interval_ns = int((config.open_check_interval_secs or 0) * _SECOND)
        self.position_interval_ns = int((config.position_check_interval_secs or 0) * _SECOND)
        now = clock.timestamp_ns()
        self.ts_last_inflight = self.ts_last_open = self.ts_last_position = now
        self._position_retries: dict[PositionKey, int] = {}
        self.inflight_queries = 0
        self.inflight_rejected = 0
        self.inflight_unresolved_warnings = 0
        self.query_errors = 0
        self.open_checks = 0
        self.position_checks = 0

    def reset_schedule(self, now_ns: int) -> None:
        """Make every sub-check wait one full interval from `now_ns`."""
        self.ts_last_inflight = self.ts_last_open = self.ts_last_position = now_ns

    async def run(self, now_ns: int) -> ReconciliationResult:
        """Run the sub-checks that are due at `now_ns`; return their combined result."""
        result = ReconciliationResult(ts_started=now_ns)
        due: list[tuple[str, Callable[[], Awaitable[ReconciliationResult]]]] = []
        interval = self.inflight_interval_ns
        if interval > 0 and now_ns - self.ts_last_inflight >= interval:
            self.ts_last_inflight = now_ns
            due.append(("in-flight", self.check_inflight_orders))
        interval = self.open_interval_ns
        if interval > 0 and now_ns - self.ts_last_open >= interval:
            self.ts_last_open = now_ns
            due.append(("open-order", self.check_open_orders))
        interval = self.position_interval_ns
        if interval > 0 and now_ns - self.ts_last_position >= interval:
            self.ts_last_position = now_ns
            due.append(("position", self.check_positions))
        verifying = False
        for name, check in due:
            try:
                result.merge(await check())
            except Exception as exc:
                result.fail(f"{name} check raised {exc!r}")
                self._log.exception(f"Reconciliation {name} check failed: {exc!r}", exc)
            verifying = verifying or name != "in-flight"
        self.verified = verifying and result.success
        result.duration_ns = self._clock.timestamp_ns() - now_ns
        return result

    # -- queries -------------------------------------------------------------------------

    async def _ask(self, what: str, call: Awaitable[_T]) -> tuple[bool, _T | None]:
        """Await a venue query within the timeout; (False, None) when it failed."""
        try:
            return True, await asyncio.wait_for(call, self._timeout)
        except TimeoutError:
            self.query_errors += 1
            self._log.warning(f"Reconciliation query {what} timed out after {self._timeout}s")
        except Exception as exc:
            self.query_errors += 1
            self._log.warning(f"Reconciliation query {what} failed: {exc!r}")
        return False, None

    def client_for(self, order: Order) -> ReconciliationClient | None:
        """Return the client that routes `order`: its cached client id, else its venue."""
        clients = self._clients
        client_id = self._cache.client_id(order.client_order_id)
        if client_id is not None and client_id in clients:
            return clients[client_id]
        venue = order.instrument_id.venue
        for client in clients.values():
            if client.venue == venue:
                return client
        if len(clients) == 1:
            return next(iter(clients.values()))
        return None

    # -- in-flight -----------------------------------------------------------------------

    async def check_inflight_orders(self) -> ReconciliationResult:
        """Query the in-flight orders past the threshold; resolve them (module docstring)."""
        now = self._clock.timestamp_ns()
        result = ReconciliationResult(ts_started=now)
        tracking = self._tracking
        candidates = {coid: tracking.inflight_since(coid) for coid in tracking.inflight_ids()}
        for cached in self._cache.orders_inflight():
            if candidates.get(cached.client_order_id) is None:
                candidates[cached.client_order_id] = cached.ts_last
        for coid, t0 in candidates.items():
            order = self._cache.order(coid)
            if order is None or order.status not in IN_FLIGHT or coid in self._rec.filtered_ids:
                tracking.clear(coid)
                continue
            await self._check_inflight(order, now if t0 is None else t0, now, result)
        result.duration_ns = self._clock.timestamp_ns() - now
        return result

    async def _check_inflight(
        self, order: Order, t0: int, now: int, result: ReconciliationResult
    ) -> None:
        threshold = self._config.inflight_check_threshold_ms * _MS
        if now - t0 <= threshold:
            return
        coid = order.client_order_id
        tracking = self._tracking
        retries = max(1, self._config.inflight_check_retries)
        last_query = tracking.last_query(coid)
        if last_query is None or now - last_query > threshold:
            client = self.client_for(order)
            if client is None:
                self._log.warning(f"In-flight order {coid} has no client to query it")
                return
            await self._query_inflight(client, order, now, result)
        if order.status in PENDING and tracking.query_count(coid) >= retries:
            self.inflight_unresolved_warnings += 1
            self._log.warning(
                f"Order {coid} is {order.status.value} and the venue has not reported it "
                f"after {tracking.query_count(coid)} queries: it stays pending until the "
                "venue answers (no outcome is invented)"
            )

    async def _query_inflight(
        self,
        client: ReconciliationClient,
        order: Order,
        now: int,
        result: ReconciliationResult,
    ) -> None:
        coid = order.client_order_id
        tracking = self._tracking
        command = GenerateOrderStatusReport(
            command_id=self._uuids.generate(),
            ts_init=now,
            client_id=client.client_id,
            instrument_id=order.instrument_id,
            client_order_id=coid,
            venue_order_id=order.venue_order_id,
        )
        self.inflight_queries += 1
        ok, report = await self._ask(
            f"of order {coid}", client.generate_order_status_report(command)
        )
        if not ok:
            tracking.mark_queried(coid, now)  # an error is not the venue saying "unknown"
            return
        if report is not None:
            tracking.reset_queries(coid)
            tracking.mark_queried(coid, now)
            self._rec.reconcile_order(order, report, (), result, set())
            if order.status not in IN_FLIGHT:
                tracking.clear(coid)
            return
        misses = tracking.record_query(coid, now)
        if misses < max(1, self._config.inflight_check_retries):
            return
        if order.status is OrderStatus.SUBMITTED:
            self._reject_inflight(order, client, misses, result)

    def _reject_inflight(
        self,
        order: Order,
        client: ReconciliationClient,
        misses: int,
        result: ReconciliationResult,
    ) -> None:
        coid = order.client_order_id
        account_id = order.account_id if order.account_id is not None else client.account_id
        if account_id is None:
            self._log.error(f"Cannot reject in-flight order {coid}: no account id is known")
            return
        ts = self._clock.timestamp_ns()
        reason = f"INFLIGHT_TIMEOUT: the venue did not know the order after {misses} queries"
        event = OrderRejected(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=coid,
            event_id=self._uuids.generate(),
            ts_event=ts,
            ts_init=ts,
            venue_order_id=order.venue_order_id,
            account_id=account_id,
            reconciliation=True,
            reason=reason,
        )
        self._log.warning(f"In-flight order {coid} resolved to REJECTED: {reason}")
        if self._rec.emit_event(order, event, result):
            self.inflight_rejected += 1
        self._tracking.clear(coid)

    # -- open orders ---------------------------------------------------------------------

    async def check_open_orders(self) -> ReconciliationResult:
        """Poll every client's order reports and reconcile them (module docstring)."""
        now = self._clock.timestamp_ns()
        result = ReconciliationResult(ts_started=now)
        self.open_checks += 1
        lookback = self._config.open_check_lookback_mins
        start_ns = now - lookback * _MINUTE if lookback else None
        open_only = self._config.open_check_open_only
        budget = [self._config.max_single_order_queries_per_cycle]
        for client in list(self._clients.values()):
            command = GenerateOrderStatusReports(
                command_id=self._uuids.generate(),
                ts_init=now,
                client_id=client.client_id,
                start_ns=start_ns,
                open_only=open_only,
            )
            ok, reports = await self._ask(
                f"of open orders from {client.client_id}",
                client.generate_order_status_reports(command),
            )
            if not ok or reports is None:
                result.fail(f"open-order query of {client.client_id} failed")
                continue
            result.order_reports += len(reports)
            seen = {self._open_report(client, report, now, result) for report in reports}
            seen_venue_ids = {report.venue_order_id for report in reports}
            await self._resolve_missing(
                client, seen, seen_venue_ids, now, result, budget, terminal=not open_only
            )
            if not open_only:
                self._check_fill_sums(client)
        result.duration_ns = self._clock.timestamp_ns() - now
        return result

    def _open_report(
        self,
        client: ReconciliationClient,
        report: OrderStatusReport,
        now: int,
        result: ReconciliationResult,
    ) -> ClientOrderId | None:
        rec = self._rec
        order = rec.find_order(report)
        coid = report.client_order_id if order is None else order.client_order_id
        if rec.is_filtered(coid, report.instrument_id):
            result.filtered_reports += 1
            return coid
        if order is None:
            if report.is_open or report.filled_qty.raw:
                self._startup.create_external(report, (), result, set(), client.client_id)
            return coid
        self._tracking.reset_queries(order.client_order_id)
        activity = self._tracking.local_activity(order.client_order_id)
        threshold = self._config.open_check_threshold_ms * _MS
        if activity is not None and now - activity < threshold:
            return coid
        if report.is_open != order.is_open or report.filled_qty.raw != order.filled_qty.raw:
            rec.reconcile_order(order, report, (), result, set())
        return coid

    def _working(self, client: ReconciliationClient) -> list[ClientOrderId]:
        venue = client.venue
        cache = self._cache
        ids = dict.fromkeys(
            [*cache.client_order_ids_open(venue), *cache.client_order_ids_inflight(venue)]
        )
        return [c for c in ids if c not in self._rec.filtered_ids]

    async def _resolve_missing(
        self,
        client: ReconciliationClient,
        seen: set[ClientOrderId | None],
        seen_venue_ids: set[VenueOrderId],
        now: int,
        result: ReconciliationResult,
        budget: list[int],
        *,
        terminal: bool,
    ) -> None:
        """Count misses of working orders the venue left out; query them at the limit
        (`terminal`: an order the venue does not know gets a terminal resolution)."""
        cache = self._cache
        tracking = self._tracking
        threshold = self._config.open_check_threshold_ms * _MS
        limit = max(1, self._config.open_check_missing_retries)
        delay = self._config.single_order_query_delay_ms / 1000
        included = self._rec.instrument_ids
        queried = 0
        for coid in self._working(client):
            order = cache.order(coid)
            if order is None or coid in seen or order.venue_order_id in seen_venue_ids:
                continue
            if included is not None and order.instrument_id not in included:
                continue
            activity = tracking.local_activity(coid)
            if now - order.ts_last < threshold or (
                activity is not None and now - activity < threshold
            ):
                continue
            misses = tracking.record_query(coid, now)
            if misses < limit:
                continue
            if budget[0] <= 0:
                continue  # the per-cycle cap: the next cycle queries it
            if queried and delay > 0:
                await asyncio.sleep(delay)
            budget[0] -= 1
            queried += 1
            await self._query_missing(client, order, now, result, terminal=terminal)

    async def _query_missing(
        self,
        client: ReconciliationClient,
        order: Order,
        now: int,
        result: ReconciliationResult,
        *,
        terminal: bool,
    ) -> None:
        coid = order.client_order_id
        self.single_order_queries += 1
        command = GenerateOrderStatusReport(
            command_id=self._uuids.generate(),
            ts_init=now,
            client_id=client.client_id,
            instrument_id=order.instrument_id,
            client_order_id=coid,
            venue_order_id=order.venue_order_id,
        )
        ok, report = await self._ask(
            f"of order {coid}", client.generate_order_status_report(command)
        )
        if not ok:
            return  # an error is not "not found": try again next cycle
        if report is not None:
            self._tracking.reset_queries(coid)
            self._rec.reconcile_order(order, report, (), result, set())
            return
        if terminal:
            self._resolve_not_found(order, client, result)
            return
        # Open-only mode: no terminal resolution; count the misses again from zero, so
        # the order is queried once every `open_check_missing_retries` cycles.
        self._tracking.reset_queries(coid)
        self.missing_unresolved += 1
        self._log.warning(
            f"Order {coid} ({order.status.value}) is missing from the venue's open orders "
            "and a targeted query did not find it: left as is (open-only mode)"
        )

    def _resolve_not_found(
        self, order: Order, client: ReconciliationClient, result: ReconciliationResult
    ) -> None:
        status = order.status
        coid = order.client_order_id
        if status in CLOSED:
            return
        if status in PENDING:
            self.inflight_unresolved_warnings += 1
            self._log.warning(
                f"Order {coid} is {status.value} and not found at the venue: it stays "
                "pending until the venue answers (no outcome is invented)"
            )
            return
        account_id = order.account_id if order.account_id is not None else client.account_id
        if account_id is None:
            self._log.error(f"Cannot resolve order {coid} not found at the venue: no account id")
            return
        ts = self._clock.timestamp_ns()
        common: dict[str, Any] = {
            "trader_id": order.trader_id,
            "strategy_id": order.strategy_id,
            "instrument_id": order.instrument_id,
            "client_order_id": coid,
            "event_id": self._uuids.generate(),
            "ts_event": ts,
            "ts_init": ts,
            "venue_order_id": order.venue_order_id,
            "account_id": account_id,
            "reconciliation": True,
        }
        if status is OrderStatus.PARTIALLY_FILLED:
            event: OrderRejected | OrderCanceled = OrderCanceled(**common)
        else:
            event = OrderRejected(**common, reason="ORDER_NOT_FOUND_AT_VENUE")
        self._log.warning(
            f"Order {coid} ({status.value}) is not found at the venue after a targeted "
            f"query: {type(event).__name__}"
        )
        if self._rec.emit_event(order, event, result):
            self.missing_resolved += 1
        self._tracking.clear(coid)

    def _check_fill_sums(self, client: ReconciliationClient) -> None:
        for order in self._cache.orders_open(client.venue):
            total = sum(e.last_qty.raw for e in order.events if type(e) is OrderFilled)
            if total != order.filled_qty.raw:
                self._log.error(
                    f"Order {order.client_order_id}: its fills add up to {total / 1e9:g} but "
                    f"its filled quantity is {order.filled_qty}"
                )

    # -- positions -----------------------------------------------------------------------

    async def check_positions(self) -> ReconciliationResult:
        """Compare cached and venue net positions per (instrument, account)."""
        now = self._clock.timestamp_ns()
        result = ReconciliationResult(ts_started=now)
        self.position_checks += 1
        venue_qty: dict[PositionKey, int] = {}
        venue_reports: dict[PositionKey, list[PositionStatusReport]] = {}
        failed: set[Venue | None] = set()
        for client in list(self._clients.values()):
            command = GeneratePositionStatusReports(
                command_id=self._uuids.generate(), ts_init=now, client_id=client.client_id
            )
            ok, reports = await self._ask(
                f"of positions from {client.client_id}",
                client.generate_position_status_reports(command),
            )
            if not ok or reports is None:
                failed.add(client.venue)
                result.fail(f"position query of {client.client_id} failed")
                continue
            result.position_reports += len(reports)
            for report in reports:
                key = (report.instrument_id, report.account_id)
                venue_qty[key] = venue_qty.get(key, 0) + report.signed_raw
                venue_reports.setdefault(key, []).append(report)
        cached_qty = self._cached_quantities()
        for key in sorted({*cached_qty, *venue_qty}):
            if key not in venue_qty and (key[0].venue in failed or None in failed):
                continue  # not asked: not treated as flat (3.9.2)
            await self._check_position(
                key,
                cached_qty.get(key),
                venue_qty.get(key, 0),
                venue_reports.get(key, []),
                now,
                result,
            )
        keep = set(cached_qty) | {k for k, q in venue_qty.items() if q != 0}
        for key in [k for k in self._position_retries if k not in keep]:
            del self._position_retries[key]
        result.duration_ns = self._clock.timestamp_ns() - now
        return result

    def _cached_quantities(self) -> dict[PositionKey, int]:
        cached_qty: dict[PositionKey, int] = {}
        for position in self._cache.positions_open():
            key = (position.instrument_id, position.account_id)
            cached_qty[key] = cached_qty.get(key, 0) + position.signed_qty_raw
        return cached_qty

    def _unit(self, instrument_id: InstrumentId) -> int:
        instrument = self._cache.instrument(instrument_id)
        return 1 if instrument is None else 10 ** (9 - instrument.size_precision)

    async def _check_position(
        self,
        key: PositionKey,
        cached: int | None,
        venue: int,
        reports: list[PositionStatusReport],
        now: int,
        result: ReconciliationResult,
    ) -> None:
        if self._rec.instrument_ids is not None and key[0] not in self._rec.instrument_ids:
            return
        unit = self._unit(key[0])
        if abs((cached or 0) - venue) < unit:
            self._position_retries.pop(key, None)
            return
        activity = self._tracking.position_activity(*key)
        if activity is not None and now - activity < self._config.position_check_threshold_ms * _MS:
            return
        limit = self._config.position_check_retries
        attempts = self._position_retries.get(key, 0)
        if attempts >= limit:
            return
        if await self._remediate(key, cached, reports, now, result):
            self._position_retries.pop(key, None)
            return
        after = self._cached_quantities().get(key, 0)
        self._position_retries[key] = attempts = attempts + 1
        text = (
            f"position {key[0]} on {key[1]} is {after / _SECOND:g} locally but "
            f"{venue / _SECOND:g} at the venue"
        )
        result.add_discrepancy(text)
        self._log.warning(f"Position check: {text} (attempt {attempts}/{limit})")
        if attempts >= limit:
            self._log.error(
                f"Position check: {text}; giving up after {limit} attempts until it clears"
            )

    async def _remediate(
        self,
        key: PositionKey,
        cached: int | None,
        reports: list[PositionStatusReport],
        now: int,
        result: ReconciliationResult,
    ) -> bool:
        """Search missing fills, then align (3.9.5); return True when resolved."""
        iid, account_id = key
        venue = sum(r.signed_raw for r in reports)
        unit = self._unit(iid)
        fills_ok = await self._apply_missing_fills(iid, account_id, now, result)
        if abs(self._cached_quantities().get(key, 0) - venue) < unit:
            return True
        if cached is None or not fills_ok or not self._config.generate_missing_orders:
            return False  # venue-only positions get the missing-fill search only
        targets = reports or [self._flat(iid, account_id, now)]
        for report in targets:
            self._positions.reconcile(report, result)
        return abs(self._cached_quantities().get(key, 0) - venue) < unit

    def _flat(self, iid: InstrumentId, account_id: AccountId, now: int) -> PositionStatusReport:
        instrument = self._cache.instrument(iid)
        return PositionStatusReport(
            account_id=account_id,
            instrument_id=iid,
            position_side=PositionSide.FLAT,
            quantity=Quantity(0, 0 if instrument is None else instrument.size_precision),
            ts_last=now,
            ts_init=now,
            report_id=self._uuids.generate(),
        )

    async def _apply_missing_fills(
        self, iid: InstrumentId, account_id: AccountId, now: int, result: ReconciliationResult
    ) -> bool:
        """Apply the venue's fills of `iid` the cache does not have; False if a query failed."""
        lookback = self._config.position_check_lookback_mins
        ok_all = True
        for client in list(self._clients.values()):
            if client.venue is not None and client.venue != iid.venue:
                continue
            command = GenerateFillReports(
                command_id=self._uuids.generate(),
                ts_init=now,
                client_id=client.client_id,
                instrument_id=iid,
                start_ns=now - lookback * _MINUTE if lookback else None,
            )
            ok, fills = await self._ask(
                f"of fills of {iid} from {client.client_id}", client.generate_fill_reports(command)
            )
            if not ok or fills is None:
                ok_all = False
                continue
            self._apply_fills(client, fills, account_id, result)
        return ok_all

    def _apply_fills(
        self,
        client: ReconciliationClient,
        fills: list[FillReport],
        account_id: AccountId,
        result: ReconciliationResult,
    ) -> None:
        groups: dict[object, list[FillReport]] = {}
        tracking = self._tracking
        for fill in fills:
            if fill.account_id != account_id or tracking.is_fill_recently_processed(fill.trade_id):
                continue
            groups.setdefault(fill.venue_order_id, []).append(fill)
        applied: set[TradeId] = set()
        for group in groups.values():
            order = self._rec.find_order(group[0])
            if order is not None:
                known = set(order.trade_ids)
                missing = [f for f in group if f.trade_id not in known]
                if missing:
                    self._log.warning(
                        f"Position check: {len(missing)} fills of order "
                        f"{order.client_order_id} were missing: applied"
                    )
                    self._rec.apply_fills(order, missing, result, applied)
                continue
            instrument = self._cache.instrument(group[0].instrument_id)
            if instrument is None:
                continue
            report = report_from_fills(group[0].venue_order_id, group, instrument, self._uuids)
            self._startup.create_external(report, group, result, applied, client.client_id)


__all__ = ["ContinuousChecks"]
