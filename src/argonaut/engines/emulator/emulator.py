"""The order emulator: holds orders with an emulation trigger until the market triggers them.

Endpoint ``OrderEmulator.execute`` takes SubmitOrder, SubmitOrderList, ModifyOrder,
CancelOrder, CancelAllOrders and BatchCancelOrders. An order whose `emulation_trigger`
is not NO_TRIGGER becomes EMULATED (`OrderEmulated`), the emulator subscribes to the
quotes and/or trades its trigger watches, and on each update checks it
(`argonaut.engines.emulator.matching`). A triggered order is released (`OrderReleased`),
transformed into a MARKET or LIMIT order that replaces it in the cache, and submitted
to ``RiskEngine.execute`` like any new order. Orders without a trigger go straight to
``RiskEngine.execute``. Modifying or canceling an emulated order happens locally: it
never reaches the venue.

Order events are sent through an injectable `event_sink`. The default sends them to
``ExecEngine.process`` (which applies, caches and publishes them) or, when no execution
engine is registered, does the same itself. Contingent orders (OTO/OCO/OUO) of the
commands it receives are kept consistent by a `ContingencyManager`, fed with every
order event from ``events.order.*``.

Imports `core`, `model`, `common` and `cache` only; synchronous, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.component import Component
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.emulator.config import OrderEmulatorConfig
from argonaut.engines.emulator.contingency import ContingencyManager
from argonaut.engines.emulator.matching import (
    QUOTE_TRIGGERS,
    TRADE_TRIGGERS,
    TRAILING_TYPES,
    MatchingCore,
    Source,
    emulation_refusal,
    released_type,
)
from argonaut.engines.emulator.messages import EmulatorMessages, LocalEventSink
from argonaut.model.commands.trading import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    SubmitOrder,
    SubmitOrderList,
)
from argonaut.model.data.ticks import QuoteTick, TradeTick
from argonaut.model.enums import OrderSide, OrderStatus, TriggerType
from argonaut.model.events.order import (
    OrderCanceled,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderInitialized,
    OrderRejected,
)
from argonaut.model.identifiers import ClientOrderId, InstrumentId, PositionId
from argonaut.model.orders import ACTIVE_LOCAL, CLOSED, Need, Order
from argonaut.model.values import Price, Quantity

EventSink = Callable[[OrderEvent], None]

_EMULATED = OrderStatus.EMULATED
_RELEASED = OrderStatus.RELEASED
_PENDING_CANCEL = OrderStatus.PENDING_CANCEL
_NO_TRIGGER = TriggerType.NO_TRIGGER
_ANY_SIDE = OrderSide.NO_ORDER_SIDE
_GONE_EVENTS: Final = frozenset({OrderCanceled, OrderExpired, OrderRejected, OrderDenied})
# Below the default priority 0: strategies and the portfolio see an order event before
# the emulator reacts to it (e.g. a take-profit fill before the stop loss is canceled).
_ORDER_EVENTS_PRIORITY: Final = -10


class OrderEmulator(Component):
    """The node's order emulator; see the module docstring. Registers its endpoint."""

    def __init__(
        self,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        *,
        config: OrderEmulatorConfig | None = None,
        logger: Logger | None = None,
        uuid_factory: UUIDFactory,
        event_sink: EventSink | None = None,
    ) -> None:
        super().__init__("OrderEmulator", clock, msgbus, logger)
        self.config = config if config is not None else OrderEmulatorConfig()
        self._msgbus = msgbus
        self._cache = cache
        self._uuids = uuid_factory
        self._debug = self.config.debug
        self._msgs = EmulatorMessages(clock, uuid_factory, self.component_id)
        self._local_sink = LocalEventSink(msgbus, cache, self.log)
        self._sink: EventSink = event_sink if event_sink is not None else self._send_event
        self._cores: dict[InstrumentId, MatchingCore] = {}
        self._core_of: dict[ClientOrderId, MatchingCore] = {}
        self._commands: dict[ClientOrderId, SubmitOrder] = {}
        self._quote_subs: dict[InstrumentId, None] = {}
        self._trade_subs: dict[InstrumentId, None] = {}
        self._contingency = ContingencyManager(cache, self)
        # Every order event and fill reaches the emulator: most are of orders it does not
        # watch, so it tests that first (the same set `on_event` tests).
        self._watched = self._contingency.managed_ids
        self._handlers: dict[type, Callable[[Any], None]] = {
            SubmitOrder: self._submit_order,
            SubmitOrderList: self._submit_order_list,
            ModifyOrder: self._modify_order,
            CancelOrder: self._cancel_order,
            CancelAllOrders: self._cancel_all_orders,
            BatchCancelOrders: self._batch_cancel_orders,
        }
        self.command_count = 0
        self.released_count = 0
        self.command_error_count = 0
        msgbus.register(topics.ORDER_EMULATOR_EXECUTE, self.execute)
        msgbus.subscribe(
            topics.all_order_events(), self._handle_order_event, _ORDER_EVENTS_PRIORITY
        )
        # Fills are taken from the fills topic, published after the position update, so
        # children released by a parent's fill meet the position that fill opened.
        msgbus.subscribe(topics.all_fill_events(), self._handle_fill_event, _ORDER_EVENTS_PRIORITY)

    # -- queries -------------------------------------------------------------------------

    @property
    def contingency(self) -> ContingencyManager:
        """The manager of the contingent orders this emulator was given."""
        return self._contingency

    def emulated_orders(self) -> list[Order]:
        """Return the orders being emulated, by trigger instrument then arrival."""
        return [order for core in self._cores.values() for order in core.orders]

    def is_emulating(self, client_order_id: ClientOrderId) -> bool:
        """Return True if the order is held waiting for its trigger."""
        return client_order_id in self._core_of

    def subscribed_quotes(self) -> list[InstrumentId]:
        """Return the instruments whose quotes the emulator subscribed to."""
        return list(self._quote_subs)

    def subscribed_trades(self) -> list[InstrumentId]:
        """Return the instruments whose trades the emulator subscribed to."""
        return list(self._trade_subs)

    # -- lifecycle -----------------------------------------------------------------------

    def _on_start(self) -> None:
        # Resume emulating the EMULATED orders the cache holds (e.g. loaded at startup).
        for order in self._cache.orders_emulated():
            coid = order.client_order_id
            if coid in self._core_of:
                continue
            cache = self._cache
            command = self._msgs.submit(order, cache.position_id(coid), cache.client_id(coid))
            self._contingency.manage(order)
            self._emulate(order, command)

    def _on_reset(self) -> None:
        self._unsubscribe_all()
        self._cores.clear()
        self._core_of.clear()
        self._commands.clear()
        self._contingency.clear()

    def _on_dispose(self) -> None:
        self._unsubscribe_all()
        self._msgbus.unsubscribe(topics.all_order_events(), self._handle_order_event)
        self._msgbus.unsubscribe(topics.all_fill_events(), self._handle_fill_event)
        if self._msgbus.is_registered(topics.ORDER_EMULATOR_EXECUTE):
            self._msgbus.deregister(topics.ORDER_EMULATOR_EXECUTE)

    def _unsubscribe_all(self) -> None:
        bus = self._msgbus
        for iid in self._quote_subs:
            bus.unsubscribe(topics.quotes(iid), self._handle_quote)
        for iid in self._trade_subs:
            bus.unsubscribe(topics.trades(iid), self._handle_trade)
        self._quote_subs.clear()
        self._trade_subs.clear()

    # -- commands ------------------------------------------------------------------------

    def execute(self, command: object) -> None:
        """Handle a trading command sent to ``OrderEmulator.execute``."""
        self.command_count += 1
        if self._debug:
            self.log.debug(f"<--[CMD] {command!r}")
        handler = self._handlers.get(type(command))
        if handler is None:
            self.command_error_count += 1
            self.log.error(
                f"Cannot handle {type(command).__name__}: expected SubmitOrder, "
                "SubmitOrderList, ModifyOrder, CancelOrder, CancelAllOrders or BatchCancelOrders"
            )
            return
        handler(command)

    def _submit_order(self, command: SubmitOrder) -> None:
        order = self._cached_order(command.order_init, command.position_id, command)
        if order is None:
            return
        self._contingency.manage(order)
        if not self._contingency.hold(order, command):
            self._route(order, command)

    def _submit_order_list(self, command: SubmitOrderList) -> None:
        inits = command.order_list.orders
        orders: list[Order] = []
        for init in inits:
            order = self._cached_order(init, command.position_id, command)
            if order is not None:
                orders.append(order)
        if len(orders) != len(inits):
            reason = f"INVALID_ORDER_LIST: order list {command.order_list.id} has invalid orders"
            for order in orders:
                self._deny(order, reason)
            return
        contingency = self._contingency
        for order in orders:
            contingency.manage(order)
        submits = [self._submit_of(command, order) for order in orders]
        # Hold every OTO child before routing anything: a parent may fill synchronously.
        routed = [
            (order, submit)
            for order, submit in zip(orders, submits, strict=True)
            if not contingency.hold(order, submit)
        ]
        for order, submit in routed:
            self._route(order, submit)

    def _submit_of(self, command: SubmitOrderList, order: Order) -> SubmitOrder:
        return SubmitOrder(
            trader_id=command.trader_id,
            command_id=self._uuids.generate(),
            ts_init=command.ts_init,
            client_id=command.client_id,
            params=command.params,
            order_init=order.init_event,
            position_id=command.position_id,
            exec_algorithm_id=order.exec_algorithm_id,
        )

    def _cached_order(
        self,
        init: OrderInitialized,
        position_id: PositionId | None,
        command: SubmitOrder | SubmitOrderList,
    ) -> Order | None:
        """Return the cached order of `init`, adding it when missing."""
        cache = self._cache
        order = cache.order(init.client_order_id)
        if order is not None:
            return order
        try:
            order = Order.from_init(init)
        except ValueError as exc:
            self.command_error_count += 1
            self.log.error(f"Cannot submit order {init.client_order_id}: {exc}")
            return None
        try:
            cache.add_order(order, position_id, command.client_id)
        except ValueError as exc:
            self.log.warning(f"Order {init.client_order_id} not linked to {position_id}: {exc}")
            cache.add_order(order, None, command.client_id)
        return order

    def _route(self, order: Order, command: SubmitOrder) -> None:
        if order.emulation_trigger is _NO_TRIGGER:
            self._msgbus.send(topics.RISK_ENGINE_EXECUTE, command)
        else:
            self._emulate(order, command)

    def _modify_order(self, command: ModifyOrder) -> None:
        coid = command.client_order_id
        order = self._cache.order(coid)
        if order is None:
            self.command_error_count += 1
            self.log.error(f"Cannot modify order {coid}: not found in the cache")
            return
        if order.status not in ACTIVE_LOCAL:
            self._msgbus.send(topics.RISK_ENGINE_EXECUTE, command)  # released meanwhile
            return
        price, trigger = command.price, command.trigger_price
        rules = order.rules
        if (price is not None and rules.price is Need.FORBIDDEN) or (
            trigger is not None and rules.trigger_price is Need.FORBIDDEN
        ):
            self.command_error_count += 1
            self.log.error(
                f"Cannot modify {order.order_type.value} order {coid}: it has no "
                f"{'price' if price is not None and rules.price is Need.FORBIDDEN else 'trigger'}"
            )
            return
        quantity = command.quantity if command.quantity is not None else order.quantity
        self._sink(self._msgs.updated(order, quantity, price, trigger))
        core = self._core_of.get(coid)
        if core is not None:
            self._check(core, order, Source.RECHECK)

    def _cancel_order(self, command: CancelOrder) -> None:
        coid = command.client_order_id
        order = self._cache.order(coid)
        if order is None:
            self.command_error_count += 1
            self.log.error(f"Cannot cancel order {coid}: not found in the cache")
            return
        if order.status in ACTIVE_LOCAL:
            self._cancel_locally(order)
        elif order.status not in CLOSED:
            self._msgbus.send(topics.RISK_ENGINE_EXECUTE, command)  # released meanwhile
        elif self.log.debug_enabled:
            self.log.debug(f"Order {coid} is already closed ({order.status.value})")

    def _cancel_all_orders(self, command: CancelAllOrders) -> None:
        side = command.order_side
        contingency = self._contingency
        candidates = [*self._core_of, *contingency.held_ids()]
        for coid in candidates:
            order = self._cache.order(coid)
            if (
                order is None
                or order.strategy_id != command.strategy_id
                or order.instrument_id != command.instrument_id
                or (side is not _ANY_SIDE and order.side is not side)
            ):
                continue
            if order.status in ACTIVE_LOCAL:
                self._cancel_locally(order)

    def _batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        for cancel in command.cancels:
            self._cancel_order(cancel)

    # -- emulation -----------------------------------------------------------------------

    def _emulate(self, order: Order, command: SubmitOrder) -> None:
        instrument = self._cache.instrument(order.instrument_id)
        tick = None if instrument is None else instrument.price_increment
        reason = emulation_refusal(order, tick)
        if reason is not None:
            self._deny(order, reason)
            return
        coid = order.client_order_id
        if order.status is not _EMULATED:
            self._sink(self._msgs.emulated(order))
            if order.status is not _EMULATED:
                self.command_error_count += 1
                self.log.error(f"Cannot emulate order {coid}: status {order.status.value}")
                return
        trigger_iid = order.trigger_instrument_id or order.instrument_id
        core = self._core(trigger_iid, order.emulation_trigger)
        core.add(order)
        self._core_of[coid] = core
        self._commands[coid] = command
        if self._debug:
            self.log.debug(f"Emulating {order!r}")
        self._check(core, order, Source.RECHECK)

    def _core(self, instrument_id: InstrumentId, trigger: TriggerType) -> MatchingCore:
        core = self._cores.get(instrument_id)
        if core is None:
            cache = self._cache
            quote = cache.quote_tick(instrument_id)
            trade = cache.trade_tick(instrument_id)
            core = MatchingCore(
                instrument_id,
                bid=None if quote is None else quote.bid_price,
                ask=None if quote is None else quote.ask_price,
                last=None if trade is None else trade.price,
            )
            self._cores[instrument_id] = core
        if trigger in QUOTE_TRIGGERS and instrument_id not in self._quote_subs:
            self._quote_subs[instrument_id] = None
            self._msgbus.subscribe(topics.quotes(instrument_id), self._handle_quote)
            self._msgbus.send(
                topics.DATA_ENGINE_EXECUTE, self._msgs.subscribe_quotes(instrument_id)
            )
        if trigger in TRADE_TRIGGERS and instrument_id not in self._trade_subs:
            self._trade_subs[instrument_id] = None
            self._msgbus.subscribe(topics.trades(instrument_id), self._handle_trade)
            self._msgbus.send(
                topics.DATA_ENGINE_EXECUTE, self._msgs.subscribe_trades(instrument_id)
            )
        return core

    def _handle_quote(self, tick: QuoteTick) -> None:
        core = self._cores.get(tick.instrument_id)
        if core is None:
            return
        core.bid = tick.bid_price
        core.ask = tick.ask_price
        self._match(core, Source.QUOTE)

    def _handle_trade(self, tick: TradeTick) -> None:
        core = self._cores.get(tick.instrument_id)
        if core is None:
            return
        core.last = tick.price
        self._match(core, Source.TRADE)

    def _match(self, core: MatchingCore, source: Source) -> None:
        if not len(core):
            return
        for order in core.orders:  # a copy: releasing changes the core
            if order.status is _EMULATED:
                self._check(core, order, source)

    def _check(self, core: MatchingCore, order: Order, source: Source) -> None:
        released_price = core.check(order, source)
        if released_price is not None:
            self._release(order, released_price)
            return
        if order.order_type in TRAILING_TYPES:
            instrument = self._cache.instrument(order.instrument_id)
            tick = None if instrument is None else instrument.price_increment
            update = core.trailing_update(order, tick)
            if update is not None:
                trigger, price = update
                self._sink(self._msgs.updated(order, order.quantity, price, trigger))

    def _release(self, order: Order, released_price: Price) -> None:
        coid = order.client_order_id
        core = self._core_of.pop(coid, None)
        if core is not None:
            core.remove(coid)
        command = self._commands.pop(coid, None)
        self._sink(self._msgs.released(order, released_price))
        if order.status is not _RELEASED:
            self.command_error_count += 1
            self.log.error(f"Cannot release order {coid}: status {order.status.value}")
            return
        new_type = released_type(order.order_type)
        released = order
        if order.order_type is not new_type:
            try:
                released = order.transform(new_type)
            except ValueError as exc:
                self.command_error_count += 1
                self.log.error(f"Cannot release order {coid}: {exc}")
                return
            self._cache.add_order(released, override=True)
        self.released_count += 1
        if self._debug:
            self.log.debug(f"Released {released!r} at {released_price}")
        if command is None:  # pragma: no cover - every emulated order has its command
            submit = self._msgs.submit(released, None, None)
        else:
            submit = self._msgs.resubmit(command, released)
        self._msgbus.send(topics.RISK_ENGINE_EXECUTE, submit)

    # -- contingency actions (ContingencyActions) ----------------------------------------

    def cancel_order(self, order: Order) -> None:
        """Cancel `order` locally if it never left the node, else through the risk engine."""
        status = order.status
        if status in ACTIVE_LOCAL:
            self._cancel_locally(order)
        elif status not in CLOSED and status is not _PENDING_CANCEL:
            client_id = self._cache.client_id(order.client_order_id)
            self._msgbus.send(topics.RISK_ENGINE_EXECUTE, self._msgs.cancel(order, client_id))

    def modify_quantity(self, order: Order, quantity: Quantity) -> None:
        """Change `order`'s quantity locally if it never left the node, else at the venue."""
        status = order.status
        if status in ACTIVE_LOCAL:
            self._sink(self._msgs.updated(order, quantity, None, None))
        elif status not in CLOSED:
            client_id = self._cache.client_id(order.client_order_id)
            modify = self._msgs.modify_quantity(order, quantity, client_id)
            self._msgbus.send(topics.RISK_ENGINE_EXECUTE, modify)

    def submit_child(
        self, order: Order, command: SubmitOrder, position_id: PositionId | None
    ) -> None:
        """Route a held OTO child (emulate or submit) once its parent has filled."""
        if position_id is not None and self._cache.position_id(order.client_order_id) is None:
            try:
                self._cache.add_position_id(
                    position_id, order.instrument_id.venue, order.client_order_id, order.strategy_id
                )
            except ValueError as exc:
                self.log.warning(
                    f"Order {order.client_order_id} not linked to {position_id}: {exc}"
                )
        self._route(order, self._msgs.resubmit(command, order, position_id))

    # -- events --------------------------------------------------------------------------

    def _handle_fill_event(self, event: object) -> None:
        if type(event) is OrderFilled and event.client_order_id in self._watched:
            self._contingency.on_event(event)

    def _handle_order_event(self, event: object) -> None:
        kind = type(event)
        if kind is OrderFilled or not isinstance(event, OrderEvent):
            return  # fills arrive through `_handle_fill_event`
        coid = event.client_order_id
        if coid in self._core_of and kind in _GONE_EVENTS:
            self._forget(coid)  # canceled or expired by someone else
        if coid in self._watched:
            self._contingency.on_event(event)

    def _forget(self, coid: ClientOrderId) -> None:
        core = self._core_of.pop(coid, None)
        if core is not None:
            core.remove(coid)
        self._commands.pop(coid, None)
        self._contingency.release(coid)

    def _cancel_locally(self, order: Order) -> None:
        self._forget(order.client_order_id)
        self._sink(self._msgs.canceled(order))

    def _deny(self, order: Order, reason: str) -> None:
        self.log.error(f"Order {order.client_order_id} denied: {reason}")
        self._sink(self._msgs.denied(order, reason))

    def _send_event(self, event: OrderEvent) -> None:
        """The default event sink: the execution engine, or local when there is none."""
        bus = self._msgbus
        if bus.is_registered(topics.EXEC_ENGINE_PROCESS):
            bus.send(topics.EXEC_ENGINE_PROCESS, event)
        else:
            self._local_sink(event)


__all__ = ["EventSink", "OrderEmulator"]
