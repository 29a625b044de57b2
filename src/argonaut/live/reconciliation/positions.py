"""Position reconciliation: align cached positions with the venue's (live-behaviour 3.5).

A report with a `venue_position_id` is reconciled in HEDGING mode against that cached
position; otherwise in NETTING mode against the summed signed quantity of the cached
open positions of the (instrument, account). Quantities compare exactly on the raw
scale (the venue's and ours share the instrument's size precision); the difference is
rounded to the size increment and a zero difference is skipped.

On a mismatch, with `generate_missing_orders`, a synthetic FILLED order tagged
``RECONCILIATION`` takes the cache to the venue's quantity. Its owner: the strategy that
claimed the instrument; else (our decision) the single strategy holding the cached
position(s), so the alignment changes that very position; else ``EXTERNAL``.

- cross-zero (long <-> short): two legs, close the cached quantity at the cached average
  (fallback: the quote's ask for a buy, bid for a sell), then open the venue quantity at
  the venue average (fallback: mid); no close price: nothing; no open price: close only;
- otherwise one order for the difference, priced by the hierarchy (our decision, issue
  #6): the reconciliation price (`reconciliation_price`), then the mid of the latest
  quote, then the cached average, then a MARKET order at the last trade price.

Synthetic venue order ids and trade ids are deterministic (`ids`), so a replay finds the
order already in the cache and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from argonaut.cache import Cache
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.reconciliation.ids import synthetic_id, synthetic_venue_order_id
from argonaut.live.reconciliation.orders import RECONCILIATION_TAG, OrderReconciler
from argonaut.live.reconciliation.result import ReconciliationResult
from argonaut.model.enums import (
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    PriceType,
    TimeInForce,
)
from argonaut.model.identifiers import (
    EXTERNAL_STRATEGY_ID,
    AccountId,
    ClientId,
    InstrumentId,
    PositionId,
    StrategyId,
    TradeId,
)
from argonaut.model.position import Position
from argonaut.model.reports import FillReport, OrderStatusReport, PositionStatusReport
from argonaut.model.values import Money, Price, Quantity

_SCALE = Decimal(10**9)
AVG_PX_TOLERANCE = Decimal("0.0001")  # 0.01 %, live-behaviour 3.11.2

ClaimLookup = Callable[[InstrumentId], StrategyId | None]


def reconciliation_price(
    current_qty: Decimal,
    current_avg: Decimal | None,
    target_qty: Decimal,
    target_avg: Decimal | None,
) -> Decimal | None:
    """Return the fill price that takes (q, p) to (Q, P), or None (live-behaviour 3.5.10).

    Quantities are signed. Q = q: None. Q = 0: p. P missing or 0: None. q = 0, p
    missing or a sign flip: P. Otherwise ``(Q*P - q*p) / (Q - q)`` when positive.
    """
    q, p, big_q, big_p = current_qty, current_avg, target_qty, target_avg
    if big_q == q:
        return None
    if big_q == 0:
        return p
    if big_p is None or big_p == 0:
        return None
    if q == 0 or p is None or (q > 0) != (big_q > 0):
        return big_p
    price = (big_q * big_p - q * p) / (big_q - q)
    return price if price > 0 else None


def weighted_avg(positions: list[Position]) -> Decimal | None:
    """Return the quantity-weighted average open price of `positions` (None if flat)."""
    total = Decimal(0)
    value = Decimal(0)
    for position in positions:
        qty = Decimal(position.signed_qty_raw)
        if qty and position.avg_px_open is not None:
            total += qty
            value += qty * Decimal(str(position.avg_px_open))
    return None if total == 0 else value / total


class PositionReconciler:
    """Compare venue position reports with the cache and align with synthetic orders."""

    def __init__(
        self,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        log: Logger,
        reconciler: OrderReconciler,
        claims: ClaimLookup,
        *,
        generate_missing_orders: bool,
    ) -> None:
        self._cache = cache
        self._clock = clock
        self._uuids = uuid_factory
        self._log = log
        self._rec = reconciler
        self._claims = claims
        self.generate_missing_orders = generate_missing_orders

    def cached_positions(
        self, instrument_id: InstrumentId, account_id: AccountId
    ) -> list[Position]:
        """Return the open cached positions of (instrument, account)."""
        return [
            p
            for p in self._cache.positions_open(instrument_id=instrument_id)
            if p.account_id == account_id
        ]

    def reconcile(
        self,
        report: PositionStatusReport,
        result: ReconciliationResult,
        client_id: ClientId | None = None,
    ) -> bool:
        """Reconcile one report; return True when the cache matches (or was aligned)."""
        if report.venue_position_id is not None:
            return self._reconcile_hedging(report, result, client_id)
        return self._reconcile_netting(report, result, client_id)

    def _reconcile_netting(
        self, report: PositionStatusReport, result: ReconciliationResult, client_id: ClientId | None
    ) -> bool:
        iid = report.instrument_id
        positions = self.cached_positions(iid, report.account_id)
        cached = sum(p.signed_qty_raw for p in positions)
        venue = report.signed_raw
        owners = {p.strategy_id for p in positions}
        if len(owners) > 1:
            self._log.warning(
                f"NETTING positions of {iid} on {report.account_id} are split across "
                f"strategies {sorted(owners)}: let a single strategy claim the instrument"
            )
        cached_avg = weighted_avg(positions)
        if cached == venue:
            venue_avg = report.avg_px_open
            if (
                venue
                and venue_avg
                and cached_avg is not None
                and abs(cached_avg - venue_avg) / venue_avg > AVG_PX_TOLERANCE
            ):
                self._log.warning(
                    f"Position {iid} on {report.account_id}: average price "
                    f"{cached_avg:.8f} locally, {venue_avg} at the venue"
                )
            return True
        owner = next(iter(owners)) if len(owners) == 1 else None
        return self._align(report, cached, cached_avg, None, result, client_id, owner)

    def _reconcile_hedging(
        self, report: PositionStatusReport, result: ReconciliationResult, client_id: ClientId | None
    ) -> bool:
        assert report.venue_position_id is not None
        position = self._cache.position(report.venue_position_id)
        cached = 0
        cached_avg: Decimal | None = None
        if position is not None and position.is_open:
            cached = position.signed_qty_raw
            cached_avg = Decimal(str(position.avg_px_open))
        if cached == report.signed_raw:
            return True
        return self._align(report, cached, cached_avg, report.venue_position_id, result, client_id)

    # -- alignment -------------------------------------------------------------------------

    def _align(
        self,
        report: PositionStatusReport,
        cached: int,
        cached_avg: Decimal | None,
        position_id: PositionId | None,
        result: ReconciliationResult,
        client_id: ClientId | None,
        owner: StrategyId | None = None,
    ) -> bool:
        iid = report.instrument_id
        venue = report.signed_raw
        text = (
            f"position {iid}{'' if position_id is None else f' ({position_id})'} on "
            f"{report.account_id} is {cached / 1e9:g} locally but {venue / 1e9:g} at the venue"
        )
        instrument = self._cache.instrument(iid)
        if instrument is None:
            result.add_discrepancy(f"{text}: instrument not in the cache")
            return False
        if not self.generate_missing_orders:
            self._log.warning(f"Position mismatch: {text} (generate_missing_orders is off)")
            if position_id is not None:
                result.add_discrepancy(text)
                return False
            return True
        unit = 10 ** (9 - instrument.size_precision)
        diff = round((venue - cached) / unit) * unit
        if diff == 0:
            return True
        self._log.warning(f"Position mismatch: {text}; aligning with a synthetic order")
        venue_avg = report.avg_px_open
        if cached and venue and (cached > 0) != (venue > 0):
            close_px = cached_avg if cached_avg is not None else self._quote_side(iid, -cached)
            if close_px is None:
                result.add_discrepancy(f"{text}: no price to close the cached position")
                return False
            ok = self._synthetic(
                report, -cached, close_px, "CLOSE", position_id, result, client_id, owner
            )
            open_px = venue_avg if venue_avg else self._mid(iid)
            if open_px is None:
                result.add_discrepancy(f"{text}: closed, but no price to open the venue side")
                return False
            return ok and self._synthetic(
                report, venue, open_px, "OPEN", position_id, result, client_id, owner
            )
        price = reconciliation_price(
            Decimal(cached) / _SCALE,
            cached_avg,
            Decimal(venue) / _SCALE,
            venue_avg,
        )
        market = False
        if price is None:
            price = self._mid(iid)
        if price is None:
            price = cached_avg
        if price is None:
            last = self._cache.price(iid, PriceType.LAST)
            price = None if last is None else last.as_decimal()
            market = True
        if price is None:
            result.add_discrepancy(f"{text}: no price for an alignment order")
            return False
        return self._synthetic(
            report, diff, price, "ALIGN", position_id, result, client_id, owner, market=market
        )

    def _mid(self, instrument_id: InstrumentId) -> Decimal | None:
        quote = self._cache.quote_tick(instrument_id)
        if quote is None:
            return None
        return (quote.bid_price.as_decimal() + quote.ask_price.as_decimal()) / 2

    def _quote_side(self, instrument_id: InstrumentId, signed_qty: int) -> Decimal | None:
        quote = self._cache.quote_tick(instrument_id)
        if quote is None:
            return None
        return (quote.ask_price if signed_qty > 0 else quote.bid_price).as_decimal()

    def _synthetic(
        self,
        report: PositionStatusReport,
        signed_qty_raw: int,
        price: Decimal,
        leg: str,
        position_id: PositionId | None,
        result: ReconciliationResult,
        client_id: ClientId | None,
        owner: StrategyId | None = None,
        *,
        market: bool = False,
    ) -> bool:
        """Create one FILLED synthetic order of `signed_qty_raw` at `price`."""
        instrument = self._cache.instrument(report.instrument_id)
        assert instrument is not None
        if instrument.max_price is not None and price > instrument.max_price.as_decimal():
            price = instrument.max_price.as_decimal()
        px: Price = instrument.make_price(price)
        qty = Quantity(abs(signed_qty_raw), instrument.size_precision)
        side = OrderSide.BUY if signed_qty_raw > 0 else OrderSide.SELL
        order_type = OrderType.MARKET if market else OrderType.LIMIT
        ts = report.ts_last
        venue_order_id = synthetic_venue_order_id(
            account_id=report.account_id,
            instrument_id=report.instrument_id,
            ts_event=ts,
            tag=f"{RECONCILIATION_TAG}-{leg}",
            parts=(side, order_type, qty.raw, px.raw, position_id),
        )
        now = self._clock.timestamp_ns()
        order_report = OrderStatusReport(
            account_id=report.account_id,
            instrument_id=report.instrument_id,
            venue_order_id=venue_order_id,
            order_side=side,
            order_type=order_type,
            time_in_force=TimeInForce.IOC if market else TimeInForce.GTC,
            order_status=OrderStatus.FILLED,
            quantity=qty,
            filled_qty=qty,
            avg_px=px.as_decimal(),
            price=None if market else px,
            ts_accepted=ts,
            ts_last=ts,
            ts_init=now,
            report_id=self._uuids.generate(),
            venue_position_id=position_id,
        )
        fill = FillReport(
            account_id=report.account_id,
            instrument_id=report.instrument_id,
            venue_order_id=venue_order_id,
            trade_id=TradeId(synthetic_id(ts, "fill", venue_order_id, qty.raw, px.raw)),
            order_side=side,
            last_qty=qty,
            last_px=px,
            commission=Money(0, instrument.quote_currency),
            liquidity_side=LiquiditySide.NO_LIQUIDITY_SIDE,
            ts_event=ts,
            ts_init=now,
            report_id=self._uuids.generate(),
            venue_position_id=position_id,
        )
        claim = self._claims(report.instrument_id)
        if claim is not None:
            owner = claim
        strategy_id = EXTERNAL_STRATEGY_ID if owner is None else owner
        before = result.event_count
        order = self._rec.create_external_order(
            order_report, strategy_id, RECONCILIATION_TAG, [fill], result, set(), client_id
        )
        if order is None:
            return False
        result.alignment_orders += 1
        return result.event_count > before or order.status is OrderStatus.FILLED


__all__ = [
    "AVG_PX_TOLERANCE",
    "PositionReconciler",
    "reconciliation_price",
    "weighted_avg",
]
