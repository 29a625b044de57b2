"""Own order books: our own resting orders per instrument, keyed by client order id.

An own book lets a strategy see which part of the market's book is its own and lets the
node audit that only open orders rest there (see `OwnOrderBook.audit_open_orders`).
Levels are kept sorted best first with `bisect`, like `OrderBook`.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Container

import msgspec

from argonaut.model.enums import OrderSide, OrderStatus, OrderType, TimeInForce
from argonaut.model.identifiers import ClientOrderId, InstrumentId, TraderId
from argonaut.model.values import Price, Quantity

CLOSED_STATUSES = frozenset(
    {
        OrderStatus.DENIED,
        OrderStatus.REJECTED,
        OrderStatus.CANCELED,
        OrderStatus.EXPIRED,
        OrderStatus.FILLED,
    }
)


class OwnBookOrder(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """One of our orders as it rests in an own book (`size` is its open quantity)."""

    trader_id: TraderId
    client_order_id: ClientOrderId
    side: OrderSide
    price: Price
    size: Quantity
    order_type: OrderType
    time_in_force: TimeInForce
    status: OrderStatus
    ts_last: int
    ts_init: int


class _OwnSide:
    __slots__ = ("_keys", "_levels", "_sign")

    def __init__(self, *, descending: bool) -> None:
        self._sign = -1 if descending else 1
        self._levels: dict[int, dict[ClientOrderId, OwnBookOrder]] = {}
        self._keys: list[int] = []

    def put(self, order: OwnBookOrder) -> None:
        raw = order.price.raw
        level = self._levels.get(raw)
        if level is None:
            level = {}
            self._levels[raw] = level
            insort(self._keys, raw * self._sign)
        level[order.client_order_id] = order

    def remove(self, order: OwnBookOrder) -> None:
        raw = order.price.raw
        level = self._levels[raw]
        del level[order.client_order_id]
        if not level:
            del self._levels[raw]
            del self._keys[bisect_left(self._keys, raw * self._sign)]

    def as_map(self) -> dict[Price, list[OwnBookOrder]]:
        levels = self._levels
        sign = self._sign
        result: dict[Price, list[OwnBookOrder]] = {}
        for k in self._keys:
            orders = list(levels[k * sign].values())
            result[orders[0].price] = orders
        return result

    def quantities(self) -> dict[Price, Quantity]:
        result: dict[Price, Quantity] = {}
        for price, orders in self.as_map().items():
            raw = 0
            prec = 0
            for order in orders:
                raw += order.size.raw
                prec = max(prec, order.size.precision)
            result[price] = Quantity(raw, prec)
        return result


class OwnOrderBook:
    """Our own resting orders for one instrument, by side and price, best first."""

    __slots__ = ("_asks", "_bids", "_instrument_id", "_orders", "_ts_last", "_update_count")

    def __init__(self, instrument_id: InstrumentId) -> None:
        self._instrument_id = InstrumentId(instrument_id)
        self._bids = _OwnSide(descending=True)
        self._asks = _OwnSide(descending=False)
        self._orders: dict[ClientOrderId, OwnBookOrder] = {}
        self._ts_last = 0
        self._update_count = 0

    def __len__(self) -> int:
        return len(self._orders)

    def __contains__(self, client_order_id: object) -> bool:
        return client_order_id in self._orders

    def __repr__(self) -> str:
        return f"OwnOrderBook({self._instrument_id}, orders={len(self._orders)})"

    @property
    def instrument_id(self) -> InstrumentId:
        """The instrument of this book."""
        return self._instrument_id

    @property
    def ts_last(self) -> int:
        """The `ts_last` of the last order added or updated."""
        return self._ts_last

    @property
    def update_count(self) -> int:
        """How many adds, updates and deletes changed the book."""
        return self._update_count

    def get(self, client_order_id: ClientOrderId) -> OwnBookOrder | None:
        """Return the resting order with this client order id, or None."""
        return self._orders.get(client_order_id)

    def add(self, order: OwnBookOrder) -> None:
        """Add an open order; an id already in the book or a closed order is refused."""
        if order.client_order_id in self._orders:
            raise ValueError(
                f"own order {order.client_order_id} is already in the own book for "
                f"{self._instrument_id}: use update() to change it"
            )
        if order.status in CLOSED_STATUSES:
            raise ValueError(
                f"own order {order.client_order_id} is {order.status.value}: only open orders "
                f"rest in the own book for {self._instrument_id}"
            )
        self._side(order).put(order)
        self._orders[order.client_order_id] = order
        self._ts_last = order.ts_last
        self._update_count += 1

    def update(self, order: OwnBookOrder) -> None:
        """Replace an order by client order id (adding it when absent).

        An order whose status is closed (filled, canceled, expired, rejected, denied) or
        whose size is zero is removed instead.
        """
        old = self._orders.pop(order.client_order_id, None)
        if old is not None:
            self._side(old).remove(old)
        if order.status not in CLOSED_STATUSES and order.size.raw:
            self._side(order).put(order)
            self._orders[order.client_order_id] = order
        self._ts_last = order.ts_last
        self._update_count += 1

    def delete(self, order: OwnBookOrder | ClientOrderId) -> bool:
        """Remove an order (given itself or its id); return False when it was not there."""
        client_order_id = order.client_order_id if isinstance(order, OwnBookOrder) else order
        old = self._orders.pop(client_order_id, None)
        if old is None:
            return False
        self._side(old).remove(old)
        self._update_count += 1
        return True

    def clear(self) -> None:
        """Remove every order."""
        self._bids = _OwnSide(descending=True)
        self._asks = _OwnSide(descending=False)
        self._orders.clear()
        self._update_count += 1

    def client_order_ids(self) -> list[ClientOrderId]:
        """Return the client order ids in the book, in the order they were added."""
        return list(self._orders)

    def bids_as_map(self) -> dict[Price, list[OwnBookOrder]]:
        """Return our bids by price, best (highest) first, each level oldest first."""
        return self._bids.as_map()

    def asks_as_map(self) -> dict[Price, list[OwnBookOrder]]:
        """Return our asks by price, best (lowest) first, each level oldest first."""
        return self._asks.as_map()

    def bid_quantity(self) -> dict[Price, Quantity]:
        """Return our total bid size per price, best first."""
        return self._bids.quantities()

    def ask_quantity(self) -> dict[Price, Quantity]:
        """Return our total ask size per price, best first."""
        return self._asks.quantities()

    def audit_open_orders(self, open_ids: Container[ClientOrderId]) -> list[ClientOrderId]:
        """Remove every order whose id is not in `open_ids`; return the removed ids.

        The node passes the cache's open and in-flight client order ids, so anything left
        behind by a missed close event is dropped. Ids come back in the order added.
        """
        removed = [coid for coid in self._orders if coid not in open_ids]
        for coid in removed:
            self.delete(coid)
        return removed

    def _side(self, order: OwnBookOrder) -> _OwnSide:
        if order.side is OrderSide.BUY:
            return self._bids
        if order.side is OrderSide.SELL:
            return self._asks
        raise ValueError(
            f"own order {order.client_order_id} has side {order.side.value}: expected BUY or "
            f"SELL for the own book of {self._instrument_id}"
        )
