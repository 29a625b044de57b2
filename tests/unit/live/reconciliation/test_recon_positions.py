"""Position reconciliation (live-behaviour 3.5) and the partial lookback window (3.6)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from recon_env import Env, report_with_fills

from argonaut.common.logging import WARNING
from argonaut.live.reconciliation import reconciliation_price, simulate
from argonaut.model.enums import OmsType, OrderSide, OrderStatus, OrderType, PositionSide
from argonaut.model.identifiers import ClientOrderId, InstrumentId, PositionId, StrategyId
from argonaut.model.values import Quantity
from argonaut.testkit import (
    TS,
    ethusdt_perp,
    fill_report,
    limit_order,
    mass_status,
    order_status_report,
    position_status_report,
    trade,
)

MakeEnv = Callable[..., Env]
D = Decimal


def reconcile_positions(env: Env, *reports: object) -> object:
    return env.manager.reconcile_execution_mass_status(mass_status([], [], list(reports)))  # type: ignore[arg-type]


def synthetic_orders(env: Env) -> list[object]:
    return [o for o in env.orders() if o.tags == ("RECONCILIATION",)]


# -- 3.5.10 the reconciliation price ------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "p", "big_q", "big_p", "expected"),
    [
        (D(1), D(100), D(1), D(120), None),  # Q = q
        (D(1), D(100), D(0), None, D(100)),  # Q = 0: close at the current average
        (D(1), D(100), D(2), None, None),  # P missing
        (D(0), None, D(2), D(110), D(110)),  # q = 0
        (D(1), D(100), D(-1), D(90), D(90)),  # sign flip
        (D(1), D(100), D(2), D(110), D(120)),  # (2*110 - 1*100) / 1
        (D(2), D(100), D(1), D(300), None),  # (300 - 200) / -1 < 0
    ],
)
def test_rule_3_5_10_reconciliation_price_formula(
    q: Decimal, p: Decimal | None, big_q: Decimal, big_p: Decimal | None, expected: Decimal | None
) -> None:
    assert reconciliation_price(q, p, big_q, big_p) == expected


# -- 3.5 netting --------------------------------------------------------------------------


def test_rule_3_5_2_netting_equal_quantities_no_action(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")

    result = reconcile_positions(env, position_status_report(quantity="1.000"))

    assert result.event_count == 0  # type: ignore[attr-defined]


def test_rule_3_5_2_netting_equal_quantity_average_off_warns(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000", last_px="50000.0")

    reconcile_positions(env, position_status_report(quantity="1.000", avg_px_open="51000"))

    assert any("average price" in m for m in env.messages(WARNING))


def test_rule_3_5_3_split_netting_ownership_warns(env: Env) -> None:
    env.fill(
        limit_order(client_order_id="O-A", strategy_id=StrategyId("S-001")), "V-A", last_qty="1.000"
    )
    env.fill(
        limit_order(client_order_id="O-B", strategy_id=StrategyId("S-002")), "V-B", last_qty="1.000"
    )

    reconcile_positions(env, position_status_report(quantity="2.000"))

    assert any("split across strategies" in m for m in env.messages(WARNING))


def test_rule_3_5_4_mismatch_without_generate_missing_orders_logged_netting_succeeds(
    make_env: MakeEnv,
) -> None:
    env = make_env(generate_missing_orders=False)
    env.fill(limit_order(), last_qty="1.000")

    result = reconcile_positions(env, position_status_report(quantity="2.000"))

    assert result.success  # type: ignore[attr-defined]
    assert env.net() == 1.0


def test_rule_3_5_4_hedging_mismatch_without_generate_missing_orders_fails(
    make_env: MakeEnv,
) -> None:
    env = make_env(generate_missing_orders=False)

    result = reconcile_positions(
        env, position_status_report(quantity="1.000", venue_position_id=PositionId("P-1"))
    )

    assert not result.success  # type: ignore[attr-defined]


def test_rule_3_5_5_difference_below_size_precision_skipped(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")
    report = position_status_report(quantity=Quantity(1_000_000_001, 9))

    result = reconcile_positions(env, report)

    assert result.event_count == 0  # type: ignore[attr-defined]


def test_long_position_mismatch_aligned_with_one_buy(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000", last_px="50000.0")

    reconcile_positions(env, position_status_report(quantity="3.000", avg_px_open="51000"))

    assert env.net() == 3.0
    [order] = synthetic_orders(env)
    assert order.side is OrderSide.BUY
    assert order.quantity.as_decimal() == 2
    assert order.avg_px == pytest.approx(51500.0)  # type: ignore[attr-defined]


def test_short_position_mismatch_aligned_with_one_sell(env: Env) -> None:
    env.fill(limit_order(side=OrderSide.SELL), last_qty="1.000")

    reconcile_positions(
        env, position_status_report(position_side=PositionSide.SHORT, quantity="2.000")
    )

    assert env.net() == -2.0


def test_reduction_mismatch_aligned_with_sell_at_current_average(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000", last_px="50000.0")

    reconcile_positions(env, position_status_report(quantity="0.400", avg_px_open="50000"))

    assert env.net() == 0.4
    [order] = synthetic_orders(env)
    assert order.side is OrderSide.SELL  # type: ignore[attr-defined]


def test_rule_3_5_6_cross_zero_long_to_short_splits_close_and_open(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000", last_px="50000.0")

    reconcile_positions(
        env,
        position_status_report(
            position_side=PositionSide.SHORT, quantity="2.000", avg_px_open="49000"
        ),
    )

    assert env.net() == -2.0
    legs = synthetic_orders(env)
    assert [o.quantity.as_decimal() for o in legs] == [1, 2]  # type: ignore[attr-defined]
    assert legs[0].avg_px == pytest.approx(50000.0)  # type: ignore[attr-defined]
    assert legs[1].avg_px == pytest.approx(49000.0)  # type: ignore[attr-defined]


def test_rule_3_5_6_cross_zero_short_to_long(env: Env) -> None:
    env.fill(limit_order(side=OrderSide.SELL), last_qty="1.000")

    reconcile_positions(env, position_status_report(quantity="1.500", avg_px_open="50500"))

    assert env.net() == 1.5
    assert len(synthetic_orders(env)) == 2


def test_rule_3_5_6_cross_zero_without_venue_price_closes_only(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")

    result = reconcile_positions(
        env,
        position_status_report(
            position_side=PositionSide.SHORT, quantity="1.000", avg_px_open=None
        ),
    )

    assert env.net() == 0.0
    assert not result.success  # type: ignore[attr-defined]


def test_rule_3_5_7_cached_flat_venue_long_creates_position_at_venue_price(env: Env) -> None:
    reconcile_positions(env, position_status_report(quantity="0.500", avg_px_open="48000"))

    [position] = env.positions()
    assert position.quantity.as_decimal() == D("0.5")
    assert position.avg_px_open == pytest.approx(48000.0)


def test_netting_flat_report_closes_cached_position(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000")

    reconcile_positions(env, position_status_report(position_side=PositionSide.FLAT))

    assert env.positions() == []


def test_rule_3_5_8_price_hierarchy_mid_when_no_reconciliation_price(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000", last_px="50000.0")
    env.quote("49990.0", "50010.0")

    reconcile_positions(env, position_status_report(quantity="2.000", avg_px_open=None))

    [order] = synthetic_orders(env)
    assert order.avg_px == pytest.approx(50000.0)  # type: ignore[attr-defined]
    assert order.order_type is OrderType.LIMIT  # type: ignore[attr-defined]


def test_rule_3_5_8_price_hierarchy_position_average_without_quote(env: Env) -> None:
    env.fill(limit_order(), last_qty="1.000", last_px="50100.0")

    reconcile_positions(env, position_status_report(quantity="2.000", avg_px_open=None))

    [order] = synthetic_orders(env)
    assert order.avg_px == pytest.approx(50100.0)  # type: ignore[attr-defined]


def test_rule_3_5_8_price_hierarchy_market_at_last_trade_as_last_resort(env: Env) -> None:
    env.cache.add_trade_tick(trade(price="50200.0"))

    reconcile_positions(env, position_status_report(quantity="1.000", avg_px_open=None))

    [order] = synthetic_orders(env)
    assert order.order_type is OrderType.MARKET  # type: ignore[attr-defined]


def test_rule_3_5_8_no_price_at_all_is_a_discrepancy(env: Env) -> None:
    result = reconcile_positions(env, position_status_report(quantity="1.000", avg_px_open=None))

    assert not result.success  # type: ignore[attr-defined]
    assert env.positions() == []


def test_rule_3_5_11_synthetic_ids_deterministic_and_replay_dedupes(env: Env) -> None:
    report = position_status_report(quantity="1.000", avg_px_open="50000")
    reconcile_positions(env, report)
    [order] = synthetic_orders(env)
    assert str(order.venue_order_id).startswith("S-")  # type: ignore[attr-defined]

    again = reconcile_positions(env, report)

    assert again.event_count == 0  # type: ignore[attr-defined]
    assert len(synthetic_orders(env)) == 1


def test_rule_3_5_13_alignment_order_owned_by_claiming_strategy(env: Env) -> None:
    env.manager.register_external_order_claims(
        StrategyId("S-001"), [InstrumentId("BTCUSDT-PERP.SIM")]
    )

    reconcile_positions(env, position_status_report(quantity="1.000"))

    [order] = synthetic_orders(env)
    assert order.strategy_id == StrategyId("S-001")  # type: ignore[attr-defined]


# -- 3.5.12 hedging -----------------------------------------------------------------------


def test_rule_3_5_12_missing_hedge_position_generates_order(make_env: MakeEnv) -> None:
    env = make_env()
    env.engine.register_oms_type(StrategyId("EXTERNAL"), OmsType.HEDGING)

    reconcile_positions(
        env, position_status_report(quantity="1.000", venue_position_id=PositionId("P-1"))
    )

    position = env.cache.position(PositionId("P-1"))
    assert position is not None
    assert position.quantity.as_decimal() == 1


def test_rule_3_5_12_hedge_both_flat_nothing(env: Env) -> None:
    result = reconcile_positions(
        env,
        position_status_report(
            position_side=PositionSide.FLAT, venue_position_id=PositionId("P-1")
        ),
    )

    assert result.event_count == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fill_position_id", "report_position_id"),
    [("P-1", "P-1"), (None, "P-9")],
    ids=["batch_fills_build_it", "instrument_fill_has_no_position_id"],
)
def test_rule_3_5_12_hedge_report_skipped_when(
    env: Env, fill_position_id: str | None, report_position_id: str
) -> None:
    ghost = limit_order(client_order_id="O-H")
    venue_position_id = None if fill_position_id is None else PositionId(fill_position_id)
    fills = [
        fill_report(
            ghost, trade_id="T-1", venue_order_id="V-H", venue_position_id=venue_position_id
        )
    ]
    report = report_with_fills(ghost, venue_order_id="V-H")
    position = position_status_report(
        quantity="5.000", venue_position_id=PositionId(report_position_id)
    )

    result = env.manager.reconcile_execution_mass_status(mass_status([report], fills, [position]))

    assert result.alignment_orders == 0


# -- 3.6 partial lookback window ----------------------------------------------------------


def _fill(side: OrderSide, qty: str, px: str, ts: int, n: int) -> object:
    order = limit_order(client_order_id=f"O-{n}", side=side)
    return fill_report(
        order, last_qty=qty, last_px=px, trade_id=f"T-{n}", venue_order_id=f"V-{n}", ts=ts
    )


def _window_status(env: Env, fills: list[object], position: object) -> object:
    reports = []
    for f in fills:
        order = limit_order(
            client_order_id=str(f.client_order_id),
            side=f.order_side,  # type: ignore[attr-defined]
            quantity=f.last_qty,
        )  # type: ignore[attr-defined]
        reports.append(
            order_status_report(
                order,
                venue_order_id=str(f.venue_order_id),  # type: ignore[attr-defined]
                order_status=OrderStatus.FILLED,
                filled_qty=f.last_qty,  # type: ignore[attr-defined]
                avg_px=f.last_px.as_decimal(),
                ts=f.ts_event,
            )  # type: ignore[attr-defined]
        )
    return mass_status(reports, fills, [position])  # type: ignore[arg-type]


def test_rule_3_6_1_simulate_tracks_value_through_reduction_and_flip() -> None:
    fills = [
        _fill(OrderSide.BUY, "2.000", "100.0", 1, 1),
        _fill(OrderSide.SELL, "1.000", "200.0", 2, 2),
        _fill(OrderSide.SELL, "3.000", "50.0", 3, 3),
    ]

    life = simulate(fills)  # type: ignore[arg-type]

    assert life.qty == D(-2)
    assert life.avg == D(50)
    assert life.crossings == [2]


def test_rule_3_6_4_no_fills_or_venue_flat_no_adjustment(env: Env) -> None:
    status = mass_status([], [], [position_status_report(position_side=PositionSide.FLAT)])
    result = env.manager.reconcile_execution_mass_status(status)
    assert result.event_count == 0


def test_rule_3_6_4_no_crossings_matching_no_adjustment(env: Env) -> None:
    fills = [_fill(OrderSide.BUY, "1.000", "50000.0", TS + 1, 1)]
    status = _window_status(env, fills, position_status_report(quantity="1.000"))

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert synthetic_orders(env) == []
    assert env.net() == 1.0


def test_rule_3_6_4_no_crossings_mismatch_adds_synthetic_opening_fill(env: Env) -> None:
    fills = [_fill(OrderSide.BUY, "1.000", "50000.0", TS + 1, 1)]
    position = position_status_report(quantity="3.000", avg_px_open="51000")
    status = _window_status(env, fills, position)

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert env.net() == 3.0
    [position] = env.positions()
    assert abs(D(str(position.avg_px_open)) - D(51000)) / D(51000) <= D("0.0001")
    [opening] = synthetic_orders(env)
    assert opening.events[-1].ts_event == TS  # type: ignore[attr-defined]


def test_rule_3_6_4_crossings_without_fills_after_boundary_no_adjustment(env: Env) -> None:
    fills = [
        _fill(OrderSide.BUY, "1.000", "50000.0", TS + 1, 1),
        _fill(OrderSide.SELL, "1.000", "50100.0", TS + 2, 2),
    ]
    status = _window_status(env, fills, position_status_report(quantity="1.000"))

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    # no window adjustment; position reconciliation then aligns 0 -> 1
    assert env.net() == 1.0
    assert all(
        not o.client_order_id.startswith("V-S-") or "window" not in o.client_order_id
        for o in env.orders()
    )


def test_rule_3_6_4_crossings_current_lifecycle_matches_drops_older(env: Env) -> None:
    fills = [
        _fill(OrderSide.BUY, "1.000", "40000.0", TS + 1, 1),
        _fill(OrderSide.SELL, "2.000", "41000.0", TS + 2, 2),  # flips: the boundary
        _fill(OrderSide.SELL, "1.000", "50000.0", TS + 3, 3),
    ]
    venue = position_status_report(
        position_side=PositionSide.SHORT, quantity="1.000", avg_px_open="50000"
    )
    status = _window_status(env, fills, venue)

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert env.net() == -1.0
    assert env.cache.order(ClientOrderId("O-1")) is None
    assert env.cache.order(ClientOrderId("O-2")) is None
    [position] = env.positions()
    assert position.avg_px_open == pytest.approx(50000.0)


def test_rule_3_6_4_whole_window_history_matching_venue_is_kept(env: Env) -> None:
    fills = [
        _fill(OrderSide.BUY, "1.000", "40000.0", TS + 1, 1),
        _fill(OrderSide.SELL, "1.000", "41000.0", TS + 2, 2),
        _fill(OrderSide.BUY, "2.000", "50000.0", TS + 3, 3),
    ]
    status = _window_status(env, fills, position_status_report(quantity="2.000"))

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert env.net() == 2.0
    assert len(env.cache.positions_closed()) + len(env.positions()) >= 1
    assert env.cache.order(ClientOrderId("O-1")) is not None


def test_rule_3_6_4_crossings_current_lifecycle_mismatch_replaced_by_one_fill(env: Env) -> None:
    fills = [
        _fill(OrderSide.BUY, "1.000", "40000.0", TS + 1, 1),
        _fill(OrderSide.SELL, "1.000", "41000.0", TS + 2, 2),
        _fill(OrderSide.BUY, "1.000", "50000.0", TS + 3, 3),
    ]
    position = position_status_report(quantity="4.000", avg_px_open="52000")
    status = _window_status(env, fills, position)

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert env.net() == 4.0
    [position] = env.positions()
    assert position.avg_px_open == pytest.approx(52000.0)
    assert len(env.orders()) == 1


def test_rule_3_6_5_adjusting_one_instrument_leaves_others_untouched(env: Env) -> None:
    eth = ethusdt_perp()
    eth_order = limit_order(eth, client_order_id="O-E")
    eth_fill = fill_report(
        eth_order,
        last_qty="1.000",
        last_px="3000.00",
        trade_id="T-E",
        venue_order_id="V-E",
        instrument=eth,
        ts=TS + 1,
    )
    fills = [_fill(OrderSide.BUY, "1.000", "50000.0", TS + 1, 1), eth_fill]
    status = _window_status(env, fills[:1], position_status_report(quantity="2.000"))
    status.add_fill_reports([eth_fill])  # type: ignore[attr-defined]

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert env.net(eth.id) == 1.0
    assert env.net() == 2.0


def test_rule_3_6_hedge_mode_instruments_skipped(env: Env) -> None:
    fills = [_fill(OrderSide.BUY, "1.000", "50000.0", TS + 1, 1)]
    position = position_status_report(quantity="3.000", venue_position_id=PositionId("P-1"))
    status = _window_status(env, fills, position)

    result = env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert not any("window" in str(o.venue_order_id) for o in env.orders())
    assert result.success  # type: ignore[attr-defined]


def test_rule_3_6_input_mass_status_not_modified(env: Env) -> None:
    fills = [_fill(OrderSide.BUY, "1.000", "50000.0", TS + 1, 1)]
    status = _window_status(env, fills, position_status_report(quantity="3.000"))
    before = (dict(status.order_reports), {k: list(v) for k, v in status.fill_reports.items()})  # type: ignore[attr-defined]

    env.manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert (status.order_reports, status.fill_reports) == before  # type: ignore[attr-defined]
