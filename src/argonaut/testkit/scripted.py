"""Scripted clients: fakes at the I/O seam for tests of the engines and the kernel.

`ScriptedExecutionClient` records every command it receives and answers like a venue
would, through the execution engine's `ExecEngine.process` endpoint: submits are
acknowledged (submitted, then accepted unless `auto_accept` is off), cancels and modifies
are confirmed, and a test fills orders by hand with `fill`. `ScriptedDataClient` records
subscriptions and lets a test push data into the data engine.
"""

from __future__ import annotations

from typing import Any

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.data.client import DataClient
from argonaut.model.commands.trading import (
    BatchCancelOrders,
    CancelAllOrders,
    CancelOrder,
    ModifyOrder,
    QueryAccount,
    QueryOrder,
    SubmitOrder,
    SubmitOrderList,
)
from argonaut.model.enums import LiquiditySide, OmsType
from argonaut.model.events.order import (
    OrderAccepted,
    OrderCanceled,
    OrderEvent,
    OrderFilled,
    OrderRejected,
    OrderSubmitted,
    OrderUpdated,
)
from argonaut.model.identifiers import (
    AccountId,
    ClientId,
    ClientOrderId,
    PositionId,
    TradeId,
    Venue,
    VenueOrderId,
)
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.values import Money, Price, Quantity


class ScriptedExecutionClient:
    """An execution client whose venue is the test: it records commands and answers them."""

    def __init__(
        self,
        client_id: str,
        venue: str,
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        account_id: str = "SIM-001",
        oms_type: OmsType = OmsType.NETTING,
        auto_accept: bool = True,
        auto_cancel: bool = True,
        auto_modify: bool = True,
    ) -> None:
        self._client_id = ClientId(client_id)
        self._venue = Venue(venue)
        self._account_id = AccountId(account_id)
        self._oms_type = oms_type
        self._msgbus = msgbus
        self._cache = cache
        self._clock = clock
        self._uuids = uuid_factory
        self.auto_accept = auto_accept
        self.auto_cancel = auto_cancel
        self.auto_modify = auto_modify
        self.connected = True
        self.commands: list[Any] = []
        self._venue_ids = 0
        self._trade_ids = 0

    @property
    def client_id(self) -> ClientId:
        """This client's id."""
        return self._client_id

    @property
    def venue(self) -> Venue | None:
        """The venue this client serves."""
        return self._venue

    @property
    def oms_type(self) -> OmsType:
        """The venue's order management type."""
        return self._oms_type

    @property
    def account_id(self) -> AccountId | None:
        """The account at the venue."""
        return self._account_id

    @property
    def is_connected(self) -> bool:
        """Whether the client counts as connected."""
        return self.connected

    # -- commands ------------------------------------------------------------------------

    def submit_order(self, command: SubmitOrder) -> None:
        """Record the submit and acknowledge it."""
        self.commands.append(command)
        self._acknowledge(command.order_init.client_order_id)

    def submit_order_list(self, command: SubmitOrderList) -> None:
        """Record the list and acknowledge each order."""
        self.commands.append(command)
        for init in command.order_list.orders:
            self._acknowledge(init.client_order_id)

    def modify_order(self, command: ModifyOrder) -> None:
        """Record the modify and, with `auto_modify`, confirm it."""
        self.commands.append(command)
        order = self._cache.order(command.client_order_id)
        if order is None or not self.auto_modify:
            return
        self._send(
            OrderUpdated,
            order,
            quantity=command.quantity if command.quantity is not None else order.quantity,
            price=command.price if command.price is not None else order.price,
            trigger_price=(
                command.trigger_price if command.trigger_price is not None else order.trigger_price
            ),
        )

    def cancel_order(self, command: CancelOrder) -> None:
        """Record the cancel and, with `auto_cancel`, confirm it."""
        self.commands.append(command)
        order = self._cache.order(command.client_order_id)
        if order is not None and self.auto_cancel:
            self._send(OrderCanceled, order)

    def cancel_all_orders(self, command: CancelAllOrders) -> None:
        """Record the command and, with `auto_cancel`, cancel the matching open orders."""
        self.commands.append(command)
        if not self.auto_cancel:
            return
        for order in self._cache.orders_open(
            instrument_id=command.instrument_id, strategy_id=command.strategy_id
        ):
            if command.order_side.name in ("NO_ORDER_SIDE", order.side.name):
                self._send(OrderCanceled, order)

    def batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        """Record the command and cancel each order."""
        self.commands.append(command)
        for cancel in command.cancels:
            self.cancel_order(cancel)

    def query_order(self, command: QueryOrder) -> None:
        """Record the query."""
        self.commands.append(command)

    def query_account(self, command: QueryAccount) -> None:
        """Record the query."""
        self.commands.append(command)

    # -- the venue's side, driven by the test ----------------------------------------------

    def accept(self, client_order_id: ClientOrderId | str) -> None:
        """Accept a submitted order."""
        order = self._order(client_order_id)
        self._venue_ids += 1
        self._send(OrderAccepted, order, venue_order_id=VenueOrderId(f"V-{self._venue_ids}"))

    def reject(self, client_order_id: ClientOrderId | str, reason: str = "REJECTED") -> None:
        """Reject a submitted order."""
        self._send(OrderRejected, self._order(client_order_id), reason=reason)

    def cancel(self, client_order_id: ClientOrderId | str) -> None:
        """Cancel an order venue-side."""
        self._send(OrderCanceled, self._order(client_order_id))

    def fill(
        self,
        client_order_id: ClientOrderId | str,
        *,
        last_qty: Quantity | str | None = None,
        last_px: Price | str | None = None,
        liquidity_side: LiquiditySide = LiquiditySide.TAKER,
        venue_position_id: str | None = None,
    ) -> OrderFilled:
        """Fill an order (default: all that is left at its price); returns the event sent."""
        order = self._order(client_order_id)
        instrument = self._cache.instrument(order.instrument_id)
        if instrument is None:
            raise ValueError(f"no instrument {order.instrument_id} in the cache")
        qty = _qty(last_qty, instrument) if last_qty is not None else order.leaves_qty
        if last_px is not None:
            px = last_px if isinstance(last_px, Price) else instrument.make_price(last_px)
        elif order.price is not None:
            px = order.price
        elif order.trigger_price is not None:
            px = order.trigger_price
        else:
            raise ValueError(f"order {order.client_order_id} has no price: pass last_px")
        notional = instrument.notional_value(qty, px)
        rate = (
            instrument.maker_fee if liquidity_side is LiquiditySide.MAKER else instrument.taker_fee
        )
        fee = Money.from_raw(int((notional.raw * rate).to_integral_value()), notional.currency)
        self._trade_ids += 1
        event: OrderFilled = self._send(
            OrderFilled,
            order,
            venue_order_id=order.venue_order_id or VenueOrderId(f"V-{order.client_order_id}"),
            trade_id=TradeId(f"{self._client_id}-T-{self._trade_ids}"),
            order_side=order.side,
            order_type=order.order_type,
            last_qty=qty,
            last_px=px,
            currency=notional.currency,
            commission=fee,
            liquidity_side=liquidity_side,
            position_id=None if venue_position_id is None else PositionId(venue_position_id),
        )
        return event

    # -- internals -----------------------------------------------------------------------

    def _acknowledge(self, client_order_id: ClientOrderId) -> None:
        order = self._order(client_order_id)
        self._send(OrderSubmitted, order)
        if self.auto_accept:
            self.accept(client_order_id)

    def _order(self, client_order_id: ClientOrderId | str) -> Order:
        order = self._cache.order(ClientOrderId(client_order_id))
        if order is None:
            raise ValueError(f"order {client_order_id} is not in the cache")
        return order

    def _send(self, kind: type[Any], order: Order, **fields: Any) -> Any:
        ts = self._clock.timestamp_ns()
        base: dict[str, Any] = {
            "trader_id": order.trader_id,
            "strategy_id": order.strategy_id,
            "instrument_id": order.instrument_id,
            "client_order_id": order.client_order_id,
            "event_id": self._uuids.generate(),
            "ts_event": ts,
            "ts_init": ts,
            "venue_order_id": order.venue_order_id,
            "account_id": self._account_id,
        }
        base.update(fields)
        event: OrderEvent = kind(**base)
        self._msgbus.send(topics.EXEC_ENGINE_PROCESS, event)
        return event


def _qty(value: Quantity | str, instrument: Instrument) -> Quantity:
    return value if isinstance(value, Quantity) else instrument.make_qty(value)


class ScriptedDataClient(DataClient):
    """A data client that records subscriptions; tests push data with `push`."""

    def __init__(self, client_id: str, msgbus: MessageBus, *, venue: str | None = None) -> None:
        super().__init__(client_id, msgbus, venue=venue)
        self.is_connected = True
        self.received: list[Any] = []

    def _on_subscribe(self, command: Any) -> None:
        self.received.append(command)

    def _on_unsubscribe(self, command: Any) -> None:
        self.received.append(command)

    def _on_request(self, request: Any) -> None:
        self.received.append(request)

    def push(self, data: Any) -> None:
        """Hand one data object to the data engine, as a venue client does."""
        self._msgbus.send(topics.DATA_ENGINE_PROCESS, data)
