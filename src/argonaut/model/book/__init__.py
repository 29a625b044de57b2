"""Order books: the market's book (`OrderBook`, L1/L2/L3) and our own (`OwnOrderBook`).

Pure in-memory structures built from `argonaut.model.book_data`; they import only the
model's values, identifiers and enums.
"""

from __future__ import annotations

from argonaut.model.book.ladder import BookLevel, Ladder
from argonaut.model.book.order_book import InvalidBookOperation, OrderBook, QuoteLike, TradeLike
from argonaut.model.book.own import CLOSED_STATUSES, OwnBookOrder, OwnOrderBook

__all__ = [
    "CLOSED_STATUSES",
    "BookLevel",
    "InvalidBookOperation",
    "Ladder",
    "OrderBook",
    "OwnBookOrder",
    "OwnOrderBook",
    "QuoteLike",
    "TradeLike",
]
