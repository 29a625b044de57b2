"""Order book market data: `BookOrder`, `OrderBookDelta`, `OrderBookDeltas`, `OrderBookDepth10`.

Each type is a frozen, tagged `msgspec.Struct` that round-trips through JSON and
MessagePack with the `argonaut.model.codec` hooks. They are dict-like on the wire (not
``array_like``) so they can share a tagged union with every other message type.

``flags`` is a bit set of record flags:

- `F_LAST` (128): the last record of an event (apply and publish the batch now);
- `F_TOB` (64): a top-of-book record;
- `F_SNAPSHOT` (32): part of a snapshot (a CLEAR then ADDs) rather than an incremental;
- `F_MBP` (16): market-by-price data (one aggregated order per price level).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from argonaut.model.enums import BookAction, OrderSide
from argonaut.model.identifiers import InstrumentId
from argonaut.model.values import Price, Quantity

F_LAST = 128
F_TOB = 64
F_SNAPSHOT = 32
F_MBP = 16

DEPTH10_LEN = 10


class BookOrder(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """An order resting in a book: a single order (L3) or a price level's aggregate (L2)."""

    side: OrderSide
    price: Price
    size: Quantity
    order_id: int = 0


NULL_ORDER = BookOrder(side=OrderSide.NO_ORDER_SIDE, price=Price(0, 0), size=Quantity(0, 0))


class OrderBookDelta(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """One change to an order book: add, update or delete an order, or clear the book."""

    instrument_id: InstrumentId
    action: BookAction
    order: BookOrder
    flags: int = 0
    sequence: int = 0
    ts_event: int
    ts_init: int

    @classmethod
    def clear(
        cls,
        instrument_id: InstrumentId,
        *,
        sequence: int = 0,
        ts_event: int,
        ts_init: int,
        flags: int = F_SNAPSHOT,
    ) -> OrderBookDelta:
        """Build a CLEAR delta (the first record of a snapshot)."""
        return cls(
            instrument_id=instrument_id,
            action=BookAction.CLEAR,
            order=NULL_ORDER,
            flags=flags,
            sequence=sequence,
            ts_event=ts_event,
            ts_init=ts_init,
        )

    @property
    def is_last(self) -> bool:
        """True when the F_LAST flag is set."""
        return bool(self.flags & F_LAST)

    @property
    def is_snapshot(self) -> bool:
        """True when the F_SNAPSHOT flag is set."""
        return bool(self.flags & F_SNAPSHOT)


class OrderBookDeltas(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A non-empty batch of deltas for one instrument, applied together.

    `flags`, `sequence`, `ts_event` and `ts_init` describe the batch; `from_deltas` takes
    them from the last delta.
    """

    instrument_id: InstrumentId
    deltas: tuple[OrderBookDelta, ...]
    flags: int = 0
    sequence: int = 0
    ts_event: int
    ts_init: int

    def __post_init__(self) -> None:
        deltas = self.deltas
        if not deltas:
            raise ValueError(
                f"OrderBookDeltas for {self.instrument_id} is empty: expected at least one delta"
            )
        if type(deltas) is not tuple:
            # Keep the field immutable whatever sequence the caller passed.
            msgspec.structs.force_setattr(self, "deltas", tuple(deltas))
        for delta in deltas:
            if delta.instrument_id != self.instrument_id:
                raise ValueError(
                    f"delta for {delta.instrument_id} cannot be in OrderBookDeltas for "
                    f"{self.instrument_id}: every delta must be for the same instrument"
                )

    @classmethod
    def from_deltas(cls, deltas: Sequence[OrderBookDelta]) -> OrderBookDeltas:
        """Batch `deltas`, taking instrument, flags, sequence and times from the last one."""
        if not deltas:
            raise ValueError("cannot batch an empty list of deltas: expected at least one delta")
        last = deltas[-1]
        return cls(
            instrument_id=last.instrument_id,
            deltas=tuple(deltas),
            flags=last.flags,
            sequence=last.sequence,
            ts_event=last.ts_event,
            ts_init=last.ts_init,
        )

    def __len__(self) -> int:
        return len(self.deltas)


class OrderBookDepth10(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """A snapshot of up to ten levels per side, best first.

    ``bid_counts[i]`` is the number of orders at ``bids[i]`` (same for asks).
    """

    instrument_id: InstrumentId
    bids: tuple[BookOrder, ...]
    asks: tuple[BookOrder, ...]
    bid_counts: tuple[int, ...]
    ask_counts: tuple[int, ...]
    flags: int = 0
    sequence: int = 0
    ts_event: int
    ts_init: int

    def __post_init__(self) -> None:
        for name in ("bids", "asks", "bid_counts", "ask_counts"):
            value = getattr(self, name)
            if type(value) is not tuple:
                msgspec.structs.force_setattr(self, name, tuple(value))
        self._check_side("bids", self.bids, self.bid_counts, OrderSide.BUY)
        self._check_side("asks", self.asks, self.ask_counts, OrderSide.SELL)

    def _check_side(
        self,
        name: str,
        orders: tuple[BookOrder, ...],
        counts: tuple[int, ...],
        side: OrderSide,
    ) -> None:
        where = f"OrderBookDepth10 for {self.instrument_id}"
        if len(orders) > DEPTH10_LEN:
            raise ValueError(f"{where} has {len(orders)} {name}: expected at most {DEPTH10_LEN}")
        if len(counts) != len(orders):
            raise ValueError(
                f"{where} has {len(orders)} {name} but {len(counts)} counts: "
                "expected one count per level"
            )
        prev: int | None = None
        for order in orders:
            if order.side is not side:
                raise ValueError(
                    f"{where} has a {order.side.value} order among its {name}: "
                    f"expected side {side.value}"
                )
            raw = order.price.raw
            if prev is not None and (raw >= prev if side is OrderSide.BUY else raw <= prev):
                order_word = "descending" if side is OrderSide.BUY else "ascending"
                raise ValueError(
                    f"{where} has {name} out of order at {order.price}: expected "
                    f"strictly {order_word} prices, best first"
                )
            prev = raw


__all__ = [
    "DEPTH10_LEN",
    "F_LAST",
    "F_MBP",
    "F_SNAPSHOT",
    "F_TOB",
    "NULL_ORDER",
    "BookOrder",
    "OrderBookDelta",
    "OrderBookDeltas",
    "OrderBookDepth10",
]
