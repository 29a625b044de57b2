"""Property: for random venue histories (orders, partial fills, cancels, a position, a
lookback cut, some orders already known locally), startup reconciliation leaves every
position equal to the venue's, applies no trade id twice, and a replay adds nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution import ExecutionEngine
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.execution_manager import ExecutionManager
from argonaut.live.reconciliation import simulate
from argonaut.live.reconciliation.positions import weighted_avg
from argonaut.model.enums import OrderSide, OrderStatus, PositionSide
from argonaut.model.events.order import OrderFilled
from argonaut.model.values import Price, Quantity
from argonaut.testkit import (
    TRADER_ID,
    TS,
    accepted,
    btcusdt_perp,
    fill_report,
    limit_order,
    mass_status,
    order_status_report,
    position_status_report,
    submitted,
)

UNIT = 1_000_000  # 0.001 BTC in raw units


@dataclass
class VenueOrder:
    side: OrderSide
    qty: int  # units of 0.001
    fills: list[tuple[int, int]]  # (units, price in ticks of 0.1)
    status: OrderStatus
    known: bool


@st.composite
def venue_order(draw: st.DrawFn) -> VenueOrder:
    side = draw(st.sampled_from([OrderSide.BUY, OrderSide.SELL]))
    qty = draw(st.integers(1, 40))
    kind = draw(st.sampled_from(["open", "partial", "filled", "canceled"]))
    fills: list[tuple[int, int]] = []
    if kind in ("partial", "filled", "canceled"):
        target = qty if kind == "filled" else draw(st.integers(0, qty - 1))
        while sum(f[0] for f in fills) < target:
            part = draw(st.integers(1, target - sum(f[0] for f in fills)))
            fills.append((part, draw(st.integers(499_000, 501_000))))
    status = {
        "open": OrderStatus.ACCEPTED,
        "partial": OrderStatus.PARTIALLY_FILLED if fills else OrderStatus.ACCEPTED,
        "filled": OrderStatus.FILLED,
        "canceled": OrderStatus.CANCELED,
    }[kind]
    return VenueOrder(side, qty, fills, status, draw(st.booleans()))


def _build(orders: list[VenueOrder], cut: int) -> tuple[ExecutionManager, Cache, object, int]:
    clock = TestClock(TS + 10**12)
    cache = Cache()
    inst = btcusdt_perp()
    cache.add_instrument(inst)
    engine = ExecutionEngine(MessageBus(TRADER_ID), cache, clock, uuid_factory=UUIDFactory(seed=1))
    manager = ExecutionManager(
        cache, engine, clock, config=LiveExecEngineConfig(), uuid_factory=UUIDFactory(seed=2)
    )
    reports, fills = [], []
    ts = TS
    net = 0
    for i, spec in enumerate(orders):
        order = limit_order(
            client_order_id=f"O-{i}", side=spec.side, quantity=Quantity(spec.qty * UNIT, 3)
        )
        vid = f"V-{i}"
        if spec.known:
            cache.add_order(order)
            engine.process(submitted(order))
            engine.process(accepted(order, venue_order_id=vid))
        filled_units = 0
        notional = 0
        last_ts = ts
        for j, (units, ticks) in enumerate(spec.fills):
            ts += 1_000
            last_ts = ts
            filled_units += units
            notional += units * ticks
            sign = 1 if spec.side is OrderSide.BUY else -1
            net += sign * units
            if ts >= cut:
                fills.append(
                    fill_report(
                        order,
                        last_qty=Quantity(units * UNIT, 3),
                        last_px=Price(ticks * 10**8, 1),
                        trade_id=f"T-{i}-{j}",
                        venue_order_id=vid,
                        ts=ts,
                    )
                )
        ts += 1_000
        if max(ts, last_ts) >= cut:
            avg = None if not filled_units else notional / filled_units / 10
            reports.append(
                order_status_report(
                    order,
                    venue_order_id=vid,
                    order_status=spec.status,
                    filled_qty=Quantity(filled_units * UNIT, 3),
                    avg_px=None if avg is None else f"{avg:.6f}",
                    ts=ts,
                    ts_accepted=ts - 500,
                )
            )
    if net:
        side = PositionSide.LONG if net > 0 else PositionSide.SHORT
        position = position_status_report(
            position_side=side,
            quantity=Quantity(abs(net) * UNIT, 3),
            avg_px_open=_venue_avg(orders),
        )
    else:
        position = position_status_report(position_side=PositionSide.FLAT)
    status = mass_status(reports, fills, [position])
    return manager, cache, status, net


def _venue_avg(orders: list[VenueOrder]) -> Decimal:
    """The venue's average entry of the final position (live-behaviour 3.6.1 rules)."""
    history = []
    n = 0
    for spec in orders:
        for units, ticks in spec.fills:
            n += 1
            order = limit_order(client_order_id=f"X-{n}", side=spec.side)
            history.append(
                fill_report(
                    order, last_qty=Quantity(units * UNIT, 3), last_px=Price(ticks * 10**8, 1)
                )
            )
    life = simulate(history)
    assert life.avg is not None
    return life.avg


def _cached_avg(cache: Cache) -> Decimal | None:
    positions = cache.positions_open()
    return weighted_avg(positions)


def _cached_net(cache: Cache) -> int:
    return sum(p.signed_qty_raw for p in cache.positions_open()) // UNIT


def _trade_ids(cache: Cache) -> list[str]:
    return [e.trade_id for o in cache.orders() for e in o.events if isinstance(e, OrderFilled)]


@given(
    orders=st.lists(venue_order(), min_size=1, max_size=8),
    cut_fraction=st.floats(0.0, 1.0),
)
def test_property_after_reconciliation_positions_equal_venue_and_trade_ids_unique(
    orders: list[VenueOrder], cut_fraction: float
) -> None:
    span = 1_000 * (1 + sum(len(o.fills) + 1 for o in orders))
    cut = TS + int(span * cut_fraction)
    manager, cache, status, venue_net = _build(orders, cut)

    first = manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert _cached_net(cache) == venue_net, first.summary()
    # Averages compare per owner: orders known locally belong to their strategy, the
    # venue's others to EXTERNAL, and NETTING keeps one position per strategy.
    if venue_net and not any(o.known for o in orders):
        venue_avg = status.position_reports[btcusdt_perp().id][0].avg_px_open  # type: ignore[attr-defined]
        cached_avg = _cached_avg(cache)
        assert cached_avg is not None
        assert abs(cached_avg - venue_avg) / venue_avg <= Decimal("0.0001"), first.summary()
    ids = _trade_ids(cache)
    assert not [t for t, n in Counter(ids).items() if n > 1]

    again = manager.reconcile_execution_mass_status(status)  # type: ignore[arg-type]

    assert again.event_count == 0, again.summary()
    assert _cached_net(cache) == venue_net
    assert _trade_ids(cache) == ids
