"""Order lists: orders submitted together (brackets, OCO/OTO/OUO groups).

An `OrderList` holds the orders' `OrderInitialized` events, never live `Order` objects,
so it can travel in a `SubmitOrderList` command and be persisted; engines look the live
orders up in the cache by client order id.
"""

from __future__ import annotations

import msgspec

from argonaut.model.events.order import OrderInitialized
from argonaut.model.identifiers import ClientOrderId, InstrumentId, OrderListId, StrategyId


class OrderList(msgspec.Struct, frozen=True, kw_only=True, tag=True, gc=False):
    """Orders of one strategy on one instrument, submitted together.

    Raises `ValueError` when the list is empty, repeats a client order id, or holds an
    order of another strategy, another instrument or another order list.
    """

    id: OrderListId
    instrument_id: InstrumentId
    strategy_id: StrategyId
    orders: tuple[OrderInitialized, ...]
    ts_init: int

    def __post_init__(self) -> None:
        if not self.orders:
            raise ValueError(f"order list {self.id} is empty: expected at least one order")
        seen: set[ClientOrderId] = set()
        for order in self.orders:
            cid = order.client_order_id
            if cid in seen:
                raise ValueError(
                    f"order list {self.id} holds client order id {cid} twice: "
                    "each order must have its own client order id"
                )
            seen.add(cid)
            if order.strategy_id != self.strategy_id:
                raise ValueError(
                    f"order {cid} belongs to strategy {order.strategy_id}, but order list "
                    f"{self.id} belongs to {self.strategy_id}: expected one strategy"
                )
            if order.instrument_id != self.instrument_id:
                raise ValueError(
                    f"order {cid} is for {order.instrument_id}, but order list {self.id} "
                    f"is for {self.instrument_id}: expected one instrument"
                )
            if order.order_list_id is not None and order.order_list_id != self.id:
                raise ValueError(
                    f"order {cid} names order list {order.order_list_id}, not {self.id}"
                )

    @property
    def first(self) -> OrderInitialized:
        """Return the first order (the entry order of a bracket)."""
        return self.orders[0]

    @property
    def client_order_ids(self) -> tuple[ClientOrderId, ...]:
        """Return the client order ids in list order."""
        return tuple(order.client_order_id for order in self.orders)
