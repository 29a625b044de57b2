"""`Strategy`: an actor that trades.

Commands go through the bus, never straight to a venue:
- submits and modifies to ``RiskEngine.execute``, except orders with an emulation
  trigger (``OrderEmulator.execute``) and primary orders of an execution algorithm
  (``{exec_algorithm_id}.execute``, see `exec_algorithm_endpoint`);
- cancels to ``RiskEngine.execute`` (which forwards them), emulated orders' cancels to
  the emulator, and cancels of a primary order the algorithm still holds to the
  algorithm;
- queries to ``ExecEngine.execute``.

A modify or cancel of an order at the venue first marks it PENDING_UPDATE or
PENDING_CANCEL (`OrderPendingUpdate` / `OrderPendingCancel`, applied at once through
``ExecEngine.apply``), so the order shows that its outcome is awaited, a second cancel
is not sent, and the in-flight checks can query the venue when no answer comes.

A submitted order is added to the cache first (with its position id when given), so the
engines find it by client order id. On start the strategy restores its order id counts
from its cached orders (ids are never reused across restarts), subscribes to its order
and position events, and re-arms local GTD expiry alerts (`manage_gtd_expiry`). With
`manage_stop`, stopping cancels its open orders and closes its open positions before
`on_stop` runs.
"""

from __future__ import annotations

from typing import Any

from argonaut.common import topics
from argonaut.common.logging import INFO
from argonaut.model.commands.trading import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    QueryOrder,
    SubmitOrder,
    SubmitOrderList,
    TradingCommand,
)
from argonaut.model.enums import (
    ContingencyType,
    OmsType,
    OrderSide,
    OrderStatus,
    PositionSide,
    TimeInForce,
    TriggerType,
)
from argonaut.model.events.order import OrderPendingCancel, OrderPendingUpdate
from argonaut.model.identifiers import ClientId, InstrumentId, PositionId, StrategyId
from argonaut.model.order_list import OrderList
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.values import Price, Quantity
from argonaut.trading.actor import Actor
from argonaut.trading.config import StrategyConfig
from argonaut.trading.exec_algorithm import exec_algorithm_endpoint
from argonaut.trading.order_factory import OrderFactory
from argonaut.trading.strategy_events import StrategyEvents

_NO_TRIGGER = TriggerType.NO_TRIGGER
_INITIALIZED = OrderStatus.INITIALIZED
# Statuses of an order the venue has (or is about to have): a modify or cancel of it is
# marked pending until the venue answers.
_AT_VENUE = frozenset(
    {
        OrderStatus.SUBMITTED,
        OrderStatus.ACCEPTED,
        OrderStatus.TRIGGERED,
        OrderStatus.PARTIALLY_FILLED,
        OrderStatus.PENDING_UPDATE,
        OrderStatus.PENDING_CANCEL,
    }
)


class Strategy(Actor, StrategyEvents):
    """A trading strategy; subclass, override the `on_*` handlers, trade with the commands."""

    def __init__(self, config: StrategyConfig | None = None) -> None:
        super().__init__(config if config is not None else StrategyConfig())
        self._strategy_id = StrategyId(self.component_id)
        self._order_handlers = {}
        self._position_handlers = {}
        self._gtd_timers = set()
        self.order_factory: OrderFactory | None = None

    def _default_id(self) -> str:
        configured: str | None = getattr(self.config, "strategy_id", None)
        if configured:
            return configured
        tag: str | None = getattr(self.config, "order_id_tag", None)
        return f"{type(self).__name__}-{tag or '000'}"

    @property
    def id(self) -> StrategyId:
        """The strategy's id (``{ClassName}-{order_id_tag}`` unless configured)."""
        return self._strategy_id

    @property
    def order_id_tag(self) -> str:
        """The tag in this strategy's client order ids."""
        return self._strategy_id.get_tag()

    @property
    def oms_type(self) -> OmsType:
        """The configured OMS type (UNSPECIFIED: the venue's)."""
        oms: OmsType = getattr(self.config, "oms_type", OmsType.UNSPECIFIED)
        return oms

    @property
    def external_order_claims(self) -> tuple[InstrumentId, ...]:
        """The instruments whose external orders this strategy claims."""
        claims: list[str] | None = getattr(self.config, "external_order_claims", None)
        return tuple(InstrumentId(c) for c in claims or ())

    @property
    def factory(self) -> OrderFactory:
        """The order factory (available once registered)."""
        if self.order_factory is None:
            raise ValueError(f"strategy {self.id} is not registered: it has no order factory yet")
        return self.order_factory

    def _on_register(self) -> None:
        assert self.trader_id is not None
        self.order_factory = OrderFactory(self.trader_id, self.id, self.clock, self._uuids)
        self._build_dispatch()

    # -- lifecycle -------------------------------------------------------------------------

    def _on_start(self) -> None:
        self._restore_id_counts()
        self._subscribe_events()
        if self.config.manage_gtd_expiry:
            self._rearm_gtd()
        super()._on_start()

    def _on_resume(self) -> None:
        if self.config.manage_gtd_expiry:
            self._rearm_gtd()
        super()._on_resume()

    def _on_stop(self) -> None:
        if self.config.manage_stop:
            self._market_exit()
        self._gtd_timers.clear()
        super()._on_stop()

    def _on_reset(self) -> None:
        super()._on_reset()
        self._unsubscribe_events()
        self._gtd_timers.clear()
        self.factory.reset()

    def _on_dispose(self) -> None:
        try:
            super()._on_dispose()
        finally:
            self._unsubscribe_events()

    def _subscribe_events(self) -> None:
        self._msgbus.subscribe(topics.order_events(self.id), self._handle_order_event)
        self._msgbus.subscribe(topics.position_events(self.id), self._handle_position_event)

    def _unsubscribe_events(self) -> None:
        self._msgbus.unsubscribe(topics.order_events(self.id), self._handle_order_event)
        self._msgbus.unsubscribe(topics.position_events(self.id), self._handle_position_event)

    def _restore_id_counts(self) -> None:
        factory = self.factory
        ids = self._cache.client_order_ids(strategy_id=self.id)
        count = factory.client_order_ids.max_count(ids)
        if count > factory.count:
            factory.set_count(count)
            self.log.info(f"Restored client order id count to {count}")
        list_ids = [
            str(o.order_list_id) for o in self._cache.orders(strategy_id=self.id) if o.order_list_id
        ]
        list_count = factory.order_list_ids.max_count(list_ids)
        if list_count > factory.order_list_ids.count:
            factory.set_order_list_count(list_count)

    def _market_exit(self) -> None:
        """Cancel every open order and close every open position of this strategy."""
        cache = self._cache
        instruments: dict[InstrumentId, None] = {}
        for order in cache.orders(strategy_id=self.id):
            if not order.is_closed:
                instruments[order.instrument_id] = None
        for instrument_id in instruments:
            self.cancel_all_orders(instrument_id)
        for position in cache.positions_open(strategy_id=self.id):
            self.close_position(position)

    # -- commands ---------------------------------------------------------------------------

    def _base(self, client_id: ClientId | None, params: dict[str, str] | None) -> dict[str, Any]:
        assert self.trader_id is not None
        return {
            "trader_id": self.trader_id,
            "command_id": self._uuids.generate(),
            "ts_init": self.clock.timestamp_ns(),
            "client_id": client_id,
            "params": params,
        }

    def _send(self, endpoint: str, command: TradingCommand) -> None:
        if self.config.log_commands and self.log.is_enabled_for(INFO):
            self.log.info(f"[CMD]--> {command!r}")
        self._msgbus.send(endpoint, command)

    def submit_order(
        self,
        order: Order,
        position_id: PositionId | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Cache `order` and send a `SubmitOrder` (see the module docstring for routing).

        Raise ValueError when the order's client order id is already cached.
        """
        self._cache.add_order(order, position_id, client_id)
        trader_id = self.trader_id
        assert trader_id is not None
        init = order.init_event
        exec_algorithm_id = init.exec_algorithm_id
        command = SubmitOrder(  # the hot path: fields in declaration order, no dict
            trader_id=trader_id,
            command_id=self._uuids.generate(),
            ts_init=self.clock.timestamp_ns(),
            client_id=client_id,
            params=params,
            order_init=init,
            position_id=position_id,
            exec_algorithm_id=exec_algorithm_id,
        )
        config = self.config
        if config.manage_gtd_expiry:
            self._arm_gtd(order)
        if init.emulation_trigger is not _NO_TRIGGER:
            endpoint = topics.ORDER_EMULATOR_EXECUTE
        elif exec_algorithm_id is not None:
            endpoint = exec_algorithm_endpoint(exec_algorithm_id)
        else:
            endpoint = topics.RISK_ENGINE_EXECUTE
        if config.log_commands and self.log.is_enabled_for(INFO):  # `_send`, written out
            self.log.info(f"[CMD]--> {command!r}")
        self._msgbus.send(endpoint, command)

    def submit_order_list(
        self,
        order_list: OrderList,
        position_id: PositionId | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Cache the list's orders and send a `SubmitOrderList`.

        A list with an emulated order or with contingencies (OTO/OCO/OUO, e.g. a
        bracket) goes to the order emulator, which keeps the links locally so brackets
        work on every venue; any other list goes to the risk engine.
        """
        orders = [Order.from_init(init) for init in order_list.orders]
        for order in orders:
            if self._cache.order_exists(order.client_order_id):
                raise ValueError(
                    f"order {order.client_order_id} of list {order_list.id} is already cached: "
                    "a client order id is never reused"
                )
        for order in orders:
            self._cache.add_order(order, position_id, client_id)
        command = SubmitOrderList(
            **self._base(client_id, params), order_list=order_list, position_id=position_id
        )
        if self.config.manage_gtd_expiry:
            for order in orders:
                self._arm_gtd(order)
        managed = any(
            o.emulation_trigger is not _NO_TRIGGER
            or o.contingency_type is not ContingencyType.NO_CONTINGENCY
            for o in orders
        )
        endpoint = topics.ORDER_EMULATOR_EXECUTE if managed else topics.RISK_ENGINE_EXECUTE
        self._send(endpoint, command)

    def modify_order(
        self,
        order: Order,
        quantity: Quantity | None = None,
        price: Price | None = None,
        trigger_price: Price | None = None,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Send a `ModifyOrder` for the values that change; warn and do nothing when
        none does or the order is closed or pending cancel."""
        if order.is_closed or order.is_pending_cancel:
            self.log.warning(
                f"Cannot modify order {order.client_order_id}: it is {order.status.value}"
            )
            return
        quantity = None if quantity is None or quantity == order.quantity else quantity
        price = None if price is None or price == order.price else price
        if trigger_price is not None and trigger_price == order.trigger_price:
            trigger_price = None
        if quantity is None and price is None and trigger_price is None:
            self.log.warning(f"Modify of order {order.client_order_id} changes nothing: not sent")
            return
        command = ModifyOrder(
            **self._base(client_id, params),
            strategy_id=self.id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            venue_order_id=order.venue_order_id,
            quantity=quantity,
            price=price,
            trigger_price=trigger_price,
        )
        if order.is_emulated:
            self._send(topics.ORDER_EMULATOR_EXECUTE, command)
            return
        self._mark_pending(order, OrderPendingUpdate)
        self._send(topics.RISK_ENGINE_EXECUTE, command)

    def _mark_pending(
        self, order: Order, kind: type[OrderPendingUpdate] | type[OrderPendingCancel]
    ) -> None:
        """Apply `kind` to `order` at once when the venue has it (see the module docstring)."""
        account_id = order.account_id
        if order.status not in _AT_VENUE or account_id is None:
            return
        if not self._msgbus.is_registered(topics.EXEC_ENGINE_APPLY):
            return
        assert self.trader_id is not None
        now = self.clock.timestamp_ns()
        event = kind(
            trader_id=self.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            venue_order_id=order.venue_order_id,
            account_id=account_id,
            event_id=self._uuids.generate(),
            ts_event=now,
            ts_init=now,
        )
        self._msgbus.send(topics.EXEC_ENGINE_APPLY, event)

    def _cancel_endpoint(self, order: Order) -> str:
        if order.is_emulated:
            return topics.ORDER_EMULATOR_EXECUTE
        if (
            order.is_primary
            and order.exec_algorithm_id is not None
            and order.status is _INITIALIZED
        ):
            return exec_algorithm_endpoint(order.exec_algorithm_id)
        return topics.RISK_ENGINE_EXECUTE

    def cancel_order(
        self,
        order: Order,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Send a `CancelOrder`; warn and do nothing when the order is closed or already
        pending cancel."""
        if order.is_closed or order.is_pending_cancel:
            self.log.warning(
                f"Cannot cancel order {order.client_order_id}: it is {order.status.value}"
            )
            return
        command = self._cancel_command(order, client_id, params)
        endpoint = self._cancel_endpoint(order)
        if endpoint == topics.RISK_ENGINE_EXECUTE:
            self._mark_pending(order, OrderPendingCancel)
        self._send(endpoint, command)

    def _cancel_command(
        self, order: Order, client_id: ClientId | None, params: dict[str, str] | None
    ) -> CancelOrder:
        return CancelOrder(
            **self._base(client_id, params),
            strategy_id=self.id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            venue_order_id=order.venue_order_id,
        )

    def cancel_orders(
        self,
        orders: list[Order],
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Cancel several orders: one `BatchCancelOrders` per instrument for orders at the
        venue, single cancels for emulated and algorithm-held orders."""
        batches: dict[InstrumentId, list[CancelOrder]] = {}
        for order in orders:
            if order.is_closed or order.is_pending_cancel:
                self.log.warning(
                    f"Cannot cancel order {order.client_order_id}: it is {order.status.value}"
                )
                continue
            endpoint = self._cancel_endpoint(order)
            if endpoint != topics.RISK_ENGINE_EXECUTE:
                self._send(endpoint, self._cancel_command(order, client_id, params))
                continue
            self._mark_pending(order, OrderPendingCancel)
            batches.setdefault(order.instrument_id, []).append(
                self._cancel_command(order, client_id, params)
            )
        for instrument_id, cancels in batches.items():
            if len(cancels) == 1:
                self._send(topics.RISK_ENGINE_EXECUTE, cancels[0])
                continue
            batch = BatchCancelOrders(
                **self._base(client_id, params),
                strategy_id=self.id,
                instrument_id=instrument_id,
                cancels=tuple(cancels),
            )
            self._send(topics.RISK_ENGINE_EXECUTE, batch)

    def cancel_all_orders(
        self,
        instrument_id: InstrumentId,
        order_side: OrderSide = OrderSide.NO_ORDER_SIDE,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Cancel every open order of this strategy on an instrument (one side or both),
        including emulated orders and primary orders held by an execution algorithm."""
        cache = self._cache
        held = [
            o
            for o in cache.orders(instrument_id=instrument_id, strategy_id=self.id, side=order_side)
            if not o.is_closed and self._cancel_endpoint(o) != topics.RISK_ENGINE_EXECUTE
        ]
        for order in held:
            self.cancel_order(order, client_id, params)
        for order in cache.orders_open(
            instrument_id=instrument_id, strategy_id=self.id, side=order_side
        ):
            if not order.is_pending_cancel and self._cancel_endpoint(order) == (
                topics.RISK_ENGINE_EXECUTE
            ):
                self._mark_pending(order, OrderPendingCancel)
        command = CancelAllOrders(
            **self._base(client_id, params),
            strategy_id=self.id,
            instrument_id=instrument_id,
            order_side=order_side,
        )
        self._send(topics.RISK_ENGINE_EXECUTE, command)

    def close_position(
        self,
        position: Position,
        client_id: ClientId | None = None,
        tags: tuple[str, ...] | None = None,
        time_in_force: TimeInForce = TimeInForce.GTC,
        *,
        reduce_only: bool = True,
    ) -> None:
        """Submit a market order for the position's open quantity (reduce-only by default);
        warn and do nothing when the position is closed."""
        if position.is_closed:
            self.log.warning(f"Cannot close position {position.id}: it is already closed")
            return
        order = self.factory.market(
            position.instrument_id,
            Order.closing_side(position.side),
            position.quantity,
            time_in_force,
            reduce_only=reduce_only,
            tags=tags,
        )
        self.submit_order(order, position_id=position.id, client_id=client_id)

    def close_all_positions(
        self,
        instrument_id: InstrumentId,
        position_side: PositionSide = PositionSide.NO_POSITION_SIDE,
        client_id: ClientId | None = None,
        tags: tuple[str, ...] | None = None,
    ) -> None:
        """Close every open position of this strategy on an instrument (one side or both)."""
        for position in self._cache.positions_open(
            instrument_id=instrument_id, strategy_id=self.id, side=position_side
        ):
            self.close_position(position, client_id, tags)

    def query_order(
        self,
        order: Order,
        client_id: ClientId | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        """Ask the venue for the order's state (`QueryOrder` to the execution engine)."""
        command = QueryOrder(
            **self._base(client_id, params),
            strategy_id=self.id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            venue_order_id=order.venue_order_id,
        )
        self._send(topics.EXEC_ENGINE_EXECUTE, command)


__all__ = ["Strategy"]
