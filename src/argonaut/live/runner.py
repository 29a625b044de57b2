"""`NodeRunner`: the live node's five channels and what each message does when drained.

Clients and engines hand messages to the node without awaiting: the runner re-points
four bus endpoints at channels (``DataEngine.process``, ``DataEngine.execute``,
``ExecEngine.process``, ``ExecEngine.execute``) and timers post their callbacks to the
time channel. The node's loop then calls `process_pending`, which drains the channels
in priority order (time events, execution events, execution commands, data events,
data commands) one message at a time for market data, so an order action produced by
a quote is executed before the next quote is looked at.

Execution events and commands also feed the `ExecutionManager`'s bookkeeping (local
activity, in-flight registration, processed fills), as the reference node does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from argonaut.common import topics
from argonaut.common.bus import MessageBus
from argonaut.live.channels import Channel, ChannelSet
from argonaut.model.commands.trading import (
    CancelOrder,
    ModifyOrder,
    SubmitOrder,
    SubmitOrderList,
)
from argonaut.model.events.account import AccountState
from argonaut.model.events.order import (
    OrderAccepted,
    OrderAcceptedBatch,
    OrderCanceled,
    OrderCanceledBatch,
    OrderDenied,
    OrderEvent,
    OrderExpired,
    OrderFilled,
    OrderRejected,
    OrderSubmittedBatch,
)
from argonaut.model.reports import FillReport, OrderStatusReport, PositionStatusReport
from argonaut.system.kernel import Kernel

# The four endpoints whose messages go through channels (endpoint -> channel attribute).
_CHANNELLED = (
    (topics.DATA_ENGINE_PROCESS, "data_events"),
    (topics.DATA_ENGINE_EXECUTE, "data_commands"),
    (topics.EXEC_ENGINE_PROCESS, "exec_events"),
    (topics.EXEC_ENGINE_EXECUTE, "exec_commands"),
)
_INLINE_FOLLOW_UP = 100  # messages an inline dispatch may process before returning
_INLINE_STREAK = 1000  # inline dispatches allowed between two passes of the node's loop
_CLEARS_TRACKING = (OrderAccepted, OrderRejected, OrderCanceled, OrderExpired, OrderDenied)


class NodeRunner:
    """Channels plus the dispatch of every message kind; see the module docstring."""

    def __init__(self, kernel: Kernel, exec_manager: Any, *, maxlen: int | None = None) -> None:
        self.kernel = kernel
        self.exec_manager = exec_manager
        self.channels: ChannelSet[Any, Any, Any, Any, Any] = ChannelSet(maxlen=maxlen)
        self._queues = self.channels.queues
        self._higher = (self._queues[0], self._queues[1], self._queues[2])
        self._feed_data = self.channels.data_events.feed
        self._msgbus: MessageBus = kernel.msgbus
        self._saved: dict[str, Callable[[Any], None]] = {}
        self._client_sinks: list[tuple[Any, Callable[[Any], None]]] = []
        self.residual_count = 0
        self.counting_residuals = False
        # Inline dispatch: while the node runs and every channel is empty, market data
        # handed over by a client is processed at once (what the loop would do next
        # anyway), saving the loop turn between ingest and strategy. Off during startup
        # buffering and shutdown; never re-entered.
        self.inline_data = False
        self.inline_count = 0
        self.inline_streak = 0  # reset by the node's loop on every pass
        self._dispatching = False
        exec_engine = kernel.exec_engine
        data_engine = kernel.data_engine
        self._process_order_event = exec_engine.process
        self._execute_trading = exec_engine.execute
        self._process_data = data_engine.process
        self._execute_data = data_engine.execute
        manager = exec_manager
        self._record_activity = manager.record_local_activity
        self._clear_tracking = manager.clear_recon_tracking
        self._register_inflight = manager.register_inflight
        # Execution events dispatch by exact type, built once (no isinstance chains).
        self._exec_event_handlers: dict[type[Any], Callable[[Any], None]] = {
            AccountState: self._handle_account_state,
            OrderSubmittedBatch: self._handle_submitted_batch,
            OrderAcceptedBatch: self._handle_accepted_batch,
            OrderCanceledBatch: self._handle_canceled_batch,
            FillReport: self._handle_fill_report,
            OrderStatusReport: self._handle_report,
            PositionStatusReport: self._handle_report,
        }
        self._command_handlers: dict[type[Any], Callable[[Any], None]] = {
            SubmitOrder: self._handle_submit,
            SubmitOrderList: self._handle_submit_list,
            ModifyOrder: self._handle_modify_or_cancel,
            CancelOrder: self._handle_modify_or_cancel,
        }

    # -- wiring --------------------------------------------------------------------------

    def bind_senders(self) -> None:
        """Point the four engine endpoints at the channels (idempotent)."""
        if self._saved:
            return
        bus = self._msgbus
        for endpoint, attr in _CHANNELLED:
            channel: Channel[Any] = getattr(self.channels, attr)
            self._saved[endpoint] = bus.endpoint_handler(endpoint)
            bus.deregister(endpoint)
            bus.register(endpoint, channel.send_nowait)

    def bind_client_sinks(self, clients: Iterable[Any]) -> None:
        """Point data clients that send through the bus straight at the data channel.

        A live data client's default sink is ``msgbus.send(DataEngine.process, data)``,
        which now ends in the data events channel anyway; sending to the channel
        directly saves the endpoint lookup on every message. Clients given another sink
        are left alone. `unbind_senders` restores the sinks.
        """
        send = self.ingest_data
        for client in clients:
            sink = getattr(client, "_sink", None)
            if (
                isinstance(sink, partial)
                and sink.func == self._msgbus.send
                and sink.args == (topics.DATA_ENGINE_PROCESS,)
                and not sink.keywords
            ):
                self._client_sinks.append((client, sink))
                client._sink = send

    def unbind_senders(self) -> None:
        """Give the endpoints back to the engines (messages then flow synchronously)."""
        bus = self._msgbus
        for endpoint, handler in self._saved.items():
            bus.deregister(endpoint)
            bus.register(endpoint, handler)
        self._saved.clear()
        for client, sink in self._client_sinks:
            client._sink = sink
        self._client_sinks.clear()

    def post_time_event(self, fn: Callable[[], None]) -> None:
        """Queue a timer callback on the time channel (the node's timer scheduler uses it)."""
        self.channels.time_events.send_nowait(fn)

    # -- draining ------------------------------------------------------------------------

    def ingest_data(self, data: Any) -> None:
        """A data client's hand-over: process at once when idle, else queue on the channel.

        Processing inline happens only while `inline_data` is on, nothing is queued in
        any channel (so priority order is exactly what the loop would do) and no dispatch
        is already running (no re-entrance); whatever the data produces (e.g. an order)
        is then processed before returning.
        """
        if self._dispatching or not self.inline_data or self.inline_streak >= _INLINE_STREAK:
            self.channels.data_events.send_nowait(data)
            return
        time_q, xevt_q, xcmd_q, devt_q, dcmd_q = self._queues
        if time_q or xevt_q or xcmd_q or devt_q or dcmd_q:
            self.channels.data_events.send_nowait(data)
            return
        self._dispatching = True
        try:
            self._process_data(data)
            self.inline_count += 1
            self.inline_streak += 1
        finally:
            self._dispatching = False
        if time_q or xevt_q or xcmd_q or dcmd_q:
            self.process_pending(_INLINE_FOLLOW_UP)
            # The data produced work (an order): queue what follows until the loop has
            # run, so the client's venue call is not held behind a producer's burst.
            self.inline_streak = _INLINE_STREAK

    def process_pending(self, budget: int) -> int:
        """Process up to `budget` messages in priority order; return how many were processed.

        Higher-priority channels are drained first; market data is taken one message at
        a time and the higher channels are looked at again after each one.
        """
        time_q, xevt_q, xcmd_q, devt_q, dcmd_q = self._queues
        if not (time_q or xevt_q or xcmd_q or devt_q or dcmd_q):
            return 0
        if self._dispatching:
            return 0
        self._dispatching = True
        try:
            return self._process_pending(budget)
        finally:
            self._dispatching = False

    def _process_pending(self, budget: int) -> int:
        time_q, xevt_q, xcmd_q, devt_q, dcmd_q = self._queues
        time_ch, xevt_ch, xcmd_ch, _, dcmd_ch = self.channels.by_priority
        higher = self._higher
        done = 0
        residual = self.counting_residuals
        while done < budget:
            if time_q:
                fn = time_ch.popleft()
                done += 1
                fn()
            elif xevt_q:
                done += 1
                self.handle_exec_event(xevt_ch.popleft())
            elif xcmd_q:
                done += 1
                self.handle_exec_command(xcmd_ch.popleft())
            elif devt_q:
                # Market data runs in a tight loop that stops as soon as a higher
                # channel has a message (e.g. the order a quote just produced).
                done += self._feed_data(self._process_data, budget - done, higher)
            elif dcmd_q:
                done += 1
                self._execute_data(dcmd_ch.popleft())
            else:
                break
        if residual:
            self.residual_count += done
        return done

    def process_time_and_accounts(self, pending_exec_events: list[Any]) -> int:
        """Startup buffering: run timers and apply account states now, keep the rest.

        Execution events other than account states are moved to `pending_exec_events`
        (in arrival order) to be processed after the startup phase.
        """
        ch = self.channels
        done = 0
        while ch.time_events.depth:
            ch.time_events.popleft()()
            done += 1
        while ch.exec_events.depth:
            event = ch.exec_events.popleft()
            if type(event) is AccountState:
                self._handle_account_state(event)
            else:
                pending_exec_events.append(event)
            done += 1
        return done

    def flush_data(self) -> int:
        """Process every queued data event and data command (startup phase 1)."""
        ch = self.channels
        done = 0
        while ch.data_events.depth or ch.data_commands.depth or ch.time_events.depth:
            while ch.time_events.depth:
                ch.time_events.popleft()()
                done += 1
            while ch.data_events.depth:
                self._process_data(ch.data_events.popleft())
                done += 1
            while ch.data_commands.depth:
                self._execute_data(ch.data_commands.popleft())
                done += 1
        return done

    def flush_all(self, pending_exec_events: list[Any]) -> int:
        """Process buffered execution events, then everything queued, until all is empty."""
        done = 0
        while pending_exec_events:
            batch = pending_exec_events[:]
            pending_exec_events.clear()
            for event in batch:
                self.handle_exec_event(event)
                done += 1
        while True:
            n = self.process_pending(1_000_000)
            done += n
            if n == 0:
                return done

    def drain_all(self) -> int:
        """Process whatever is left in every channel (after the node has stopped)."""
        return self.flush_all([])

    # -- execution events ----------------------------------------------------------------

    def handle_exec_event(self, event: Any) -> None:
        """Do the manager's bookkeeping for `event`, then hand it to its engine."""
        handler = self._exec_event_handlers.get(type(event))
        if handler is not None:
            handler(event)
            return
        self._handle_order_event(event)

    def _handle_order_event(self, event: OrderEvent) -> None:
        coid = event.client_order_id
        self._record_activity(coid)
        kind = type(event)
        if kind is OrderFilled:
            fill: OrderFilled = event  # type: ignore[assignment]
            self.exec_manager.record_position_activity(
                fill.instrument_id, fill.account_id, fill.ts_event
            )
            self.exec_manager.mark_fill_processed(fill.trade_id)
        elif kind in _CLEARS_TRACKING:
            self._clear_tracking(coid)
        self._process_order_event(event)
        order = self.kernel.cache.order(coid)
        if order is not None and order.is_closed:
            self._clear_tracking(coid)

    def _handle_submitted_batch(self, batch: OrderSubmittedBatch) -> None:
        for event in batch.events:
            self._record_activity(event.client_order_id)
            self._process_order_event(event)

    def _handle_accepted_batch(self, batch: OrderAcceptedBatch) -> None:
        for event in batch.events:
            self._record_activity(event.client_order_id)
            self._clear_tracking(event.client_order_id)
            self._process_order_event(event)

    def _handle_canceled_batch(self, batch: OrderCanceledBatch) -> None:
        for event in batch.events:
            self._record_activity(event.client_order_id)
            self._clear_tracking(event.client_order_id)
            self._process_order_event(event)
            order = self.kernel.cache.order(event.client_order_id)
            if order is not None and order.is_closed:
                self._clear_tracking(event.client_order_id)

    def _handle_account_state(self, state: AccountState) -> None:
        self._msgbus.send(topics.PORTFOLIO_UPDATE_ACCOUNT, state)

    def _handle_fill_report(self, report: FillReport) -> None:
        if self.exec_manager.is_fill_recently_processed(report.trade_id):
            return
        self._handle_report(report)

    def _handle_report(self, report: Any) -> None:
        self.exec_manager.observe_execution_report(report)

    # -- execution commands --------------------------------------------------------------

    def handle_exec_command(self, command: Any) -> None:
        """Register in-flight orders for `command`, then execute it."""
        handler = self._command_handlers.get(type(command))
        if handler is not None:
            handler(command)
        self._execute_trading(command)

    def _handle_submit(self, command: SubmitOrder) -> None:
        self._register_inflight(command.order_init.client_order_id)

    def _handle_submit_list(self, command: SubmitOrderList) -> None:
        for init in command.order_list.orders:
            self._register_inflight(init.client_order_id)

    def _handle_modify_or_cancel(self, command: ModifyOrder | CancelOrder) -> None:
        self._register_inflight(command.client_order_id)
