"""`check_integrity`: every index entry points at a cached object and agrees with it.

Run after loading the cache from a database and by tests; it reads everything once
(O(size of the cache)) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from argonaut.cache.base import CacheBase, IdSet
from argonaut.model.enums import OrderStatus
from argonaut.model.identifiers import ClientOrderId, PositionId
from argonaut.model.orders import CLOSED, IN_FLIGHT, OPEN, Order
from argonaut.model.position import Position

_ORDER_SETS: tuple[tuple[str, str, Callable[[OrderStatus], bool]], ...] = (
    ("open", "_index_orders_open", lambda s: s in OPEN),
    ("closed", "_index_orders_closed", lambda s: s in CLOSED),
    ("in-flight", "_index_orders_inflight", lambda s: s in IN_FLIGHT),
    ("emulated", "_index_orders_emulated", lambda s: s is OrderStatus.EMULATED),
)

OrderKeyed = tuple[str, Mapping[Any, IdSet[ClientOrderId]], Callable[[Order], object]]
PositionKeyed = tuple[str, Mapping[Any, IdSet[PositionId]], Callable[[Position], object]]


class IntegrityMixin(CacheBase):
    """The integrity check of the `Cache`."""

    __slots__ = ()

    def check_integrity(self) -> list[str]:
        """Return every inconsistency between the stores and their indexes (empty if none)."""
        problems: list[str] = []
        self._check_orders(problems)
        self._check_order_links(problems)
        self._check_positions(problems)
        for venue, account_id in self._index_venue_account.items():
            if account_id not in self._accounts:
                problems.append(f"venue {venue} maps to account {account_id}, which is not cached")
            elif account_id.get_issuer() != venue:
                problems.append(f"venue {venue} maps to account {account_id} of another issuer")
        return problems

    def _check_orders(self, problems: list[str]) -> None:
        orders = self._orders
        for coid, order in orders.items():
            if order.client_order_id != coid:
                problems.append(
                    f"order cached under {coid} has client order id {order.client_order_id}"
                )
            if coid not in self._order_seq:
                problems.append(f"order {coid} has no add sequence number")
            status = order.status
            for name, attr, expected in _ORDER_SETS:
                index: IdSet[ClientOrderId] = getattr(self, attr)
                if (coid in index) != expected(status):
                    where = "is" if coid in index else "is not"
                    problems.append(
                        f"order {coid} {where} in the {name} index but its status is {status.value}"
                    )
            voi = order.venue_order_id
            mapped = self._index_client_order_ids.get(coid)
            if voi is not None and mapped != voi:
                problems.append(
                    f"order {coid} has venue order id {voi} but the index maps it to {mapped}"
                )
        keyed: tuple[OrderKeyed, ...] = (
            ("venue", self._index_venue_orders, lambda o: o.instrument_id.venue),
            ("instrument", self._index_instrument_orders, lambda o: o.instrument_id),
            ("strategy", self._index_strategy_orders, lambda o: o.strategy_id),
            ("exec algorithm", self._index_exec_algorithm_orders, lambda o: o.exec_algorithm_id),
            ("exec spawn", self._index_exec_spawn_orders, lambda o: o.exec_spawn_id),
        )
        for name, index_by_key, key_of in keyed:
            for key, members in index_by_key.items():
                for coid in members:
                    member = orders.get(coid)
                    if member is None:
                        problems.append(f"{name} index {key} lists order {coid}, not cached")
                    elif key_of(member) != key:
                        problems.append(
                            f"{name} index {key} lists order {coid}, whose {name} is "
                            f"{key_of(member)}"
                        )
            for coid, order in orders.items():
                key = key_of(order)
                if key is not None and coid not in index_by_key.get(key, ()):
                    problems.append(f"order {coid} is missing from the {name} index {key}")
        for name, attr, _ in _ORDER_SETS:
            problems.extend(
                f"{name} index lists order {coid}, which is not cached"
                for coid in getattr(self, attr)
                if coid not in orders
            )
        problems.extend(
            f"order {coid} has a sequence number but is not cached"
            for coid in self._order_seq
            if coid not in orders
        )

    def _check_order_links(self, problems: list[str]) -> None:
        orders = self._orders
        forward = self._index_client_order_ids
        for coid, voi in forward.items():
            if coid not in orders:
                problems.append(f"venue order id {voi} is mapped from order {coid}, not cached")
            if self._index_venue_order_ids.get(voi) != coid:
                problems.append(
                    f"order {coid} maps to venue order id {voi}, which maps back to "
                    f"{self._index_venue_order_ids.get(voi)}"
                )
        for voi, coid in self._index_venue_order_ids.items():
            order = orders.get(coid)
            if order is None:
                problems.append(f"venue order id {voi} maps to order {coid}, not cached")
            elif forward.get(coid) != voi and voi not in order.venue_order_ids:
                problems.append(f"venue order id {voi} maps to order {coid}, which never had it")
        problems.extend(
            f"client index lists order {coid}, which is not cached"
            for coid in self._index_order_client
            if coid not in orders
        )
        for coid, pid in self._index_order_position.items():
            if coid not in orders:
                problems.append(f"order {coid} is linked to position {pid} but not cached")
            if coid not in self._index_position_orders.get(pid, ()):
                problems.append(f"order {coid} is linked to position {pid}, which omits it")
        for pid, members in self._index_position_orders.items():
            for coid in members:
                if coid not in orders:
                    problems.append(f"position {pid} lists order {coid}, which is not cached")
                elif self._index_order_position.get(coid) != pid and pid not in (
                    self._index_order_prior_positions.get(coid, ())
                ):
                    problems.append(f"position {pid} lists order {coid}, not linked to it")

    def _check_positions(self, problems: list[str]) -> None:
        positions = self._positions
        for pid, position in positions.items():
            if position.id != pid:
                problems.append(f"position cached under {pid} has id {position.id}")
            if pid not in self._position_seq:
                problems.append(f"position {pid} has no add sequence number")
            is_open = pid in self._index_positions_open
            is_closed = pid in self._index_positions_closed
            if is_open != position.is_open or is_closed != position.is_closed:
                problems.append(
                    f"position {pid} is {position.side.value} but indexed as "
                    f"{'open' if is_open else ''}{'closed' if is_closed else ''}"
                    f"{'' if is_open or is_closed else 'neither open nor closed'}"
                )
            owner = self._index_position_strategy.get(pid)
            if owner != position.strategy_id:
                problems.append(
                    f"position {pid} of strategy {position.strategy_id} is indexed as owned "
                    f"by {owner}"
                )
        keyed: tuple[PositionKeyed, ...] = (
            ("venue", self._index_venue_positions, lambda p: p.instrument_id.venue),
            ("instrument", self._index_instrument_positions, lambda p: p.instrument_id),
            ("strategy", self._index_strategy_positions, lambda p: p.strategy_id),
        )
        for name, index_by_key, key_of in keyed:
            for key, members in index_by_key.items():
                for pid in members:
                    member = positions.get(pid)
                    if member is None:
                        problems.append(f"{name} index {key} lists position {pid}, not cached")
                    elif key_of(member) != key:
                        problems.append(
                            f"{name} index {key} lists position {pid}, whose {name} is "
                            f"{key_of(member)}"
                        )
            for pid, position in positions.items():
                if pid not in index_by_key.get(key_of(position), ()):
                    problems.append(
                        f"position {pid} is missing from the {name} index {key_of(position)}"
                    )
        for name, status_index in (
            ("open", self._index_positions_open),
            ("closed", self._index_positions_closed),
        ):
            problems.extend(
                f"{name} position index lists {pid}, which is not cached"
                for pid in status_index
                if pid not in positions
            )
        problems.extend(
            f"position {pid} has a sequence number but is not cached"
            for pid in self._position_seq
            if pid not in positions
        )


__all__ = ["IntegrityMixin"]
