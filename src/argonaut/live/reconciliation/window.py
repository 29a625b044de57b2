"""Partial lookback window adjustment (live-behaviour 3.6), before a mass status is applied.

With a lookback, the venue's fills may start in the middle of a position's life: the
fills alone then do not add up to the venue's position. For each NETTING instrument
with a position report (hedge-mode reports, instruments outside the include list or
missing from the cache are skipped), the fills are simulated in time order:

- same-direction fills add quantity x price to the value, a partial close scales the
  value down proportionally, a flip resets it to ``remaining x price``;
- a zero-crossing is a fill after which the quantity lands on 0 or changes sign; the
  lifecycle boundary is the last fill landing exactly on 0, else the last crossing;
- a match is the same signed quantity with the average price within 0.01 %.

Fills the lookback cut off but an order report still counts (its `filled_qty` above the
fills the batch and the cache hold) become one synthetic gap fill per order, before the
window, priced so the order's average matches the venue's (our addition: otherwise the
order's inferred fill would land after the window's fills and skew the position).

Outcomes (the table of 3.6.4): no fills or a flat venue, or a match of the whole
window's history (checked first, our decision: then nothing needs fixing): unchanged. No
crossing and a mismatch: one synthetic opening fill is added before the first fill,
sized and priced (`reconciliation_price`) so the total matches the venue. Crossings
with no fill after the boundary: unchanged. Crossings and the current lifecycle
matches: the closed orders whose fills all end by the boundary are dropped with their
fills (an order is kept or dropped whole, so no fill of a kept order has to be inferred
back; when what is left no longer matches, the replacement below applies). Crossings
and a mismatch: the instrument's orders and fills are replaced by one
synthetic order and fill equal to the venue position; working orders without fills stay.

Synthetic ids are ``S-{hex ts}-{digest}`` (`ids.synthetic_id`), stable across restarts.
The adjustment works on a copy: the caller's mass status is never modified.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol

import msgspec

from argonaut.core.uuid import UUIDFactory
from argonaut.live.reconciliation.ids import synthetic_id
from argonaut.live.reconciliation.positions import AVG_PX_TOLERANCE, reconciliation_price
from argonaut.model.enums import LiquiditySide, OrderSide, OrderStatus, OrderType, TimeInForce
from argonaut.model.identifiers import InstrumentId, TradeId, VenueOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import Money, Price, Quantity

_SCALE = Decimal(10**9)
InstrumentLookup = Callable[[InstrumentId], Instrument | None]


class FillLike(Protocol):
    """What the simulation reads of a fill (a `FillReport` or a cached `OrderFilled`)."""

    @property
    def last_qty(self) -> Quantity: ...
    @property
    def last_px(self) -> Price: ...
    @property
    def order_side(self) -> OrderSide: ...
    @property
    def ts_event(self) -> int: ...
    @property
    def trade_id(self) -> TradeId: ...


# The fills the cache already holds for the order of a report (empty when unknown).
CachedFills = Callable[[OrderStatusReport], Sequence[FillLike]]


class Lifecycle(msgspec.Struct, kw_only=True):
    """The simulation of an instrument's fills: final quantity, average, boundary."""

    qty: Decimal
    avg: Decimal | None
    crossings: list[int]
    boundary: int | None


def simulate(fills: Sequence[FillLike]) -> Lifecycle:
    """Simulate a netting position over `fills` (in the given order); see the module doc."""
    qty = Decimal(0)
    value = Decimal(0)
    crossings: list[int] = []
    last_zero: int | None = None
    for i, fill in enumerate(fills):
        delta = Decimal(fill.last_qty.raw) / _SCALE
        if fill.order_side is OrderSide.SELL:
            delta = -delta
        px = fill.last_px.as_decimal()
        new = qty + delta
        if qty == 0 or (qty > 0) == (delta > 0):
            value += abs(delta) * px
        elif new == 0 or (new > 0) != (qty > 0):
            value = abs(new) * px
        else:
            value *= abs(new) / abs(qty)
        if qty != 0 and (new == 0 or (new > 0) != (qty > 0)):
            crossings.append(i)
            if new == 0:
                last_zero = i
        qty = new
    avg = None if qty == 0 else value / abs(qty)
    boundary = last_zero if last_zero is not None else (crossings[-1] if crossings else None)
    return Lifecycle(qty=qty, avg=avg, crossings=crossings, boundary=boundary)


def matches(
    qty: Decimal, avg: Decimal | None, venue_qty: Decimal, venue_avg: Decimal | None
) -> bool:
    """Return True when the simulated position equals the venue's (0.01 % on the price)."""
    if qty != venue_qty:
        return False
    if qty == 0:
        return True
    if avg is None or venue_avg is None or venue_avg == 0:
        return avg is None or venue_avg is None
    return abs(avg - venue_avg) / venue_avg <= AVG_PX_TOLERANCE


def adjust_for_partial_window(
    mass_status: ExecutionMassStatus,
    instrument: InstrumentLookup,
    included: frozenset[InstrumentId] | None,
    uuids: UUIDFactory,
    ts_init: int,
    cached_fills: CachedFills | None = None,
) -> tuple[ExecutionMassStatus, int]:
    """Return the mass status with the partial-window adjustments and how many were made.

    `cached_fills` gives the fills the cache already holds for a reported order: they
    count as part of the position's history, and only what neither they nor the batch
    cover is a gap.
    """
    targets: list[tuple[PositionStatusReport, Instrument]] = []
    for iid, reports in mass_status.position_reports.items():
        if not reports or any(r.venue_position_id is not None for r in reports):
            continue  # hedge mode: positions are attributed by venue position id
        if included is not None and iid not in included:
            continue
        inst = instrument(iid)
        if inst is None:
            continue
        targets.append((reports[0], inst))
    if not targets:
        return mass_status, 0
    orders = dict(mass_status.order_reports)
    fills = {k: list(v) for k, v in mass_status.fill_reports.items()}
    adjusted = 0
    known = cached_fills if cached_fills is not None else _no_fills
    for report, inst in targets:
        if _adjust(report, inst, orders, fills, uuids, ts_init, known):
            adjusted += 1
    if not adjusted:
        return mass_status, 0
    copy = msgspec.structs.replace(mass_status, order_reports=orders, fill_reports=fills)
    return copy, adjusted


def _no_fills(report: OrderStatusReport) -> Sequence[FillLike]:
    return ()


def _adjust(
    report: PositionStatusReport,
    inst: Instrument,
    orders: dict[VenueOrderId, OrderStatusReport],
    fills: dict[VenueOrderId, list[FillReport]],
    uuids: UUIDFactory,
    ts_init: int,
    cached_fills: CachedFills,
) -> bool:
    iid = report.instrument_id
    if report.is_flat:
        return False
    batch = [f for group in fills.values() for f in group if f.instrument_id == iid]
    starts = [f.ts_event for f in batch] or [
        o.ts_accepted for o in orders.values() if o.instrument_id == iid and o.filled_qty.raw
    ]
    if not starts:
        return False
    first_ts = min(starts)
    history: list[FillLike] = list(batch)
    gaps = 0
    for order in [o for o in orders.values() if o.instrument_id == iid]:
        cached = cached_fills(order)
        group = fills.get(order.venue_order_id, [])
        in_batch = {f.trade_id for f in group}
        extra = [f for f in cached if f.trade_id not in in_batch]
        history.extend(extra)
        gap = _gap_fill(order, group, extra, inst, first_ts, uuids, ts_init)
        if gap is not None:
            fills.setdefault(order.venue_order_id, []).insert(0, gap)
            history.append(gap)
            gaps += 1
    if not history:
        return False
    mine = sorted(history, key=lambda f: f.ts_event)
    venue_qty = report.signed_decimal_qty
    venue_avg = report.avg_px_open
    life = simulate(mine)
    if matches(life.qty, life.avg, venue_qty, venue_avg):
        return gaps > 0  # the window's history already builds the venue's position
    if not life.crossings:
        gap_qty = venue_qty - life.qty
        price = reconciliation_price(life.qty, life.avg, venue_qty, venue_avg)
        if price is not None and gap_qty != 0:
            ts = mine[0].ts_event - 1
            pair = _synthetic_pair(report, inst, gap_qty, price, ts, uuids, ts_init)
            check = simulate([pair[1], *mine])
            if matches(check.qty, check.avg, venue_qty, venue_avg):
                orders[pair[0].venue_order_id] = pair[0]
                fills[pair[0].venue_order_id] = [pair[1]]
                return True
        start = mine[0].ts_event
    else:
        boundary = life.boundary
        assert boundary is not None
        current = mine[boundary + 1 :]
        if not current:
            return gaps > 0
        now = simulate(current)
        if matches(now.qty, now.avg, venue_qty, venue_avg):
            kept_orders = dict(orders)
            kept_fills = {k: list(v) for k, v in fills.items()}
            _drop_older_lifecycles(iid, mine[boundary].ts_event, kept_orders, kept_fills)
            kept = [f for g in kept_fills.values() for f in g if f.instrument_id == iid]
            after = simulate(sorted(kept, key=lambda f: f.ts_event))
            if matches(after.qty, after.avg, venue_qty, venue_avg):
                orders.clear()
                orders.update(kept_orders)
                fills.clear()
                fills.update(kept_fills)
                return True
        start = current[0].ts_event
    if venue_avg is None:
        return gaps > 0
    # Replace the instrument's window with one fill equal to the venue's position.
    all_ids = {id(f) for f in mine}
    _drop_fills(iid, all_ids, orders, fills, drop_working=True)
    order, fill = _synthetic_pair(report, inst, venue_qty, venue_avg, start - 1, uuids, ts_init)
    orders[order.venue_order_id] = order
    fills[order.venue_order_id] = [fill]
    return True


def _gap_fill(
    order: OrderStatusReport,
    group: list[FillReport],
    extra: Sequence[FillLike],
    inst: Instrument,
    first_ts: int,
    uuids: UUIDFactory,
    ts_init: int,
) -> FillReport | None:
    """Return a fill for what the order's report says was filled before the window.

    The venue's `filled_qty` minus the fills known (the batch's and the cache's) is a
    gap filled before the lookback start: one synthetic fill, priced so the order's
    average matches the venue's, placed before the instrument's first batch fill.
    """
    known = [*group, *extra]
    gap_raw = order.filled_qty.raw - sum(f.last_qty.raw for f in known)
    if gap_raw <= 0 or order.avg_px is None:
        return None
    notional = sum(Decimal(f.last_qty.raw) * f.last_px.as_decimal() for f in known)
    price = (order.avg_px * Decimal(order.filled_qty.raw) - notional) / Decimal(gap_raw)
    if price <= 0:
        price = order.avg_px
    ts = min(order.ts_accepted, first_ts - 2)
    qty = Quantity(gap_raw, inst.size_precision)
    return FillReport(
        account_id=order.account_id,
        instrument_id=order.instrument_id,
        venue_order_id=order.venue_order_id,
        client_order_id=order.client_order_id,
        trade_id=TradeId(synthetic_id(ts, "gap", order.venue_order_id, order.filled_qty.raw)),
        order_side=order.order_side,
        last_qty=qty,
        last_px=inst.make_price(price),
        commission=Money(0, inst.quote_currency),
        liquidity_side=LiquiditySide.NO_LIQUIDITY_SIDE,
        ts_event=ts,
        ts_init=ts_init,
        report_id=uuids.generate(),
        venue_position_id=order.venue_position_id,
    )


def _drop_older_lifecycles(
    iid: InstrumentId,
    boundary_ts: int,
    orders: dict[VenueOrderId, OrderStatusReport],
    fills: dict[VenueOrderId, list[FillReport]],
) -> bool:
    """Drop the closed orders (and their fills) that ended by the lifecycle boundary.

    An order is dropped whole or kept whole: a working order, or one with a fill after
    the boundary, keeps all its fills (dropping part of them would make the reconciler
    infer them back). Returns True when something was dropped.
    """
    dropped = False
    for venue_order_id in list(fills):
        group = fills[venue_order_id]
        if not group or group[0].instrument_id != iid:
            continue
        report = orders.get(venue_order_id)
        if report is not None and not report.is_closed:
            continue
        if max(f.ts_event for f in group) <= boundary_ts:
            del fills[venue_order_id]
            orders.pop(venue_order_id, None)
            dropped = True
    return dropped


def _drop_fills(
    iid: InstrumentId,
    dropped: set[int],
    orders: dict[VenueOrderId, OrderStatusReport],
    fills: dict[VenueOrderId, list[FillReport]],
    *,
    drop_working: bool = False,
) -> None:
    for venue_order_id in list(fills):
        group = [f for f in fills[venue_order_id] if id(f) not in dropped]
        if group:
            fills[venue_order_id] = group
        else:
            del fills[venue_order_id]
    for venue_order_id, order in list(orders.items()):
        if order.instrument_id != iid or venue_order_id in fills:
            continue
        if order.is_closed or (drop_working and order.filled_qty.raw):
            del orders[venue_order_id]


def _synthetic_pair(
    report: PositionStatusReport,
    inst: Instrument,
    signed_qty: Decimal,
    price: Decimal,
    ts: int,
    uuids: UUIDFactory,
    ts_init: int,
) -> tuple[OrderStatusReport, FillReport]:
    """Return a synthetic FILLED order report and its one fill (deterministic ids)."""
    qty = inst.make_qty(abs(signed_qty))
    px = inst.make_price(price)
    side = OrderSide.BUY if signed_qty > 0 else OrderSide.SELL
    venue_order_id = VenueOrderId(
        synthetic_id(ts, "window", report.account_id, report.instrument_id, side, qty.raw, px.raw)
    )
    order = OrderStatusReport(
        account_id=report.account_id,
        instrument_id=report.instrument_id,
        venue_order_id=venue_order_id,
        order_side=side,
        order_type=OrderType.LIMIT,
        time_in_force=TimeInForce.GTC,
        order_status=OrderStatus.FILLED,
        quantity=qty,
        filled_qty=qty,
        avg_px=px.as_decimal(),
        price=px,
        ts_accepted=ts,
        ts_last=ts,
        ts_init=ts_init,
        report_id=uuids.generate(),
    )
    fill = FillReport(
        account_id=report.account_id,
        instrument_id=report.instrument_id,
        venue_order_id=venue_order_id,
        trade_id=TradeId(synthetic_id(ts, "window-fill", venue_order_id)),
        order_side=side,
        last_qty=Quantity(qty.raw, qty.precision),
        last_px=px,
        commission=Money(0, inst.quote_currency),
        liquidity_side=LiquiditySide.NO_LIQUIDITY_SIDE,
        ts_event=ts,
        ts_init=ts_init,
        report_id=uuids.generate(),
    )
    return order, fill


__all__ = ["Lifecycle", "adjust_for_partial_window", "matches", "simulate"]
