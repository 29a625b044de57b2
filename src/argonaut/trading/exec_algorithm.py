"""`ExecAlgorithm`: an actor that works a strategy's primary order through child orders.

A strategy submits an order with an `exec_algorithm_id`; the `SubmitOrder` reaches the
algorithm's endpoint ``{exec_algorithm_id}.execute`` (`exec_algorithm_endpoint`), and
`on_order(primary)` decides how to work it. `spawn_market` / `spawn_limit` create child
orders (ids ``{primary id}-E{n}``, `exec_spawn_id` = the primary's id, the primary's
position id), add them to the cache and submit them to the risk engine.

The algorithm tracks per primary order the quantity not yet working (`remaining`): a
spawn takes from it, a child that closes unfilled (canceled, expired, rejected, denied)
gives its unfilled part back, and the children's fills add to `filled`. The primary
itself stays in the cache as it was submitted (INITIALIZED) until it is canceled.

A `CancelOrder` for the primary reaching the endpoint, or the algorithm stopping, stops
the work: `on_primary_canceled` runs (stop scheduling), the open children are canceled
and an `OrderCanceled` for the primary is sent to ``ExecEngine.process``.
"""

from __future__ import annotations

from typing import Any

from argonaut.common import topics
from argonaut.model.commands.trading import CancelOrder, SubmitOrder
from argonaut.model.enums import ComponentState, TimeInForce
from argonaut.model.events import order as oe
from argonaut.model.identifiers import (
    ClientId,
    ClientOrderId,
    ExecAlgorithmId,
    PositionId,
)
from argonaut.model.orders import LimitOrder, MarketOrder, Order
from argonaut.model.values import Price, Quantity
from argonaut.trading.actor import Actor
from argonaut.trading.config import ExecAlgorithmConfig

_UNFILLED_CLOSES = (oe.OrderCanceled, oe.OrderExpired, oe.OrderRejected, oe.OrderDenied)


def exec_algorithm_endpoint(exec_algorithm_id: ExecAlgorithmId | str) -> str:
    """Return the endpoint of an execution algorithm: ``{exec_algorithm_id}.execute``."""
    return topics.exec_algorithm_execute(exec_algorithm_id)


class PrimaryState:
    """What an algorithm knows about one primary order it works."""

    __slots__ = ("children", "client_id", "filled_raw", "order", "position_id", "remaining_raw")

    def __init__(self, order: Order, position_id: PositionId | None, client_id: ClientId | None):
        self.order = order
        self.position_id = position_id
        self.client_id = client_id
        self.remaining_raw = order.quantity.raw
        self.filled_raw = 0
        self.children: list[ClientOrderId] = []

    @property
    def remaining(self) -> Quantity:
        """The quantity neither working in a child nor filled."""
        return Quantity(self.remaining_raw, self.order.quantity.precision)

    @property
    def filled(self) -> Quantity:
        """The quantity the children filled."""
        return Quantity(self.filled_raw, self.order.quantity.precision)


class ExecAlgorithm(Actor):
    """Base of execution algorithms; override `on_order` (and `on_primary_canceled`)."""

    def __init__(self, config: ExecAlgorithmConfig | None = None) -> None:
        super().__init__(config if config is not None else ExecAlgorithmConfig())
        self._exec_algorithm_id = ExecAlgorithmId(self.component_id)
        self._primaries: dict[ClientOrderId, PrimaryState] = {}
        self._child_primary: dict[ClientOrderId, ClientOrderId] = {}
        self._event_topics: list[str] = []

    def _default_id(self) -> str:
        configured: str | None = getattr(self.config, "exec_algorithm_id", None)
        return configured or type(self).__name__

    @property
    def id(self) -> ExecAlgorithmId:
        """The algorithm's id (orders name it in `exec_algorithm_id`)."""
        return self._exec_algorithm_id

    @property
    def endpoint(self) -> str:
        """The endpoint this algorithm receives commands on."""
        return exec_algorithm_endpoint(self._exec_algorithm_id)

    def _on_register(self) -> None:
        self._msgbus.register(self.endpoint, self.execute)

    def primary(self, client_order_id: ClientOrderId) -> PrimaryState | None:
        """Return the state of a primary order this algorithm works, or None."""
        return self._primaries.get(client_order_id)

    @property
    def active_primaries(self) -> list[ClientOrderId]:
        """The primary orders being worked, in arrival order."""
        return list(self._primaries)

    # -- commands ------------------------------------------------------------------------

    def execute(self, command: Any) -> None:
        """Receive a `SubmitOrder` of a primary order or a `CancelOrder` for one."""
        if type(command) is SubmitOrder:
            self._handle_submit(command)
        elif type(command) is CancelOrder:
            state = self._primaries.get(command.client_order_id)
            if state is None:
                self.log.warning(
                    f"Cannot cancel {command.client_order_id}: not worked by {self.id}"
                )
                return
            self._cancel_primary(state)
        else:
            self.log.error(f"{self.id} cannot execute {type(command).__name__}")

    def _handle_submit(self, command: SubmitOrder) -> None:
        init = command.order_init
        coid = init.client_order_id
        if coid in self._primaries:
            self.log.error(f"Primary order {coid} was already submitted to {self.id}")
            return
        order = self._cache.order(coid)
        if order is None:
            order = Order.from_init(init)
            self._cache.add_order(order, command.position_id, command.client_id)
        state = PrimaryState(order, command.position_id, command.client_id)
        self._primaries[coid] = state
        topic = topics.order_events(init.strategy_id)
        if topic not in self._event_topics:
            self._event_topics.append(topic)
            self._msgbus.subscribe(topic, self._handle_order_event)
        self._guard(self.on_order, order)

    # -- spawning ----------------------------------------------------------------------------

    def _spawn_fields(self, state: PrimaryState, quantity: Quantity) -> dict[str, Any]:
        primary = state.order
        if quantity.raw <= 0 or quantity.raw > state.remaining_raw:
            raise ValueError(
                f"cannot spawn {quantity} from primary order {primary.client_order_id}: "
                f"expected a positive quantity of at most the remaining {state.remaining}"
            )
        n = len(state.children) + 1
        return {
            "init_id": self._uuids.generate(),
            "ts_init": self.clock.timestamp_ns(),
            "trader_id": primary.trader_id,
            "strategy_id": primary.strategy_id,
            "instrument_id": primary.instrument_id,
            "client_order_id": ClientOrderId(f"{primary.client_order_id}-E{n}"),
            "order_side": primary.side,
            "quantity": quantity,
            "reduce_only": primary.is_reduce_only,
            "exec_algorithm_id": self._exec_algorithm_id,
            "exec_spawn_id": primary.client_order_id,
            "tags": primary.tags,
        }

    def _state_of(self, primary: Order | ClientOrderId) -> PrimaryState:
        coid = primary if isinstance(primary, str) else primary.client_order_id
        state = self._primaries.get(ClientOrderId(coid))
        if state is None:
            raise ValueError(f"order {coid} is not a primary order worked by {self.id}")
        return state

    def spawn_market(
        self,
        primary: Order | ClientOrderId,
        quantity: Quantity,
        time_in_force: TimeInForce = TimeInForce.GTC,
    ) -> MarketOrder:
        """Create and submit a child MARKET order for `quantity` of the primary order."""
        state = self._state_of(primary)
        child = MarketOrder.create(
            time_in_force=time_in_force, **self._spawn_fields(state, quantity)
        )
        self._submit_child(state, child)
        return child

    def spawn_limit(
        self,
        primary: Order | ClientOrderId,
        quantity: Quantity,
        price: Price,
        time_in_force: TimeInForce = TimeInForce.GTC,
        *,
        post_only: bool = False,
    ) -> LimitOrder:
        """Create and submit a child LIMIT order for `quantity` of the primary order."""
        state = self._state_of(primary)
        child = LimitOrder.create(
            price=price,
            time_in_force=time_in_force,
            post_only=post_only,
            **self._spawn_fields(state, quantity),
        )
        self._submit_child(state, child)
        return child

    def _submit_child(self, state: PrimaryState, child: Order) -> None:
        coid = child.client_order_id
        position_id = self._cache.position_id(state.order.client_order_id) or state.position_id
        self._cache.add_order(child, position_id, state.client_id)
        state.remaining_raw -= child.quantity.raw
        state.children.append(coid)
        self._child_primary[coid] = state.order.client_order_id
        assert self.trader_id is not None
        command = SubmitOrder(
            trader_id=self.trader_id,
            command_id=self._uuids.generate(),
            ts_init=self.clock.timestamp_ns(),
            client_id=state.client_id,
            order_init=child.init_event,
            position_id=position_id,
            exec_algorithm_id=self._exec_algorithm_id,
        )
        if self.config.log_commands:
            self.log.info(f"[CMD]--> {command!r}")
        self._msgbus.send(topics.RISK_ENGINE_EXECUTE, command)

    # -- events and cancels ---------------------------------------------------------------------

    def _handle_order_event(self, event: oe.OrderEvent) -> None:
        primary_id = self._child_primary.get(event.client_order_id)
        if primary_id is None:
            return
        state = self._primaries.get(primary_id)
        if state is None:
            return
        if type(event) is oe.OrderFilled:
            state.filled_raw += event.last_qty.raw
        elif isinstance(event, _UNFILLED_CLOSES):
            child = self._cache.order(event.client_order_id)
            if child is not None:
                state.remaining_raw += child.quantity.raw - child.filled_qty.raw
        if self._state is not ComponentState.RUNNING:
            return
        self._guard(self.on_order_event, event)

    def _cancel_primary(self, state: PrimaryState) -> None:
        primary = state.order
        coid = primary.client_order_id
        self._guard(self.on_primary_canceled, primary)
        assert self.trader_id is not None
        for child_id in state.children:
            child = self._cache.order(child_id)
            if child is None or child.is_closed or child.is_pending_cancel:
                continue
            cancel = CancelOrder(
                trader_id=self.trader_id,
                command_id=self._uuids.generate(),
                ts_init=self.clock.timestamp_ns(),
                client_id=state.client_id,
                strategy_id=child.strategy_id,
                instrument_id=child.instrument_id,
                client_order_id=child_id,
                venue_order_id=child.venue_order_id,
            )
            self._msgbus.send(topics.RISK_ENGINE_EXECUTE, cancel)
        del self._primaries[coid]
        cached = self._cache.order(coid)
        if cached is not None and not cached.is_closed:
            now = self.clock.timestamp_ns()
            canceled = oe.OrderCanceled(
                trader_id=primary.trader_id,
                strategy_id=primary.strategy_id,
                instrument_id=primary.instrument_id,
                client_order_id=coid,
                event_id=self._uuids.generate(),
                ts_event=now,
                ts_init=now,
            )
            self._msgbus.send(topics.EXEC_ENGINE_PROCESS, canceled)

    def cancel_primary(self, primary: Order | ClientOrderId) -> None:
        """Stop working a primary order: cancel its open children and the primary itself."""
        self._cancel_primary(self._state_of(primary))

    def complete_primary(self, primary: Order | ClientOrderId) -> None:
        """Forget a primary order whose work is done (its children stay as they are)."""
        state = self._state_of(primary)
        del self._primaries[state.order.client_order_id]

    # -- lifecycle -----------------------------------------------------------------------------

    def _on_stop(self) -> None:
        try:
            super()._on_stop()
        finally:
            for state in list(self._primaries.values()):
                self._cancel_primary(state)

    def _on_reset(self) -> None:
        super()._on_reset()
        self._forget()

    def _on_dispose(self) -> None:
        try:
            super()._on_dispose()
        finally:
            self._forget()
            if self._msgbus.is_registered(self.endpoint):
                self._msgbus.deregister(self.endpoint)

    def _forget(self) -> None:
        for topic in self._event_topics:
            self._msgbus.unsubscribe(topic, self._handle_order_event)
        self._event_topics.clear()
        self._primaries.clear()
        self._child_primary.clear()

    # -- user hooks (override) -------------------------------------------------------------------

    def on_order(self, order: Order) -> None:
        """Work a newly submitted primary order (spawn children, set timers)."""

    def on_primary_canceled(self, order: Order) -> None:
        """Stop working a primary order (cancel its timers); children are canceled after."""

    def on_order_event(self, event: oe.OrderEvent) -> None:
        """Handle an event of a spawned child order."""


__all__ = ["ExecAlgorithm", "PrimaryState", "exec_algorithm_endpoint"]
