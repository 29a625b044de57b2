"""`OrderReconciler`: turn a venue order report (and its fills) into the missing events.

Given a cached order and the venue's report of it, emit only the events that take the
cached order to the venue's state (live-behaviour 3.2), each with `reconciliation=True`:

- PENDING_UPDATE / PENDING_CANCEL at the venue: no local change.
- REJECTED: `OrderRejected` unless already rejected (reason = the report's
  `cancel_reason`, else ``UNKNOWN``; `due_post_only` when the reason names post-only).
- Any other status: `OrderAccepted` first when the order is INITIALIZED or SUBMITTED.
  ACCEPTED also re-accepts an order left PENDING_UPDATE / PENDING_CANCEL (the venue says
  it still works). TRIGGERED: `OrderTriggered` for triggerable types only.
- CANCELED / EXPIRED: `OrderTriggered` first if the report says it triggered, then the
  missing fills, then `OrderCanceled` / `OrderExpired`.
- PARTIALLY_FILLED / FILLED: the missing fills, then the filled quantities compared:
  venue below cache is a discrepancy; venue above cache on an open order gets one
  inferred fill for the gap (its trade id from `ids.synthetic_trade_id`).

Fills are de-duplicated by trade id against the order and against every fill applied in
the same batch, so replaying the same reports emits nothing. Each event goes through the
`emit` callback (the manager's, which feeds the execution engine); an event the engine
refuses (the order did not change) is a discrepancy, not a count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from argonaut.cache import Cache
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.reconciliation.ids import is_synthetic, synthetic_trade_id
from argonaut.live.reconciliation.result import ReconciliationResult
from argonaut.model.enums import LiquiditySide, OrderStatus, OrderType
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderTriggered,
)
from argonaut.model.identifiers import ClientOrderId, InstrumentId, TradeId
from argonaut.model.orders import Order
from argonaut.model.orders.fsm import CLOSED, PENDING, TRIGGERABLE_ORDER_TYPES
from argonaut.model.reports import FillReport, OrderStatusReport
from argonaut.model.values import Money, Quantity

_S = OrderStatus
RECONCILIATION_TAG = "RECONCILIATION"
_PRE_ACCEPT = frozenset({_S.INITIALIZED, _S.SUBMITTED})
_RE_ACCEPT = frozenset({_S.INITIALIZED, _S.SUBMITTED, _S.PENDING_UPDATE, _S.PENDING_CANCEL})
_FILLABLE = frozenset(
    {
        _S.SUBMITTED,
        _S.ACCEPTED,
        _S.TRIGGERED,
        _S.PENDING_UPDATE,
        _S.PENDING_CANCEL,
        _S.PARTIALLY_FILLED,
        _S.CANCELED,
    }
)
_TAKER_TYPES = frozenset({OrderType.MARKET, OrderType.STOP_MARKET, OrderType.TRAILING_STOP_MARKET})
_FILL_STATUSES = frozenset({_S.PARTIALLY_FILLED, _S.FILLED, _S.CANCELED, _S.EXPIRED})

Emit = Callable[[OrderEvent], None]


def due_post_only(reason: str | None) -> bool:
    """Return True when a rejection reason says the order would have taken liquidity."""
    if not reason:
        return False
    text = "".join(c for c in reason.lower() if c.isalnum())
    return "postonly" in text or "postwouldexecute" in text


class OrderReconciler:
    """Emit the events that bring cached orders to the venue's reported state."""

    def __init__(
        self,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        log: Logger,
        emit: Emit,
        *,
        filtered_client_order_ids: Iterable[str] | None = None,
        instrument_ids: Iterable[str] | None = None,
    ) -> None:
        self._cache = cache
        self._clock = clock
        self._uuids = uuid_factory
        self._log = log
        self._emit = emit
        self.filtered_ids: frozenset[ClientOrderId] = frozenset(
            ClientOrderId(c) for c in filtered_client_order_ids or ()
        )
        ids = frozenset(InstrumentId(i) for i in instrument_ids or ())
        self.instrument_ids: frozenset[InstrumentId] | None = ids or None

    # -- lookup and filters ----------------------------------------------------------------

    def is_filtered(
        self, client_order_id: ClientOrderId | None, instrument_id: InstrumentId
    ) -> bool:
        """Return True when reconciliation must skip this order (config filters)."""
        if client_order_id is not None and client_order_id in self.filtered_ids:
            return True
        included = self.instrument_ids
        return included is not None and instrument_id not in included

    def find_order(self, report: OrderStatusReport | FillReport) -> Order | None:
        """Return the cached order of a report: by client order id, else venue order id."""
        cache = self._cache
        coid = report.client_order_id
        order = None if coid is None else cache.order(coid)
        if order is None:
            known = cache.client_order_id(report.venue_order_id)
            order = None if known is None else cache.order(known)
        return order

    # -- order reports ---------------------------------------------------------------------

    def reconcile_order(
        self,
        order: Order,
        report: OrderStatusReport,
        fills: Iterable[FillReport],
        result: ReconciliationResult,
        applied: set[TradeId],
    ) -> None:
        """Emit what `order` misses to match `report` (and its `fills`); see the module doc."""
        venue_status = report.order_status
        if order.status in CLOSED and order.tags and RECONCILIATION_TAG in order.tags:
            return  # a synthetic order of an earlier run: its fills already cover it
        if venue_status in PENDING:
            return  # live-behaviour 3.2.1: a pending venue status changes nothing
        if venue_status is _S.REJECTED:
            self._reconcile_rejected(order, report, result)
            return
        if order.status in _PRE_ACCEPT or (
            venue_status is _S.ACCEPTED and order.status in _RE_ACCEPT
        ):
            self._send(OrderAccepted, order, report, report.ts_accepted, result)
        if venue_status is _S.TRIGGERED or (
            venue_status in (_S.CANCELED, _S.EXPIRED) and report.ts_triggered is not None
        ):
            self._trigger(order, report, result)
        if venue_status in _FILL_STATUSES:
            self.apply_fills(order, fills, result, applied)
            self._reconcile_filled_qty(order, report, result)
        if venue_status is _S.CANCELED and order.status is not _S.CANCELED:
            self._close(OrderCanceled, order, report, result)
        elif venue_status is _S.EXPIRED and order.status is not _S.EXPIRED:
            self._close(OrderExpired, order, report, result)
        # TODO(full reconciliation issue): amendment detection (OrderUpdated when the
        # venue quantity/price/trigger differs, live-behaviour 3.2.9-3.2.10) and the
        # cancel-replace chain suppression of 3.2.6.
        self._ensure_venue_order_id(order, report)

    def _reconcile_rejected(
        self, order: Order, report: OrderStatusReport, result: ReconciliationResult
    ) -> None:
        if order.status is _S.REJECTED:
            return
        if order.status in CLOSED:
            result.add_discrepancy(
                f"order {order.client_order_id} is {order.status.value} locally but "
                f"REJECTED at the venue (venue order id {report.venue_order_id})"
            )
            return
        reason = report.cancel_reason or "UNKNOWN"
        event = OrderRejected(
            **self._common(order, report, report.ts_last),
            reason=reason,
            due_post_only=due_post_only(reason),
        )
        self._apply(order, event, result)

    def _trigger(
        self, order: Order, report: OrderStatusReport, result: ReconciliationResult
    ) -> None:
        if order.order_type not in TRIGGERABLE_ORDER_TYPES:
            return  # market-style stops have no TRIGGERED status
        if order.status not in (_S.ACCEPTED, _S.PENDING_UPDATE):
            return
        ts = report.ts_triggered if report.ts_triggered is not None else report.ts_last
        self._send(OrderTriggered, order, report, ts, result)

    def _close(
        self,
        kind: type[OrderCanceled] | type[OrderExpired],
        order: Order,
        report: OrderStatusReport,
        result: ReconciliationResult,
    ) -> None:
        if order.status in CLOSED:
            if order.status is not _S.FILLED:
                result.add_discrepancy(
                    f"order {order.client_order_id} is {order.status.value} locally but "
                    f"{report.order_status.value} at the venue"
                )
            return
        self._send(kind, order, report, report.ts_last, result)

    # -- fills -----------------------------------------------------------------------------

    def apply_fills(
        self,
        order: Order,
        fills: Iterable[FillReport],
        result: ReconciliationResult,
        applied: set[TradeId],
    ) -> None:
        """Apply the fill reports `order` does not have yet, oldest first.

        Skipped: trade ids the order has, trade ids already applied in this batch
        (`applied`), and fills older than an inferred fill of the order (which covers
        them, live-behaviour 3.4.2).
        """
        known = set(order.trade_ids)
        inferred_ts = _earliest_inferred_fill(order)
        for fill in sorted(fills, key=_ts_event):
            trade_id = fill.trade_id
            if trade_id in known or trade_id in applied:
                continue
            if inferred_ts is not None and fill.ts_event < inferred_ts:
                continue
            if order.status not in _FILLABLE:
                result.add_discrepancy(
                    f"fill {trade_id} of order {order.client_order_id} cannot be applied: "
                    f"the order is {order.status.value} locally"
                )
                continue
            event = self._fill_event(order, fill)
            if event is None:
                result.add_discrepancy(
                    f"fill {trade_id} of order {order.client_order_id} cannot be applied: "
                    f"instrument {order.instrument_id} is not in the cache"
                )
                continue
            applied.add(trade_id)
            known.add(trade_id)
            self._apply(order, event, result)

    def _fill_event(self, order: Order, fill: FillReport) -> OrderFilled | None:
        instrument = self._cache.instrument(order.instrument_id)
        if instrument is None:
            return None
        return OrderFilled(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            event_id=self._uuids.generate(),
            ts_event=fill.ts_event,
            ts_init=self._clock.timestamp_ns(),
            venue_order_id=fill.venue_order_id,
            account_id=fill.account_id,
            reconciliation=True,
            trade_id=fill.trade_id,
            order_side=order.side,
            order_type=order.order_type,
            last_qty=fill.last_qty,
            last_px=fill.last_px,
            currency=instrument.quote_currency,
            commission=fill.commission,
            liquidity_side=fill.liquidity_side,
            position_id=fill.venue_position_id,
        )

    def _reconcile_filled_qty(
        self, order: Order, report: OrderStatusReport, result: ReconciliationResult
    ) -> None:
        venue_raw = report.filled_qty.raw
        cached_raw = order.filled_qty.raw
        if venue_raw < cached_raw:
            result.add_discrepancy(
                f"order {order.client_order_id} has filled {order.filled_qty} locally but "
                f"the venue reports {report.filled_qty} (venue order id {report.venue_order_id})"
            )
        elif venue_raw > cached_raw and order.status not in CLOSED:
            self._infer_fill(order, report, result)

    def _infer_fill(
        self, order: Order, report: OrderStatusReport, result: ReconciliationResult
    ) -> None:
        """Emit one fill for the gap between the venue's and the order's filled quantity."""
        instrument = self._cache.instrument(order.instrument_id)
        last_raw = report.filled_qty.raw - order.filled_qty.raw
        px = _inferred_price(order, report, last_raw)
        if instrument is None or px is None:
            missing = "the instrument is not cached" if instrument is None else "no price"
            result.add_discrepancy(
                f"order {order.client_order_id} misses {last_raw / 10**9:g} of fills the "
                f"venue reports, and no fill can be inferred: {missing}"
            )
            return
        last_px = instrument.make_price(px)
        if order.post_only:
            liquidity = LiquiditySide.MAKER
        elif order.order_type in _TAKER_TYPES:
            liquidity = LiquiditySide.TAKER
        else:
            liquidity = LiquiditySide.NO_LIQUIDITY_SIDE
        trade_id = synthetic_trade_id(
            account_id=report.account_id,
            instrument_id=report.instrument_id,
            venue_order_id=report.venue_order_id,
            filled_qty_raw=report.filled_qty.raw,
            last_qty_raw=last_raw,
            last_px_raw=last_px.raw,
            ts_event=report.ts_last,
        )
        if trade_id in order.trade_ids:
            return
        event = OrderFilled(
            **self._common(order, report, report.ts_last),
            trade_id=trade_id,
            order_side=order.side,
            order_type=order.order_type,
            last_qty=Quantity(last_raw, order.quantity.precision),
            last_px=last_px,
            currency=instrument.quote_currency,
            commission=Money(0, instrument.quote_currency),
            liquidity_side=liquidity,
            position_id=report.venue_position_id,
        )
        self._apply(order, event, result)

    # -- emitting --------------------------------------------------------------------------

    def _common(self, order: Order, report: OrderStatusReport, ts_event: int) -> dict[str, Any]:
        return {
            "trader_id": order.trader_id,
            "strategy_id": order.strategy_id,
            "instrument_id": order.instrument_id,
            "client_order_id": order.client_order_id,
            "event_id": self._uuids.generate(),
            "ts_event": ts_event,
            "ts_init": self._clock.timestamp_ns(),
            "venue_order_id": report.venue_order_id,
            "account_id": report.account_id,
            "reconciliation": True,
        }

    def _send(
        self,
        kind: type[OrderAccepted] | type[OrderTriggered] | type[OrderCanceled] | type[OrderExpired],
        order: Order,
        report: OrderStatusReport,
        ts_event: int,
        result: ReconciliationResult,
    ) -> None:
        self._apply(order, kind(**self._common(order, report, ts_event)), result)

    def emit_event(self, order: Order, event: OrderEvent, result: ReconciliationResult) -> bool:
        """Emit an event built elsewhere (e.g. an in-flight resolution); True if applied."""
        return self._apply(order, event, result)

    def _apply(self, order: Order, event: OrderEvent, result: ReconciliationResult) -> bool:
        before = len(order.events)
        self._emit(event)
        if len(order.events) == before:
            result.add_discrepancy(
                f"the execution engine refused {type(event).__name__} for order "
                f"{order.client_order_id} (status {order.status.value})"
            )
            return False
        result.count_event(type(event).__name__)
        if self._log.debug_enabled:
            self._log.debug(f"Reconciliation applied {event}")
        return True

    def _ensure_venue_order_id(self, order: Order, report: OrderStatusReport) -> None:
        cache = self._cache
        venue_order_id = report.venue_order_id
        owner = cache.client_order_id(venue_order_id)
        if owner == order.client_order_id:
            return
        try:
            cache.add_venue_order_id(order.client_order_id, venue_order_id)
        except ValueError as exc:
            # TODO(full reconciliation issue): cancel-replace chains (a new venue order id
            # for the same order) need the overwrite rule of live-behaviour 3.2.6.
            self._log.warning(f"Venue order id {venue_order_id} not indexed: {exc}")


def _ts_event(fill: FillReport) -> int:
    return fill.ts_event


def _earliest_inferred_fill(order: Order) -> int | None:
    earliest: int | None = None
    for event in order.events:
        if type(event) is OrderFilled and is_synthetic(event.trade_id):
            ts = event.ts_event
            if earliest is None or ts < earliest:
                earliest = ts
    return earliest


def _inferred_price(order: Order, report: OrderStatusReport, last_raw: int) -> Decimal | None:
    """Return the price of an inferred fill of `last_raw` (live-behaviour 3.4.6).

    First fill: the venue average (else the report's price). Later fills: the incremental
    average ``(avg * filled - cached_avg * cached_filled) / last_qty``, exactly.
    """
    avg = report.avg_px
    if avg is None:
        return None if report.price is None else report.price.as_decimal()
    if order.filled_qty.raw == 0:
        return avg
    scale = Decimal(10**9)
    notional = sum(
        (
            Decimal(e.last_qty.raw) * Decimal(e.last_px.raw)
            for e in order.events
            if type(e) is OrderFilled
        ),
        Decimal(0),
    ) / (scale * scale)
    venue_notional = avg * Decimal(report.filled_qty.raw) / scale
    px = (venue_notional - notional) / (Decimal(last_raw) / scale)
    return px if px > 0 else avg


__all__ = ["RECONCILIATION_TAG", "OrderReconciler", "due_post_only"]
