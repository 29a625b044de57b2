"""Startup reconciliation: live-behaviour 3.1 (mass status), 3.2 (mapping a report onto a
cached order), 3.3 (external orders) and 3.4 (fills). Test names cite the rule."""

from __future__ import annotations

import gc
from collections.abc import Callable

from recon_env import Env, kinds, report_with_fills

from argonaut.common.logging import WARNING
from argonaut.live.execution_manager import RECONCILIATION_GC_GEN0_THRESHOLD
from argonaut.live.reconciliation import amendment
from argonaut.live.reconciliation.startup import RAW_ORDER_TOPIC
from argonaut.model.commands.reports import GeneratePositionStatusReports
from argonaut.model.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, PositionSide
from argonaut.model.events.order import OrderInitialized, OrderUpdated
from argonaut.model.identifiers import (
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity
from argonaut.testkit import (
    TS,
    ethusdt_perp,
    fill_report,
    limit_order,
    market_order,
    mass_status,
    order_status_report,
    position_status_report,
    stop_limit_order,
    stop_market_order,
)

MakeEnv = Callable[..., Env]


def test_rule_3_1_1_when_reconciliation_disabled_then_nothing_asked(make_env: MakeEnv) -> None:
    env = make_env(reconciliation=False)

    result = env.run(env.manager.reconcile_all(timeout=1.0))

    assert result.success
    assert env.venue.queries == []


def test_rule_3_1_4_when_mass_status_missing_then_client_result_false(env: Env) -> None:
    env.venue.mass = None

    result = env.run(env.manager.reconcile_client(env.venue, lookback_mins=None, timeout=1.0))

    assert not result.success
    assert "no mass status" in (result.error or "")


def test_rule_3_1_5_when_cache_filled_more_than_venue_then_startup_fails(env: Env) -> None:
    order = env.fill(limit_order(), last_qty="0.500")
    report = report_with_fills(order, "0.200", order_status=OrderStatus.PARTIALLY_FILLED)

    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert not result.success
    assert result.discrepancies


def test_rule_3_1_7_partial_window_runs_before_orders(env: Env) -> None:
    ghost = limit_order(client_order_id="O-G")
    fill = fill_report(ghost, last_qty="1.000", trade_id="T-1", venue_order_id="V-G", ts=TS + 5)
    report = report_with_fills(ghost, venue_order_id="V-G", ts=TS + 5)
    position = position_status_report(quantity="3.000", avg_px_open="50000")

    result = env.manager.reconcile_execution_mass_status(mass_status([report], [fill], [position]))

    assert result.success
    assert env.net() == 3.0
    assert any(o.client_order_id.startswith("V-S-") for o in env.orders())


def test_rule_3_1_8_when_trade_id_repeated_then_warned_and_applied_once(env: Env) -> None:
    a = env.open(limit_order(client_order_id="O-A"), "V-A")
    b = env.open(limit_order(client_order_id="O-B"), "V-B")
    fills = [
        fill_report(a, last_qty="0.100", trade_id="T-X", venue_order_id="V-A"),
        fill_report(b, last_qty="0.100", trade_id="T-X", venue_order_id="V-B"),
    ]

    result = env.manager.reconcile_execution_mass_status(mass_status([], fills))

    assert result.duplicate_trade_ids == 1
    assert any("T-X" in m for m in env.messages(WARNING))
    assert a.trade_ids == [TradeId("T-X")]
    assert b.trade_ids == []


def test_rule_3_1_9_duplicate_order_reports_keep_most_advanced_state(env: Env) -> None:
    order = env.open(limit_order())
    older = order_status_report(order, ts=TS + 1)
    newer = report_with_fills(order, ts=TS + 2)

    env.manager.reconcile_execution_mass_status(mass_status([newer, older]))

    assert order.status is OrderStatus.FILLED


def test_rule_3_1_10_filtered_client_order_ids_skip_reports_and_orphan_fills(
    make_env: MakeEnv,
) -> None:
    env = make_env(filtered_client_order_ids=["O-1"])
    order = env.open(limit_order())
    fills = [fill_report(order, last_qty="0.100", trade_id="T-1")]

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, order_status=OrderStatus.CANCELED)])
    )
    orphans = env.manager.reconcile_execution_mass_status(mass_status([], fills))

    assert order.status is OrderStatus.ACCEPTED
    assert result.filtered_reports == 1
    assert orphans.filtered_reports == 1
    assert order.trade_ids == []


def test_rule_3_1_10_instrument_include_list_skips_other_instruments(make_env: MakeEnv) -> None:
    env = make_env(reconciliation_instrument_ids=["ETHUSDT-PERP.SIM"])
    order = env.open(limit_order())

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, order_status=OrderStatus.CANCELED)])
    )

    assert order.status is OrderStatus.ACCEPTED
    assert result.filtered_reports == 1


def test_rule_3_1_11_when_order_already_matches_then_no_events(env: Env) -> None:
    order = env.open(limit_order())
    n = len(order.events)

    result = env.manager.reconcile_execution_mass_status(mass_status([order_status_report(order)]))

    assert result.event_count == 0
    assert len(order.events) == n
    assert env.cache.client_order_id(VenueOrderId("V-1")) == order.client_order_id


def test_rule_3_1_12_closed_reconciliation_order_skipped_on_restart(env: Env) -> None:
    report = report_with_fills(market_order(client_order_id="O-R"), venue_order_id="S-1-abc")
    env.manager.reconcile_execution_mass_status(mass_status([report]))
    synthetic = env.cache.order(ClientOrderId("O-R"))
    assert synthetic is not None
    assert synthetic.tags == ("RECONCILIATION",)
    n = len(synthetic.events)

    again = report_with_fills(
        synthetic, "2.000", venue_order_id="S-1-abc", quantity=Quantity.from_str("2.000")
    )
    result = env.manager.reconcile_execution_mass_status(mass_status([again]))

    assert result.event_count == 0
    assert len(synthetic.events) == n


def test_rule_3_1_13_lookup_by_venue_order_id_when_client_id_missing(env: Env) -> None:
    order = env.open(limit_order(), "V-9")
    report = order_status_report(
        order, venue_order_id="V-9", order_status=OrderStatus.CANCELED, client_order_id=None
    )

    env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert order.status is OrderStatus.CANCELED


def test_rule_3_1_13_unknown_instrument_report_skipped_and_counted(env: Env) -> None:
    report = order_status_report(
        limit_order(client_order_id="O-X"), instrument_id=InstrumentId("XYZ-PERP.SIM")
    )

    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert result.skipped_reports == 1
    assert env.cache.order(ClientOrderId("O-X")) is None


def test_rule_3_1_14_reconciled_order_gets_venue_order_id_indexed(env: Env) -> None:
    order = env.submit(limit_order())

    env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, venue_order_id="V-44")])
    )

    assert env.cache.client_order_id(VenueOrderId("V-44")) == order.client_order_id


def test_rule_3_1_15_orphan_fills_applied_by_venue_order_id_in_ts_order(env: Env) -> None:
    order = env.open(limit_order(), "V-5")
    fills = [  # without client order ids, the later one first
        fill_report(
            order, last_qty=qty, trade_id=tid, venue_order_id="V-5", ts=ts, client_order_id=None
        )
        for qty, tid, ts in (("0.2", "T-2", TS + 2), ("0.1", "T-1", TS + 1))
    ]

    env.manager.reconcile_execution_mass_status(mass_status([], fills))

    assert order.trade_ids == [TradeId("T-1"), TradeId("T-2")]


def test_rule_3_1_15_orphan_fills_for_unknown_order_create_market_external_order(
    env: Env,
) -> None:
    ghost = limit_order(client_order_id="O-G")
    fills = [fill_report(ghost, last_qty="0.3", trade_id="T-9", venue_order_id="V-G")]

    result = env.manager.reconcile_execution_mass_status(mass_status([], fills))

    created = env.cache.order(ClientOrderId("O-G"))
    assert created is not None
    assert created.order_type is OrderType.MARKET
    assert created.status is OrderStatus.FILLED
    assert created.trade_ids == [TradeId("T-9")]
    assert len(result.external_orders) == 1


def test_rule_3_1_15_orphan_fills_for_unknown_instrument_skipped(env: Env) -> None:
    ghost = limit_order(client_order_id="O-G")
    fills = [
        fill_report(
            ghost, trade_id="T-9", venue_order_id="V-G", instrument_id=InstrumentId("XYZ.SIM")
        )
    ]

    result = env.manager.reconcile_execution_mass_status(mass_status([], fills))

    assert result.unmatched_fill_reports == 1
    assert env.orders() == []


def test_rule_3_1_16_fills_across_orders_reach_positions_in_time_order(env: Env) -> None:
    sell = limit_order(client_order_id="O-S", side=OrderSide.SELL)
    buy = limit_order(client_order_id="O-B")
    reports = [
        report_with_fills(sell, venue_order_id="V-S", avg_px="51000"),
        report_with_fills(buy, venue_order_id="V-B"),
    ]
    fills = [
        fill_report(sell, trade_id="T-S", venue_order_id="V-S", last_px="51000.0", ts=TS + 2),
        fill_report(buy, trade_id="T-B", venue_order_id="V-B", last_px="50000.0", ts=TS + 1),
    ]

    env.manager.reconcile_execution_mass_status(mass_status(reports, fills))

    closed = env.cache.positions_closed()
    assert len(closed) == 1
    assert closed[0].entry is OrderSide.BUY


def test_rule_3_1_17_position_reports_skipped_when_filter_position_reports(
    make_env: MakeEnv,
) -> None:
    env = make_env(filter_position_reports=True)

    result = env.manager.reconcile_execution_mass_status(
        mass_status([], [], [position_status_report(quantity="1.000")])
    )

    assert result.event_count == 0
    assert env.positions() == []


def test_rule_3_1_18_cached_position_without_report_queried_and_flattened(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")
    eth = position_status_report(ethusdt_perp(), position_side=PositionSide.FLAT)
    env.venue.mass = mass_status([], [], [eth])

    result = env.run(env.manager.reconcile_client(env.venue, lookback_mins=None, timeout=1.0))

    assert result.success
    assert env.net() == 0.0
    asked = [q for q in env.venue.queries if isinstance(q, GeneratePositionStatusReports)]
    assert asked
    assert asked[0].instrument_id == InstrumentId("BTCUSDT-PERP.SIM")


def test_rule_3_1_21_with_no_clients_reconcile_all_succeeds(env: Env) -> None:
    env.manager.deregister_client(env.venue.client_id)

    result = env.run(env.manager.reconcile_all(timeout=1.0))

    assert result.success


# -- 3.2 mapping a report onto a cached order ---------------------------------------------


def test_rule_3_2_1_venue_pending_status_never_changes_local_state(env: Env) -> None:
    order = env.open(limit_order())
    n = len(order.events)

    env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, order_status=OrderStatus.PENDING_UPDATE)])
    )

    assert len(order.events) == n


def test_rule_3_2_2_rejected_with_post_only_reason_sets_due_post_only(env: Env) -> None:
    order = env.submit(limit_order(post_only=True))

    env.manager.reconcile_execution_mass_status(
        mass_status(
            [
                order_status_report(
                    order, order_status=OrderStatus.REJECTED, cancel_reason="Post-Only would cross"
                )
            ]
        )
    )

    assert order.status is OrderStatus.REJECTED
    assert order.events[-1].due_post_only  # type: ignore[attr-defined]


def test_rule_3_2_3_accepted_with_amended_quantity_emits_updated(env: Env) -> None:
    order = env.open(limit_order())

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, quantity=Quantity.from_str("2.000"))])
    )

    assert result.events == {"OrderUpdated": 1}
    assert order.quantity == Quantity.from_str("2.000")


def test_rule_3_2_4_submitted_order_filled_at_venue_gets_accepted_first(env: Env) -> None:
    order = env.submit(limit_order())
    n = len(order.events)
    report = report_with_fills(order)

    env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert kinds(order, n) == ["OrderAccepted", "OrderFilled"]


def test_rule_3_2_5_triggered_only_for_triggerable_types(env: Env) -> None:
    stop_limit = env.open(stop_limit_order(client_order_id="O-SL"), "V-SL")
    stop_market = env.open(stop_market_order(client_order_id="O-SM"), "V-SM")

    env.manager.reconcile_execution_mass_status(
        mass_status(
            [
                order_status_report(stop_limit, order_status=OrderStatus.TRIGGERED),
                order_status_report(stop_market, order_status=OrderStatus.TRIGGERED),
            ]
        )
    )

    assert stop_limit.status is OrderStatus.TRIGGERED
    assert stop_market.status is OrderStatus.ACCEPTED


def test_rule_3_2_6_canceled_applies_triggered_then_fills_then_canceled(env: Env) -> None:
    order = env.open(stop_limit_order())
    n = len(order.events)
    fills = [fill_report(order, last_qty="0.4", trade_id="T-1", ts=TS + 2)]
    report = report_with_fills(
        order, "0.400", order_status=OrderStatus.CANCELED, ts_triggered=TS + 1
    )

    env.manager.reconcile_execution_mass_status(mass_status([report], fills))

    assert kinds(order, n) == ["OrderTriggered", "OrderFilled", "OrderCanceled"]


def test_rule_3_2_6_canceled_report_of_older_replaced_venue_id_suppressed(env: Env) -> None:
    order = env.open(limit_order(), "V-1")
    env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, venue_order_id="V-2")])
    )
    assert order.venue_order_id == VenueOrderId("V-2")

    result = env.manager.reconcile_execution_mass_status(
        mass_status(
            [order_status_report(order, venue_order_id="V-1", order_status=OrderStatus.CANCELED)]
        )
    )

    assert result.suppressed_reports == 1
    assert order.status is OrderStatus.ACCEPTED


def test_rule_3_2_6_cancel_replace_new_venue_id_updates_order_and_index(env: Env) -> None:
    order = env.open(limit_order(), "V-1")

    result = env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, venue_order_id="V-2")])
    )

    assert result.events == {"OrderUpdated": 1}
    assert env.cache.client_order_id(VenueOrderId("V-2")) == order.client_order_id


def test_rule_3_2_7_expired_applies_fills_before_terminal_event(env: Env) -> None:
    order = env.open(limit_order())
    n = len(order.events)
    fills = [fill_report(order, last_qty="0.3", trade_id="T-1")]
    report = report_with_fills(order, "0.300", order_status=OrderStatus.EXPIRED)

    env.manager.reconcile_execution_mass_status(mass_status([report], fills))

    assert kinds(order, n) == ["OrderFilled", "OrderExpired"]


def test_rule_3_2_8_venue_less_within_one_unit_ignored(env: Env) -> None:
    order = env.fill(limit_order(), last_qty="0.500")
    report = report_with_fills(
        order, Quantity(order.filled_qty.raw - 1, 3), order_status=OrderStatus.PARTIALLY_FILLED
    )

    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert result.success


def test_rule_3_2_8_venue_more_on_closed_order_no_event(env: Env) -> None:
    order = env.fill(limit_order(), last_qty="0.500")
    env.manager.reconcile_execution_mass_status(
        mass_status([report_with_fills(order, "0.500", order_status=OrderStatus.CANCELED)])
    )
    n = len(order.events)

    env.manager.reconcile_execution_mass_status(
        mass_status([report_with_fills(order, "0.700", order_status=OrderStatus.CANCELED)])
    )

    assert len(order.events) == n


def test_rule_3_2_9_amendment_detection_by_type_and_missing_fields() -> None:
    limit = limit_order()
    stop = stop_market_order()
    same = order_status_report(limit)
    assert not amendment(limit, same)
    assert amendment(limit, order_status_report(limit, price=Price.from_str("49000.0")))
    assert not amendment(limit, order_status_report(limit, price=None))
    assert amendment(stop, order_status_report(stop, trigger_price=Price.from_str("1.0")))
    assert not amendment(stop, order_status_report(stop, price=Price.from_str("1.0")))


def test_rule_3_2_10_update_applied_before_fill(env: Env) -> None:
    order = env.open(limit_order())
    n = len(order.events)
    report = report_with_fills(order, "2.000", quantity=Quantity.from_str("2.000"))

    env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert kinds(order, n) == ["OrderUpdated", "OrderFilled"]
    assert order.status is OrderStatus.FILLED


# -- 3.3 external orders ------------------------------------------------------------------


def _external(env: Env, status: OrderStatus, **kw: object) -> object:
    ghost = limit_order(client_order_id="O-EXT")
    fills = kw.pop("fills", [])
    report = order_status_report(ghost, venue_order_id="V-EXT", order_status=status, **kw)
    result = env.manager.reconcile_execution_mass_status(mass_status([report], fills))  # type: ignore[arg-type]
    return result


def _ext_order(env: Env) -> Order:
    """Return the external order O-EXT that reconciliation created."""
    order = env.cache.order(ClientOrderId("O-EXT"))
    assert order is not None
    return order


def test_rule_3_3_1_unclaimed_external_order_has_external_strategy_and_venue_tag(
    env: Env,
) -> None:
    _external(env, OrderStatus.ACCEPTED)

    order = _ext_order(env)
    assert order.strategy_id == StrategyId("EXTERNAL")
    assert order.tags == ("VENUE",)


def test_rule_3_3_1_claimed_external_order_owned_by_claiming_strategy(env: Env) -> None:
    env.manager.register_external_order_claims(
        StrategyId("S-001"), [InstrumentId("BTCUSDT-PERP.SIM")]
    )

    _external(env, OrderStatus.ACCEPTED)

    order = _ext_order(env)
    assert order.strategy_id == StrategyId("S-001")
    assert order.tags is None


def test_rule_3_3_2_filter_unclaimed_drops_venue_orders_not_synthetic(make_env: MakeEnv) -> None:
    env = make_env(filter_unclaimed_external_orders=True)
    result = _external(env, OrderStatus.ACCEPTED)
    synthetic = report_with_fills(market_order(client_order_id="O-S"), venue_order_id="S-1-x")

    env.manager.reconcile_execution_mass_status(mass_status([synthetic]))

    assert result.filtered_reports == 1  # type: ignore[attr-defined]
    assert env.cache.order(ClientOrderId("O-EXT")) is None
    assert env.cache.order(ClientOrderId("O-S")) is not None


def test_rule_3_3_3_client_order_id_derived_from_venue_id_when_missing(env: Env) -> None:
    _external(env, OrderStatus.ACCEPTED, client_order_id=None)

    assert env.cache.order(ClientOrderId("V-V-EXT")) is not None


def test_rule_3_3_4_non_positive_quantity_skipped(env: Env) -> None:
    result = _external(env, OrderStatus.ACCEPTED, quantity=Quantity(0, 3))

    assert result.skipped_reports == 1  # type: ignore[attr-defined]


def test_rule_3_3_5_initialized_published_with_reconciliation_flag(env: Env) -> None:
    _external(env, OrderStatus.ACCEPTED)

    inits = [e for e in env.published if isinstance(e, OrderInitialized)]
    assert len(inits) == 1
    assert inits[0].reconciliation
    assert env.cache.client_order_id(VenueOrderId("V-EXT")) == ClientOrderId("O-EXT")


def test_rule_3_3_6_accepted_row(env: Env) -> None:
    _external(env, OrderStatus.ACCEPTED)
    order = _ext_order(env)
    assert kinds(order) == ["OrderInitialized", "OrderAccepted"]


def test_rule_3_3_6_triggered_row(env: Env) -> None:
    ghost = stop_limit_order(client_order_id="O-EXT")
    report = order_status_report(ghost, venue_order_id="V-EXT", order_status=OrderStatus.TRIGGERED)
    env.manager.reconcile_execution_mass_status(mass_status([report]))
    order = _ext_order(env)
    assert order.status is OrderStatus.TRIGGERED


def test_rule_3_3_6_filled_row_real_fills_then_inferred_for_the_gap(env: Env) -> None:
    ghost = limit_order(client_order_id="O-EXT")
    fills = [fill_report(ghost, last_qty="0.4", trade_id="T-1", venue_order_id="V-EXT")]
    _external(env, OrderStatus.FILLED, filled_qty="1.000", avg_px="50000", fills=fills)
    order = _ext_order(env)
    assert order.status is OrderStatus.FILLED
    assert kinds(order) == ["OrderInitialized", "OrderAccepted", "OrderFilled", "OrderFilled"]
    assert order.trade_ids[0] == TradeId("T-1")
    assert order.trade_ids[1].startswith("S-")


def test_rule_3_3_6_partially_filled_row_without_fills_one_inferred(env: Env) -> None:
    _external(env, OrderStatus.PARTIALLY_FILLED, filled_qty="0.250", avg_px="50000")
    order = _ext_order(env)
    assert order.status is OrderStatus.PARTIALLY_FILLED
    assert len(order.trade_ids) == 1


def test_rule_3_3_6_no_avg_px_applies_real_fills_only(env: Env) -> None:
    ghost = market_order(client_order_id="O-EXT")
    fills = [fill_report(ghost, last_qty="0.4", trade_id="T-1", venue_order_id="V-EXT")]
    report = order_status_report(
        ghost, venue_order_id="V-EXT", order_status=OrderStatus.FILLED, filled_qty="1.000"
    )
    env.manager.reconcile_execution_mass_status(mass_status([report], fills))
    order = _ext_order(env)
    assert order.trade_ids == [TradeId("T-1")]


def test_rule_3_3_6_canceled_row_with_partial_fill(env: Env) -> None:
    ghost = limit_order(client_order_id="O-EXT")
    fills = [fill_report(ghost, last_qty="0.4", trade_id="T-1", venue_order_id="V-EXT")]
    _external(env, OrderStatus.CANCELED, filled_qty="0.400", avg_px="50000", fills=fills)
    order = _ext_order(env)
    assert kinds(order) == ["OrderInitialized", "OrderAccepted", "OrderFilled", "OrderCanceled"]


def test_rule_3_3_6_expired_row(env: Env) -> None:
    _external(env, OrderStatus.EXPIRED)
    order = _ext_order(env)
    assert order.status is OrderStatus.EXPIRED


def test_rule_3_3_6_rejected_row_has_no_accepted(env: Env) -> None:
    _external(env, OrderStatus.REJECTED)
    order = _ext_order(env)
    assert kinds(order) == ["OrderInitialized", "OrderRejected"]


def test_rule_3_3_7_synthetic_replay_deduplicated_silently(env: Env) -> None:
    report = report_with_fills(market_order(client_order_id="O-S"), venue_order_id="S-1-x")
    env.manager.reconcile_execution_mass_status(mass_status([report]))

    result = env.manager.reconcile_execution_mass_status(mass_status([report]))

    assert result.event_count == 0
    assert result.success


def test_rule_3_3_8_runtime_fill_for_unknown_order_deferred_until_order_known(env: Env) -> None:
    ghost = limit_order(client_order_id="O-EXT")
    fill = fill_report(ghost, last_qty="0.4", trade_id="T-1", venue_order_id="V-EXT")

    deferred = env.manager.reconcile_report(fill)
    assert deferred.deferred_fills == 1
    assert env.manager.deferred_fill_count == 1

    env.manager.reconcile_report(
        report_with_fills(
            ghost, "0.400", venue_order_id="V-EXT", order_status=OrderStatus.PARTIALLY_FILLED
        )
    )

    order = _ext_order(env)
    assert order.trade_ids == [TradeId("T-1")]
    assert env.manager.deferred_fill_count == 0


def test_rule_3_3_8_runtime_position_report_alone_creates_nothing(env: Env) -> None:
    result = env.manager.reconcile_report(position_status_report())

    assert result.event_count == 0
    assert env.positions() == []


def test_rule_3_3_9_fill_with_disagreeing_client_id_skipped(env: Env) -> None:
    order = env.open(limit_order(), "V-1")
    other = limit_order(client_order_id="O-OTHER")
    fill = fill_report(other, trade_id="T-1", venue_order_id="V-1")

    env.manager.reconcile_report(fill)

    assert order.trade_ids == []


# -- 3.4 fills ----------------------------------------------------------------------------


def test_rule_3_4_1_replayed_fill_with_different_data_warned_and_cached_kept(env: Env) -> None:
    order = env.fill(limit_order(), last_qty="0.5", trade_id="T-1", last_px="50000.0")
    fills = [fill_report(order, last_qty="0.5", trade_id="T-1", last_px="51000.0")]
    report = report_with_fills(order, "0.500", order_status=OrderStatus.PARTIALLY_FILLED)

    result = env.manager.reconcile_execution_mass_status(mass_status([report], fills))

    assert result.fill_mismatches == 1
    assert result.event_count == 0
    assert any("differs from the cached fill" in m for m in env.messages(WARNING))


def test_rule_3_4_1_replayed_fill_within_tolerance_not_warned(env: Env) -> None:
    order = env.fill(
        limit_order(),
        last_qty="0.5",
        trade_id="T-1",
        last_px="50000.0",
        liquidity_side=LiquiditySide.TAKER,
    )
    replay = fill_report(
        order,
        last_qty="0.5",
        trade_id="T-1",
        last_px="50000.0",
        liquidity_side=LiquiditySide.TAKER,
        commission=order.events[-1].commission,
    )  # type: ignore[attr-defined]
    report = report_with_fills(order, "0.500", order_status=OrderStatus.PARTIALLY_FILLED)

    result = env.manager.reconcile_execution_mass_status(mass_status([report], [replay]))

    assert result.fill_mismatches == 0


def test_rule_3_4_2_fills_older_than_inferred_fill_skipped(env: Env) -> None:
    order = env.open(limit_order())
    env.manager.reconcile_execution_mass_status(
        mass_status(
            [
                report_with_fills(
                    order, "0.500", order_status=OrderStatus.PARTIALLY_FILLED, ts=TS + 10
                )
            ]
        )
    )
    old = [fill_report(order, last_qty="0.5", trade_id="T-OLD", ts=TS + 5)]

    env.manager.reconcile_execution_mass_status(
        mass_status(
            [
                report_with_fills(
                    order, "0.500", order_status=OrderStatus.PARTIALLY_FILLED, ts=TS + 10
                )
            ],
            old,
        )
    )

    assert order.filled_qty == Quantity.from_str("0.500")


def test_rule_3_4_4_overfill_rejected(env: Env) -> None:
    order = env.open(limit_order())
    fills = [
        fill_report(order, last_qty="0.8", trade_id="T-1"),
        fill_report(order, last_qty="0.8", trade_id="T-2"),
    ]
    report = report_with_fills(order)

    result = env.manager.reconcile_execution_mass_status(mass_status([report], fills))

    assert not result.success  # the overfilling T-2 was refused
    assert TradeId("T-2") not in order.trade_ids
    assert order.filled_qty == order.quantity  # the gap to the venue's 1.000 is inferred


def test_rule_3_4_6_inferred_fill_market_is_taker_and_post_only_is_maker(env: Env) -> None:
    market = env.open(market_order(client_order_id="O-M"), "V-M")
    maker = env.open(limit_order(client_order_id="O-P", post_only=True), "V-P")
    reports = [
        report_with_fills(market),
        report_with_fills(maker),
    ]

    env.manager.reconcile_execution_mass_status(mass_status(reports))

    assert market.events[-1].liquidity_side is LiquiditySide.TAKER  # type: ignore[attr-defined]
    assert maker.events[-1].liquidity_side is LiquiditySide.MAKER  # type: ignore[attr-defined]


def test_rule_3_4_6_inferred_trade_id_is_deterministic_across_restarts(
    make_env: MakeEnv,
) -> None:
    ids = []
    for _ in range(2):
        env = make_env()
        order = env.open(limit_order())
        env.manager.reconcile_execution_mass_status(mass_status([report_with_fills(order)]))
        ids.append(order.trade_ids[-1])
    assert ids[0] == ids[1]
    assert ids[0].startswith("S-")


def test_updated_event_carries_reconciliation_flag(env: Env) -> None:
    order = env.open(limit_order())

    env.manager.reconcile_execution_mass_status(
        mass_status([order_status_report(order, price=Price.from_str("49000.0"))])
    )

    last = order.events[-1]
    assert isinstance(last, OrderUpdated)
    assert last.reconciliation
    assert order.price == Price.from_str("49000.0")


def test_restart_idempotency_same_mass_status_twice_generates_nothing(env: Env) -> None:
    a = env.open(limit_order(client_order_id="O-A"), "V-A")
    b = env.submit(limit_order(client_order_id="O-B"))
    ghost = limit_order(client_order_id="O-G", side=OrderSide.SELL)
    reports = [
        report_with_fills(a),
        order_status_report(b, venue_order_id="V-B", order_status=OrderStatus.CANCELED),
        report_with_fills(
            ghost,
            "0.300",
            venue_order_id="V-G",
            order_status=OrderStatus.PARTIALLY_FILLED,
            avg_px="50100",
        ),
    ]
    fills = [fill_report(a, last_qty="0.6", trade_id="T-A1", venue_order_id="V-A")]
    positions = [position_status_report(quantity="1.200", avg_px_open="50000")]
    status = mass_status(reports, fills, positions)
    first = env.manager.reconcile_execution_mass_status(status)
    assert first.success
    assert first.event_count > 0
    net = env.net()

    second = env.manager.reconcile_execution_mass_status(status)

    assert second.event_count == 0
    assert second.success
    assert env.net() == net == 1.2


def test_rule_3_1_6_raw_reports_published_before_changes_synthetic_not(env: Env) -> None:
    seen: list[object] = []
    env.msgbus.subscribe("reconciliation.raw.*", seen.append)
    order = env.open(limit_order())
    report = report_with_fills(order)
    fill = fill_report(order, last_qty="0.500", trade_id="T-1")
    position = position_status_report(quantity="1.000")

    env.manager.reconcile_execution_mass_status(mass_status([report], [fill], [position]))

    assert seen == [report, fill, position]  # the inferred fill's report is not raw


def test_rule_3_1_19_mass_status_published_and_unindexed_ids_warned(env: Env) -> None:
    seen: list[object] = []
    env.msgbus.subscribe("reports.execution.SIM", seen.append)
    unknown = order_status_report(
        limit_order(client_order_id="O-X"),
        venue_order_id="V-X",
        instrument_id=InstrumentId("XYZ-PERP.SIM"),
    )
    status = mass_status([unknown])

    result = env.manager.reconcile_execution_mass_status(status)

    assert seen == [status]
    assert result.unindexed_venue_order_ids == 1
    assert any("map to no cached order" in m for m in env.messages(WARNING))


def test_mass_status_when_applied_then_gc_gen0_threshold_raised_meanwhile_and_restored(
    env: Env,
) -> None:
    seen: list[int] = []
    env.msgbus.subscribe(RAW_ORDER_TOPIC, lambda _: seen.append(gc.get_threshold()[0]))
    saved = gc.get_threshold()
    gc.set_threshold(700, saved[1], saved[2])
    try:
        env.manager.reconcile_execution_mass_status(
            mass_status([order_status_report(limit_order(), venue_order_id="V-9")])
        )
        after = gc.get_threshold()[0]
    finally:
        gc.set_threshold(*saved)

    assert seen == [RECONCILIATION_GC_GEN0_THRESHOLD]
    assert after == 700
