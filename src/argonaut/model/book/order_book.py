"""`OrderBook`: an L1, L2 (market by price) or L3 (market by order) book for one instrument.

- L1_MBP holds the top of book only: one level per side, replaced by `update`,
  `update_quote_tick` or `update_trade_tick`. Adding individual orders is refused.
- L2_MBP holds one aggregated order per price, keyed by price: the size of an ADD or
  UPDATE is the level's total size and replaces the previous one; a DELETE at a price
  removes the level whatever its order id.
- L3_MBO holds individual orders keyed by ``order_id``, FIFO within a level. An UPDATE
  at the same price keeps the order's queue place; at a new price it joins the back of
  the new level.

Defined edge cases: deleting an order or level that is not in the book does nothing;
updating one adds it; an ADD or UPDATE with zero size removes it; an ADD for an order id
already resting is an UPDATE. Every operation advances `update_count`; `sequence` and
`ts_last` follow the last record applied.
"""

from __future__ import annotations

from typing import NoReturn, Protocol

from argonaut.model.book.ladder import BookLevel, Ladder
from argonaut.model.book_data import BookOrder, OrderBookDelta, OrderBookDeltas, OrderBookDepth10
from argonaut.model.enums import BookAction, BookType, OrderSide
from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price, Quantity


class InvalidBookOperation(ValueError):
    """An operation the book's type does not support (e.g. adding an order to an L1 book)."""


class QuoteLike(Protocol):
    """What `OrderBook.update_quote_tick` reads from a quote."""

    @property
    def instrument_id(self) -> InstrumentId: ...
    @property
    def bid_price(self) -> Price: ...
    @property
    def ask_price(self) -> Price: ...
    @property
    def bid_size(self) -> Quantity: ...
    @property
    def ask_size(self) -> Quantity: ...
    @property
    def ts_event(self) -> int: ...


class TradeLike(Protocol):
    """What `OrderBook.update_trade_tick` reads from a trade."""

    @property
    def instrument_id(self) -> InstrumentId: ...
    @property
    def price(self) -> Price: ...
    @property
    def size(self) -> Quantity: ...
    @property
    def ts_event(self) -> int: ...


class OrderBook:
    """An order book for one instrument; see the module docstring for the semantics."""

    __slots__ = (
        "_asks",
        "_bids",
        "_book_type",
        "_instrument_id",
        "_mbp",
        "_sequence",
        "_ts_last",
        "_update_count",
    )

    def __init__(self, instrument_id: InstrumentId, book_type: BookType) -> None:
        if not isinstance(book_type, BookType):
            raise TypeError(f"book_type must be a BookType, found {book_type!r}")
        self._instrument_id = InstrumentId(instrument_id)
        self._book_type = book_type
        self._mbp = book_type is not BookType.L3_MBO
        self._bids = Ladder(descending=True)
        self._asks = Ladder(descending=False)
        self._sequence = 0
        self._ts_last = 0
        self._update_count = 0

    def __repr__(self) -> str:
        return (
            f"OrderBook({self._instrument_id}, {self._book_type.value}, "
            f"bids={len(self._bids)}, asks={len(self._asks)}, sequence={self._sequence})"
        )

    @property
    def instrument_id(self) -> InstrumentId:
        """The instrument of this book."""
        return self._instrument_id

    @property
    def book_type(self) -> BookType:
        """The book's granularity."""
        return self._book_type

    @property
    def sequence(self) -> int:
        """The sequence number of the last record applied."""
        return self._sequence

    @property
    def ts_last(self) -> int:
        """The event time (ns) of the last record applied."""
        return self._ts_last

    @property
    def update_count(self) -> int:
        """How many operations have been applied."""
        return self._update_count

    # -- Mutations -----------------------------------------------------------------------

    def add(
        self, order: BookOrder, *, sequence: int | None = None, ts_event: int | None = None
    ) -> None:
        """Add an order (L3) or set a price level (L2); refused for L1 books."""
        if self._book_type is BookType.L1_MBP:
            raise InvalidBookOperation(
                f"cannot add an order to the L1_MBP book for {self._instrument_id}: an L1 book "
                "holds only the top of book, use update() or update_quote_tick()"
            )
        ladder = self._ladder(order.side)
        key = order.price.raw if self._mbp else order.order_id
        if order.size.raw:
            ladder.add(key, order)
        else:
            ladder.delete(key)
        self._touch(sequence, ts_event)

    def update(
        self, order: BookOrder, *, sequence: int | None = None, ts_event: int | None = None
    ) -> None:
        """Update an order or level (adding it when absent, removing it at zero size).

        On an L1 book the order replaces that side's top of book.
        """
        ladder = self._ladder(order.side)
        if self._book_type is BookType.L1_MBP:
            ladder.clear()
            if order.size.raw:
                ladder.add(order.price.raw, order)
        else:
            ladder.update(order.price.raw if self._mbp else order.order_id, order)
        self._touch(sequence, ts_event)

    def delete(
        self, order: BookOrder, *, sequence: int | None = None, ts_event: int | None = None
    ) -> None:
        """Delete an order (L3, by order id) or level (L1/L2, by price); absent is a no-op."""
        self._ladder(order.side).delete(order.price.raw if self._mbp else order.order_id)
        self._touch(sequence, ts_event)

    def clear(self, *, sequence: int | None = None, ts_event: int | None = None) -> None:
        """Remove every order on both sides."""
        self._bids.clear()
        self._asks.clear()
        self._touch(sequence, ts_event)

    def clear_bids(self, *, sequence: int | None = None, ts_event: int | None = None) -> None:
        """Remove every bid."""
        self._bids.clear()
        self._touch(sequence, ts_event)

    def clear_asks(self, *, sequence: int | None = None, ts_event: int | None = None) -> None:
        """Remove every ask."""
        self._asks.clear()
        self._touch(sequence, ts_event)

    def apply_delta(self, delta: OrderBookDelta) -> None:
        """Apply one delta in place (its instrument must be this book's)."""
        if delta.instrument_id != self._instrument_id:
            self._refuse("delta", delta.instrument_id)
        self._apply(delta)

    def apply_deltas(self, deltas: OrderBookDeltas) -> None:
        """Apply a batch of deltas in order (its instrument must be this book's)."""
        if deltas.instrument_id != self._instrument_id:
            self._refuse("deltas", deltas.instrument_id)
        apply = self._apply
        for delta in deltas.deltas:
            apply(delta)

    def apply_depth(self, depth: OrderBookDepth10) -> None:
        """Replace the whole book with a depth snapshot (L1 keeps only the top level).

        Depth levels are aggregates, so on an L3 book each becomes one order keyed by price.
        """
        if depth.instrument_id != self._instrument_id:
            self._refuse("depth", depth.instrument_id)
        limit = 1 if self._book_type is BookType.L1_MBP else None
        for ladder, orders in ((self._bids, depth.bids), (self._asks, depth.asks)):
            ladder.clear()
            for order in orders[:limit]:
                if order.size.raw:
                    ladder.add(order.price.raw, order)
        self._touch(depth.sequence, depth.ts_event)

    def update_quote_tick(self, quote: QuoteLike) -> None:
        """Set the top of an L1 book from a quote (a zero size empties that side)."""
        self._check_l1("update_quote_tick")
        if quote.instrument_id != self._instrument_id:
            self._refuse("quote", quote.instrument_id)
        self._set_top(self._bids, OrderSide.BUY, quote.bid_price, quote.bid_size)
        self._set_top(self._asks, OrderSide.SELL, quote.ask_price, quote.ask_size)
        self._touch(None, quote.ts_event)

    def update_trade_tick(self, trade: TradeLike) -> None:
        """Set both sides of an L1 book to a trade's price and size (the book is then locked)."""
        self._check_l1("update_trade_tick")
        if trade.instrument_id != self._instrument_id:
            self._refuse("trade", trade.instrument_id)
        self._set_top(self._bids, OrderSide.BUY, trade.price, trade.size)
        self._set_top(self._asks, OrderSide.SELL, trade.price, trade.size)
        self._touch(None, trade.ts_event)

    # -- Queries -------------------------------------------------------------------------

    def best_bid_price(self) -> Price | None:
        """Return the highest bid price, or None when there are no bids."""
        level = self._bids.best()
        return None if level is None else level.price

    def best_ask_price(self) -> Price | None:
        """Return the lowest ask price, or None when there are no asks."""
        level = self._asks.best()
        return None if level is None else level.price

    def best_bid_size(self) -> Quantity | None:
        """Return the size at the best bid, or None when there are no bids."""
        level = self._bids.best()
        return None if level is None else level.size()

    def best_ask_size(self) -> Quantity | None:
        """Return the size at the best ask, or None when there are no asks."""
        level = self._asks.best()
        return None if level is None else level.size()

    def spread(self) -> Price | None:
        """Return best ask - best bid, or None unless both sides have a level."""
        bid = self._bids.best()
        ask = self._asks.best()
        if bid is None or ask is None:
            return None
        return ask.price - bid.price

    def midpoint(self) -> float | None:
        """Return the mid price as a float (display/analytics only), or None."""
        bid = self._bids.best()
        ask = self._asks.best()
        if bid is None or ask is None:
            return None
        return (bid.price.raw + ask.price.raw) / 2_000_000_000

    def is_crossed(self) -> bool:
        """Return True when both sides have levels and best bid >= best ask."""
        bid = self._bids.best()
        ask = self._asks.best()
        return bid is not None and ask is not None and bid.price.raw >= ask.price.raw

    def bids(self) -> list[BookLevel]:
        """Return the bid levels, best (highest) first."""
        return self._bids.levels()

    def asks(self) -> list[BookLevel]:
        """Return the ask levels, best (lowest) first."""
        return self._asks.levels()

    def depth(self, side: OrderSide, n: int) -> list[BookLevel]:
        """Return the best `n` levels of one side of the book (BUY = bids, SELL = asks)."""
        if n < 0:
            raise ValueError(f"depth n must be >= 0, found {n}")
        return self._ladder(side).levels(n)

    def level_at(self, side: OrderSide, price: Price) -> BookLevel | None:
        """Return the level at `price` on one side of the book, or None."""
        return self._ladder(side).level_at(price.raw)

    def simulate_fills(
        self, side: OrderSide, quantity: Quantity, limit_price: Price | None = None
    ) -> list[tuple[Price, Quantity]]:
        """Return the (price, quantity) fills an order of `side` would get, one per level.

        The order walks the opposite side best first until filled, stopping at levels
        worse than `limit_price` when given. Fills may total less than `quantity`.
        """
        opposite = self._opposite(side)
        limit = None if limit_price is None else limit_price.raw
        is_buy = side is OrderSide.BUY
        remaining = quantity.raw
        fills: list[tuple[Price, Quantity]] = []
        if remaining <= 0:
            return fills
        for level in opposite.iter_levels():
            price_raw = level.price.raw
            if limit is not None and (price_raw > limit if is_buy else price_raw < limit):
                break
            take = min(remaining, level.size_raw)
            prec = max(quantity.precision, level.size_precision)
            fills.append((level.price, Quantity(take, prec)))
            remaining -= take
            if not remaining:
                break
        return fills

    def get_avg_px_for_quantity(self, quantity: Quantity, side: OrderSide) -> float | None:
        """Return the average fill price of an order of `side` for `quantity`, or None.

        Only the available liquidity is averaged when the book is thinner than `quantity`.
        """
        total_qty = 0
        notional = 0
        for price, qty in self.simulate_fills(side, quantity):
            total_qty += qty.raw
            notional += price.raw * qty.raw
        if not total_qty:
            return None
        return notional / total_qty / 1_000_000_000

    def get_quantity_for_price(self, price: Price, side: OrderSide) -> Quantity:
        """Return the size an order of `side` could take at `price` or better."""
        opposite = self._opposite(side)
        is_buy = side is OrderSide.BUY
        limit = price.raw
        total = 0
        prec = 0
        for level in opposite.iter_levels():
            raw = level.price.raw
            if raw > limit if is_buy else raw < limit:
                break
            total += level.size_raw
            prec = max(prec, level.size_precision)
        return Quantity(total, prec)

    def pprint(self, n: int = 3) -> str:
        """Return a text table of the best `n` levels of each side (asks above bids)."""
        rows: list[tuple[str, str, str]] = [("bids", "price", "asks")]
        rows.extend(("", str(lv.price), str(lv.size())) for lv in reversed(self._asks.levels(n)))
        rows.extend((str(lv.size()), str(lv.price), "") for lv in self._bids.levels(n))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        title = (
            f"OrderBook {self._instrument_id} {self._book_type.value} "
            f"(sequence={self._sequence}, update_count={self._update_count})"
        )
        lines = [title]
        lines.extend(
            f"{b:>{widths[0]}} | {p:>{widths[1]}} | {a:<{widths[2]}}".rstrip() for b, p, a in rows
        )
        return "\n".join(lines)

    # -- Internals -----------------------------------------------------------------------

    def _apply(self, delta: OrderBookDelta) -> None:
        action = delta.action
        if action is BookAction.ADD:
            self.add(delta.order, sequence=delta.sequence, ts_event=delta.ts_event)
        elif action is BookAction.UPDATE:
            self.update(delta.order, sequence=delta.sequence, ts_event=delta.ts_event)
        elif action is BookAction.DELETE:
            self.delete(delta.order, sequence=delta.sequence, ts_event=delta.ts_event)
        else:
            self.clear(sequence=delta.sequence, ts_event=delta.ts_event)

    def _ladder(self, side: OrderSide) -> Ladder:
        if side is OrderSide.BUY:
            return self._bids
        if side is OrderSide.SELL:
            return self._asks
        raise ValueError(
            f"order side {side!r} is invalid for the order book of {self._instrument_id}: "
            "expected BUY (bids) or SELL (asks)"
        )

    def _opposite(self, side: OrderSide) -> Ladder:
        if side is OrderSide.BUY:
            return self._asks
        if side is OrderSide.SELL:
            return self._bids
        raise ValueError(
            f"order side {side!r} is invalid for simulating an order on {self._instrument_id}: "
            "expected BUY (takes asks) or SELL (takes bids)"
        )

    def _touch(self, sequence: int | None, ts_event: int | None) -> None:
        if sequence is not None:
            self._sequence = sequence
        if ts_event is not None:
            self._ts_last = ts_event
        self._update_count += 1

    def _check_l1(self, operation: str) -> None:
        if self._book_type is not BookType.L1_MBP:
            raise InvalidBookOperation(
                f"{operation} applies only to L1_MBP books, but the book for "
                f"{self._instrument_id} is {self._book_type.value}: apply deltas instead"
            )

    @staticmethod
    def _set_top(ladder: Ladder, side: OrderSide, price: Price, size: Quantity) -> None:
        ladder.clear()
        if size.raw:
            ladder.add(price.raw, BookOrder(side=side, price=price, size=size))

    def _refuse(self, what: str, instrument_id: InstrumentId) -> NoReturn:
        raise ValueError(
            f"{what} for {instrument_id} cannot be applied to the order book for "
            f"{self._instrument_id}: expected instrument {self._instrument_id}"
        )
