"""The events and commands the order emulator sends, and its local event sink.

`EmulatorMessages` stamps each message with the injected clock and UUID factory.
`LocalEventSink` does what the execution engine does with an order event (apply it to
the cached order, re-index the order, publish the event) for an emulator running without
one.
"""

from __future__ import annotations

from typing import Any

import msgspec

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.model.commands.data import SubscribeQuoteTicks, SubscribeTradeTicks
from argonaut.model.commands.trading import CancelOrder, ModifyOrder, SubmitOrder
from argonaut.model.events.order import (
    OrderCanceled,
    OrderDenied,
    OrderEmulated,
    OrderEvent,
    OrderFilled,
    OrderInitialized,
    OrderReleased,
    OrderUpdated,
)
from argonaut.model.identifiers import ClientId, ComponentId, InstrumentId, PositionId
from argonaut.model.orders import Order
from argonaut.model.values import Price, Quantity


def current_init(order: Order) -> OrderInitialized:
    """Return `order`'s initialization with its current quantity, price and trigger."""
    init = order.init_event
    if (
        init.quantity.raw == order.quantity.raw
        and init.price == order.price
        and init.trigger_price == order.trigger_price
    ):
        return init
    return msgspec.structs.replace(
        init, quantity=order.quantity, price=order.price, trigger_price=order.trigger_price
    )


class EmulatorMessages:
    """Build the emulator's order events and commands, stamped now with fresh ids."""

    __slots__ = ("_clock", "_subscriber", "_uuids")

    def __init__(self, clock: Clock, uuid_factory: UUIDFactory, subscriber: ComponentId) -> None:
        self._clock = clock
        self._uuids = uuid_factory
        self._subscriber = subscriber

    # -- events ------------------------------------------------------------------------

    def emulated(self, order: Order) -> OrderEmulated:
        """Return the `OrderEmulated` of `order`."""
        return OrderEmulated(**self._fields(order))

    def released(self, order: Order, released_price: Price) -> OrderReleased:
        """Return the `OrderReleased` of `order` at `released_price`."""
        return OrderReleased(**self._fields(order), released_price=released_price)

    def canceled(self, order: Order) -> OrderCanceled:
        """Return the local `OrderCanceled` of `order`."""
        return OrderCanceled(**self._fields(order))

    def updated(
        self, order: Order, quantity: Quantity, price: Price | None, trigger: Price | None
    ) -> OrderUpdated:
        """Return the local `OrderUpdated` of `order`."""
        return OrderUpdated(
            **self._fields(order), quantity=quantity, price=price, trigger_price=trigger
        )

    def denied(self, order: Order, reason: str) -> OrderDenied:
        """Return the `OrderDenied` of `order`."""
        return OrderDenied(**self._fields(order), reason=reason)

    def _fields(self, order: Order) -> dict[str, Any]:
        now = self._clock.timestamp_ns()
        return {
            "trader_id": order.trader_id,
            "strategy_id": order.strategy_id,
            "instrument_id": order.instrument_id,
            "client_order_id": order.client_order_id,
            "venue_order_id": order.venue_order_id,
            "account_id": order.account_id,
            "event_id": self._uuids.generate(),
            "ts_event": now,
            "ts_init": now,
        }

    # -- commands ----------------------------------------------------------------------

    def resubmit(
        self, command: SubmitOrder, order: Order, position_id: PositionId | None = None
    ) -> SubmitOrder:
        """Return `command` for `order` as it is now (released or held), re-stamped."""
        return msgspec.structs.replace(
            command,
            command_id=self._uuids.generate(),
            ts_init=self._clock.timestamp_ns(),
            order_init=current_init(order),
            position_id=position_id if position_id is not None else command.position_id,
        )

    def submit(
        self, order: Order, position_id: PositionId | None, client_id: ClientId | None
    ) -> SubmitOrder:
        """Return a new `SubmitOrder` of `order` as it is now."""
        return SubmitOrder(
            trader_id=order.trader_id,
            command_id=self._uuids.generate(),
            ts_init=self._clock.timestamp_ns(),
            order_init=current_init(order),
            position_id=position_id,
            exec_algorithm_id=order.exec_algorithm_id,
            client_id=client_id,
        )

    def cancel(self, order: Order, client_id: ClientId | None) -> CancelOrder:
        """Return the `CancelOrder` of `order` (at the venue)."""
        return CancelOrder(**self._order_command(order, client_id))

    def modify_quantity(
        self, order: Order, quantity: Quantity, client_id: ClientId | None
    ) -> ModifyOrder:
        """Return the `ModifyOrder` changing `order`'s quantity (at the venue)."""
        return ModifyOrder(**self._order_command(order, client_id), quantity=quantity)

    def _order_command(self, order: Order, client_id: ClientId | None) -> dict[str, Any]:
        return {
            "trader_id": order.trader_id,
            "command_id": self._uuids.generate(),
            "ts_init": self._clock.timestamp_ns(),
            "client_id": client_id,
            "strategy_id": order.strategy_id,
            "instrument_id": order.instrument_id,
            "client_order_id": order.client_order_id,
            "venue_order_id": order.venue_order_id,
        }

    def subscribe_quotes(self, instrument_id: InstrumentId) -> SubscribeQuoteTicks:
        """Return the emulator's subscription to `instrument_id`'s quotes."""
        return SubscribeQuoteTicks(**self._data_command(instrument_id))

    def subscribe_trades(self, instrument_id: InstrumentId) -> SubscribeTradeTicks:
        """Return the emulator's subscription to `instrument_id`'s trades."""
        return SubscribeTradeTicks(**self._data_command(instrument_id))

    def _data_command(self, instrument_id: InstrumentId) -> dict[str, Any]:
        return {
            "command_id": self._uuids.generate(),
            "ts_init": self._clock.timestamp_ns(),
            "venue": instrument_id.venue,
            "instrument_id": instrument_id,
            "subscriber": self._subscriber,
        }


class LocalEventSink:
    """Apply order events to their cached orders and publish them (no exec engine)."""

    __slots__ = ("_bus", "_cache", "_log")

    def __init__(self, msgbus: MessageBus, cache: Cache, logger: Logger) -> None:
        self._bus = msgbus
        self._cache = cache
        self._log = logger

    def __call__(self, event: OrderEvent) -> None:
        """Apply `event`, re-index its order and publish it on ``events.order.{strategy}``."""
        cache = self._cache
        order = cache.order(event.client_order_id)
        if order is None:
            self._log.error(
                f"Cannot apply {type(event).__name__}: order {event.client_order_id} is not "
                "in the cache"
            )
            return
        try:
            order.apply(event)
        except ValueError as exc:  # InvalidStateTransition included
            self._log.warning(f"Ignored {type(event).__name__} {event.event_id}: {exc}")
            return
        cache.update_order(order)
        self._bus.publish(topics.order_events(event.strategy_id), event)
        if type(event) is OrderFilled:
            self._bus.publish(topics.fill_events(event.instrument_id), event)


__all__ = ["EmulatorMessages", "LocalEventSink", "current_init"]
