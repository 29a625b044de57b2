"""`ExecutionManager`: the live node's reconciliation of local state with the venues.

The node owns one manager and calls it from three places (DESIGN.md section 4):

- its execution event/command loop, for bookkeeping on every message (all O(1), no
  logging above DEBUG): `record_local_activity`, `record_position_activity`,
  `mark_fill_processed` / `is_fill_recently_processed`, `clear_recon_tracking`,
  `register_inflight`, `observe_execution_report`;
- startup, once the clients are connected: `reconcile_client` per execution client (or
  `reconcile_all`), which asks for the client's `ExecutionMassStatus` and applies it
  (`reconcile_execution_mass_status`); the trader starts only on success;
- its maintenance timer: `run_reconciliation_checks(now_ns)` (in-flight, open-order and
  position checks, each on its own interval), `prune_recent_fills_cache`, and the purges;
- single venue reports outside a mass status: `reconcile_report` (fills of orders not
  known yet wait until the order appears);
- fail-closed (our decision, issue #6): after startup the node calls `conclude_startup`;
  an unverified venue (client error, timeout, unresolved discrepancy) moves the risk
  engine's trading state to `fail_closed_state` (REDUCING by default; HALTED; OFF only
  logs), with an ERROR and a `ReconciliationAlert` on ``events.reconciliation.alert``;
  a later run of the checks that verifies every venue drops that reason. The state is
  owned by the node's `TradingStateArbiter` (`argonaut.live.trading_state`): it returns
  to ACTIVE only when no other reason (e.g. the persistence backlog) holds.

Every event reconciliation generates carries `reconciliation=True` and goes through
`exec_engine.process(event)`, after the same bookkeeping the node does for venue events.
The rules live in `argonaut.live.reconciliation` (`orders`, `startup`, `checks`,
`tracking`, `ids`).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable

from argonaut.cache import Cache
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution import ExecutionEngine
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.reconciliation.checks import ContinuousChecks
from argonaut.live.reconciliation.orders import OrderReconciler
from argonaut.live.reconciliation.positions import PositionReconciler
from argonaut.live.reconciliation.result import (
    RECONCILIATION_ALERT_TOPIC,
    ExternalOrder,
    ReconciliationAlert,
    ReconciliationClient,
    ReconciliationResult,
    TradingStateControl,
)
from argonaut.live.reconciliation.startup import MassStatusReconciler
from argonaut.live.reconciliation.tracking import ReconTracking
from argonaut.live.trading_state import RECONCILIATION_SOURCE, TradingStateArbiter
from argonaut.model.commands.reports import GeneratePositionStatusReports
from argonaut.model.enums import PositionSide, TradingState
from argonaut.model.events.order import OrderEvent
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from argonaut.model.orders.fsm import PENDING
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import Quantity

_SECONDS_PER_MINUTE = 60
RECONCILIATION_GC_GEN0_THRESHOLD = 50_000

ExecutionReport = OrderStatusReport | FillReport | PositionStatusReport


class ExecutionManager:
    """Reconciliation and its bookkeeping for the live node; see the module docstring.

    Clients are registered with `register_client` (the execution engine keeps the
    synchronous side; the manager needs the async report methods).
    `query_timeout_secs` bounds each venue query of the continuous checks.
    """

    def __init__(
        self,
        cache: Cache,
        exec_engine: ExecutionEngine,
        clock: Clock,
        *,
        config: LiveExecEngineConfig,
        logger: Logger | None = None,
        uuid_factory: UUIDFactory,
        query_timeout_secs: float = 10.0,
    ) -> None:
        self.config = config
        self._cache = cache
        self._engine = exec_engine
        self._clock = clock
        self.log = log = logger if logger is not None else Logger("ExecManager", None)
        self.tracking = ReconTracking()
        self._clients: dict[ClientId, ReconciliationClient] = {}
        self._external_orders: dict[VenueOrderId, ExternalOrder] = {}
        msgbus = exec_engine.msgbus
        self._reconciler = OrderReconciler(
            cache,
            clock,
            uuid_factory,
            log,
            self._process,
            msgbus=msgbus,
            trader_id=msgbus.trader_id,
            filtered_client_order_ids=config.filtered_client_order_ids,
            instrument_ids=config.reconciliation_instrument_ids,
        )
        self._positions = PositionReconciler(
            cache,
            clock,
            uuid_factory,
            log,
            self._reconciler,
            exec_engine.external_order_claim,
            generate_missing_orders=config.generate_missing_orders,
        )
        self._startup = MassStatusReconciler(
            self._reconciler,
            self._positions,
            clock,
            log,
            exec_engine.external_order_claim,
            cache.instrument,
            uuid_factory,
            filter_unclaimed_external_orders=config.filter_unclaimed_external_orders,
            filter_position_reports=config.filter_position_reports,
            msgbus=msgbus,
        )
        self._checks = ContinuousChecks(
            cache,
            clock,
            uuid_factory,
            log,
            config,
            self.tracking,
            self._reconciler,
            self._positions,
            self._startup,
            self._clients,
            query_timeout_secs=query_timeout_secs,
        )
        self._uuids = uuid_factory
        self._query_timeout = query_timeout_secs
        self._deferred_fills: dict[VenueOrderId, list[FillReport]] = {}
        self._arbiter = TradingStateArbiter(logger=log)
        self.fail_closed_reason: str | None = None
        self.alerts: list[ReconciliationAlert] = []
        self.reconciliation_event_count = 0
        self.pruned_fills = 0
        self.purged_orders = 0
        self.purged_positions = 0
        self.purged_account_events = 0

    # -- clients and claims ----------------------------------------------------------------

    def register_client(self, client: ReconciliationClient) -> None:
        """Make `client` part of reconciliation; raise ValueError if its id is taken."""
        if client.client_id in self._clients:
            raise ValueError(
                f"client {client.client_id} is already registered with the execution "
                "manager: deregister it first"
            )
        self._clients[client.client_id] = client

    def deregister_client(self, client_id: ClientId) -> None:
        """Remove a client from reconciliation (no error if absent)."""
        self._clients.pop(client_id, None)

    @property
    def clients(self) -> list[ReconciliationClient]:
        """The registered clients, in registration order."""
        return list(self._clients.values())

    def register_external_order_claims(
        self, strategy_id: StrategyId, instrument_ids: Iterable[InstrumentId]
    ) -> None:
        """Make `strategy_id` the owner of venue orders on `instrument_ids` found unknown.

        The claims are kept by the execution engine (one source of truth); raise
        ValueError when another strategy claimed one of the instruments.
        """
        self._engine.register_external_order_claims(strategy_id, instrument_ids)

    def register_external_order(
        self,
        client_order_id: ClientOrderId | None,
        venue_order_id: VenueOrderId,
        instrument_id: InstrumentId,
        strategy_id: StrategyId,
        ts_init: int,
    ) -> None:
        """Remember a venue order owned outside the node's own submissions."""
        self._external_orders[venue_order_id] = ExternalOrder(
            venue_order_id=venue_order_id,
            instrument_id=instrument_id,
            strategy_id=strategy_id,
            ts_init=ts_init,
            client_order_id=client_order_id,
        )

    def external_order(self, venue_order_id: VenueOrderId) -> ExternalOrder | None:
        """Return the registered external order of a venue order id, or None."""
        return self._external_orders.get(venue_order_id)

    # -- bookkeeping (hot path) ------------------------------------------------------------

    def record_local_activity(self, client_order_id: ClientOrderId, ts: int | None = None) -> None:
        """Record activity on an order at `ts` (default: now, the local receipt time)."""
        self.tracking.record_local_activity(
            client_order_id, self._clock.timestamp_ns() if ts is None else ts
        )

    def record_position_activity(
        self, instrument_id: InstrumentId, account_id: AccountId, ts: int
    ) -> None:
        """Record activity on the (instrument, account) position at `ts`."""
        self.tracking.record_position_activity(instrument_id, account_id, ts)

    def mark_fill_processed(self, trade_id: TradeId) -> None:
        """Remember that the fill `trade_id` was applied (for `prune_recent_fills_cache`)."""
        self.tracking.mark_fill_processed(trade_id, self._clock.timestamp_ns())

    def is_fill_recently_processed(self, trade_id: TradeId) -> bool:
        """Return True when the fill `trade_id` was applied recently (not pruned yet)."""
        return self.tracking.is_fill_recently_processed(trade_id)

    def prune_recent_fills_cache(self, ttl_secs: float) -> int:
        """Forget fills applied more than `ttl_secs` ago; return how many were dropped."""
        pruned = self.tracking.prune_recent_fills(self._clock.timestamp_ns(), ttl_secs)
        self.pruned_fills += pruned
        return pruned

    def clear_recon_tracking(
        self, client_order_id: ClientOrderId, drop_last_query: bool = True
    ) -> None:
        """Stop the in-flight tracking of an order (a definitive event or its close)."""
        self.tracking.clear(client_order_id, drop_last_query)

    def register_inflight(self, client_order_id: ClientOrderId) -> None:
        """Start the in-flight clock of an order (a submit, modify or cancel passed by)."""
        self.tracking.register_inflight(client_order_id, self._clock.timestamp_ns())

    def observe_execution_report(self, report: ExecutionReport) -> None:
        """Record what a venue report tells about activity, before it is processed.

        An order report in a final status clears the order's in-flight tracking; one in
        a PENDING_* status does not (live-behaviour 3.7.6).
        """
        now = self._clock.timestamp_ns()
        tracking = self.tracking
        if isinstance(report, PositionStatusReport):
            tracking.record_position_activity(report.instrument_id, report.account_id, now)
            return
        coid = report.client_order_id
        if coid is None:
            coid = self._cache.client_order_id(report.venue_order_id)
        if isinstance(report, FillReport):
            tracking.record_position_activity(report.instrument_id, report.account_id, now)
            if coid is not None:
                tracking.record_local_activity(coid, now)
            return
        if coid is None:
            return
        tracking.record_local_activity(coid, now)
        if report.order_status not in PENDING:
            tracking.clear(coid, drop_last_query=False)

    def _process(self, event: OrderEvent) -> None:
        """Feed a reconciliation event to the engine, with the node's bookkeeping."""
        self.tracking.record_event(event, self._clock.timestamp_ns())
        self.reconciliation_event_count += 1
        self._engine.process(event)

    # -- startup ---------------------------------------------------------------------------

    async def reconcile_client(
        self,
        client: ReconciliationClient,
        *,
        lookback_mins: int | None,
        timeout: float | None,
    ) -> ReconciliationResult:
        """Ask `client` for its mass status (within `timeout` seconds) and apply it.

        Never raises for a venue failure: a timeout, a client error or no mass status
        returns a failed result (`success` False, `error` saying why).
        """
        client_id = client.client_id
        try:
            mass_status = await asyncio.wait_for(
                client.generate_mass_status(lookback_mins), timeout
            )
        except TimeoutError:
            return self._failed(client_id, f"mass status timed out after {timeout}s")
        except Exception as exc:
            self.log.exception(f"Mass status of {client_id} failed: {exc!r}", exc)
            return self._failed(client_id, f"mass status failed: {exc!r}")
        if mass_status is None:
            return self._failed(client_id, "no mass status (the client could not build it)")
        result = self.reconcile_execution_mass_status(mass_status)
        if not self.config.filter_position_reports and mass_status.position_reports:
            reported = set(mass_status.position_reports)
            await self._reconcile_unreported_positions(client, mass_status, reported, result)
        return result

    async def _reconcile_unreported_positions(
        self,
        client: ReconciliationClient,
        mass_status: ExecutionMassStatus,
        reported: set[InstrumentId],
        result: ReconciliationResult,
    ) -> None:
        """Ask the venue about cached open positions its mass status left out (3.1.18).

        A venue that is flat often reports nothing; an empty answer counts as flat. A
        failed query leaves the position alone and fails the result (not verified).
        Our decision: only asked when the mass status holds position reports at all (a
        venue that reports no positions cannot tell flat from unknown).
        """
        account_id = mass_status.account_id
        instruments = sorted(
            {
                p.instrument_id
                for p in self._cache.positions_open()
                if p.account_id == account_id and p.instrument_id not in reported
            }
        )
        for iid in instruments:
            if self._reconciler.is_filtered(None, iid):
                continue
            command = GeneratePositionStatusReports(
                command_id=self._uuids.generate(),
                ts_init=self._clock.timestamp_ns(),
                client_id=client.client_id,
                instrument_id=iid,
            )
            try:
                reports = await asyncio.wait_for(
                    client.generate_position_status_reports(command), self._query_timeout
                )
            except Exception as exc:
                result.fail(f"position query of {iid} failed: {exc!r}")
                self.log.error(f"Reconciliation of {client.client_id}: {result.error}")
                continue
            reports = [r for r in reports if r.account_id == account_id]
            if not reports:
                reports = [self._flat_report(iid, account_id)]
            for report in reports:
                if not self._positions.reconcile(report, result, client.client_id):
                    result.add_discrepancy(f"position {iid} on {account_id} could not be aligned")

    def _flat_report(self, iid: InstrumentId, account_id: AccountId) -> PositionStatusReport:
        now = self._clock.timestamp_ns()
        instrument = self._cache.instrument(iid)
        precision = 0 if instrument is None else instrument.size_precision
        return PositionStatusReport(
            account_id=account_id,
            instrument_id=iid,
            position_side=PositionSide.FLAT,
            quantity=Quantity(0, precision),
            ts_last=now,
            ts_init=now,
            report_id=self._uuids.generate(),
        )

    async def reconcile_all(self, *, timeout: float | None) -> ReconciliationResult:
        """Reconcile every registered client within an overall `timeout` (seconds).

        Disabled reconciliation (`config.reconciliation` False) returns a success with
        nothing done. Clients not reached before the deadline fail the result.
        """
        total = ReconciliationResult(ts_started=self._clock.timestamp_ns())
        if not self.config.reconciliation:
            self.log.info("Startup reconciliation disabled")
            return total
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        for client in list(self._clients.values()):
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                total.fail(f"reconciliation timeout reached before {client.client_id}")
                self.log.warning(total.error or "")
                break
            result = await self.reconcile_client(
                client, lookback_mins=self.config.reconciliation_lookback_mins, timeout=remaining
            )
            total.merge(result)
        total.duration_ns = self._clock.timestamp_ns() - total.ts_started
        return total

    def reconcile_execution_mass_status(
        self, mass_status: ExecutionMassStatus
    ) -> ReconciliationResult:
        """Apply a mass status to the cache (see `argonaut.live.reconciliation.startup`).

        A mass status creates long-lived objects in bulk (orders, events, positions): the
        collector's young-generation threshold is raised to at least
        `RECONCILIATION_GC_GEN0_THRESHOLD` meanwhile (restored after), so it does not
        rescan and promote them hundreds of times.
        """
        saved = gc.get_threshold()
        if 0 < saved[0] < RECONCILIATION_GC_GEN0_THRESHOLD:
            gc.set_threshold(RECONCILIATION_GC_GEN0_THRESHOLD, saved[1], saved[2])
        try:
            result = self._startup.reconcile(mass_status)
        finally:
            gc.set_threshold(*saved)
        for discrepancy in result.discrepancies:
            self.log.error(f"Reconciliation of {mass_status.client_id}: {discrepancy}")
        self.log.info(f"Reconciled {result.summary()}")
        return result

    # -- runtime reports -------------------------------------------------------------------

    def reconcile_report(self, report: ExecutionReport) -> ReconciliationResult:
        """Reconcile one venue report received at runtime (not part of a mass status).

        An order report is mapped onto its cached order, or creates an external order,
        then applies the fills that were waiting for it. A fill report of a known order
        is applied unless its trade id was applied recently; one of an order not known
        yet is deferred until the order appears (3.3.9). A position report alone never
        creates a position (3.3.8): it is only compared (see the position check).
        """
        now = self._clock.timestamp_ns()
        result = ReconciliationResult(ts_started=now)
        rec = self._reconciler
        applied: set[TradeId] = set()
        if isinstance(report, PositionStatusReport):
            result.position_reports = 1
            return result
        order = rec.find_order(report)
        coid = report.client_order_id if order is None else order.client_order_id
        if rec.is_filtered(coid, report.instrument_id):
            result.filtered_reports += 1
            return result
        if isinstance(report, FillReport):
            result.fill_reports = 1
            if self.tracking.is_fill_recently_processed(report.trade_id):
                return result
            if order is None:
                self._deferred_fills.setdefault(report.venue_order_id, []).append(report)
                result.deferred_fills += 1
                return result
            if coid is not None and report.client_order_id not in (None, coid):
                self.log.warning(
                    f"Fill {report.trade_id} names order {report.client_order_id} but its "
                    f"venue order id {report.venue_order_id} belongs to {coid}: skipped"
                )
                return result
            rec.apply_fills(order, [report], result, applied)
            return result
        result.order_reports = 1
        deferred = self._deferred_fills.pop(report.venue_order_id, [])
        if order is None:
            self._startup.create_external(report, deferred, result, applied, None)
        else:
            rec.reconcile_order(order, report, deferred, result, applied)
        return result

    @property
    def deferred_fill_count(self) -> int:
        """Fill reports waiting for their order to be known."""
        return sum(len(v) for v in self._deferred_fills.values())

    # -- fail-closed -----------------------------------------------------------------------

    def bind_trading_state(self, control: TradingStateControl | TradingStateArbiter) -> None:
        """Give fail-closed the node's `TradingStateArbiter` (shared with the other
        sources of restriction), or a risk engine to own one over."""
        if isinstance(control, TradingStateArbiter):
            self._arbiter = control
        else:
            self._arbiter.bind(control)

    @property
    def trading_state_arbiter(self) -> TradingStateArbiter:
        """The arbiter fail-closed holds its reason with."""
        return self._arbiter

    def conclude_startup(self, results: list[ReconciliationResult], expected_clients: int) -> bool:
        """Decide fail-closed after startup reconciliation; return True when verified.

        Unverified (a failed result, a discrepancy, or fewer results than clients, e.g.
        the timeout stopped early) with `fail_closed` on and a state other than ``OFF``:
        the trading state becomes `fail_closed_state` (REDUCING by default), an ERROR is
        logged and a `ReconciliationAlert` published. A later successful check (see
        `run_reconciliation_checks`) drops the reason: ACTIVE unless another holds.
        """
        problems = [r.summary() for r in results if not r.success]
        if len(results) < expected_clients:
            problems.append(f"{expected_clients - len(results)} client(s) not reconciled (timeout)")
        if not problems:
            return True
        reason = "startup reconciliation could not verify the venue state: " + " | ".join(problems)
        self.enter_fail_closed(reason)
        return False

    def enter_fail_closed(self, reason: str) -> None:
        """Apply the configured fail-closed state for `reason` (see `conclude_startup`)."""
        config = self.config
        if not config.fail_closed or config.fail_closed_state == "OFF":
            self.log.error(f"{reason} (fail-closed is off: trading anyway)")
            return
        state = TradingState(config.fail_closed_state)
        self.fail_closed_reason = reason
        self.log.error(f"Fail-closed: trading state {state.value}: {reason}")
        self._arbiter.restrict(RECONCILIATION_SOURCE, state, reason)
        self._alert(state, entered=True, reason=reason)

    def leave_fail_closed(self, reason: str) -> None:
        """Return to ACTIVE after fail-closed (a later check verified the venue)."""
        if self.fail_closed_reason is None:
            return
        self.fail_closed_reason = None
        self._arbiter.release(RECONCILIATION_SOURCE, reason)
        state = self._arbiter.state
        self.log.warning(f"Fail-closed left ({reason}): trading state {state.value}")
        self._alert(state, entered=False, reason=reason)

    def _alert(self, state: TradingState, *, entered: bool, reason: str) -> None:
        alert = ReconciliationAlert(
            state=state, entered=entered, reason=reason, ts_event=self._clock.timestamp_ns()
        )
        self.alerts.append(alert)
        self._engine.msgbus.publish(RECONCILIATION_ALERT_TOPIC, alert)

    def _failed(self, client_id: ClientId, error: str) -> ReconciliationResult:
        result = ReconciliationResult(client_id=client_id, ts_started=self._clock.timestamp_ns())
        result.fail(error)
        self.log.error(f"Reconciliation of {client_id} failed: {error}")
        return result

    # -- continuous checks -----------------------------------------------------------------

    def reset_check_schedule(self, now_ns: int) -> None:
        """Make each continuous check wait one full interval from `now_ns` (call it when
        the checks start, after the startup delay)."""
        self._checks.reset_schedule(now_ns)

    async def run_reconciliation_checks(self, now_ns: int) -> ReconciliationResult:
        """Run the in-flight, open-order and position checks that are due at `now_ns`.

        While fail-closed, a run whose open-order or position check verified every venue
        (no failure, no discrepancy) drops fail-closed's reason (ACTIVE unless another
        reason holds, see `TradingStateArbiter`).
        """
        result = await self._checks.run(now_ns)
        if self.fail_closed_reason is not None and result.success and self._checks.verified:
            self.leave_fail_closed("a reconciliation check verified the venue state")
        return result

    async def check_inflight_orders(self) -> ReconciliationResult:
        """Run the in-flight check now (see `argonaut.live.reconciliation.checks`)."""
        return await self._checks.check_inflight_orders()

    async def check_open_orders(self) -> ReconciliationResult:
        """Run the open-order check now."""
        return await self._checks.check_open_orders()

    async def check_positions(self) -> ReconciliationResult:
        """Run the position check now."""
        return await self._checks.check_positions()

    # -- purges ----------------------------------------------------------------------------

    def purge_closed_orders(self) -> list[ClientOrderId]:
        """Purge orders closed longer than `purge_closed_orders_buffer_mins` (unset: 0)."""
        buffer_secs = (self.config.purge_closed_orders_buffer_mins or 0) * _SECONDS_PER_MINUTE
        purged = self._cache.purge_closed_orders(self._clock.timestamp_ns(), buffer_secs)
        for client_order_id in purged:
            self.tracking.forget_order(client_order_id)
        self.purged_orders += len(purged)
        return purged

    def purge_closed_positions(self) -> int:
        """Purge positions closed longer than `purge_closed_positions_buffer_mins`."""
        buffer_secs = (self.config.purge_closed_positions_buffer_mins or 0) * _SECONDS_PER_MINUTE
        purged = self._cache.purge_closed_positions(self._clock.timestamp_ns(), buffer_secs)
        self.purged_positions += len(purged)
        return len(purged)

    def purge_account_events(self) -> int:
        """Purge account events older than `purge_account_events_lookback_mins` (unset: 0)."""
        lookback = (self.config.purge_account_events_lookback_mins or 0) * _SECONDS_PER_MINUTE
        purged = self._cache.purge_account_events(self._clock.timestamp_ns(), lookback)
        self.purged_account_events += purged
        return purged

    # -- stats -----------------------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Return the manager's counters and the sizes of its tracking tables."""
        checks = self._checks
        return {
            **self.tracking.stats(),
            "clients": len(self._clients),
            "external_orders": len(self._external_orders),
            "reconciliation_events": self.reconciliation_event_count,
            "pruned_fills": self.pruned_fills,
            "inflight_queries": checks.inflight_queries,
            "inflight_rejected": checks.inflight_rejected,
            "inflight_unresolved_warnings": checks.inflight_unresolved_warnings,
            "query_errors": checks.query_errors,
            "open_checks": checks.open_checks,
            "position_checks": checks.position_checks,
            "purged_orders": self.purged_orders,
            "purged_positions": self.purged_positions,
            "purged_account_events": self.purged_account_events,
        }


__all__ = ["ExecutionManager", "ExecutionReport"]
