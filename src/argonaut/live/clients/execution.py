"""`LiveExecutionClient`: the base of every live execution client.

The execution engine calls the synchronous command methods of the `ExecutionClient`
protocol; each schedules the async venue call (`_submit_order`, `_modify_order`,
`_cancel_order`, ...) as a tracked task and returns. `submit_order` does nothing else
before scheduling: no logging, no formatting (it is on the W2 latency path).

Outcomes (DESIGN.md section 7), handled by the task around each venue call:

- `submit_order`: a client that is not connected rejects the order at once (nothing
  was sent). Otherwise `OrderSubmitted` is emitted first (the order is in flight),
  then `_submit_order` runs. `VenueRejected` emits `OrderRejected`. A
  `TransientVenueError` or any other failure leaves the outcome unknown: the order
  stays SUBMITTED and the client logs it; reconciliation queries the venue later.
- modify / cancel: `VenueRejected` emits `OrderModifyRejected` / `OrderCancelRejected`;
  an unknown outcome emits nothing (no invented terminal state) and is logged.
- cancel-all and queries: failures are logged.

Events, account states and reports go to the injected `event_sink` without awaiting
(default: the `ExecEngine.process` endpoint; the node wires its execution events
channel with `set_event_sink`). The report methods (`generate_*_report(s)`,
`generate_mass_status`) are async and overridden by venue clients.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

from argonaut.cache import Cache
from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution.client import ExecutionClient
from argonaut.live.clients.base import LiveClientBase, Sink
from argonaut.live.clients.errors import TransientVenueError, VenueRejected
from argonaut.live.clients.events import OrderEventFactory
from argonaut.live.clients.reports import ExecutionReports
from argonaut.live.timesource import TimeSource
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
from argonaut.model.enums import AccountType, OmsType
from argonaut.model.events.order import OrderInitialized
from argonaut.model.identifiers import AccountId, ClientId, Venue
from argonaut.model.values import Currency

__all__ = ["LiveExecutionClient"]


class LiveExecutionClient(OrderEventFactory, ExecutionReports, LiveClientBase):
    """An execution client on the node's event loop (satisfies `ExecutionClient`)."""

    def __init__(
        self,
        client_id: ClientId | str,
        venue: Venue | str | None,
        *,
        oms_type: OmsType,
        account_type: AccountType,
        account_id: AccountId | str,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        base_currency: Currency | None = None,
        logger: Logger | None = None,
        event_sink: Sink | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        time_source: TimeSource | None = None,
        connect_timeout: float | None = None,
        disconnect_timeout: float | None = None,
    ) -> None:
        self.client_id = ClientId(client_id)
        self.venue = Venue(venue) if venue is not None else None
        self.oms_type = oms_type
        self.account_type = account_type
        self.base_currency = base_currency
        self.trader_id = msgbus.trader_id
        self._account_id = AccountId(account_id)
        self._msgbus = msgbus
        self._cache = cache
        self._clock = clock
        self._uuids = uuid_factory
        self._event_sink = (
            event_sink
            if event_sink is not None
            else partial(msgbus.send, topics.EXEC_ENGINE_PROCESS)
        )
        self._init_live(
            logger=logger,
            loop=loop,
            time_source=time_source,
            connect_timeout=connect_timeout,
            disconnect_timeout=disconnect_timeout,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.client_id})"

    @property
    def account_id(self) -> AccountId:
        """The account this client trades at the venue."""
        return self._account_id

    def _set_account_id(self, account_id: AccountId | str) -> None:
        """Set the account id (for venues that reveal it on connect)."""
        self._account_id = AccountId(account_id)

    def set_event_sink(self, sink: Sink) -> None:
        """Send events, account states and reports to `sink` from now on."""
        self._event_sink = sink

    def _send_event(self, event: Any) -> None:
        """Hand an event, account state or report to the engines (one sink call)."""
        self._event_sink(event)

    def _send_event_threadsafe(self, event: Any) -> None:
        """Hand an event over from another thread (see `call_threadsafe`)."""
        self.call_threadsafe(self._event_sink, event)

    # -- ExecutionClient: synchronous entry points -------------------------------------------

    def submit_order(self, command: SubmitOrder) -> None:
        """Schedule the submit; nothing else happens before the task runs."""
        self.create_task(self._run_submit_order(command))

    def submit_order_list(self, command: SubmitOrderList) -> None:
        """Schedule the submit of every order of the list."""
        self.create_task(self._run_submit_order_list(command))

    def modify_order(self, command: ModifyOrder) -> None:
        """Schedule the modify."""
        self.create_task(self._run_modify_order(command))

    def cancel_order(self, command: CancelOrder) -> None:
        """Schedule the cancel."""
        self.create_task(self._run_cancel_order(command))

    def cancel_all_orders(self, command: CancelAllOrders) -> None:
        """Schedule the cancel of the strategy's open orders on the instrument."""
        self.create_task(self._run_quiet(self._cancel_all_orders(command), command))

    def batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        """Schedule the batch cancel."""
        self.create_task(self._run_batch_cancel_orders(command))

    def query_order(self, command: QueryOrder) -> None:
        """Schedule the query of one order's state."""
        self.create_task(self._run_quiet(self._query_order(command), command))

    def query_account(self, command: QueryAccount) -> None:
        """Schedule the query of the account's state."""
        self.create_task(self._run_quiet(self._query_account(command), command))

    # -- outcome handling ------------------------------------------------------------------

    async def _run_submit_order(self, command: SubmitOrder) -> None:
        init = command.order_init
        if not self.is_connected:
            self._reject(init, f"{self.client_id} is not connected")
            return
        self._submitted(init, self._now())
        try:
            await self._submit_order(command)
        except VenueRejected as exc:
            self._reject(init, exc.reason, due_post_only=exc.due_post_only)
        except TransientVenueError as exc:
            self._log.warning(
                f"Submit of {init.client_order_id} has an unknown outcome ({exc!r}): "
                "it stays in flight until the venue is queried"
            )

    async def _run_submit_order_list(self, command: SubmitOrderList) -> None:
        inits = command.order_list.orders
        if not self.is_connected:
            for init in inits:
                self._reject(init, f"{self.client_id} is not connected")
            return
        ts = self._now()
        for init in inits:
            self._submitted(init, ts)
        try:
            await self._submit_order_list(command)
        except VenueRejected as exc:
            for init in inits:
                self._reject(init, exc.reason, due_post_only=exc.due_post_only)
        except TransientVenueError as exc:
            self._log.warning(
                f"Submit of order list {command.order_list.id} has an unknown outcome "
                f"({exc!r}): its orders stay in flight until the venue is queried"
            )

    def _submitted(self, init: OrderInitialized, ts_event: int) -> None:
        self.generate_order_submitted(
            strategy_id=init.strategy_id,
            instrument_id=init.instrument_id,
            client_order_id=init.client_order_id,
            ts_event=ts_event,
        )

    def _reject(self, init: OrderInitialized, reason: str, *, due_post_only: bool = False) -> None:
        self.generate_order_rejected(
            strategy_id=init.strategy_id,
            instrument_id=init.instrument_id,
            client_order_id=init.client_order_id,
            reason=reason,
            ts_event=self._now(),
            due_post_only=due_post_only,
        )

    async def _run_modify_order(self, command: ModifyOrder) -> None:
        try:
            if not self.is_connected:
                raise VenueRejected(f"{self.client_id} is not connected")
            await self._modify_order(command)
        except VenueRejected as exc:
            self.generate_order_modify_rejected(
                strategy_id=command.strategy_id,
                instrument_id=command.instrument_id,
                client_order_id=command.client_order_id,
                venue_order_id=command.venue_order_id,
                reason=exc.reason,
                ts_event=self._now(),
            )
        except TransientVenueError as exc:
            self._log.warning(
                f"Modify of {command.client_order_id} has an unknown outcome ({exc!r}): "
                "it stays pending until the venue reports"
            )

    async def _run_cancel_order(self, command: CancelOrder) -> None:
        try:
            if not self.is_connected:
                raise VenueRejected(f"{self.client_id} is not connected")
            await self._cancel_order(command)
        except VenueRejected as exc:
            self._cancel_rejected(command, exc.reason)
        except TransientVenueError as exc:
            self._log.warning(
                f"Cancel of {command.client_order_id} has an unknown outcome ({exc!r}): "
                "it stays pending until the venue reports"
            )

    async def _run_batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        try:
            if not self.is_connected:
                raise VenueRejected(f"{self.client_id} is not connected")
            await self._batch_cancel_orders(command)
        except VenueRejected as exc:
            for cancel in command.cancels:
                self._cancel_rejected(cancel, exc.reason)
        except TransientVenueError as exc:
            self._log.warning(
                f"Batch cancel on {command.instrument_id} has an unknown outcome ({exc!r}): "
                "its orders stay pending until the venue reports"
            )

    async def _run_quiet(self, call: Coroutine[Any, Any, None], command: object) -> None:
        """Await a venue call whose failure has no event: log it."""
        try:
            if not self.is_connected:
                call.close()
                self._log.warning(
                    f"Cannot run {type(command).__name__}: {self.client_id} is not connected"
                )
                return
            await call
        except (VenueRejected, TransientVenueError) as exc:
            self._log.warning(f"{type(command).__name__} failed: {exc!r}")

    def _cancel_rejected(self, command: CancelOrder, reason: str) -> None:
        self.generate_order_cancel_rejected(
            strategy_id=command.strategy_id,
            instrument_id=command.instrument_id,
            client_order_id=command.client_order_id,
            venue_order_id=command.venue_order_id,
            reason=reason,
            ts_event=self._now(),
        )

    def _now(self) -> int:
        return self._clock.timestamp_ns()

    # -- venue calls (override) ------------------------------------------------------------

    async def _submit_order(self, command: SubmitOrder) -> None:
        """Send the order to the venue (override; `OrderSubmitted` was already emitted)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _submit_order")

    async def _submit_order_list(self, command: SubmitOrderList) -> None:
        """Send an order list to the venue (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _submit_order_list")

    async def _modify_order(self, command: ModifyOrder) -> None:
        """Ask the venue to modify an order (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _modify_order")

    async def _cancel_order(self, command: CancelOrder) -> None:
        """Ask the venue to cancel an order (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _cancel_order")

    async def _cancel_all_orders(self, command: CancelAllOrders) -> None:
        """Ask the venue to cancel the strategy's orders on an instrument (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _cancel_all_orders")

    async def _batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        """Ask the venue to cancel several orders at once (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _batch_cancel_orders")

    async def _query_order(self, command: QueryOrder) -> None:
        """Ask the venue for an order's state and send what it says (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _query_order")

    async def _query_account(self, command: QueryAccount) -> None:
        """Ask the venue for the account's state and send it (override)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _query_account")


if TYPE_CHECKING:  # mypy proves the class satisfies the engine's protocol
    _PROTOCOL_CHECK: type[ExecutionClient] = LiveExecutionClient
