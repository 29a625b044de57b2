"""Order and position event dispatch of a `Strategy`, and local GTD expiry.

Each order event calls its specific handler (``on_order_filled``, ...), then
`on_order_event`, then `on_event`; each position event calls ``on_position_opened`` /
``_changed`` / ``_closed``, then `on_position_event`, then `on_event`. The handlers
are looked up in a table keyed by the event's exact type, built once per strategy
(bound methods, so per event there is one dict lookup and no allocation), and each
runs inside the actor's handler guard, so one failing handler does not skip the next.
User handlers run while the strategy is RUNNING; the strategy's own bookkeeping (GTD
alerts) runs always.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argonaut.cache.cache import Cache
from argonaut.common.clock import Clock
from argonaut.common.logging import INFO
from argonaut.common.timers import TimeEvent
from argonaut.model.enums import ComponentState, TimeInForce
from argonaut.model.events import order as oe
from argonaut.model.events import position as pe
from argonaut.model.identifiers import ClientOrderId, StrategyId
from argonaut.model.orders import Order

_RUNNING = ComponentState.RUNNING
_GTD = TimeInForce.GTD

ORDER_HANDLER_NAMES: dict[type[oe.OrderEvent], str] = {
    oe.OrderInitialized: "on_order_initialized",
    oe.OrderDenied: "on_order_denied",
    oe.OrderEmulated: "on_order_emulated",
    oe.OrderReleased: "on_order_released",
    oe.OrderSubmitted: "on_order_submitted",
    oe.OrderAccepted: "on_order_accepted",
    oe.OrderRejected: "on_order_rejected",
    oe.OrderCanceled: "on_order_canceled",
    oe.OrderExpired: "on_order_expired",
    oe.OrderTriggered: "on_order_triggered",
    oe.OrderPendingUpdate: "on_order_pending_update",
    oe.OrderPendingCancel: "on_order_pending_cancel",
    oe.OrderModifyRejected: "on_order_modify_rejected",
    oe.OrderCancelRejected: "on_order_cancel_rejected",
    oe.OrderUpdated: "on_order_updated",
    oe.OrderFilled: "on_order_filled",
}
POSITION_HANDLER_NAMES: dict[type[pe.PositionEvent], str] = {
    pe.PositionOpened: "on_position_opened",
    pe.PositionChanged: "on_position_changed",
    pe.PositionClosed: "on_position_closed",
}
_CLOSING_EVENTS = (
    oe.OrderDenied,
    oe.OrderRejected,
    oe.OrderCanceled,
    oe.OrderExpired,
    oe.OrderFilled,
)

Handler = Callable[[Any], None]


def gtd_timer_name(client_order_id: ClientOrderId) -> str:
    """Return the name of the alert that expires a GTD order locally."""
    return f"GTD-EXPIRY:{client_order_id}"


class StrategyEvents:
    """Mixin of `Strategy`: event dispatch and managed GTD expiry."""

    component_id: Any
    clock: Clock
    config: Any
    log: Any
    _cache: Cache
    _state: ComponentState
    _order_handlers: dict[type, Handler]
    _position_handlers: dict[type, Handler]
    _gtd_timers: set[ClientOrderId]
    _strategy_id: StrategyId

    def _guard(self, handler: Handler, msg: object) -> None:
        raise NotImplementedError  # the Actor's handler guard

    def cancel_order(self, order: Order) -> None:
        raise NotImplementedError  # Strategy.cancel_order

    def _build_dispatch(self) -> None:
        self._order_handlers = {
            kind: getattr(self, name) for kind, name in ORDER_HANDLER_NAMES.items()
        }
        self._position_handlers = {
            kind: getattr(self, name) for kind, name in POSITION_HANDLER_NAMES.items()
        }

    # -- dispatch ------------------------------------------------------------------------

    def _handle_order_event(self, event: oe.OrderEvent) -> None:
        if self._gtd_timers and isinstance(event, _CLOSING_EVENTS):
            self._on_order_closing(event.client_order_id)
        if self.config.log_events and self.log.is_enabled_for(INFO):
            self.log.info(f"<--[EVT] {event!r}")
        if self._state is not _RUNNING:
            return
        specific = self._order_handlers.get(type(event))
        if specific is not None:
            self._guard(specific, event)
        self._guard(self.on_order_event, event)
        self._guard(self.on_event, event)

    def _handle_position_event(self, event: pe.PositionEvent) -> None:
        if self.config.log_events and self.log.is_enabled_for(INFO):
            self.log.info(f"<--[EVT] {event!r}")
        if self._state is not _RUNNING:
            return
        specific = self._position_handlers.get(type(event))
        if specific is not None:
            self._guard(specific, event)
        self._guard(self.on_position_event, event)
        self._guard(self.on_event, event)

    # -- GTD expiry ------------------------------------------------------------------------

    def _arm_gtd(self, order: Order) -> None:
        """Set the local expiry alert of a GTD order (when `manage_gtd_expiry`)."""
        if order.time_in_force is not _GTD or order.expire_time_ns is None:
            return
        coid = order.client_order_id
        if coid in self._gtd_timers:
            return
        self.clock.set_time_alert(gtd_timer_name(coid), order.expire_time_ns, self._expire_gtd)
        self._gtd_timers.add(coid)

    def _rearm_gtd(self) -> None:
        """Arm the alerts of this strategy's open GTD orders (on start and resume)."""
        self._gtd_timers.clear()
        for order in self._cache.orders(strategy_id=self._strategy_id):
            if not order.is_closed:
                self._arm_gtd(order)

    def _on_order_closing(self, client_order_id: ClientOrderId) -> None:
        if client_order_id not in self._gtd_timers:
            return
        order = self._cache.order(client_order_id)
        if order is None or order.is_closed:
            self._gtd_timers.discard(client_order_id)
            self.clock.cancel_timer(gtd_timer_name(client_order_id))

    def _expire_gtd(self, event: TimeEvent) -> None:
        coid = ClientOrderId(event.name.partition(":")[2])
        self._gtd_timers.discard(coid)
        order = self._cache.order(coid)
        if order is None or order.is_closed or order.is_pending_cancel:
            return
        self.log.info(f"Expiring GTD order {coid} locally at {event.ts_event}")
        self.cancel_order(order)

    # -- user handlers (override) -----------------------------------------------------------

    def on_order_event(self, event: oe.OrderEvent) -> None:
        """Handle any order event (after its specific handler)."""

    def on_event(self, event: Any) -> None:
        """Handle any event (after the order/position handlers)."""

    def on_position_event(self, event: pe.PositionEvent) -> None:
        """Handle any position event (after its specific handler)."""

    def on_order_initialized(self, event: oe.OrderInitialized) -> None:
        """Handle `OrderInitialized`."""

    def on_order_denied(self, event: oe.OrderDenied) -> None:
        """Handle `OrderDenied`."""

    def on_order_emulated(self, event: oe.OrderEmulated) -> None:
        """Handle `OrderEmulated`."""

    def on_order_released(self, event: oe.OrderReleased) -> None:
        """Handle `OrderReleased`."""

    def on_order_submitted(self, event: oe.OrderSubmitted) -> None:
        """Handle `OrderSubmitted`."""

    def on_order_accepted(self, event: oe.OrderAccepted) -> None:
        """Handle `OrderAccepted`."""

    def on_order_rejected(self, event: oe.OrderRejected) -> None:
        """Handle `OrderRejected`."""

    def on_order_canceled(self, event: oe.OrderCanceled) -> None:
        """Handle `OrderCanceled`."""

    def on_order_expired(self, event: oe.OrderExpired) -> None:
        """Handle `OrderExpired`."""

    def on_order_triggered(self, event: oe.OrderTriggered) -> None:
        """Handle `OrderTriggered`."""

    def on_order_pending_update(self, event: oe.OrderPendingUpdate) -> None:
        """Handle `OrderPendingUpdate`."""

    def on_order_pending_cancel(self, event: oe.OrderPendingCancel) -> None:
        """Handle `OrderPendingCancel`."""

    def on_order_modify_rejected(self, event: oe.OrderModifyRejected) -> None:
        """Handle `OrderModifyRejected`."""

    def on_order_cancel_rejected(self, event: oe.OrderCancelRejected) -> None:
        """Handle `OrderCancelRejected`."""

    def on_order_updated(self, event: oe.OrderUpdated) -> None:
        """Handle `OrderUpdated`."""

    def on_order_filled(self, event: oe.OrderFilled) -> None:
        """Handle `OrderFilled`."""

    def on_position_opened(self, event: pe.PositionOpened) -> None:
        """Handle `PositionOpened`."""

    def on_position_changed(self, event: pe.PositionChanged) -> None:
        """Handle `PositionChanged`."""

    def on_position_closed(self, event: pe.PositionClosed) -> None:
        """Handle `PositionClosed`."""


__all__ = ["ORDER_HANDLER_NAMES", "POSITION_HANDLER_NAMES", "StrategyEvents", "gtd_timer_name"]
