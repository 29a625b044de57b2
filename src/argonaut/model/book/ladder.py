"""One side of an order book: price levels kept sorted best first.

Levels live in a dict keyed by raw price. A list of sort keys (the raw price for asks,
its negation for bids) is kept ascending with `bisect`, so index 0 is always the best
level: the best price is O(1), inserting or removing a level is a binary search plus a
C-level list shift. An index from order key to raw price finds an order's level
without a scan. Nothing here rebuilds a side.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterator

from argonaut.model.book_data import BookOrder
from argonaut.model.values import Price, Quantity


class BookLevel:
    """The orders resting at one price, in time priority (FIFO, oldest first).

    Levels returned by an `OrderBook` are live read-only views: do not mutate them.
    """

    __slots__ = ("_orders", "_size_prec", "_size_raw", "price")

    def __init__(self, price: Price) -> None:
        self.price = price
        self._orders: dict[int, BookOrder] = {}
        self._size_raw = 0
        self._size_prec = 0

    def __len__(self) -> int:
        return len(self._orders)

    def __repr__(self) -> str:
        return f"BookLevel(price={self.price}, size={self.size()}, orders={len(self._orders)})"

    @property
    def size_raw(self) -> int:
        """The total size at this level on the raw 10**9 scale."""
        return self._size_raw

    @property
    def size_precision(self) -> int:
        """The largest precision of the sizes resting at this level."""
        return self._size_prec

    def size(self) -> Quantity:
        """Return the total size resting at this level."""
        return Quantity(self._size_raw, self._size_prec)

    def count(self) -> int:
        """Return the number of orders at this level."""
        return len(self._orders)

    def orders(self) -> list[BookOrder]:
        """Return the orders at this level, oldest first."""
        return list(self._orders.values())

    def first(self) -> BookOrder:
        """Return the order with time priority (raises IndexError when empty)."""
        for order in self._orders.values():
            return order
        raise IndexError(f"book level {self.price} is empty")

    def _put(self, key: int, order: BookOrder) -> None:
        # Replacing an existing key keeps its place in the queue (dict order).
        old = self._orders.get(key)
        if old is not None:
            self._size_raw -= old.size.raw
        self._orders[key] = order
        self._size_raw += order.size.raw
        self._size_prec = max(self._size_prec, order.size.precision)

    def _pop(self, key: int) -> None:
        order = self._orders.pop(key)
        self._size_raw -= order.size.raw


class Ladder:
    """One side of a book (bids when `descending`, asks otherwise)."""

    __slots__ = ("_index", "_keys", "_levels", "_sign")

    def __init__(self, *, descending: bool) -> None:
        self._sign = -1 if descending else 1
        self._levels: dict[int, BookLevel] = {}
        self._keys: list[int] = []
        self._index: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: int) -> bool:
        return key in self._index

    def best(self) -> BookLevel | None:
        """Return the best level, or None when the side is empty."""
        keys = self._keys
        if not keys:
            return None
        return self._levels[keys[0] * self._sign]

    def levels(self, n: int | None = None) -> list[BookLevel]:
        """Return up to `n` levels (all when None), best first."""
        keys = self._keys if n is None else self._keys[:n]
        levels = self._levels
        sign = self._sign
        return [levels[k * sign] for k in keys]

    def iter_levels(self) -> Iterator[BookLevel]:
        """Yield the levels best first (do not mutate the side while iterating)."""
        levels = self._levels
        sign = self._sign
        for k in self._keys:
            yield levels[k * sign]

    def level_at(self, price_raw: int) -> BookLevel | None:
        """Return the level at a raw price, or None."""
        return self._levels.get(price_raw)

    def price_of(self, key: int) -> int | None:
        """Return the raw price of the order with `key`, or None when absent."""
        return self._index.get(key)

    def add(self, key: int, order: BookOrder) -> None:
        """Insert an order at the back of its level; an existing key is updated instead."""
        if key in self._index:
            self.update(key, order)
            return
        raw = order.price.raw
        level = self._levels.get(raw)
        if level is None:
            level = BookLevel(order.price)
            self._levels[raw] = level
            insort(self._keys, raw * self._sign)
        level._put(key, order)
        self._index[key] = raw

    def update(self, key: int, order: BookOrder) -> None:
        """Replace an order's size in place (keeping priority) or move it to a new price.

        A zero size deletes the order; an unknown key is added.
        """
        if not order.size.raw:
            self.delete(key)
            return
        old_raw = self._index.get(key)
        if old_raw is None:
            self.add(key, order)
        elif old_raw == order.price.raw:
            self._levels[old_raw]._put(key, order)
        else:
            self.delete(key)
            self.add(key, order)

    def delete(self, key: int) -> bool:
        """Remove an order; return False (and do nothing) when it is not in the book."""
        raw = self._index.pop(key, None)
        if raw is None:
            return False
        level = self._levels[raw]
        level._pop(key)
        if not level._orders:
            del self._levels[raw]
            keys = self._keys
            del keys[bisect_left(keys, raw * self._sign)]
        return True

    def clear(self) -> None:
        """Remove every level."""
        self._levels.clear()
        self._keys.clear()
        self._index.clear()
