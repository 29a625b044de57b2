"""`MatchingEngine`: one instrument's L2 book and the venue's working orders on it.

Venue semantics (hand-checked by the tests):

- The book is an L2 (market-by-price) copy driven by market data: deltas apply as
  they come; a quote replaces the whole book with its two top levels. Liquidity our
  orders take is removed from this copy until market data replaces that level.
- MARKET sweeps the opposite side best first (TAKER). Whatever the book cannot fill is
  canceled at once (IOC semantics), and a market order on an empty side is canceled.
- MARKET_TO_LIMIT takes the best level only, then rests as a limit at that price.
- A marketable LIMIT takes up to its price (TAKER) and, unless IOC/FOK, rests the rest.
  IOC cancels what is left; FOK fills completely or not at all (canceled unfilled).
- A resting limit fills as MAKER at its own price: when the book crosses it (up to the
  crossing size), and when a trade prints at or through it (up to the trade size).
- Triggers: STOP_* and TRAILING_* trigger when the reference price reaches the trigger
  (BUY: >=, SELL: <=); *_IF_TOUCHED the other way (BUY: <=, SELL: >=). The reference
  is the last trade for trades and the ask (BUY) / bid (SELL) for book updates, or the
  mid for MID_POINT. LAST_PRICE/DOUBLE_LAST listen to trades only; BID_ASK,
  DOUBLE_BID_ASK and MID_POINT to the book only; every other type to both.
  A stop already reached at submission is rejected; an if-touched order already
  touched triggers at once. STOP_MARKET, MARKET_IF_TOUCHED and TRAILING_STOP_MARKET
  then execute as a market order; the limit kinds report TRIGGERED and work as a limit.
- Trailing stops set their trigger `offset` away from the reference (PRICE, TICKS or
  BASIS_POINTS, rounded away from the market onto the tick grid) and move it only
  toward the market; a TRAILING_STOP_LIMIT's price follows at `limit_offset`.
- Reduce-only orders never fill more than the position they reduce; when nothing is
  left to reduce the order is canceled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from argonaut.adapters.sandbox.state import STOP_LIKE, TRAILING, SimOrder
from argonaut.core.fixed import FIXED_SCALAR
from argonaut.model.book import OrderBook
from argonaut.model.book_data import BookOrder, OrderBookDelta, OrderBookDeltas
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import (
    BookType,
    LiquiditySide,
    OrderSide,
    OrderStatus,
    OrderType,
    TimeInForce,
    TrailingOffsetType,
    TriggerType,
)
from argonaut.model.identifiers import ClientOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.values import Price, Quantity

_TRADE_ONLY = frozenset({TriggerType.LAST_PRICE, TriggerType.DOUBLE_LAST})
_BOOK_ONLY = frozenset({TriggerType.BID_ASK, TriggerType.DOUBLE_BID_ASK, TriggerType.MID_POINT})
_MARKET_AFTER_TRIGGER = frozenset(
    {OrderType.STOP_MARKET, OrderType.MARKET_IF_TOUCHED, OrderType.TRAILING_STOP_MARKET}
)


class MatchingListener(Protocol):
    """What the matching engine tells its venue (and asks it about positions)."""

    def reducible_raw(self, order: SimOrder) -> int:
        """Return how much a reduce-only `order` may still fill (raw)."""
        ...

    def on_fill(
        self, order: SimOrder, price: Price, qty: Quantity, liquidity: LiquiditySide, ts: int
    ) -> None:
        """Handle one fill (the order's filled quantity and status are already updated)."""
        ...

    def on_triggered(self, order: SimOrder, ts: int) -> None:
        """Handle a limit-kind order triggering."""
        ...

    def on_updated(self, order: SimOrder, ts: int) -> None:
        """Handle a change of quantity, price or trigger price."""
        ...

    def on_closed(self, order: SimOrder, ts: int) -> None:
        """Handle a cancel or expiry (``order.status`` and ``order.cancel_reason`` set)."""
        ...


class MatchingEngine:
    """The order book and working orders of one instrument (pure and synchronous)."""

    __slots__ = ("_listener", "_orders", "book", "instrument", "last_px")

    def __init__(self, instrument: Instrument, listener: MatchingListener) -> None:
        self.instrument = instrument
        self.book = OrderBook(instrument.id, BookType.L2_MBP)
        self.last_px: Price | None = None
        self._listener = listener
        # Working orders in time priority (dict insertion order).
        self._orders: dict[ClientOrderId, SimOrder] = {}

    def open_orders(self) -> list[SimOrder]:
        """Return the working orders, oldest first."""
        return list(self._orders.values())

    def restore(self, order: SimOrder) -> None:
        """Put a working order back (after loading saved state)."""
        self._orders[order.client_order_id] = order

    # -- market data ---------------------------------------------------------------------

    def process_deltas(self, deltas: OrderBookDelta | OrderBookDeltas) -> None:
        """Apply book deltas, then match working orders against the new book."""
        if isinstance(deltas, OrderBookDeltas):
            self.book.apply_deltas(deltas)
        else:
            self.book.apply_delta(deltas)
        self._on_book(deltas.ts_event)

    def process_quote(self, quote: QuoteTick) -> None:
        """Replace the book with the quote's two levels, then match working orders."""
        book = self.book
        book.clear(ts_event=quote.ts_event)
        if quote.bid_size.raw:
            book.add(BookOrder(side=OrderSide.BUY, price=quote.bid_price, size=quote.bid_size))
        if quote.ask_size.raw:
            book.add(BookOrder(side=OrderSide.SELL, price=quote.ask_price, size=quote.ask_size))
        self._on_book(quote.ts_event)

    def process_trade(self, trade: TradeTick) -> None:
        """Record the last price, then trigger and fill working orders the trade reaches."""
        self.last_px = trade.price
        ts = trade.ts_event
        px = trade.price.raw
        remaining = trade.size.raw
        for order in self.open_orders():
            if not order.is_open:
                continue
            if order.awaits_trigger:
                if order.trigger_type not in _BOOK_ONLY:
                    self._trail(order, px, ts)
                    if self._touched(order, px):
                        self._trigger(order, ts)
                continue
            if remaining > 0 and order.works_as_limit:
                assert order.price is not None
                limit = order.price.raw
                if px <= limit if order.is_buy else px >= limit:
                    take = min(order.leaves_raw, remaining, self._cap(order))
                    if take > 0:
                        remaining -= take
                        self._fill(order, order.price, take, LiquiditySide.MAKER, ts)

    def process_time(self, ts: int) -> None:
        """Expire the GTD and DAY orders whose time has come."""
        for order in self.open_orders():
            at = order.expire_at_ns
            if at is not None and at <= ts and order.is_open:
                self._close(order, OrderStatus.EXPIRED, ts, None)

    # -- orders --------------------------------------------------------------------------

    def check_submit(self, order: SimOrder) -> tuple[str, bool] | None:
        """Return (reason, due_post_only) when the venue must reject `order`, else None."""
        if order.post_only and order.order_type is OrderType.LIMIT:
            assert order.price is not None
            if self._marketable(order.side, order.price.raw):
                return self._post_only_reason(order, order.price), True
        if order.order_type in STOP_LIKE and order.trigger_price is not None:
            ref = self._book_or_last_ref(order)
            if ref is not None and self._touched(order, ref):
                market = Price(ref, order.trigger_price.precision)
                return (
                    f"{order.order_type.value} {order.side.value} trigger {order.trigger_price} "
                    f"is already reached by the market ({market})"
                ), False
        return None

    def add(self, order: SimOrder, ts: int) -> None:
        """Work a newly accepted order: execute, rest or wait for its trigger."""
        self._orders[order.client_order_id] = order
        if order.awaits_trigger:
            if order.order_type in TRAILING:
                ref = self._book_or_last_ref(order)
                if ref is not None:
                    self._trail(order, ref, ts)
            ref = self._book_or_last_ref(order)
            if ref is not None and self._touched(order, ref):
                self._trigger(order, ts)
            return
        self._execute(order, ts)

    def modify(
        self,
        order: SimOrder,
        quantity: Quantity | None,
        price: Price | None,
        trigger_price: Price | None,
        ts: int,
    ) -> str | None:
        """Change a working order; return the reason when refused, else None.

        A price that makes a limit marketable fills at once (as TAKER); a post-only
        order is refused instead.
        """
        if quantity is not None and quantity.raw <= order.filled_qty.raw:
            return f"quantity {quantity} must exceed the filled quantity {order.filled_qty}"
        if price is not None and order.price is None:
            return f"a {order.order_type.value} order has no limit price to modify"
        if trigger_price is not None and not order.awaits_trigger:
            return f"a {order.order_type.value} order has no pending trigger price to modify"
        if (
            price is not None
            and order.post_only
            and not order.awaits_trigger
            and self._marketable(order.side, price.raw)
        ):
            return self._post_only_reason(order, price)
        if trigger_price is not None and order.order_type in STOP_LIKE:
            ref = self._book_or_last_ref(order)
            if ref is not None and self._touched(order, ref, trigger_price):
                return f"trigger {trigger_price} is already reached by the market"
        if quantity is not None:
            order.quantity = quantity
        if price is not None:
            order.price = price
        if trigger_price is not None:
            order.trigger_price = trigger_price
        order.ts_last = order.ts_updated = ts
        self._listener.on_updated(order, ts)
        if order.awaits_trigger:
            ref = self._book_or_last_ref(order)
            if ref is not None and self._touched(order, ref):
                self._trigger(order, ts)
        elif order.works_as_limit:
            self._execute(order, ts)
        return None

    def cancel(self, order: SimOrder, ts: int, reason: str | None = None) -> None:
        """Cancel a working order."""
        self._close(order, OrderStatus.CANCELED, ts, reason)

    # -- internals: execution -------------------------------------------------------------

    def _execute(self, order: SimOrder, ts: int) -> None:
        kind = order.order_type
        if kind is OrderType.MARKET or (kind in _MARKET_AFTER_TRIGGER and order.triggered):
            self._execute_market(order, ts)
        elif kind is OrderType.MARKET_TO_LIMIT and order.price is None:
            best = self._opposite_best(order.side)
            if best is None:
                self._close(order, OrderStatus.CANCELED, ts, "no liquidity for a market order")
                return
            order.price = best
            self._execute_limit(order, ts)
        else:
            self._execute_limit(order, ts)

    def _execute_market(self, order: SimOrder, ts: int) -> None:
        if order.time_in_force is TimeInForce.FOK and not self._can_fill_all(order, None):
            self._close(order, OrderStatus.CANCELED, ts, "FOK order cannot be filled completely")
            return
        self._take(order, None, ts)
        if order.is_open:
            self._close(
                order, OrderStatus.CANCELED, ts, "no more liquidity: the rest is canceled (IOC)"
            )

    def _execute_limit(self, order: SimOrder, ts: int) -> None:
        assert order.price is not None
        limit = order.price.raw
        tif = order.time_in_force
        if tif is TimeInForce.FOK and not self._can_fill_all(order, limit):
            self._close(order, OrderStatus.CANCELED, ts, "FOK order cannot be filled completely")
            return
        if self._marketable(order.side, limit):
            self._take(order, limit, ts)
        if order.is_open and tif in (TimeInForce.IOC, TimeInForce.FOK):
            self._close(order, OrderStatus.CANCELED, ts, "IOC: the unfilled rest is canceled")

    def _take(self, order: SimOrder, limit: int | None, ts: int) -> None:
        """Take liquidity as TAKER, best level first, removing it from the book copy."""
        want = min(order.leaves_raw, self._cap(order))
        if want <= 0:
            return
        prec = order.quantity.precision
        for level in self.book.depth(_opposite(order.side), 1_000_000):
            if want <= 0 or not order.is_open:
                break
            px = level.price.raw
            if limit is not None and (px > limit if order.is_buy else px < limit):
                break
            take = min(want, level.size_raw)
            self._consume(_opposite(order.side), level.price, level.size_raw - take)
            want -= take
            self._fill(order, level.price, take, LiquiditySide.TAKER, ts, prec)

    def _on_book(self, ts: int) -> None:
        bid = self.book.best_bid_price()
        ask = self.book.best_ask_price()
        for order in self.open_orders():
            if not order.is_open:
                continue
            if order.awaits_trigger:
                if order.trigger_type in _TRADE_ONLY:
                    continue
                ref = self._book_ref(order, bid, ask)
                if ref is None:
                    continue
                self._trail(order, ref, ts)
                if self._touched(order, ref):
                    self._trigger(order, ts)
            elif order.works_as_limit:
                assert order.price is not None
                if self._marketable(order.side, order.price.raw):
                    self._cross(order, ts)

    def _cross(self, order: SimOrder, ts: int) -> None:
        """Fill a resting limit the book has crossed, at its own price, as MAKER."""
        assert order.price is not None
        limit = order.price.raw
        want = min(order.leaves_raw, self._cap(order))
        side = _opposite(order.side)
        for level in self.book.depth(side, 1_000_000):
            px = level.price.raw
            if want <= 0 or (px > limit if order.is_buy else px < limit):
                break
            take = min(want, level.size_raw)
            self._consume(side, level.price, level.size_raw - take)
            want -= take
            self._fill(order, order.price, take, LiquiditySide.MAKER, ts)

    def _fill(
        self,
        order: SimOrder,
        price: Price,
        raw: int,
        liquidity: LiquiditySide,
        ts: int,
        prec: int | None = None,
    ) -> None:
        qty = Quantity(raw, order.quantity.precision if prec is None else prec)
        order.filled_qty = Quantity(order.filled_qty.raw + raw, order.quantity.precision)
        order.fill_notional += raw * price.raw
        order.status = OrderStatus.FILLED if order.leaves_raw <= 0 else OrderStatus.PARTIALLY_FILLED
        order.ts_last = ts
        if order.status is OrderStatus.FILLED:
            self._orders.pop(order.client_order_id, None)
        self._listener.on_fill(order, price, qty, liquidity, ts)

    def _close(self, order: SimOrder, status: OrderStatus, ts: int, reason: str | None) -> None:
        if not order.is_open:
            return
        order.status = status
        order.cancel_reason = reason
        order.ts_last = ts
        self._orders.pop(order.client_order_id, None)
        self._listener.on_closed(order, ts)

    def _cap(self, order: SimOrder) -> int:
        """Return what the order may fill now (reduce-only orders are capped)."""
        if not order.reduce_only:
            return order.leaves_raw
        cap = self._listener.reducible_raw(order)
        if cap <= 0 and order.is_open:
            self._close(
                order, OrderStatus.CANCELED, order.ts_last, "reduce-only: no position to reduce"
            )
        return max(cap, 0)

    def _can_fill_all(self, order: SimOrder, limit: int | None) -> bool:
        if limit is None:
            avail = sum(lv.size_raw for lv in self.book.depth(_opposite(order.side), 1_000_000))
        else:
            prec = self.instrument.price_precision
            avail = self.book.get_quantity_for_price(Price(limit, prec), order.side).raw
        return avail >= min(order.leaves_raw, self._cap(order)) and order.is_open

    def _consume(self, side: OrderSide, price: Price, new_raw: int) -> None:
        level = self.book.level_at(side, price)
        prec = 0 if level is None else level.size_precision
        self.book.update(BookOrder(side=side, price=price, size=Quantity(max(new_raw, 0), prec)))

    # -- internals: prices and triggers ---------------------------------------------------

    def _marketable(self, side: OrderSide, limit: int) -> bool:
        best = self._opposite_best(side)
        if best is None:
            return False
        return best.raw <= limit if side is OrderSide.BUY else best.raw >= limit

    def _opposite_best(self, side: OrderSide) -> Price | None:
        if side is OrderSide.BUY:
            return self.book.best_ask_price()
        return self.book.best_bid_price()

    def _book_ref(self, order: SimOrder, bid: Price | None, ask: Price | None) -> int | None:
        if order.trigger_type is TriggerType.MID_POINT:
            if bid is None or ask is None:
                return None
            return (bid.raw + ask.raw) // 2
        best = ask if order.is_buy else bid
        return None if best is None else best.raw

    def _book_or_last_ref(self, order: SimOrder) -> int | None:
        """Return the reference price now: the book's, else the last trade's."""
        if order.trigger_type not in _TRADE_ONLY:
            ref = self._book_ref(order, self.book.best_bid_price(), self.book.best_ask_price())
            if ref is not None:
                return ref
        if order.trigger_type in _BOOK_ONLY or self.last_px is None:
            return None
        return self.last_px.raw

    @staticmethod
    def _touched(order: SimOrder, ref: int, trigger: Price | None = None) -> bool:
        if trigger is None:
            trigger = order.trigger_price
        if trigger is None:
            return False
        rising = (order.order_type in STOP_LIKE) == order.is_buy
        return ref >= trigger.raw if rising else ref <= trigger.raw

    def _trigger(self, order: SimOrder, ts: int) -> None:
        order.triggered = True
        order.ts_triggered = ts
        order.ts_last = ts
        if order.order_type in _MARKET_AFTER_TRIGGER:
            self._execute_market(order, ts)
            return
        if order.filled_qty.raw == 0:
            order.status = OrderStatus.TRIGGERED
        self._listener.on_triggered(order, ts)
        self._execute_limit(order, ts)

    def _trail(self, order: SimOrder, ref: int, ts: int) -> None:
        """Move a trailing stop's trigger (and limit) toward the market."""
        if order.order_type not in TRAILING or order.trailing_offset is None:
            return
        offset = self._offset_raw(order.trailing_offset, order.trailing_offset_type, ref)
        inst = self.instrument
        old = order.trigger_price
        if order.is_buy:
            new = inst.next_ask_price(Price(ref + offset, inst.price_precision))
            if old is not None and new.raw >= old.raw:
                return
        else:
            new = inst.next_bid_price(Price(ref - offset, inst.price_precision))
            if old is not None and new.raw <= old.raw:
                return
        order.trigger_price = new
        if order.order_type is OrderType.TRAILING_STOP_LIMIT and order.limit_offset is not None:
            lim = self._offset_raw(order.limit_offset, order.trailing_offset_type, new.raw)
            order.price = Price(new.raw + lim if order.is_buy else new.raw - lim, new.precision)
        order.ts_last = order.ts_updated = ts
        self._listener.on_updated(order, ts)

    def _offset_raw(self, offset: Decimal, kind: TrailingOffsetType, ref: int) -> int:
        if kind is TrailingOffsetType.TICKS:
            return int(offset * self.instrument.price_increment.raw)
        if kind is TrailingOffsetType.BASIS_POINTS:
            return int(Decimal(ref) * offset / Decimal(10_000))
        if kind is TrailingOffsetType.PRICE:
            return int(offset * FIXED_SCALAR)
        raise ValueError(
            f"trailing offset type {kind.value} is not simulated: expected PRICE, TICKS or "
            "BASIS_POINTS"
        )

    def _post_only_reason(self, order: SimOrder, price: Price) -> str:
        return (
            f"post-only {order.side.value} at {price} would take liquidity "
            f"(best opposite price {self._opposite_best(order.side)})"
        )


def _opposite(side: OrderSide) -> OrderSide:
    return OrderSide.SELL if side is OrderSide.BUY else OrderSide.BUY
