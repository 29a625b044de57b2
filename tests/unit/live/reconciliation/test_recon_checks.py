"""Continuous checks: in-flight (live-behaviour 3.7), open orders (3.8), positions (3.9)
and the shared bookkeeping (3.10)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import pytest
from recon_env import Env

from argonaut.common.logging import ERROR, WARNING
from argonaut.model.commands.reports import GenerateFillReports, GenerateOrderStatusReport
from argonaut.model.enums import OrderStatus, PositionSide
from argonaut.model.events.order import OrderRejected
from argonaut.model.identifiers import AccountId, ClientOrderId, TradeId
from argonaut.testkit import (
    fill_report,
    filled,
    limit_order,
    order_status_report,
    pending_cancel,
    position_status_report,
)
from argonaut.testkit.virtual_time import run_virtual

MakeEnv = Callable[..., Env]
FULL = {"open_check_open_only": False, "open_check_missing_retries": 1}


def open_check(env: Env) -> object:
    return env.run(env.manager.check_open_orders())


# -- 3.7 in-flight ------------------------------------------------------------------------


def test_rule_3_7_4_accepted_order_at_max_retries_no_event_tracking_cleared(env: Env) -> None:
    order = env.open(limit_order())
    env.manager.register_inflight(order.client_order_id)
    env.advance(10)

    result = env.run(env.manager.check_inflight_orders())

    assert result.event_count == 0
    assert env.manager.tracking.inflight_ids() == []


def test_rule_3_7_4_order_not_in_cache_no_event(env: Env) -> None:
    env.manager.register_inflight(ClientOrderId("O-GONE"))
    env.advance(10)

    result = env.run(env.manager.check_inflight_orders())

    assert result.event_count == 0
    assert env.manager.tracking.inflight_ids() == []


def test_rule_3_7_6_pending_report_keeps_tracking_final_report_clears(env: Env) -> None:
    order = env.open(limit_order())
    env.manager.register_inflight(order.client_order_id)

    env.manager.observe_execution_report(
        order_status_report(order, order_status=OrderStatus.PENDING_CANCEL)
    )
    kept = env.manager.tracking.inflight_ids()
    env.manager.observe_execution_report(
        order_status_report(order, order_status=OrderStatus.CANCELED)
    )

    assert kept == [order.client_order_id]
    assert env.manager.tracking.inflight_ids() == []


# -- 3.8 open orders ----------------------------------------------------------------------


def test_rule_3_8_1_failing_client_logged_and_check_not_verified(env: Env) -> None:
    async def boom(command: object) -> list[object]:
        raise RuntimeError("down")

    env.venue.generate_order_status_reports = boom  # type: ignore[method-assign,assignment]

    result = open_check(env)

    assert not result.success  # type: ignore[attr-defined]


def test_rule_3_8_3_open_report_for_unknown_order_creates_external_order(env: Env) -> None:
    ghost = limit_order(client_order_id="O-EXT")
    env.venue.reports = [order_status_report(ghost, venue_order_id="V-EXT")]

    open_check(env)

    order = env.cache.order(ClientOrderId("O-EXT"))
    assert order is not None
    assert order.status is OrderStatus.ACCEPTED


def test_rule_3_8_4_open_only_missing_order_unknown_at_venue_queried_then_left_open(
    env: Env,
) -> None:
    # Our decision (issue #6): open-only mode makes one targeted query per
    # `open_check_missing_retries` (5) misses, and never resolves "not found".
    order = env.open(limit_order())
    env.advance(60)

    counts = []
    for _ in range(10):
        open_check(env)
        counts.append(len(env.venue.single_queries()))

    assert order.status is OrderStatus.ACCEPTED
    assert counts == [0, 0, 0, 0, 1, 1, 1, 1, 1, 2]
    assert any("left as is (open-only mode)" in m for m in env.messages(WARNING))
    assert env.manager._checks.missing_unresolved == 2


def test_rule_3_8_4_open_only_missing_order_filled_at_venue_gets_inferred_fill(
    env: Env,
) -> None:
    # The node missed the fill: the open list leaves the order out, the targeted query
    # finds it FILLED, and the order and position are reconciled from that report.
    order = env.open(limit_order())
    env.venue.order_reports[order.client_order_id] = order_status_report(
        order, order_status=OrderStatus.FILLED, filled_qty="1.000", avg_px="50000"
    )
    env.advance(60)

    for _ in range(5):
        open_check(env)

    assert [q.client_order_id for q in env.venue.single_queries()] == [order.client_order_id]
    assert order.status is OrderStatus.FILLED
    assert env.net() == float(order.quantity)


def test_rule_3_8_4_open_only_missing_order_canceled_at_venue_resolved_canceled(
    env: Env,
) -> None:
    order = env.open(limit_order())
    env.venue.order_reports[order.client_order_id] = order_status_report(
        order, order_status=OrderStatus.CANCELED
    )
    env.advance(60)

    for _ in range(4):
        open_check(env)
    before = order.status
    open_check(env)

    assert before is OrderStatus.ACCEPTED  # no query before the retries are used up
    assert order.status is OrderStatus.CANCELED


def test_rule_3_8_4_open_only_targeted_queries_respect_per_cycle_cap(
    make_env: MakeEnv,
) -> None:
    env = make_env(
        max_single_order_queries_per_cycle=2,
        single_order_query_delay_ms=0,
        open_check_missing_retries=1,
    )
    for i in range(5):
        env.open(limit_order(client_order_id=f"O-{i}"), f"V-{i}")
    env.advance(60)

    open_check(env)

    assert len(env.venue.single_queries()) == 2
    assert len(env.orders(OrderStatus.ACCEPTED)) == 5  # none resolved in open-only mode


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("submitted", OrderStatus.REJECTED),
        ("accepted", OrderStatus.REJECTED),
        ("partially_filled", OrderStatus.CANCELED),
        ("pending_cancel", OrderStatus.PENDING_CANCEL),
        ("filled", OrderStatus.FILLED),
    ],
)
def test_rule_3_8_6_missing_at_venue_resolution_table(
    make_env: MakeEnv, setup: str, expected: OrderStatus
) -> None:
    env = make_env(**FULL)
    order = limit_order()
    if setup == "submitted":
        env.submit(order)
    else:
        env.open(order)
    if setup == "partially_filled":
        env.engine.process(filled(order, last_qty="0.400"))
    elif setup == "pending_cancel":
        env.engine.process(pending_cancel(order))
    elif setup == "filled":
        env.engine.process(filled(order))
    env.advance(60)

    open_check(env)

    assert order.status is expected
    if setup in ("submitted", "accepted"):
        last = order.events[-1]
        assert isinstance(last, OrderRejected)
        assert last.reason == "ORDER_NOT_FOUND_AT_VENUE"
    if setup == "partially_filled":
        assert str(order.filled_qty) == "0.400"
    if setup == "pending_cancel":
        assert any("stays pending" in m for m in env.messages(WARNING))


def test_rule_3_8_6_targeted_query_made_before_any_resolution(make_env: MakeEnv) -> None:
    env = make_env(**FULL)
    order = env.open(limit_order())
    env.venue.order_reports[order.client_order_id] = order_status_report(
        order, order_status=OrderStatus.CANCELED
    )
    env.advance(60)

    open_check(env)

    assert [q.client_order_id for q in env.venue.single_queries()] == [order.client_order_id]
    assert order.status is OrderStatus.CANCELED  # the venue's answer, not an invented one


def test_rule_3_8_5_missing_retries_counted_before_resolution(make_env: MakeEnv) -> None:
    env = make_env(open_check_open_only=False, open_check_missing_retries=3)
    order = env.open(limit_order())
    env.advance(60)

    statuses = []
    for _ in range(3):
        open_check(env)
        statuses.append(order.status)

    assert statuses == [OrderStatus.ACCEPTED, OrderStatus.ACCEPTED, OrderStatus.REJECTED]


def test_rule_3_8_5_recent_local_activity_defers_resolution(make_env: MakeEnv) -> None:
    env = make_env(**FULL)
    order = env.open(limit_order())
    env.advance(60)
    env.manager.record_local_activity(order.client_order_id)

    open_check(env)

    assert order.status is OrderStatus.ACCEPTED


def test_rule_3_8_6_per_cycle_query_cap_rest_wait_next_cycle(make_env: MakeEnv) -> None:
    env = make_env(max_single_order_queries_per_cycle=2, single_order_query_delay_ms=0, **FULL)
    orders = [env.open(limit_order(client_order_id=f"O-{i}"), f"V-{i}") for i in range(5)]
    env.advance(60)

    open_check(env)
    first = len(env.venue.single_queries())
    open_check(env)

    assert first == 2
    assert len(env.venue.single_queries()) == 4
    assert sum(o.status is OrderStatus.REJECTED for o in orders) == 4


def test_rule_3_8_6_single_order_queries_spaced_by_delay(make_env: MakeEnv) -> None:
    env = make_env(single_order_query_delay_ms=100, **FULL)
    for i in range(3):
        env.open(limit_order(client_order_id=f"O-{i}"), f"V-{i}")
    env.advance(60)
    times: list[float] = []
    original = env.venue.generate_order_status_report

    async def timed(command: GenerateOrderStatusReport) -> object:
        times.append(asyncio.get_running_loop().time())
        return await original(command)

    env.venue.generate_order_status_report = timed  # type: ignore[method-assign,assignment]

    async def scenario() -> None:
        await env.manager.check_open_orders()

    run_virtual(scenario())

    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 3
    assert all(g == pytest.approx(0.1) for g in gaps)


@pytest.mark.parametrize(
    ("venue_status", "expected"),
    [
        (OrderStatus.CANCELED, OrderStatus.CANCELED),
        (OrderStatus.EXPIRED, OrderStatus.EXPIRED),
        (OrderStatus.REJECTED, OrderStatus.REJECTED),
    ],
)
def test_rule_3_8_8_known_status_resolutions_for_accepted(
    env: Env, venue_status: OrderStatus, expected: OrderStatus
) -> None:
    order = env.open(limit_order())
    env.venue.reports = [order_status_report(order, order_status=venue_status)]
    env.advance(60)

    open_check(env)

    assert order.status is expected


def test_rule_3_8_8_partially_filled_vs_canceled_resolves_canceled(env: Env) -> None:
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="0.400"))
    env.venue.reports = [
        order_status_report(
            order, order_status=OrderStatus.CANCELED, filled_qty="0.400", avg_px="50000"
        )
    ]
    env.advance(60)

    open_check(env)

    assert order.status is OrderStatus.CANCELED


def test_rule_3_8_7_full_history_fill_sum_mismatch_logged(make_env: MakeEnv) -> None:
    env = make_env(open_check_open_only=False)
    order = env.open(limit_order())
    env.engine.process(filled(order, last_qty="0.400"))
    env.venue.reports = [
        order_status_report(
            order, order_status=OrderStatus.PARTIALLY_FILLED, filled_qty="0.400", avg_px="50000"
        )
    ]
    env.advance(60)
    order.events.pop()  # corrupt the local record: fills no longer add up

    open_check(env)

    assert any("fills add up to" in m for m in env.messages(ERROR))


# -- 3.9 positions ------------------------------------------------------------------------


def pos_check(env: Env) -> object:
    return env.run(env.manager.check_positions())


def test_rule_3_9_5_missing_fills_found_and_applied(env: Env) -> None:
    order = env.open(limit_order())
    env.venue.fills = [fill_report(order, last_qty="1.000", trade_id="T-MISS")]
    env.venue.positions = [position_status_report(quantity="1.000")]
    env.advance(60)

    result = pos_check(env)

    assert result.success  # type: ignore[attr-defined]
    assert order.trade_ids == [TradeId("T-MISS")]
    assert env.net() == 1.0


def test_rule_3_9_5_still_off_then_alignment_order(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")
    env.venue.positions = [position_status_report(quantity="2.500")]
    env.advance(60)

    result = pos_check(env)

    assert result.success  # type: ignore[attr-defined]
    assert env.net() == 2.5
    assert any(isinstance(q, GenerateFillReports) for q in env.venue.queries)


def test_rule_3_9_5_fill_query_error_prevents_alignment(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")
    env.venue.positions = [position_status_report(quantity="2.000")]
    env.venue.fill_error = RuntimeError("down")
    env.advance(60)

    result = pos_check(env)

    assert env.net() == 1.0
    assert not result.success  # type: ignore[attr-defined]


def test_rule_3_9_5_venue_only_position_gets_missing_fill_search_only(env: Env) -> None:
    env.venue.positions = [position_status_report(quantity="1.000")]
    env.advance(60)

    result = pos_check(env)

    assert env.positions() == []
    assert len(result.discrepancies) == 1  # type: ignore[attr-defined]


def test_rule_3_9_2_failed_venue_query_skips_cached_position(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")
    env.venue.position_error = RuntimeError("down")
    env.advance(60)

    result = pos_check(env)

    assert env.net() == 1.0
    assert result.discrepancies == []  # type: ignore[attr-defined]


def test_rule_3_9_4_recent_position_activity_skips(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")
    env.venue.positions = [position_status_report(quantity="2.000")]
    env.advance(60)
    env.manager.record_position_activity(
        env.positions()[0].instrument_id, env.positions()[0].account_id, env.clock.timestamp_ns()
    )

    pos_check(env)

    assert env.net() == 1.0


def test_rule_3_9_3_counter_cleared_when_discrepancy_resolves(make_env: MakeEnv) -> None:
    env = make_env(generate_missing_orders=False, position_check_retries=5)
    env.fill(limit_order(), last_qty="1.000")
    env.venue.positions = [position_status_report(quantity="2.000")]
    env.advance(60)
    pos_check(env)
    pos_check(env)
    retries = env.manager._checks._position_retries
    [(key, count)] = retries.items()
    assert count == 2
    assert key[1] == AccountId("SIM-001")

    env.venue.positions = [position_status_report(quantity="1.000")]
    pos_check(env)

    assert key not in retries


def test_rule_3_9_7_flat_venue_report_does_not_keep_stale_counter(env: Env) -> None:
    env.venue.positions = [position_status_report(quantity="1.000")]
    env.advance(60)
    pos_check(env)
    retries = env.manager._checks._position_retries
    assert len(retries) == 1

    env.venue.positions = [position_status_report(position_side=PositionSide.FLAT)]
    pos_check(env)

    assert retries == {}


def test_rule_3_9_retry_limit_stops_remediation_with_error(make_env: MakeEnv) -> None:
    env = make_env(generate_missing_orders=False, position_check_retries=2)
    env.fill(limit_order(), last_qty="1.000")
    env.venue.positions = [position_status_report(quantity="2.000")]
    env.advance(60)

    counts = [len(pos_check(env).discrepancies) for _ in range(3)]  # type: ignore[attr-defined]

    assert counts == [1, 1, 0]
    assert any("giving up" in m for m in env.messages(ERROR))
