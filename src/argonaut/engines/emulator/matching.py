"""Trigger logic of emulated orders, per order type and trigger type.

A `MatchingCore` holds the latest bid, ask and last trade price of one (trigger)
instrument and the emulated orders watching them. Which prices an order watches follows
its `emulation_trigger`:

- DEFAULT, BID_ASK, DOUBLE_BID_ASK: the ask for a BUY, the bid for a SELL (quotes);
- LAST_PRICE, DOUBLE_LAST: the last trade price (trades);
- MID_POINT: the mid of bid and ask (quotes);
- LAST_OR_BID_ASK: either the last trade or the side's quote (quotes and trades).

A DOUBLE_* trigger needs two consecutive updates of its data at or through the trigger.

When an order triggers, by type (BUY / SELL, `p` the watched price):

- STOP_MARKET, STOP_LIMIT, TRAILING_STOP_*: ``p >= trigger`` / ``p <= trigger``;
- MARKET_IF_TOUCHED, LIMIT_IF_TOUCHED: ``p <= trigger`` / ``p >= trigger``;
- LIMIT: ``p <= price`` / ``p >= price`` (the market touched the limit).

STOP_MARKET, MARKET_IF_TOUCHED and TRAILING_STOP_MARKET are released as MARKET at the
watched price; the others as LIMIT at the order's price. Trailing stops move their
trigger (and a trailing stop-limit its price) toward the market while it moves their
way, never back: `trailing_update`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from enum import IntEnum
from typing import Final

from argonaut.core.fixed import FIXED_PRECISION, FIXED_SCALAR, RAW_STEP
from argonaut.model.enums import OrderSide, OrderType, TrailingOffsetType, TriggerType
from argonaut.model.identifiers import ClientOrderId, InstrumentId
from argonaut.model.orders import Order
from argonaut.model.values import Price

_T = TriggerType
_OT = OrderType
_BUY = OrderSide.BUY

QUOTE_TRIGGERS: Final = frozenset(
    {_T.DEFAULT, _T.BID_ASK, _T.DOUBLE_BID_ASK, _T.MID_POINT, _T.LAST_OR_BID_ASK}
)
TRADE_TRIGGERS: Final = frozenset({_T.LAST_PRICE, _T.DOUBLE_LAST, _T.LAST_OR_BID_ASK})
SUPPORTED_TRIGGERS: Final = QUOTE_TRIGGERS | TRADE_TRIGGERS
DOUBLE_TRIGGERS: Final = frozenset({_T.DOUBLE_BID_ASK, _T.DOUBLE_LAST})

STOP_TYPES: Final = frozenset(
    {_OT.STOP_MARKET, _OT.STOP_LIMIT, _OT.TRAILING_STOP_MARKET, _OT.TRAILING_STOP_LIMIT}
)
TOUCH_TYPES: Final = frozenset({_OT.MARKET_IF_TOUCHED, _OT.LIMIT_IF_TOUCHED, _OT.LIMIT})
TRAILING_TYPES: Final = frozenset({_OT.TRAILING_STOP_MARKET, _OT.TRAILING_STOP_LIMIT})
RELEASED_AS_MARKET: Final = frozenset(
    {_OT.STOP_MARKET, _OT.MARKET_IF_TOUCHED, _OT.TRAILING_STOP_MARKET}
)
EMULATABLE_TYPES: Final = STOP_TYPES | TOUCH_TYPES
TRAILING_OFFSET_TYPES: Final = frozenset(
    {TrailingOffsetType.PRICE, TrailingOffsetType.BASIS_POINTS, TrailingOffsetType.TICKS}
)

_BPS: Final = Decimal(10_000)
_SCALAR: Final = Decimal(FIXED_SCALAR)


class Source(IntEnum):
    """What prompted a trigger check."""

    RECHECK = 0  # submit or modify: current prices, DOUBLE_* triggers never fire here
    QUOTE = 1
    TRADE = 2


def released_type(order_type: OrderType) -> OrderType:
    """Return the type an emulated order of `order_type` is released as (MARKET or LIMIT)."""
    return _OT.MARKET if order_type in RELEASED_AS_MARKET else _OT.LIMIT


def emulation_refusal(order: Order, tick_size: Price | None) -> str | None:
    """Return why `order` cannot be emulated, or None when it can.

    `tick_size` is the order instrument's price increment (None when the instrument is
    unknown); trailing offsets in TICKS need it.
    """
    if order.order_type not in EMULATABLE_TYPES:
        return f"EMULATION_NOT_SUPPORTED: a {order.order_type.value} order cannot be emulated"
    trigger = order.emulation_trigger
    if trigger not in SUPPORTED_TRIGGERS:
        supported = ", ".join(sorted(t.value for t in SUPPORTED_TRIGGERS))
        return (
            f"EMULATION_NOT_SUPPORTED: emulation trigger {trigger.value} is not supported "
            f"(supported: {supported})"
        )
    if order.order_type in TRAILING_TYPES:
        offset_type = order.trailing_offset_type
        if offset_type not in TRAILING_OFFSET_TYPES:
            return (
                f"EMULATION_NOT_SUPPORTED: trailing offset type {offset_type.value} is not "
                "supported (expected PRICE, BASIS_POINTS or TICKS)"
            )
        if offset_type is TrailingOffsetType.TICKS and tick_size is None:
            return (
                f"INSTRUMENT_NOT_FOUND: {order.instrument_id} is not in the cache, and a "
                "trailing offset in TICKS needs its tick size"
            )
    return None


class MatchingCore:
    """The emulated orders triggered by one instrument's prices, and those prices."""

    __slots__ = ("_hits", "_orders", "ask", "bid", "instrument_id", "last")

    def __init__(
        self,
        instrument_id: InstrumentId,
        *,
        bid: Price | None = None,
        ask: Price | None = None,
        last: Price | None = None,
    ) -> None:
        self.instrument_id = instrument_id
        self.bid = bid
        self.ask = ask
        self.last = last
        self._orders: dict[ClientOrderId, Order] = {}
        self._hits: dict[ClientOrderId, int] = {}

    # -- orders ----------------------------------------------------------------------

    def add(self, order: Order) -> None:
        """Watch `order` (replacing a previous version of it)."""
        self._orders[order.client_order_id] = order

    def remove(self, client_order_id: ClientOrderId) -> Order | None:
        """Stop watching an order; return it, or None if it was not watched."""
        self._hits.pop(client_order_id, None)
        return self._orders.pop(client_order_id, None)

    def get(self, client_order_id: ClientOrderId) -> Order | None:
        """Return the watched order `client_order_id`, or None."""
        return self._orders.get(client_order_id)

    @property
    def orders(self) -> list[Order]:
        """The watched orders, in the order they were added."""
        return list(self._orders.values())

    def __len__(self) -> int:
        return len(self._orders)

    # -- prices ----------------------------------------------------------------------

    def watched_prices(self, order: Order) -> tuple[Price, ...]:
        """Return the current prices `order`'s trigger watches (empty without data)."""
        trigger = order.emulation_trigger
        side_px = self.ask if order.side is _BUY else self.bid
        if trigger is _T.LAST_PRICE or trigger is _T.DOUBLE_LAST:
            return () if self.last is None else (self.last,)
        if trigger is _T.MID_POINT:
            bid, ask = self.bid, self.ask
            if bid is None or ask is None:
                return ()
            precision = min(max(bid.precision, ask.precision) + 1, FIXED_PRECISION)
            return (Price((bid.raw + ask.raw) // 2, precision),)
        if trigger is _T.LAST_OR_BID_ASK:
            return tuple(p for p in (self.last, side_px) if p is not None)
        return () if side_px is None else (side_px,)

    # -- triggers --------------------------------------------------------------------

    def check(self, order: Order, source: Source) -> Price | None:
        """Return the released price if `order` triggers now, else None.

        A QUOTE (TRADE) check only looks at orders whose trigger watches quotes
        (trades); a DOUBLE_* trigger counts consecutive hits of its own updates and never
        fires on a RECHECK.
        """
        trigger = order.emulation_trigger
        if source is Source.QUOTE and trigger not in QUOTE_TRIGGERS:
            return None
        if source is Source.TRADE and trigger not in TRADE_TRIGGERS:
            return None
        order_type = order.order_type
        threshold = order.price if order_type is _OT.LIMIT else order.trigger_price
        if threshold is None:
            return None  # a trailing stop without data yet
        hit: Price | None = None
        for px in self.watched_prices(order):
            if is_triggered(order_type, order.side, threshold.raw, px.raw):
                hit = px
                break
        if trigger in DOUBLE_TRIGGERS:
            if source is Source.RECHECK:
                return None
            coid = order.client_order_id
            if hit is None:
                self._hits.pop(coid, None)
                return None
            hits = self._hits.get(coid, 0) + 1
            self._hits[coid] = hits
            if hits < 2:
                return None
        if hit is None:
            return None
        if order_type in RELEASED_AS_MARKET:
            return hit
        return order.price if order.price is not None else hit

    def trailing_update(
        self, order: Order, tick_size: Price | None
    ) -> tuple[Price | None, Price | None] | None:
        """Return ``(new_trigger, new_price)`` for a trailing stop, or None if unchanged.

        Each is None when it does not move. The trigger trails the watched price by
        `trailing_offset` (PRICE, BASIS_POINTS or TICKS of `tick_size`) and a trailing
        stop-limit's price by `limit_offset`; both only move toward the market: up for
        a SELL, down for a BUY. New values are rounded half-even to the tick size (or to
        the watched price's precision when the tick size is unknown).
        """
        offset = order.trailing_offset
        if order.order_type not in TRAILING_TYPES or offset is None:
            return None
        refs = self.watched_prices(order)
        if not refs:
            return None
        sell = order.side is not _BUY
        offset_type = order.trailing_offset_type
        new_trigger = _best_candidate(refs, offset, offset_type, tick_size, sell)
        if new_trigger is None:
            return None
        current = order.trigger_price
        if current is not None and (
            new_trigger.raw <= current.raw if sell else new_trigger.raw >= current.raw
        ):
            new_trigger = None
        new_price: Price | None = None
        limit_offset = order.limit_offset
        if order.order_type is _OT.TRAILING_STOP_LIMIT and limit_offset is not None:
            new_price = _best_candidate(refs, limit_offset, offset_type, tick_size, sell)
            price = order.price
            if (
                new_price is not None
                and price is not None
                and (new_price.raw <= price.raw if sell else new_price.raw >= price.raw)
            ):
                new_price = None
        if new_trigger is None and new_price is None:
            return None
        return new_trigger, new_price


def is_triggered(order_type: OrderType, side: OrderSide, threshold_raw: int, px_raw: int) -> bool:
    """Return True when the market price `px_raw` triggers an order of this type and side."""
    if order_type in STOP_TYPES:
        return px_raw >= threshold_raw if side is _BUY else px_raw <= threshold_raw
    return px_raw <= threshold_raw if side is _BUY else px_raw >= threshold_raw


def _best_candidate(
    refs: tuple[Price, ...],
    offset: Decimal,
    offset_type: TrailingOffsetType,
    tick_size: Price | None,
    sell: bool,
) -> Price | None:
    """Return the tightest of ``ref -/+ offset`` over `refs` (highest for a SELL)."""
    best: Price | None = None
    for ref in refs:
        cand = trail_from(ref, offset, offset_type, tick_size, sell)
        if cand is None:
            continue
        if best is None or (cand.raw > best.raw if sell else cand.raw < best.raw):
            best = cand
    return best


def trail_from(
    ref: Price,
    offset: Decimal,
    offset_type: TrailingOffsetType,
    tick_size: Price | None,
    sell: bool,
) -> Price | None:
    """Return `ref` minus (SELL) or plus (BUY) `offset`, on the tick grid.

    None when the offset cannot be computed (TICKS without a tick size, or an
    unsupported offset type).
    """
    if offset_type is TrailingOffsetType.PRICE:
        offset_raw = offset * _SCALAR
    elif offset_type is TrailingOffsetType.BASIS_POINTS:
        offset_raw = Decimal(ref.raw) * offset / _BPS
    elif offset_type is TrailingOffsetType.TICKS and tick_size is not None:
        offset_raw = offset * tick_size.raw
    else:
        return None
    raw = Decimal(ref.raw) - offset_raw if sell else Decimal(ref.raw) + offset_raw
    if tick_size is not None and tick_size.raw > 0:
        step, precision = tick_size.raw, tick_size.precision
    else:
        step, precision = RAW_STEP[ref.precision], ref.precision
    ticks = (raw / step).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return Price(int(ticks) * step, precision)


__all__ = [
    "DOUBLE_TRIGGERS",
    "EMULATABLE_TYPES",
    "QUOTE_TRIGGERS",
    "RELEASED_AS_MARKET",
    "STOP_TYPES",
    "SUPPORTED_TRIGGERS",
    "TOUCH_TYPES",
    "TRADE_TRIGGERS",
    "TRAILING_TYPES",
    "MatchingCore",
    "Source",
    "emulation_refusal",
    "is_triggered",
    "released_type",
    "trail_from",
]
