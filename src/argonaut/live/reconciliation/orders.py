"""`OrderReconciler`: turn a venue order report (and its fills) into the missing events.

Given a cached order and the venue's report of it, emit only the events that take the
cached order to the venue's state (live-behaviour 3.2), each with `reconciliation=True`:

- A closed order tagged ``RECONCILIATION`` (a synthetic order of an earlier run) is
  left alone (3.1.12).
- PENDING_UPDATE / PENDING_CANCEL at the venue: no local change (3.2.1).
- REJECTED: `OrderRejected` unless already rejected (reason = the report's
  `cancel_reason`, else ``UNKNOWN``; `due_post_only` when the reason names post-only).
- A CANCELED/EXPIRED report for an older venue order id of a cancel-replace chain,
  while the order is live under a newer id, is suppressed (3.2.6).
- A report that already matches (same status and filled quantity, no amendment) emits
  nothing (3.1.11); the venue order id is still indexed.
- Any other status: `OrderAccepted` first when the order is INITIALIZED or SUBMITTED.
  ACCEPTED also re-accepts an order left PENDING_UPDATE / PENDING_CANCEL (the venue says
  it still works). Then `OrderUpdated` when the venue's quantity, price or trigger
  differ (amendment detection, 3.2.9) or the venue order id is a replacement (a
  cancel-replace), always before any fill (3.2.10). TRIGGERED: `OrderTriggered` for
  triggerable types only.
- CANCELED / EXPIRED: `OrderTriggered` first if the report says it triggered, then the
  missing fills, then `OrderCanceled` / `OrderExpired`.
- PARTIALLY_FILLED / FILLED: the missing fills, then the filled quantities compared:
  venue below cache is a discrepancy (within one size unit: ignored); venue above cache
  on an open order gets one inferred fill for the gap (its trade id from
  `ids.synthetic_trade_id`).

External orders (unknown locally, 3.3) are created by `create_external_order`: an
`OrderInitialized` built from the report, the order added to the cache and published,
then the status events of the 3.3.6 table.

Fills are de-duplicated by trade id against the order and against every fill applied in
the same batch, so replaying the same reports emits nothing; a replayed trade id whose
data differs from the cached fill beyond the tolerances is warned about and the cached
data kept (3.4.1). Each event goes through the `emit` callback (the manager's, which
feeds the execution engine); an event the engine refuses is a discrepancy, not a count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
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
    OrderInitialized,
    OrderRejected,
    OrderTriggered,
    OrderUpdated,
)
from argonaut.model.identifiers import (
    ClientId,
    ClientOrderId,
    InstrumentId,
    StrategyId,
    TradeId,
    TraderId,
    VenueOrderId,
)
from argonaut.model.orders import Order
from argonaut.model.orders.fsm import CLOSED, PENDING, TRIGGERABLE_ORDER_TYPES
from argonaut.model.reports import FillReport, OrderStatusReport
from argonaut.model.values import Money, Price, Quantity

_S = OrderStatus
_T = OrderType
RECONCILIATION_TAG = "RECONCILIATION"
VENUE_TAG = "VENUE"
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
_UPDATABLE = frozenset(
    {
        _S.INITIALIZED,
        _S.SUBMITTED,
        _S.ACCEPTED,
        _S.TRIGGERED,
        _S.PENDING_UPDATE,
        _S.PARTIALLY_FILLED,
    }
)
_TAKER_TYPES = frozenset({_T.MARKET, _T.STOP_MARKET, _T.TRAILING_STOP_MARKET, _T.MARKET_TO_LIMIT})
_FILL_STATUSES = frozenset({_S.PARTIALLY_FILLED, _S.FILLED, _S.CANCELED, _S.EXPIRED})
# Hot-path copies keyed by the enum value string (`Enum.__hash__` is a Python-level call).
_FILLABLE_VALUES = frozenset(s.value for s in _FILLABLE)
_FILL_STATUS_VALUES = frozenset(s.value for s in _FILL_STATUSES)
_PRICED_TYPES = frozenset(
    {_T.LIMIT, _T.STOP_LIMIT, _T.TRAILING_STOP_LIMIT, _T.LIMIT_IF_TOUCHED, _T.MARKET_TO_LIMIT}
)
_TRIGGER_TYPES = frozenset(
    {
        _T.STOP_MARKET,
        _T.STOP_LIMIT,
        _T.TRAILING_STOP_MARKET,
        _T.TRAILING_STOP_LIMIT,
        _T.MARKET_IF_TOUCHED,
        _T.LIMIT_IF_TOUCHED,
    }
)
_PRICED_VALUES = frozenset(t.value for t in _PRICED_TYPES)
_TRIGGER_VALUES = frozenset(t.value for t in _TRIGGER_TYPES)
# Fill verification (live-behaviour 3.4.1): a replayed trade id whose price differs from
# the cached fill by more than this relative tolerance is reported.
PRICE_TOLERANCE = Decimal("0.0001")

Emit = Callable[[OrderEvent], None]


def due_post_only(reason: str | None) -> bool:
    """Return True when a rejection reason says the order would have taken liquidity."""
    if not reason:
        return False
    text = "".join(c for c in reason.lower() if c.isalnum())
    return "postonly" in text or "postwouldexecute" in text


def amendment(order: Order, report: OrderStatusReport) -> bool:
    """Return True when the venue's quantity, price or trigger differ from the order's.

    A field the report leaves out (None) is not drift; prices count only for the order
    types that have them (live-behaviour 3.2.9).
    """
    if report.quantity.raw != order.quantity.raw and report.quantity.raw >= order.filled_qty.raw:
        return True
    kind = order.order_type
    if (
        kind in _PRICED_TYPES
        and report.price is not None
        and order.price is not None
        and report.price.raw != order.price.raw
    ):
        return True
    return (
        kind in _TRIGGER_TYPES
        and report.trigger_price is not None
        and order.trigger_price is not None
        and report.trigger_price.raw != order.trigger_price.raw
    )


def is_reconciliation_order(order: Order) -> bool:
    """Return True for a synthetic order made by reconciliation (tag ``RECONCILIATION``)."""
    tags = order.tags
    return tags is not None and RECONCILIATION_TAG in tags


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
        msgbus: MessageBus | None = None,
        trader_id: TraderId | None = None,
        filtered_client_order_ids: Iterable[str] | None = None,
        instrument_ids: Iterable[str] | None = None,
    ) -> None:
        self._cache = cache
        self._clock = clock
        self._uuids = uuid_factory
        self._log = log
        self._emit = emit
        self._msgbus = msgbus
        self.trader_id = trader_id if trader_id is not None else TraderId("TRADER-001")
        self.filtered_ids: frozenset[ClientOrderId] = frozenset(
            ClientOrderId(c) for c in filtered_client_order_ids or ()
        )
        ids = frozenset(InstrumentId(i) for i in instrument_ids or ())
        self.instrument_ids: frozenset[InstrumentId] | None = ids or None
        self.fill_mismatches = 0
        self._debug = log.debug_enabled

    # -- lookup and filters ----------------------------------------------------------------

    def is_filtered(
        self, client_order_id: ClientOrderId | None, instrument_id: InstrumentId
    ) -> bool:
        """Return True when reconciliation must skip this order (config filters)."""
        if client_order_id is not None and client_order_id in self.filtered_ids:
            return True
        included = self.instrument_ids
        return included is not None and instrument_id not in included

    def cache_client_order_id(self, venue_order_id: VenueOrderId) -> ClientOrderId | None:
        """Return the client order id the cache indexes for `venue_order_id`, or None."""
        return self._cache.client_order_id(venue_order_id)

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
        status = order.status
        if status in CLOSED and is_reconciliation_order(order):
            return  # a synthetic order of an earlier run: its fills already cover it
        if venue_status in PENDING:
            return  # live-behaviour 3.2.1: a pending venue status changes nothing
        if venue_status is _S.REJECTED:
            self._reconcile_rejected(order, report, result)
            return
        venue_order_id = report.venue_order_id
        current = order.venue_order_id
        replaced = current is not None and venue_order_id != current
        if (
            replaced
            and status not in CLOSED
            and venue_status in (_S.CANCELED, _S.EXPIRED)
            and venue_order_id in order.venue_order_ids
        ):
            result.suppressed_reports += 1
            return  # an older id of a cancel-replace chain: the order lives on
        amend = status in _UPDATABLE and (replaced or amendment(order, report))
        if (
            not amend
            and status is venue_status
            and report.filled_qty.raw == order.filled_qty.raw
            and not fills
        ):
            self._ensure_venue_order_id(order, report)
            return  # live-behaviour 3.1.11: already in sync
        if status in _PRE_ACCEPT or (venue_status is _S.ACCEPTED and status in _RE_ACCEPT):
            self._send(OrderAccepted, order, report, report.ts_accepted, result)
        if amend:
            self._update(order, report, result)
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
        elif (
            venue_status in (_S.ACCEPTED, _S.PARTIALLY_FILLED, _S.FILLED, _S.TRIGGERED)
            and order.status is not venue_status
            and not amend
            and order.status not in CLOSED
            and report.filled_qty.raw == order.filled_qty.raw
            and self._log.debug_enabled
        ):
            self._log.debug(
                f"Order {order.client_order_id} is {order.status.value} locally and "
                f"{venue_status.value} at the venue with the same filled quantity"
            )
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

    def _update(
        self, order: Order, report: OrderStatusReport, result: ReconciliationResult
    ) -> None:
        quantity = report.quantity
        if quantity.raw < order.filled_qty.raw:
            quantity = order.quantity
        kind = order.order_type
        price = report.price if kind in _PRICED_TYPES and report.price is not None else None
        trigger = report.trigger_price if kind in _TRIGGER_TYPES else None
        event = OrderUpdated(
            **self._common(order, report, report.ts_last),
            quantity=quantity,
            price=price if price is not None else order.price,
            trigger_price=trigger if trigger is not None else order.trigger_price,
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

    # -- external orders -------------------------------------------------------------------

    def create_external_order(
        self,
        report: OrderStatusReport,
        strategy_id: StrategyId,
        tag: str | None,
        fills: Sequence[FillReport],
        result: ReconciliationResult,
        applied: set[TradeId],
        client_id: ClientId | None = None,
    ) -> Order | None:
        """Create the order of a venue report unknown locally, then emit its status events.

        Returns the order (None when the report cannot make one: unknown instrument or a
        non-positive quantity; counted in `result.skipped_reports`). See live-behaviour
        3.3 for the events per status.
        """
        cache = self._cache
        if report.quantity.raw <= 0:
            result.skipped_reports += 1
            self._log.error(
                f"Venue order {report.venue_order_id} has quantity {report.quantity}: "
                "not created (a quantity must be positive)"
            )
            return None
        if cache.instrument(report.instrument_id) is None:
            result.skipped_reports += 1
            self._log.warning(
                f"Venue order {report.venue_order_id} is on {report.instrument_id}, which is "
                "not in the cache: not reconciled"
            )
            return None
        coid = report.client_order_id
        if coid is None:
            coid = ClientOrderId(f"V-{report.venue_order_id}")
        existing = cache.order(coid)
        if existing is not None:
            if existing.status in CLOSED and is_synthetic(str(report.venue_order_id)):
                return existing  # a synthetic replay: already done (3.3.7)
            self.reconcile_order(existing, report, fills, result, applied)
            return existing
        init = self._initialized(report, coid, strategy_id, tag)
        order = Order.from_init(init)
        cache.add_order(order, position_id=report.venue_position_id, client_id=client_id)
        self._ensure_venue_order_id(order, report)
        if self._msgbus is not None:
            self._msgbus.publish(topics.order_events(strategy_id), init)
        result.count_event("OrderInitialized")
        status = report.order_status
        if status is _S.REJECTED:
            self._reconcile_rejected(order, report, result)
            return order
        self._send(OrderAccepted, order, report, report.ts_accepted, result)
        if status is _S.TRIGGERED or (
            status in (_S.CANCELED, _S.EXPIRED) and report.ts_triggered is not None
        ):
            self._trigger(order, report, result)
        if status._value_ in _FILL_STATUS_VALUES:
            self.apply_fills(order, fills, result, applied)
            if report.avg_px is not None or report.price is not None:
                self._reconcile_filled_qty(order, report, result)
        if status is _S.CANCELED:
            self._close(OrderCanceled, order, report, result)
        elif status is _S.EXPIRED:
            self._close(OrderExpired, order, report, result)
        return order

    def _initialized(
        self,
        report: OrderStatusReport,
        coid: ClientOrderId,
        strategy_id: StrategyId,
        tag: str | None,
    ) -> OrderInitialized:
        order_type = report.order_type._value_
        return OrderInitialized(
            trader_id=self.trader_id,
            strategy_id=strategy_id,
            instrument_id=report.instrument_id,
            client_order_id=coid,
            event_id=self._uuids.generate(),
            ts_event=report.ts_accepted,
            ts_init=self._clock.timestamp_ns(),
            reconciliation=True,
            order_side=report.order_side,
            order_type=report.order_type,
            quantity=report.quantity,
            time_in_force=report.time_in_force,
            post_only=report.post_only,
            reduce_only=report.reduce_only,
            price=report.price if order_type in _PRICED_VALUES else None,
            trigger_price=report.trigger_price if order_type in _TRIGGER_VALUES else None,
            trigger_type=report.trigger_type,
            limit_offset=report.limit_offset,
            trailing_offset=report.trailing_offset,
            trailing_offset_type=report.trailing_offset_type,
            expire_time_ns=report.expire_time_ns,
            display_qty=report.display_qty,
            contingency_type=report.contingency_type,
            order_list_id=report.order_list_id,
            linked_order_ids=report.linked_order_ids,
            parent_order_id=report.parent_order_id,
            tags=None if tag is None else (tag,),
        )

    # -- fills -----------------------------------------------------------------------------

    def apply_fills(
        self,
        order: Order,
        fills: Iterable[FillReport],
        result: ReconciliationResult,
        applied: set[TradeId],
    ) -> None:
        """Apply the fill reports `order` does not have yet, oldest first.

        Skipped: trade ids the order has (their data verified against the cached fill),
        trade ids already applied in this batch (`applied`), and fills older than an
        inferred fill of the order (which covers them, live-behaviour 3.4.2).
        """
        fills = fills if isinstance(fills, list | tuple) else list(fills)
        if not fills:
            return
        known = set(order.trade_ids) if order.filled_qty.raw else set()
        inferred_ts = _earliest_inferred_fill(order) if known else None
        ordered = fills if len(fills) == 1 else sorted(fills, key=_ts_event)
        instrument = self._cache.instrument(order.instrument_id)
        ts_init = self._clock.timestamp_ns()
        fillable = _FILLABLE_VALUES
        generate = self._uuids.generate
        emit = self._emit
        counts = result.events
        debug = self._debug
        trader_id, strategy_id = order.trader_id, order.strategy_id
        instrument_id, client_order_id = order.instrument_id, order.client_order_id
        order_side, order_type = order.side, order.order_type
        for fill in ordered:
            trade_id = fill.trade_id
            if trade_id in known:
                self._verify_fill(order, fill, result)
                continue
            if trade_id in applied:
                continue
            if inferred_ts is not None and fill.ts_event < inferred_ts:
                continue
            if order.status._value_ not in fillable:
                result.add_discrepancy(
                    f"fill {trade_id} of order {order.client_order_id} cannot be applied: "
                    f"the order is {order.status.value} locally"
                )
                continue
            if instrument is None:
                result.add_discrepancy(
                    f"fill {trade_id} of order {order.client_order_id} cannot be applied: "
                    f"instrument {order.instrument_id} is not in the cache"
                )
                continue
            applied.add(trade_id)
            known.add(trade_id)
            event = OrderFilled(
                trader_id=trader_id,
                strategy_id=strategy_id,
                instrument_id=instrument_id,
                client_order_id=client_order_id,
                event_id=generate(),
                ts_event=fill.ts_event,
                ts_init=ts_init,
                venue_order_id=fill.venue_order_id,
                account_id=fill.account_id,
                reconciliation=True,
                trade_id=trade_id,
                order_side=order_side,
                order_type=order_type,
                last_qty=fill.last_qty,
                last_px=fill.last_px,
                currency=instrument.quote_currency,
                commission=fill.commission,
                liquidity_side=fill.liquidity_side,
                position_id=fill.venue_position_id,
            )
            # `self._apply(order, event, result)` written out (one call per fill)
            before = len(order.events)
            emit(event)
            if len(order.events) == before:
                result.add_discrepancy(
                    "the execution engine refused OrderFilled for order "
                    f"{client_order_id} (status {order.status.value})"
                )
                continue
            counts["OrderFilled"] = counts.get("OrderFilled", 0) + 1
            if debug:
                self._log.debug(f"Reconciliation applied {event}")

    def _verify_fill(self, order: Order, fill: FillReport, result: ReconciliationResult) -> None:
        """Warn when a replayed fill's data differs from the cached fill (cached kept)."""
        for event in order.events:
            if type(event) is OrderFilled and event.trade_id == fill.trade_id:
                break
        else:
            return
        diffs: list[str] = []
        if event.last_qty.raw != fill.last_qty.raw:
            diffs.append(f"qty {event.last_qty} vs {fill.last_qty}")
        cached_px = event.last_px.as_decimal()
        if cached_px and abs(fill.last_px.as_decimal() - cached_px) / cached_px > PRICE_TOLERANCE:
            diffs.append(f"price {event.last_px} vs {fill.last_px}")
        fee, venue_fee = event.commission, fill.commission
        if fee.currency != venue_fee.currency or abs(fee.raw - venue_fee.raw) > _money_unit(fee):
            diffs.append(f"commission {fee} vs {venue_fee}")
        if event.liquidity_side is not fill.liquidity_side:
            diffs.append(f"liquidity {event.liquidity_side.value} vs {fill.liquidity_side.value}")
        if event.ts_event != fill.ts_event:
            diffs.append(f"ts_event {event.ts_event} vs {fill.ts_event}")
        if diffs:
            result.fill_mismatches += 1
            self.fill_mismatches += 1
            self._log.warning(
                f"Fill {fill.trade_id} of order {order.client_order_id} differs from the "
                f"cached fill ({'; '.join(diffs)}): kept the cached data"
            )

    def _reconcile_filled_qty(
        self, order: Order, report: OrderStatusReport, result: ReconciliationResult
    ) -> None:
        venue_raw = report.filled_qty.raw
        cached_raw = order.filled_qty.raw
        unit = 10 ** (9 - order.quantity.precision)
        if venue_raw < cached_raw:
            if cached_raw - venue_raw < unit:
                return  # within one unit of size precision (3.2.8)
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
        if instrument.max_price is not None and px > instrument.max_price.as_decimal():
            px = instrument.max_price.as_decimal()
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
        # The fields of `_common`, passed directly (no dict to build and unpack per order)
        event = kind(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            event_id=self._uuids.generate(),
            ts_event=ts_event,
            ts_init=self._clock.timestamp_ns(),
            venue_order_id=report.venue_order_id,
            account_id=report.account_id,
            reconciliation=True,
        )
        self._apply(order, event, result)

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
        events = result.events
        kind = type(event).__name__
        events[kind] = events.get(kind, 0) + 1
        if self._debug:
            self._log.debug(f"Reconciliation applied {event}")
        return True

    def _ensure_venue_order_id(self, order: Order, report: OrderStatusReport) -> None:
        cache = self._cache
        venue_order_id = report.venue_order_id
        owner = cache.client_order_id(venue_order_id)
        if owner == order.client_order_id:
            return
        # The order's own current id (after a cancel-replace update) wins the index.
        overwrite = order.venue_order_id == venue_order_id
        try:
            cache.add_venue_order_id(order.client_order_id, venue_order_id, overwrite=overwrite)
        except ValueError as exc:
            self._log.warning(f"Venue order id {venue_order_id} not indexed: {exc}")


def _money_unit(money: Money) -> int:
    return int(10 ** (9 - money.currency.precision))


_ts_event: Callable[[FillReport], int] = attrgetter("ts_event")  # a C-level sort key


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

    First fill: the venue average (else the report's price, else the order's). Later
    fills: the incremental average ``(avg * filled - cached_avg * cached_filled) / last``.
    """
    avg = report.avg_px
    if avg is None:
        price: Price | None = report.price if report.price is not None else order.price
        return None if price is None else price.as_decimal()
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


__all__ = [
    "PRICE_TOLERANCE",
    "RECONCILIATION_TAG",
    "VENUE_TAG",
    "OrderReconciler",
    "amendment",
    "due_post_only",
    "is_reconciliation_order",
]
