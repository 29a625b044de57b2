from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argonaut.common.clock import TestClock
from argonaut.common.logging import ERROR, WARNING, LoggingConfig, LogSystem, MemorySink
from argonaut.live.reconciliation import (
    is_synthetic,
    synthetic_trade_id,
    synthetic_venue_order_id,
)
from argonaut.model.commands.reports import (
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
)
from argonaut.model.enums import OrderSide, OrderStatus, PositionSide
from argonaut.model.events.order import OrderEvent, OrderFilled, OrderRejected
from argonaut.model.identifiers import (
    ClientId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.reports import (
    OrderStatusReport,
)
from argonaut.testkit import (
    ACCOUNT_ID,
    TS,
    canceled,
    ethusdt_perp,
    fill_report,
    filled,
    limit_order,
    mass_status,
    order_status_report,
    pending_cancel,
    position_status_report,
)
from argonaut.testkit.virtual_time import run_virtual

sys.path.insert(0, str(Path(__file__).resolve().parent / "reconciliation"))
from recon_env import SECOND, ManagerEnv, kinds
from recon_env import FakeVenue as ReconVenue

IID = InstrumentId("BTCUSDT-PERP.SIM")


class FakeVenue(ReconVenue):
    """`recon_env`'s fake venue, whose answer to the open-order check is `open_reports`."""

    def __init__(self) -> None:
        super().__init__()
        self.open_reports: list[OrderStatusReport] = []

    async def generate_order_status_reports(
        self, command: GenerateOrderStatusReports
    ) -> list[OrderStatusReport]:
        self.queries.append(command)
        return list(self.open_reports)


class Env(ManagerEnv):
    """`recon_env.ManagerEnv` with this file's `FakeVenue`."""

    venue_type = FakeVenue
    venue: FakeVenue


@pytest.fixture
def logs() -> Iterator[tuple[LogSystem, MemorySink]]:
    sink = MemorySink()
    with LogSystem(LoggingConfig(log_level="OFF"), clock=TestClock(TS), sinks=[sink]) as system:
        yield system, sink


@pytest.fixture
def env(logs: tuple[LogSystem, MemorySink]) -> Env:
    return Env(logs[0])


def messages(logs: tuple[LogSystem, MemorySink], level: int) -> list[str]:
    system, sink = logs
    assert system.flush()
    return sink.messages(level)


def recon_flags(order: Order, start: int) -> list[bool]:
    return [e.reconciliation for e in order.events[start:]]


# -- bookkeeping ---------------------------------------------------------------------------


def test_mark_fill_processed_then_recent_until_pruned_after_ttl(env: Env) -> None:
    m = env.manager
    m.mark_fill_processed(TradeId("T-OLD"))
    env.advance(30)
    m.mark_fill_processed(TradeId("T-NEW"))
    env.advance(31)

    pruned = m.prune_recent_fills_cache(60.0)

    assert pruned == 1
    assert not m.is_fill_recently_processed(TradeId("T-OLD"))
    assert m.is_fill_recently_processed(TradeId("T-NEW"))
    assert m.stats()["recent_fills"] == 1


def test_mark_fill_processed_when_marked_again_then_kept_from_the_latest_mark(env: Env) -> None:
    m = env.manager
    m.mark_fill_processed(TradeId("T-1"))
    m.mark_fill_processed(TradeId("T-2"))
    env.advance(50)
    m.mark_fill_processed(TradeId("T-1"))
    env.advance(20)

    assert m.prune_recent_fills_cache(60.0) == 1
    assert m.is_fill_recently_processed(TradeId("T-1"))
    assert not m.is_fill_recently_processed(TradeId("T-2"))


def test_clear_recon_tracking_then_inflight_and_queries_dropped(env: Env) -> None:
    m, coid = env.manager, ClientOrderId("O-1")
    m.register_inflight(coid)
    m.tracking.record_query(coid, TS)

    m.clear_recon_tracking(coid, drop_last_query=False)

    assert m.tracking.inflight_ids() == []
    assert m.tracking.query_count(coid) == 0
    assert m.tracking.last_query(coid) == TS
    m.clear_recon_tracking(coid)
    assert m.tracking.last_query(coid) is None


def test_record_local_activity_when_no_ts_then_local_clock_used(env: Env) -> None:
    coid = ClientOrderId("O-1")
    env.advance(3)
    env.manager.record_local_activity(coid)
    env.manager.record_position_activity(IID, ACCOUNT_ID, TS + 1)

    assert env.manager.tracking.local_activity(coid) == TS + 3 * SECOND
    assert env.manager.tracking.position_activity(IID, ACCOUNT_ID) == TS + 1


def test_observe_report_when_pending_then_tracking_kept_when_final_then_cleared(env: Env) -> None:
    order = env.open(limit_order())
    env.manager.register_inflight(order.client_order_id)

    env.manager.observe_execution_report(
        order_status_report(order, order_status=OrderStatus.PENDING_CANCEL)
    )
    assert env.manager.tracking.inflight_ids() == [order.client_order_id]

    env.manager.observe_execution_report(
        order_status_report(order, order_status=OrderStatus.CANCELED)
    )
    assert env.manager.tracking.inflight_ids() == []
    assert env.manager.tracking.local_activity(order.client_order_id) == TS


def test_register_external_order_claims_then_kept_by_the_engine(env: Env) -> None:
    env.manager.register_external_order_claims(StrategyId("S-9"), [IID])

    assert env.engine.external_order_claim(IID) == StrategyId("S-9")
    with pytest.raises(ValueError, match="already claimed"):
        env.manager.register_external_order_claims(StrategyId("S-8"), [IID])


def test_register_external_order_then_found_by_venue_order_id(env: Env) -> None:
    env.manager.register_external_order(None, VenueOrderId("V-9"), IID, StrategyId("S-9"), TS)

    found = env.manager.external_order(VenueOrderId("V-9"))
    assert found is not None
    assert found.strategy_id == StrategyId("S-9")
    assert env.manager.external_order(VenueOrderId("V-404")) is None


# -- synthetic ids -------------------------------------------------------------------------


def test_synthetic_ids_when_same_logical_event_then_same_id_else_different() -> None:
    kw: dict[str, Any] = {
        "account_id": ACCOUNT_ID,
        "instrument_id": IID,
        "venue_order_id": VenueOrderId("V-1"),
        "filled_qty_raw": 5,
        "last_qty_raw": 5,
        "last_px_raw": 7,
        "ts_event": TS,
    }
    first = synthetic_trade_id(**kw)

    assert first == synthetic_trade_id(**kw)
    assert first != synthetic_trade_id(**{**kw, "filled_qty_raw": 6})
    assert is_synthetic(first)
    assert first.startswith(f"S-{TS:x}-")
    close = synthetic_venue_order_id(account_id=ACCOUNT_ID, instrument_id=IID, ts_event=1, tag="C")
    opened = synthetic_venue_order_id(account_id=ACCOUNT_ID, instrument_id=IID, ts_event=1, tag="O")
    assert close != opened


# -- startup reconciliation ----------------------------------------------------------------


def test_mass_status_when_submitted_order_accepted_at_venue_then_accepted(env: Env) -> None:
    order = env.submit(limit_order())
    n = len(order.events)

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, venue_order_id="V-7")])
    )

    assert result.success
    assert result.events == {"OrderAccepted": 1}
    assert order.status is OrderStatus.ACCEPTED
    assert recon_flags(order, n) == [True]
    assert env.cache.client_order_id(VenueOrderId("V-7")) == order.client_order_id


def test_mass_status_when_submitted_order_canceled_at_venue_then_accepted_and_canceled(
    env: Env,
) -> None:
    order = env.submit(limit_order())
    n = len(order.events)

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, order_status=OrderStatus.CANCELED)])
    )

    assert kinds(order, n) == ["OrderAccepted", "OrderCanceled"]
    assert recon_flags(order, n) == [True, True]
    assert result.events == {"OrderAccepted": 1, "OrderCanceled": 1}
    assert order.status is OrderStatus.CANCELED


def test_mass_status_when_filled_with_fill_reports_then_each_fill_applied(env: Env) -> None:
    order = env.open(limit_order())
    n = len(order.events)
    fills = [
        fill_report(order, last_qty="0.400", trade_id="T-A", ts=TS + 1),
        fill_report(order, last_qty="0.600", trade_id="T-B", ts=TS + 2),
    ]
    report = order_status_report(
        order, order_status=OrderStatus.FILLED, filled_qty="1.000", avg_px="50000.0"
    )

    result = env.manager.reconcile_execution_mass_status(mass_status([report], fills))

    assert result.success
    assert result.events == {"OrderFilled": 2}
    assert order.status is OrderStatus.FILLED
    assert order.trade_ids == [TradeId("T-A"), TradeId("T-B")]
    assert recon_flags(order, n) == [True, True]
    assert env.manager.is_fill_recently_processed(TradeId("T-B"))
    assert env.cache.positions_open()[0].quantity.as_decimal() == 1


def test_mass_status_when_partially_filled_without_fill_reports_then_one_inferred_fill(
    env: Env,
) -> None:
    order = env.open(limit_order())
    report = order_status_report(
        order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.250", avg_px="49000.0"
    )

    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert result.events == {"OrderFilled": 1}
    assert order.status is OrderStatus.PARTIALLY_FILLED
    fill = order.events[-1]
    assert isinstance(fill, OrderFilled)
    assert is_synthetic(fill.trade_id)
    assert str(fill.last_qty) == "0.250"
    assert str(fill.last_px) == "49000.0"
    assert fill.reconciliation


def test_mass_status_when_second_inferred_fill_then_priced_at_the_incremental_average(
    env: Env,
) -> None:
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="0.500", last_px="50000.0"))
    report = order_status_report(
        order, order_status=OrderStatus.FILLED, filled_qty="1.000", avg_px="50100.0"
    )

    env.manager.reconcile_execution_mass_status(mass_status([report]))

    fill = order.events[-1]
    assert isinstance(fill, OrderFilled)
    assert str(fill.last_px) == "50200.0"
    assert order.status is OrderStatus.FILLED


def test_mass_status_when_trade_id_repeated_across_orders_then_applied_once_and_warned(
    env: Env, logs: tuple[LogSystem, MemorySink]
) -> None:
    first = env.open(limit_order(client_order_id="O-1"), "V-1")
    second = env.open(limit_order(client_order_id="O-2"), "V-2")
    reports = [
        order_status_report(first, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.100"),
        order_status_report(second, order_status=OrderStatus.ACCEPTED),
    ]
    fills = [
        fill_report(first, last_qty="0.100", trade_id="T-DUP"),
        fill_report(second, last_qty="0.100", trade_id="T-DUP"),
    ]

    result = env.manager.reconcile_execution_mass_status(mass_status(reports, fills))

    assert result.duplicate_trade_ids == 1
    assert result.events == {"OrderFilled": 1}
    assert first.trade_ids == [TradeId("T-DUP")]
    assert second.trade_ids == []
    assert any("T-DUP" in m for m in messages(logs, WARNING))


def test_mass_status_when_fill_already_on_the_order_then_not_applied_again(env: Env) -> None:
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="0.500", trade_id="T-1"))
    report = order_status_report(order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.5")

    result = env.manager.reconcile_execution_mass_status(
        mass_status([report], [fill_report(order, last_qty="0.500", trade_id="T-1")])
    )

    assert result.event_count == 0
    assert result.success
    assert env.engine.duplicate_fill_count == 0


def test_mass_status_when_reconciled_twice_then_second_pass_generates_nothing(env: Env) -> None:
    a = env.submit(limit_order(client_order_id="O-1"))
    b = env.open(limit_order(client_order_id="O-2"), "V-2")
    c = env.open(limit_order(client_order_id="O-3"), "V-3")
    d = env.open(limit_order(client_order_id="O-4"), "V-4")
    status = mass_status(
        [
            order_status_report(a, venue_order_id="V-1", order_status=OrderStatus.CANCELED),
            order_status_report(b, order_status=OrderStatus.FILLED, filled_qty="1.000"),
            order_status_report(
                c, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.300", avg_px="50000"
            ),
            order_status_report(d, order_status=OrderStatus.ACCEPTED),
        ],
        [fill_report(b, last_qty="1.000", trade_id="T-B")],
    )

    first = env.manager.reconcile_execution_mass_status(status)
    before = [len(o.events) for o in (a, b, c, d)]
    second = env.manager.reconcile_execution_mass_status(status)

    assert first.event_count == 4
    assert second.event_count == 0
    assert second.success
    assert [len(o.events) for o in (a, b, c, d)] == before


def test_mass_status_when_venue_filled_less_than_cache_then_discrepancy_and_failure(
    env: Env,
) -> None:
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="0.500"))
    report = order_status_report(order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.2")

    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert not result.success
    assert result.event_count == 0
    assert "0.200" in result.discrepancies[0]


def test_mass_status_when_rejected_at_venue_then_rejected_with_reason(env: Env) -> None:
    order = env.submit(limit_order(post_only=True))
    report = order_status_report(
        order, order_status=OrderStatus.REJECTED, cancel_reason="Post-only would execute"
    )

    env.manager.reconcile_execution_mass_status(mass_status([report]))

    event = order.events[-1]
    assert isinstance(event, OrderRejected)
    assert event.reason == "Post-only would execute"
    assert event.due_post_only
    assert order.status is OrderStatus.REJECTED


def test_mass_status_when_venue_pending_cancel_then_no_local_change(env: Env) -> None:
    order = env.open(limit_order())
    n = len(order.events)

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, order_status=OrderStatus.PENDING_CANCEL)])
    )

    assert result.event_count == 0
    assert len(order.events) == n


def test_mass_status_when_report_has_only_venue_order_id_then_order_found_by_it(
    env: Env,
) -> None:
    order = env.open(limit_order())
    report = order_status_report(order, order_status=OrderStatus.CANCELED, client_order_id=None)

    env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert order.status is OrderStatus.CANCELED


def test_mass_status_when_order_unknown_then_recorded_as_external_with_claim_owner(
    env: Env,
) -> None:
    env.manager.register_external_order_claims(StrategyId("S-9"), [IID])
    ghost = limit_order(client_order_id="O-GHOST")
    other = limit_order(ethusdt_perp(), client_order_id="O-ETH")

    result = env.manager.reconcile_execution_mass_status(
        mass_status(
            [
                order_status_report(ghost, venue_order_id="V-9"),
                order_status_report(other, venue_order_id="V-8"),
            ]
        )
    )

    assert result.success
    assert [(e.venue_order_id, e.strategy_id) for e in result.external_orders] == [
        (VenueOrderId("V-9"), StrategyId("S-9")),
        (VenueOrderId("V-8"), StrategyId("EXTERNAL")),
    ]
    created = env.cache.order(ClientOrderId("O-GHOST"))
    assert created is not None
    assert created.status is OrderStatus.ACCEPTED
    assert created.strategy_id == StrategyId("S-9")
    assert created.tags is None
    eth = env.cache.order(ClientOrderId("O-ETH"))
    assert eth is not None
    assert eth.tags == ("VENUE",)


def test_mass_status_when_client_order_id_repeated_then_first_report_kept(env: Env) -> None:
    order = env.submit(limit_order())
    reports = [
        order_status_report(order, venue_order_id="V-1", order_status=OrderStatus.ACCEPTED),
        order_status_report(order, venue_order_id="V-2", order_status=OrderStatus.CANCELED),
    ]

    result = env.manager.reconcile_execution_mass_status(mass_status(reports))

    assert result.duplicate_order_reports == 1
    assert order.status is OrderStatus.ACCEPTED


def test_mass_status_when_filtered_by_client_order_id_or_instrument_then_skipped(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(
        logs[0],
        filtered_client_order_ids=["O-1"],
        reconciliation_instrument_ids=["BTCUSDT-PERP.SIM"],
    )
    skipped = env.submit(limit_order(client_order_id="O-1"))
    kept = env.submit(limit_order(client_order_id="O-2"))
    eth = env.submit(limit_order(ethusdt_perp(), client_order_id="O-3"))

    result = env.manager.reconcile_execution_mass_status(
        mass_status(
            [
                order_status_report(skipped, venue_order_id="V-1"),
                order_status_report(kept, venue_order_id="V-2"),
                order_status_report(eth, venue_order_id="V-3"),
            ]
        )
    )

    assert result.filtered_reports == 2
    assert skipped.status is OrderStatus.SUBMITTED
    assert kept.status is OrderStatus.ACCEPTED
    assert eth.status is OrderStatus.SUBMITTED


def test_mass_status_when_fills_have_no_order_report_then_applied_to_cached_order(
    env: Env,
) -> None:
    order = env.open(limit_order())

    result = env.manager.reconcile_execution_mass_status(
        mass_status([], [fill_report(order, last_qty="0.100", trade_id="T-O")])
    )

    assert result.events == {"OrderFilled": 1}
    assert order.trade_ids == [TradeId("T-O")]


def test_reconcile_client_then_mass_status_requested_with_lookback_and_applied(
    env: Env,
) -> None:
    order = env.submit(limit_order())
    env.venue.mass = mass_status([order_status_report(order)])

    result = asyncio.run(env.manager.reconcile_client(env.venue, lookback_mins=30, timeout=5.0))

    assert env.venue.queries == [("mass", 30)]
    assert result.success
    assert result.client_id == ClientId("SIM")
    assert order.status is OrderStatus.ACCEPTED


def test_reconcile_client_when_mass_status_times_out_then_failed_result(env: Env) -> None:
    env.venue.mass = mass_status()
    env.venue.mass_delay = 60.0

    result = run_virtual(env.manager.reconcile_client(env.venue, lookback_mins=None, timeout=1.0))

    assert not result.success
    assert result.error is not None
    assert "timed out" in result.error


def test_reconcile_client_when_client_raises_then_failed_result(
    env: Env, logs: tuple[LogSystem, MemorySink]
) -> None:
    env.venue.mass_error = RuntimeError("venue down")

    result = asyncio.run(env.manager.reconcile_client(env.venue, lookback_mins=None, timeout=1.0))

    assert not result.success
    assert result.error is not None
    assert "venue down" in result.error
    assert any("venue down" in m for m in messages(logs, ERROR))


def test_reconcile_client_when_no_mass_status_then_failed_result(env: Env) -> None:
    result = asyncio.run(env.manager.reconcile_client(env.venue, lookback_mins=None, timeout=1.0))

    assert not result.success


def test_reconcile_all_when_disabled_then_success_without_asking(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], reconciliation=False)

    result = asyncio.run(env.manager.reconcile_all(timeout=1.0))

    assert result.success
    assert env.venue.queries == []


def test_reconcile_all_then_every_client_reconciled_with_config_lookback(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], reconciliation_lookback_mins=90)
    env.venue.mass = mass_status()

    result = asyncio.run(env.manager.reconcile_all(timeout=5.0))

    assert result.success
    assert env.venue.queries == [("mass", 90)]


# -- in-flight check -----------------------------------------------------------------------


def run_check(env: Env) -> Any:
    return asyncio.run(env.manager.check_inflight_orders())


def test_inflight_check_when_younger_than_threshold_then_not_queried(env: Env) -> None:
    order = env.submit(limit_order())
    env.manager.register_inflight(order.client_order_id)
    env.advance(4)

    run_check(env)

    assert env.venue.queries == []


def test_inflight_check_when_past_threshold_then_queried_once_per_threshold(env: Env) -> None:
    order = env.submit(limit_order())
    env.manager.register_inflight(order.client_order_id)
    env.advance(6)

    run_check(env)
    env.advance(2)
    run_check(env)

    assert len(env.venue.queries) == 1
    query = env.venue.queries[0]
    assert isinstance(query, GenerateOrderStatusReport)
    assert query.client_order_id == order.client_order_id
    assert query.client_id == ClientId("SIM")


def test_inflight_check_when_venue_reports_order_then_reconciled_and_tracking_cleared(
    env: Env,
) -> None:
    order = env.submit(limit_order())
    env.manager.register_inflight(order.client_order_id)
    env.venue.order_reports[order.client_order_id] = order_status_report(order)
    env.advance(6)

    result = run_check(env)

    assert result.events == {"OrderAccepted": 1}
    assert order.status is OrderStatus.ACCEPTED
    assert env.manager.tracking.inflight_ids() == []


def test_inflight_check_when_submitted_and_unknown_after_retries_then_rejected(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], inflight_check_retries=3)
    order = env.submit(limit_order())
    env.manager.register_inflight(order.client_order_id)

    for _ in range(2):
        env.advance(6)
        run_check(env)
        assert order.status is OrderStatus.SUBMITTED
    env.advance(6)
    result = run_check(env)

    assert len(env.venue.queries) == 3
    assert result.events == {"OrderRejected": 1}
    event = order.events[-1]
    assert isinstance(event, OrderRejected)
    assert event.reconciliation
    assert "INFLIGHT_TIMEOUT" in event.reason
    assert "3 queries" in event.reason
    assert env.manager.stats()["inflight_rejected"] == 1
    assert env.manager.tracking.inflight_ids() == []


def test_inflight_check_when_cached_inflight_not_registered_then_clock_from_last_event(
    env: Env,
) -> None:
    env.submit(limit_order())  # e.g. restored from the database: never registered
    env.advance(6)

    run_check(env)

    assert len(env.venue.queries) == 1


def test_inflight_check_when_pending_cancel_unknown_then_stays_pending_and_warns_each_cycle(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], inflight_check_retries=2)
    order = env.open(limit_order())
    env.engine.process(pending_cancel(order))
    env.manager.register_inflight(order.client_order_id)

    for _ in range(5):
        env.advance(6)
        result = run_check(env)
        assert result.event_count == 0

    assert order.status is OrderStatus.PENDING_CANCEL
    assert len(env.venue.queries) == 5  # still asked every cycle
    warnings = [m for m in messages(logs, WARNING) if "stays pending" in m]
    assert len(warnings) == 4  # cycles 2..5: after the retries ran out
    assert env.manager.stats()["inflight_unresolved_warnings"] == 4


def test_inflight_check_when_pending_cancel_then_venue_answers_canceled_then_resolved(
    env: Env,
) -> None:
    order = env.open(limit_order())
    env.engine.process(pending_cancel(order))
    env.manager.register_inflight(order.client_order_id)
    env.advance(6)
    run_check(env)
    env.venue.order_reports[order.client_order_id] = order_status_report(
        order, order_status=OrderStatus.CANCELED
    )
    env.advance(6)

    result = run_check(env)

    assert result.events == {"OrderCanceled": 1}
    assert order.status is OrderStatus.CANCELED


def test_inflight_check_when_order_filtered_then_never_queried(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], filtered_client_order_ids=["O-1"])
    env.submit(limit_order())
    env.advance(60)

    run_check(env)

    assert env.venue.queries == []


def test_run_reconciliation_checks_then_each_check_runs_on_its_own_interval(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], open_check_interval_secs=5.0, position_check_interval_secs=30.0)
    m = env.manager

    def run(secs: float) -> list[str]:
        env.venue.queries.clear()
        asyncio.run(m.run_reconciliation_checks(env.advance(secs)))
        return [type(q).__name__ for q in env.venue.queries]

    assert run(1) == []
    assert run(4) == ["GenerateOrderStatusReports"]
    assert run(5) == ["GenerateOrderStatusReports"]
    assert run(20) == ["GenerateOrderStatusReports", "GeneratePositionStatusReports"]
    assert m.stats()["open_checks"] == 3
    assert m.stats()["position_checks"] == 1


# -- open-order and position checks --------------------------------------------------------


def test_open_check_when_venue_shows_order_canceled_then_reconciled(env: Env) -> None:
    order = env.open(limit_order())
    env.venue.open_reports = [order_status_report(order, order_status=OrderStatus.CANCELED)]
    env.advance(10)

    result = asyncio.run(env.manager.check_open_orders())

    assert result.events == {"OrderCanceled": 1}
    query = env.venue.queries[0]
    assert isinstance(query, GenerateOrderStatusReports)
    assert query.open_only
    assert query.start_ns == env.clock.timestamp_ns() - 60 * 60 * SECOND


def test_open_check_when_local_activity_recent_then_left_alone(env: Env) -> None:
    order = env.open(limit_order())
    env.venue.open_reports = [order_status_report(order, order_status=OrderStatus.CANCELED)]
    env.advance(10)
    env.manager.record_local_activity(order.client_order_id)

    result = asyncio.run(env.manager.check_open_orders())

    assert result.event_count == 0
    assert order.status is OrderStatus.ACCEPTED


def test_position_check_when_venue_differs_then_discrepancy_counted_until_retry_limit(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], position_check_retries=2, generate_missing_orders=False)
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="1.000"))
    env.venue.positions = [position_status_report(quantity="2.000")]
    env.advance(10)

    results = [asyncio.run(env.manager.check_positions()) for _ in range(3)]

    assert [len(r.discrepancies) for r in results] == [1, 1, 0]
    assert any("giving up" in m for m in messages(logs, ERROR))


def test_position_check_when_venue_matches_then_no_discrepancy(env: Env) -> None:
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="1.000"))
    env.venue.positions = [position_status_report(quantity="1.000")]
    env.advance(10)

    result = asyncio.run(env.manager.check_positions())

    assert result.success
    assert result.position_reports == 1


def test_position_check_when_query_fails_then_cached_position_not_treated_as_flat(
    env: Env,
) -> None:
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="1.000"))
    env.venue.position_error = RuntimeError("down")
    env.advance(10)

    result = asyncio.run(env.manager.check_positions())

    assert result.discrepancies == []


def test_position_check_when_venue_flat_and_cache_long_then_discrepancy(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], generate_missing_orders=False)
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="1.000"))
    env.venue.positions = [position_status_report(position_side=PositionSide.FLAT)]
    env.advance(10)

    result = asyncio.run(env.manager.check_positions())

    assert len(result.discrepancies) == 1


# -- purges --------------------------------------------------------------------------------


def test_purge_closed_orders_then_buffer_from_config_applied(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], purge_closed_orders_buffer_mins=10)
    order = env.open(limit_order())
    env.engine.process(canceled(order))
    env.manager.record_local_activity(order.client_order_id)

    env.advance(9 * 60)
    assert env.manager.purge_closed_orders() == []
    env.advance(2 * 60)
    assert env.manager.purge_closed_orders() == [order.client_order_id]
    assert env.cache.order(order.client_order_id) is None
    assert env.manager.tracking.local_activity(order.client_order_id) is None


def test_purge_closed_positions_then_buffer_from_config_applied(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], purge_closed_positions_buffer_mins=5)
    buy = env.open(limit_order(client_order_id="O-1"), "V-1")
    env.engine.process(filled(buy, last_qty="1.000"))
    sell = env.open(limit_order(side=OrderSide.SELL, client_order_id="O-2"), "V-2")
    env.engine.process(filled(sell, last_qty="1.000"))
    assert env.cache.positions_closed_count() == 1

    env.advance(4 * 60)
    assert env.manager.purge_closed_positions() == 0
    env.advance(2 * 60)
    assert env.manager.purge_closed_positions() == 1


def test_purge_account_events_then_lookback_from_config_applied(
    logs: tuple[LogSystem, MemorySink],
) -> None:
    env = Env(logs[0], purge_account_events_lookback_mins=15)

    assert env.manager.purge_account_events() == 0
    assert env.manager.stats()["purged_account_events"] == 0


def test_process_when_reconciliation_event_then_bookkeeping_done_first(env: Env) -> None:
    order = env.submit(limit_order())
    env.advance(1)
    report = order_status_report(order, order_status=OrderStatus.FILLED, filled_qty="1.000")

    env.manager.reconcile_execution_mass_status(
        mass_status([report], [fill_report(order, trade_id="T-R")])
    )

    now = env.clock.timestamp_ns()
    assert env.manager.tracking.local_activity(order.client_order_id) == now
    assert env.manager.tracking.position_activity(IID, ACCOUNT_ID) == now
    assert env.manager.stats()["reconciliation_events"] == 2
    events: list[OrderEvent] = order.events[-2:]
    assert [type(e).__name__ for e in events] == ["OrderAccepted", "OrderFilled"]
