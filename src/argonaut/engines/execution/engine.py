"""`ExecutionEngine`: routes trading commands to clients and order events into the model.

Commands (`execute`, endpoint ``ExecEngine.execute``) go to the client named by
`client_id`, else to the client registered for the command's venue, else to the
default client. A submit with no client is denied (`OrderDenied`, reason
``NO_EXECUTION_CLIENT: ...``); any other command without a client is logged and counted
in `routing_error_count`. A submitted order must be in the cache (the strategy caches
it; a missing one is built from `order_init` and added). Under NETTING a submit naming
a position id other than ``{instrument_id}-{strategy_id}`` is denied
(``INVALID_POSITION_ID: ...``).

Events (`process`, endpoint ``ExecEngine.process``) are dispatched on their exact type
through a table built once. An order event is applied to the cached order (found by
client order id, else by venue order id), the cache is updated, and the event is
published on ``events.order.{strategy_id}``. Refused events leave the order unchanged
and are not published: an invalid transition is a warning (`invalid_transition_count`),
a repeated fill a warning (`duplicate_fill_count`), an overfill an error
(`overfill_count`) unless `allow_overfills`, an unknown order an error
(`unknown_order_count`). A fill first gets its position id (see
`argonaut.engines.execution.oms`), is published on the order topic and on
``events.fills.{instrument_id}`` carrying that id, then updates the position. Batches
are expanded into their events, in order.

The OMS in effect for a fill is the strategy's (`register_oms_type`) when set, else the
client's that routes the order; with neither, NETTING.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import msgspec

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.component import Component
from argonaut.common.logging import Logger
from argonaut.core.errors import InvalidStateTransition
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution.client import ExecutionClient
from argonaut.engines.execution.config import ExecEngineConfig
from argonaut.engines.execution.oms import OrderManagement
from argonaut.model.commands.trading import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    QueryAccount,
    QueryOrder,
    SubmitOrder,
    SubmitOrderList,
    TradingCommand,
)
from argonaut.model.enums import OmsType
from argonaut.model.events.order import (
    BATCH_EVENT_TYPES,
    ORDER_EVENT_TYPES,
    OrderAcceptedBatch,
    OrderCanceledBatch,
    OrderDenied,
    OrderEvent,
    OrderFilled,
    OrderInitialized,
    OrderSubmittedBatch,
)
from argonaut.model.identifiers import (
    ClientId,
    InstrumentId,
    PositionId,
    StrategyId,
    Venue,
)
from argonaut.model.orders import DuplicateFill, Order, OverfillError

_E = TypeVar("_E", bound=OrderEvent)
_HEDGING = OmsType.HEDGING
_NETTING = OmsType.NETTING


class ExecutionEngine(Component):
    """The node's execution engine; see the module docstring. Registers its endpoints."""

    def __init__(
        self,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        *,
        config: ExecEngineConfig | None = None,
        logger: Logger | None = None,
        uuid_factory: UUIDFactory,
    ) -> None:
        super().__init__("ExecEngine", clock, msgbus, logger)
        self.config = config = config if config is not None else ExecEngineConfig()
        self._msgbus = msgbus
        self._cache = cache
        self._uuids = uuid_factory
        self._allow_overfills = config.allow_overfills
        self._manage_own_books = config.manage_own_order_books
        self._debug = config.debug
        self._oms = OrderManagement(
            cache,
            msgbus,
            clock,
            uuid_factory,
            self.log,
            snapshot_positions=config.snapshot_positions,
        )
        self._clients: dict[ClientId, ExecutionClient] = {}
        self._venue_clients: dict[Venue, ExecutionClient] = {}
        self._default_client: ExecutionClient | None = None
        self._oms_overrides: dict[StrategyId, OmsType] = {}
        self._hedging_clients = 0  # registered clients whose venue is HEDGING (fill fast path)
        self._external_claims: dict[InstrumentId, StrategyId] = {}
        # Write-ahead gate (`set_write_ahead_gate`): takes client commands until the
        # order's ownership is durably stored.
        self._gate: Callable[[Callable[[Any], None], Any, bool], bool] | None = None
        self.command_count = 0
        self.event_count = 0
        self.routing_error_count = 0
        self.command_error_count = 0
        self.denied_count = 0
        self.unknown_order_count = 0
        self.invalid_transition_count = 0
        self.duplicate_fill_count = 0
        self.overfill_count = 0
        self.event_error_count = 0
        self._commands: dict[type, Callable[[Any], None]] = {
            SubmitOrder: self._submit_order,
            SubmitOrderList: self._submit_order_list,
            ModifyOrder: self._modify_order,
            CancelOrder: self._cancel_order,
            CancelAllOrders: self._cancel_all_orders,
            BatchCancelOrders: self._batch_cancel_orders,
            QueryOrder: self._query_order,
            QueryAccount: self._query_account,
        }
        events: dict[type, Callable[[Any], None]] = dict.fromkeys(
            ORDER_EVENT_TYPES, self._handle_order_event
        )
        events[OrderFilled] = self._handle_fill
        events.update(dict.fromkeys(BATCH_EVENT_TYPES, self._handle_batch))
        self._events = events
        msgbus.register(topics.EXEC_ENGINE_EXECUTE, self.execute)
        msgbus.register(topics.EXEC_ENGINE_PROCESS, self.process)
        msgbus.register(topics.EXEC_ENGINE_APPLY, self.process)

    # -- clients -------------------------------------------------------------------------

    def set_write_ahead_gate(
        self, gate: Callable[[Callable[[Any], None], Any, bool], bool] | None
    ) -> None:
        """Route every client command through `gate` (None removes it).

        ``gate(send, command, is_submit)`` returns True when it took the command and
        will call ``send(command)`` itself (after the submitted order's
        `OrderInitialized` is durably stored), False to let the engine send it now.
        """
        self._gate = gate

    def _send(self, send: Callable[[Any], None], command: Any, submit: bool = False) -> None:
        gate = self._gate
        if gate is None or not gate(send, command, submit):
            send(command)

    @property
    def registered_clients(self) -> list[ClientId]:
        """The ids of the registered clients, in registration order."""
        return list(self._clients)

    @property
    def default_client(self) -> ClientId | None:
        """The id of the default client, if any."""
        return None if self._default_client is None else self._default_client.client_id

    @property
    def msgbus(self) -> MessageBus:
        """The message bus the engine publishes order events on."""
        return self._msgbus

    @property
    def position_error_count(self) -> int:
        """Fills that could not be applied to their position (logged as errors)."""
        return self._oms.position_error_count

    def register_client(self, client: ExecutionClient) -> None:
        """Register a client; it serves commands for its venue (if it has one)."""
        if client.client_id in self._clients:
            raise ValueError(
                f"execution client {client.client_id} is already registered: deregister it first"
            )
        self._clients[client.client_id] = client
        if client.oms_type is _HEDGING:
            self._hedging_clients += 1
        if client.venue is not None:
            self._venue_clients.setdefault(client.venue, client)
        self.log.info(f"Registered execution client {client.client_id}")

    def register_default_client(self, client: ExecutionClient) -> None:
        """Register `client` (if needed) as the one serving commands no other client takes."""
        if self._clients.get(client.client_id) is not client:
            self.register_client(client)
        self._default_client = client

    def deregister_client(self, client: ExecutionClient) -> None:
        """Remove a client from routing; raise ValueError if it is not registered."""
        if self._clients.get(client.client_id) is not client:
            raise ValueError(
                f"execution client {client.client_id} is not registered: registered clients "
                f"are {self.registered_clients}"
            )
        del self._clients[client.client_id]
        if client.oms_type is _HEDGING:
            self._hedging_clients -= 1
        venue = client.venue
        if venue is not None and self._venue_clients.get(venue) is client:
            del self._venue_clients[venue]
        if self._default_client is client:
            self._default_client = None
        self.log.info(f"Deregistered execution client {client.client_id}")

    def check_connected(self) -> bool:
        """Return True when every registered client is connected."""
        return all(c.is_connected for c in self._clients.values())

    def check_disconnected(self) -> bool:
        """Return True when no registered client is connected."""
        return not any(c.is_connected for c in self._clients.values())

    # -- strategies ----------------------------------------------------------------------

    def register_oms_type(self, strategy_id: StrategyId, oms_type: OmsType) -> None:
        """Make `oms_type` the OMS of the strategy's positions (UNSPECIFIED: the venue's)."""
        if oms_type is OmsType.UNSPECIFIED:
            self._oms_overrides.pop(strategy_id, None)
        else:
            self._oms_overrides[strategy_id] = oms_type

    def oms_type(self, strategy_id: StrategyId) -> OmsType | None:
        """Return the OMS registered for a strategy, or None (the venue's applies)."""
        return self._oms_overrides.get(strategy_id)

    def register_external_order_claims(
        self, strategy_id: StrategyId, instrument_ids: Iterable[InstrumentId]
    ) -> None:
        """Make `strategy_id` the owner of external orders on `instrument_ids`.

        Raise ValueError (claiming nothing) when another strategy claimed one of them.
        """
        ids = list(instrument_ids)
        for instrument_id in ids:
            owner = self._external_claims.get(instrument_id)
            if owner is not None and owner != strategy_id:
                raise ValueError(
                    f"external orders of {instrument_id} are already claimed by {owner}: "
                    f"{strategy_id} cannot claim them too"
                )
        for instrument_id in ids:
            self._external_claims[instrument_id] = strategy_id

    def external_order_claim(self, instrument_id: InstrumentId) -> StrategyId | None:
        """Return the strategy that claimed external orders of an instrument, or None."""
        return self._external_claims.get(instrument_id)

    @property
    def external_order_claims(self) -> dict[InstrumentId, StrategyId]:
        """A copy of every external order claim."""
        return dict(self._external_claims)

    # -- commands ------------------------------------------------------------------------

    def execute(self, command: TradingCommand) -> None:
        """Route a trading command to its execution client (see the module docstring)."""
        handler = self._commands.get(type(command))
        if handler is None:
            self.command_error_count += 1
            self.log.error(f"Cannot execute {type(command).__name__}: not a trading command")
            return
        self.command_count += 1
        if self._debug:
            self.log.debug(f"Execute {command}")
        handler(command)

    def _route(self, client_id: ClientId | None, venue: Venue | None) -> ExecutionClient | None:
        if client_id is not None:
            client = self._clients.get(client_id)
            if client is not None:
                return client
        if venue is not None:
            client = self._venue_clients.get(venue)
            if client is not None:
                return client
        return self._default_client

    def _route_or_log(self, command: TradingCommand, venue: Venue | None) -> ExecutionClient | None:
        client = self._route(command.client_id, venue)
        if client is None:
            self.routing_error_count += 1
            self.log.error(
                f"Cannot route {type(command).__name__}: {_no_client(command.client_id, venue)} "
                f"(registered: {self.registered_clients})"
            )
        return client

    def _submit_order(self, command: SubmitOrder) -> None:
        init = command.order_init
        client = self._route(command.client_id, init.instrument_id.venue)
        if (
            client is not None
            and command.position_id is None
            and self._cache.order(init.client_order_id) is not None
        ):  # the common case (nothing to deny, the order is cached): straight to the client
            if self._gate is None:
                client.submit_order(command)
            else:
                self._send(client.submit_order, command, True)
            return
        reason = self._submit_denial(command.client_id, init, command.position_id, client)
        position_id = command.position_id if reason is None else None
        order, link_error = self._cached_order(init, position_id, client)
        if order is None:
            return
        reason = reason or link_error
        if reason is not None:
            self._deny(order, reason)
            return
        assert client is not None  # no client is a denial reason
        self._send(client.submit_order, command, True)

    def _submit_order_list(self, command: SubmitOrderList) -> None:
        order_list = command.order_list
        client = self._route(command.client_id, order_list.instrument_id.venue)
        orders: list[tuple[Order, str | None]] = []
        for init in order_list.orders:
            reason = self._submit_denial(command.client_id, init, command.position_id, client)
            position_id = command.position_id if reason is None else None
            order, link_error = self._cached_order(init, position_id, client)
            if order is not None:
                orders.append((order, reason or link_error))
        denial = next((r for _, r in orders if r is not None), None)
        if denial is not None or len(orders) != len(order_list.orders):
            reason = denial or f"INVALID_ORDER_LIST: order list {order_list.id} has invalid orders"
            for order, _ in orders:
                self._deny(order, reason)
            return
        assert client is not None  # no client is a denial reason
        self._send(client.submit_order_list, command, True)

    def _submit_denial(
        self,
        client_id: ClientId | None,
        init: OrderInitialized,
        position_id: PositionId | None,
        client: ExecutionClient | None,
    ) -> str | None:
        """Return why a submit must be denied, or None."""
        if client is None:
            venue = init.instrument_id.venue
            return f"NO_EXECUTION_CLIENT: {_no_client(client_id, venue)}"
        if position_id is None:
            return None
        strategy_id = init.strategy_id
        if self._oms_type(strategy_id, client) is _NETTING:
            netting_id = self._oms.netting_position_id(init.instrument_id, strategy_id)
            if position_id != netting_id:
                return (
                    f"INVALID_POSITION_ID: position id {position_id} for a NETTING "
                    f"strategy {strategy_id}: expected {netting_id} or none"
                )
        owner = self._cache.position(position_id)
        if owner is not None and owner.strategy_id != strategy_id:
            return (
                f"INVALID_POSITION_ID: position {position_id} belongs to strategy "
                f"{owner.strategy_id}, not {strategy_id}"
            )
        return None

    def _cached_order(
        self,
        init: OrderInitialized,
        position_id: PositionId | None,
        client: ExecutionClient | None,
    ) -> tuple[Order | None, str | None]:
        """Return the cached order of `init` (added when missing) and why linking it to
        `position_id` failed (None when it did not)."""
        cache = self._cache
        coid = init.client_order_id
        order = cache.order(coid)
        if order is None:
            try:
                order = Order.from_init(init)
            except ValueError as exc:
                self.command_error_count += 1
                self.log.error(f"Cannot submit order {coid}: {exc}")
                return None, None
            try:
                cache.add_order(order, position_id, None if client is None else client.client_id)
            except ValueError as exc:
                cache.add_order(order, None, None if client is None else client.client_id)
                return order, f"INVALID_POSITION_ID: {exc}"
        elif position_id is not None and cache.position_id(coid) != position_id:
            try:
                cache.add_position_id(position_id, init.instrument_id.venue, coid, init.strategy_id)
            except ValueError as exc:
                return order, f"INVALID_POSITION_ID: {exc}"
        return order, None

    def _deny(self, order: Order, reason: str) -> None:
        ts = self.clock.timestamp_ns()
        denied = OrderDenied(
            trader_id=order.trader_id,
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            event_id=self._uuids.generate(),
            ts_event=ts,
            ts_init=ts,
            reason=reason,
        )
        self.denied_count += 1
        self.log.error(f"Order {order.client_order_id} denied: {reason}")
        self._handle_order_event(denied)

    def _modify_order(self, command: ModifyOrder) -> None:
        client = self._route_or_log(command, command.instrument_id.venue)
        if client is not None:
            self._send(client.modify_order, command)

    def _cancel_order(self, command: CancelOrder) -> None:
        client = self._route_or_log(command, command.instrument_id.venue)
        if client is not None:
            self._send(client.cancel_order, command)

    def _cancel_all_orders(self, command: CancelAllOrders) -> None:
        client = self._route_or_log(command, command.instrument_id.venue)
        if client is not None:
            self._send(client.cancel_all_orders, command)

    def _batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        client = self._route_or_log(command, command.instrument_id.venue)
        if client is not None:
            self._send(client.batch_cancel_orders, command)

    def _query_order(self, command: QueryOrder) -> None:
        client = self._route_or_log(command, command.instrument_id.venue)
        if client is not None:
            self._send(client.query_order, command)

    def _query_account(self, command: QueryAccount) -> None:
        issuer = command.account_id.get_issuer()
        venue = Venue(issuer) if "." not in issuer else None
        client = self._route_or_log(command, venue)
        if client is not None:
            client.query_account(command)

    # -- events --------------------------------------------------------------------------

    def process(self, event: object) -> None:
        """Apply an order event (or a batch) to its order and publish it."""
        self.event_count += 1
        handler = self._events.get(type(event))
        if handler is None:
            self.event_error_count += 1
            self.log.error(f"Cannot process {type(event).__name__}: not an order event")
            return
        if self._debug:
            self.log.debug(f"Process {event}")
        handler(event)

    def _handle_batch(
        self, batch: OrderSubmittedBatch | OrderAcceptedBatch | OrderCanceledBatch
    ) -> None:
        handle = self._handle_order_event
        for event in batch.events:
            handle(event)

    def _handle_order_event(self, event: OrderEvent) -> None:
        order = self._cache.order(event.client_order_id)
        if order is None:
            found = self._order_by_venue_id(event)
            if found is None:
                return
            order, event = found
        try:
            order.apply(event)
        except InvalidStateTransition as exc:
            self.invalid_transition_count += 1
            self.log.warning(f"Ignored {type(event).__name__} {event.event_id}: {exc}")
            return
        except ValueError as exc:
            self.event_error_count += 1
            self.log.error(f"Cannot apply {type(event).__name__} {event.event_id}: {exc}")
            return
        cache = self._cache
        cache.update_order(order)
        if self._manage_own_books:
            cache.update_own_order_book(order)
        self._msgbus.publish(topics.order_events(event.strategy_id), event)

    def _handle_fill(self, fill: OrderFilled) -> None:
        cache = self._cache
        order = cache.order(fill.client_order_id)
        if order is None:
            found = self._order_by_venue_id(fill)
            if found is None:
                return
            order, fill = found
        if self._oms_overrides or self._hedging_clients:
            oms_type = self._oms_type_for_order(order)
        else:
            oms_type = _NETTING  # what `_oms_type_for_order` returns then (hot path)
        position_id = self._oms.position_id_for(fill, oms_type)
        if fill.position_id != position_id:
            fill = msgspec.structs.replace(fill, position_id=position_id)
        overfill_raw = order.overfill_qty.raw
        try:
            order.apply(fill, self._allow_overfills)
        except DuplicateFill as exc:
            self.duplicate_fill_count += 1
            self.log.warning(f"Dropped fill {fill.trade_id}: {exc}")
            return
        except OverfillError as exc:
            self.overfill_count += 1
            self.log.error(f"Dropped fill {fill.trade_id}: {exc}")
            return
        except InvalidStateTransition as exc:
            self.invalid_transition_count += 1
            self.log.warning(f"Ignored fill {fill.trade_id}: {exc}")
            return
        except ValueError as exc:
            self.event_error_count += 1
            self.log.error(f"Cannot apply fill {fill.trade_id}: {exc}")
            return
        if order.overfill_qty.raw != overfill_raw:
            self.overfill_count += 1
            self.log.warning(
                f"Order {order.client_order_id} overfilled by {order.overfill_qty} with fill "
                f"{fill.trade_id} (allow_overfills)"
            )
        cache.update_order(order)
        if self._manage_own_books:
            cache.update_own_order_book(order)
        publish = self._msgbus.publish
        publish(topics.order_events(fill.strategy_id), fill)
        self._oms.handle_fill(fill, oms_type, reduce_only=order.reduce_only)
        # The fills topic comes last: its subscribers (e.g. the emulator releasing OTO
        # children) see the position already updated by this fill.
        publish(topics.fill_events(fill.instrument_id), fill)

    def _order_by_venue_id(self, event: _E) -> tuple[Order, _E] | None:
        cache = self._cache
        venue_order_id = event.venue_order_id
        coid = None if venue_order_id is None else cache.client_order_id(venue_order_id)
        order = None if coid is None else cache.order(coid)
        if order is None:
            self.unknown_order_count += 1
            self.log.error(
                f"Cannot apply {type(event).__name__} {event.event_id}: order "
                f"{event.client_order_id} (venue order id {venue_order_id}) is not in the cache"
            )
            return None
        if event.client_order_id != order.client_order_id or event.strategy_id != order.strategy_id:
            event = msgspec.structs.replace(
                event, client_order_id=order.client_order_id, strategy_id=order.strategy_id
            )
        return order, event

    # -- OMS -----------------------------------------------------------------------------

    def _oms_type(self, strategy_id: StrategyId, client: ExecutionClient | None) -> OmsType:
        oms_type = self._oms_overrides.get(strategy_id)
        if oms_type is not None:
            return oms_type
        if client is not None and client.oms_type is _HEDGING:
            return _HEDGING
        return _NETTING

    def _oms_type_for_order(self, order: Order) -> OmsType:
        oms_type = self._oms_overrides.get(order.strategy_id)
        if oms_type is not None:
            return oms_type
        if not self._hedging_clients:
            return _NETTING  # no client to route to can be HEDGING
        client_id = self._cache.client_id(order.client_order_id)
        client = None if client_id is None else self._clients.get(client_id)
        if client is None:
            client = self._route(None, order.instrument_id.venue)
        return self._oms_type(order.strategy_id, client)


def _no_client(client_id: ClientId | None, venue: Venue | None) -> str:
    named = f"no execution client {client_id} registered, " if client_id is not None else ""
    return f"{named}no execution client for venue {venue} and no default client"
