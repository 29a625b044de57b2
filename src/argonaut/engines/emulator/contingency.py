"""Contingent order management: keep the links of OTO, OCO and OUO orders consistent.

The manager decides; the `ContingencyActions` it is given (the order emulator) act:
cancel, change a quantity, submit a held child. It manages only the orders handed to
it (`manage`), so lists a venue handles natively are never touched twice.

- OTO: children wait (`hold`) until their parent fills. The first fill, partial or not,
  submits them with the parent's filled quantity; each later fill brings their quantity
  to the parent's filled quantity. A parent closed without any fill (canceled, expired,
  rejected, denied) cancels its children.
- OCO: when a leg closes (filled, canceled, expired, rejected, denied), the other legs
  are canceled. A partial fill leaves the other legs alone.
- OUO: like OCO when a leg closes; a partial fill of one leg reduces each other leg to
  its own filled quantity plus the leg's leaves quantity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

from argonaut.model.enums import ContingencyType
from argonaut.model.events.order import (
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
)
from argonaut.model.identifiers import ClientOrderId, PositionId
from argonaut.model.orders import CLOSED, Order
from argonaut.model.values import Quantity

if TYPE_CHECKING:
    from argonaut.cache import Cache
    from argonaut.model.commands.trading import SubmitOrder

_OTO = ContingencyType.OTO
_OCO = ContingencyType.OCO
_OUO = ContingencyType.OUO
_NONE = ContingencyType.NO_CONTINGENCY
_CLOSING_EVENTS: Final = frozenset({OrderCanceled, OrderExpired, OrderRejected, OrderDenied})


class ContingencyActions(Protocol):
    """What the contingency manager asks its owner to do."""

    def cancel_order(self, order: Order) -> None:
        """Cancel `order`: locally if it never left the node, else at the venue."""

    def modify_quantity(self, order: Order, quantity: Quantity) -> None:
        """Change `order`'s quantity: locally if it never left the node, else at the venue."""

    def submit_child(
        self, order: Order, command: SubmitOrder, position_id: PositionId | None
    ) -> None:
        """Submit (or emulate) a held OTO child now that its parent has filled."""


class ContingencyManager:
    """Held OTO children and the contingent orders to watch; see the module docstring."""

    __slots__ = ("_actions", "_cache", "_children", "_held", "_managed")

    def __init__(self, cache: Cache, actions: ContingencyActions) -> None:
        self._cache = cache
        self._actions = actions
        self._managed: set[ClientOrderId] = set()
        self._held: dict[ClientOrderId, SubmitOrder] = {}
        self._children: dict[ClientOrderId, list[ClientOrderId]] = {}

    # -- queries ---------------------------------------------------------------------

    @property
    def managed_ids(self) -> set[ClientOrderId]:
        """The watched orders' ids: the live set (for a cheap membership test; do not
        modify it). An event of an order not in it is ignored by `on_event`."""
        return self._managed

    def is_managed(self, client_order_id: ClientOrderId) -> bool:
        """Return True if the manager watches this order's contingencies."""
        return client_order_id in self._managed

    def is_held(self, client_order_id: ClientOrderId) -> bool:
        """Return True if this OTO child is waiting for its parent to fill."""
        return client_order_id in self._held

    def held_ids(self) -> list[ClientOrderId]:
        """Return the held OTO children, in the order they were held."""
        return list(self._held)

    # -- registering -----------------------------------------------------------------

    def manage(self, order: Order) -> None:
        """Watch `order` if it is contingent (a contingency type or a parent)."""
        if order.contingency_type is not _NONE or order.parent_order_id is not None:
            self._managed.add(order.client_order_id)

    def hold(self, order: Order, command: SubmitOrder) -> bool:
        """Hold an OTO child whose parent has not filled yet; return True if consumed.

        A child whose parent already filled is brought to the parent's filled quantity
        and returned to the caller to route (False). A child whose parent closed without
        a fill is canceled (True).
        """
        parent_id = order.parent_order_id
        if parent_id is None:
            return False
        parent = self._cache.order(parent_id)
        if parent is None or parent.contingency_type is not _OTO:
            return False
        filled = parent.filled_qty
        if filled.raw > 0:
            if filled.raw != order.quantity.raw:
                self._actions.modify_quantity(order, filled)
            return False
        if parent.status in CLOSED:
            self._actions.cancel_order(order)
            return True
        coid = order.client_order_id
        self._held[coid] = command
        children = self._children.setdefault(parent_id, [])
        if coid not in children:
            children.append(coid)
        return True

    def release(self, client_order_id: ClientOrderId) -> SubmitOrder | None:
        """Stop holding an order (canceled locally); return its submit command."""
        return self._held.pop(client_order_id, None)

    def clear(self) -> None:
        """Forget every managed and held order."""
        self._managed.clear()
        self._held.clear()
        self._children.clear()

    # -- events ----------------------------------------------------------------------

    def on_event(self, event: OrderEvent) -> None:
        """React to an order event (published after the order applied it)."""
        coid = event.client_order_id
        if coid not in self._managed:
            return
        kind = type(event)
        if kind is not OrderFilled and kind not in _CLOSING_EVENTS:
            return
        order = self._cache.order(coid)
        if order is None:
            return
        if kind is OrderFilled:
            self._on_fill(order)
        else:
            self._on_closed(order)
        if order.status in CLOSED:
            self._managed.discard(coid)
            self._children.pop(coid, None)

    def _on_fill(self, order: Order) -> None:
        kind = order.contingency_type
        if kind is _OTO:
            self._release_children(order)
        elif kind is _OCO:
            if order.status in CLOSED:
                self._cancel_linked(order)
        elif kind is _OUO:
            if order.status in CLOSED:
                self._cancel_linked(order)
            else:
                self._reduce_linked(order)

    def _on_closed(self, order: Order) -> None:
        kind = order.contingency_type
        if kind is _OTO:
            if order.filled_qty.raw == 0:
                for child in self._linked(order):
                    self._held.pop(child.client_order_id, None)
                    self._actions.cancel_order(child)
        elif kind is _OCO or kind is _OUO:
            self._cancel_linked(order)

    def _release_children(self, parent: Order) -> None:
        filled = parent.filled_qty
        cache = self._cache
        position_id = cache.position_id(parent.client_order_id)
        for child in self._linked(parent):
            coid = child.client_order_id
            if child.status in CLOSED:
                self._held.pop(coid, None)
                continue
            if filled.raw != child.quantity.raw:
                self._actions.modify_quantity(child, filled)
            command = self._held.pop(coid, None)
            if command is not None:
                self._actions.submit_child(child, command, position_id)

    def _cancel_linked(self, order: Order) -> None:
        for other in self._linked(order):
            if other.status not in CLOSED:
                self._held.pop(other.client_order_id, None)
                self._actions.cancel_order(other)

    def _reduce_linked(self, order: Order) -> None:
        leaves = order.leaves_qty
        for other in self._linked(order):
            if other.status in CLOSED:
                continue
            target = other.filled_qty.raw + leaves.raw
            if target != other.quantity.raw:
                precision = max(other.quantity.precision, leaves.precision)
                self._actions.modify_quantity(other, Quantity(target, precision))

    def _linked(self, order: Order) -> list[Order]:
        """Return the cached orders linked to `order` (linked ids, then held children)."""
        coid = order.client_order_id
        ids = dict.fromkeys(order.linked_order_ids or ())
        ids.update(dict.fromkeys(self._children.get(coid, ())))
        ids.pop(coid, None)
        cache = self._cache
        linked = []
        for linked_id in ids:
            other = cache.order(linked_id)
            if other is not None:
                linked.append(other)
        return linked


__all__ = ["ContingencyActions", "ContingencyManager"]
