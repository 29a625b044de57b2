"""`SandboxExecutionClient`: the live execution client of the sandbox venue.

Every command goes to the venue's `SandboxExchange`; what the venue answers arrives
later (its latency model) as `VenueMessage`s, which become order events through the
`generate_*` methods, and account updates become `AccountState`s (on connect and
after every change). The report hooks answer from the venue's state, so the node's
reconciliation sees the venue's truth even when faults dropped messages.

When the venue drops the connection the client reconnects with backoff and resyncs:
it reports the account again and, for every order the cache still holds open or in
flight at this venue, emits what it missed (`resync.resync_order`: the acceptance, a
trigger, the last modify the venue applied, fills, a cancel or an expiry).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argonaut.adapters.sandbox.exchange import SandboxExchange
from argonaut.adapters.sandbox.link import ExchangeProvider, SandboxLink
from argonaut.adapters.sandbox.messages import (
    VenueAccountUpdate,
    VenueCancelRejected,
    VenueMessage,
    VenueModifyRejected,
    VenueOrderAccepted,
    VenueOrderCanceled,
    VenueOrderExpired,
    VenueOrderFilled,
    VenueOrderMessage,
    VenueOrderRejected,
    VenueOrderTriggered,
    VenueOrderUpdated,
)
from argonaut.adapters.sandbox.resync import resync_order
from argonaut.adapters.sandbox.settings import SandboxClientConfig
from argonaut.adapters.sandbox.state import SimFill, SimOrder
from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.nanos import NANOS_PER_SECOND
from argonaut.core.uuid import UUIDFactory
from argonaut.live.clients.errors import TransientVenueError
from argonaut.live.clients.execution import LiveExecutionClient
from argonaut.live.timesource import TimeSource
from argonaut.model.commands import (
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
    QueryOrder,
    TradingCommand,
)
from argonaut.model.identifiers import ClientOrderId, VenueOrderId
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import Currency

__all__ = ["SandboxExecutionClient"]


class SandboxExecutionClient(SandboxLink, LiveExecutionClient):
    """Orders against a `SandboxExchange` (see the module docstring)."""

    def __init__(
        self,
        client_id: str,
        *,
        exchange: ExchangeProvider,
        config: SandboxClientConfig,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger | None = None,
        time_source: TimeSource | None = None,
    ) -> None:
        super().__init__(
            client_id,
            config.venue,
            oms_type=config.oms_type,
            account_type=config.account_type,
            account_id=config.account_id or f"{config.venue}-001",
            msgbus=msgbus,
            cache=cache,
            clock=clock,
            uuid_factory=uuid_factory,
            base_currency=(
                Currency.from_str(config.base_currency) if config.base_currency else None
            ),
            logger=logger,
            time_source=time_source,
        )
        self._init_link(exchange, config.reconnect_delay_secs)
        self.resync_event_count = 0
        self._handlers: dict[type[Any], Callable[[Any], None]] = {
            VenueOrderAccepted: _ids_only(self.generate_order_accepted),
            VenueOrderRejected: self._on_rejected,
            VenueOrderCanceled: _ids_only(self.generate_order_canceled),
            VenueOrderExpired: _ids_only(self.generate_order_expired),
            VenueOrderTriggered: _ids_only(self.generate_order_triggered),
            VenueOrderUpdated: self._on_updated,
            VenueModifyRejected: _ids_and_reason(self.generate_order_modify_rejected),
            VenueCancelRejected: _ids_and_reason(self.generate_order_cancel_rejected),
            VenueOrderFilled: self._on_filled,
            VenueAccountUpdate: self._on_account,
        }

    # -- connection ----------------------------------------------------------------------

    def _venue_link(self) -> SandboxExchange:
        exchange = self.exchange
        if exchange is None or not exchange.is_up:
            raise TransientVenueError(f"{self.client_id} has no connection to the sandbox venue")
        return exchange

    async def _connect(self) -> None:
        exchange = self._provider()
        exchange.attach_exec(self)
        self.exchange = exchange
        self._set_account_id(exchange.venue.account_id)
        self._on_account(exchange.venue.account_update(self._clock.timestamp_ns()))
        self.connect_count += 1

    async def _on_reconnected(self) -> None:
        """Resync: emit what the cache's open and in-flight orders missed meanwhile."""
        venue = self._venue_link().venue
        fills: dict[ClientOrderId, list[SimFill]] = {}
        for fill in venue.fills:
            fills.setdefault(fill.client_order_id, []).append(fill)
        orders = list(
            {
                o.client_order_id: o
                for o in self._cache.orders_open(venue=self.venue)
                + self._cache.orders_inflight(venue=self.venue)
            }.values()
        )  # PENDING_UPDATE and PENDING_CANCEL orders are both open and in flight
        before = self.resync_event_count
        for order in orders:
            sim = venue.orders.get(order.client_order_id)
            inst = venue.instruments.get(order.instrument_id)
            if sim is not None and inst is not None:
                missed = fills.get(order.client_order_id, [])
                self.resync_event_count += resync_order(self, order, sim, missed, inst)
        self._log.info(
            f"Resynced {len(orders)} orders with the venue: "
            f"{self.resync_event_count - before} missed events"
        )

    # -- venue calls ---------------------------------------------------------------------

    async def _execute(self, command: TradingCommand) -> None:
        self._venue_link().execute(command)

    # Every trading command goes to the venue as it is.
    _submit_order = _submit_order_list = _modify_order = _execute
    _cancel_order = _cancel_all_orders = _batch_cancel_orders = _query_account = _execute

    async def _query_order(self, command: QueryOrder) -> None:
        venue = self._venue_link().venue
        order = self._find(venue.orders, command.client_order_id, command.venue_order_id)
        if order is None:
            self._log.warning(f"Query of {command.client_order_id}: the venue does not know it")
            return
        self._send_event(venue.order_status_report(order, ts_init=self._clock.timestamp_ns()))

    @staticmethod
    def _find(
        orders: dict[ClientOrderId, SimOrder],
        client_order_id: ClientOrderId | None,
        venue_order_id: VenueOrderId | None,
    ) -> SimOrder | None:
        if client_order_id is not None and client_order_id in orders:
            return orders[client_order_id]
        if venue_order_id is not None:
            for order in orders.values():
                if order.venue_order_id == venue_order_id:
                    return order
        return None

    # -- venue messages (hot path) -------------------------------------------------------

    def on_venue_message(self, message: VenueMessage) -> None:
        """Turn one visible venue message into its event (lost while disconnected)."""
        if self.is_connected:
            self._handlers[type(message)](message)

    def _on_rejected(self, m: VenueOrderRejected) -> None:
        self.generate_order_rejected(
            strategy_id=m.strategy_id,
            instrument_id=m.instrument_id,
            client_order_id=m.client_order_id,
            reason=m.reason,
            ts_event=m.ts_event,
            due_post_only=m.due_post_only,
        )

    def _on_updated(self, m: VenueOrderUpdated) -> None:
        self.generate_order_updated(
            strategy_id=m.strategy_id,
            instrument_id=m.instrument_id,
            client_order_id=m.client_order_id,
            venue_order_id=m.venue_order_id,
            quantity=m.quantity,
            price=m.price,
            trigger_price=m.trigger_price,
            ts_event=m.ts_event,
        )

    def _on_filled(self, m: VenueOrderFilled) -> None:
        exchange = self.exchange
        inst = exchange.instrument(m.instrument_id) if exchange is not None else None
        if inst is None:
            return
        self.generate_order_filled(
            strategy_id=m.strategy_id,
            instrument_id=m.instrument_id,
            client_order_id=m.client_order_id,
            venue_order_id=m.venue_order_id,
            venue_position_id=m.venue_position_id,
            trade_id=m.trade_id,
            order_side=m.order_side,
            order_type=m.order_type,
            last_qty=m.last_qty,
            last_px=m.last_px,
            quote_currency=inst.quote_currency,
            commission=m.commission,
            liquidity_side=m.liquidity_side,
            ts_event=m.ts_event,
        )

    def _on_account(self, m: VenueAccountUpdate) -> None:
        self.generate_account_state(m.balances, m.margins, True, m.ts_event)

    # -- reports -------------------------------------------------------------------------

    async def generate_order_status_report(
        self, command: GenerateOrderStatusReport
    ) -> OrderStatusReport | None:
        """Return the venue's report of one order, or None when it does not know it."""
        venue = self._venue_link().venue
        order = self._find(venue.orders, command.client_order_id, command.venue_order_id)
        if order is None:
            return None
        return venue.order_status_report(order, ts_init=self._clock.timestamp_ns())

    async def generate_order_status_reports(
        self, command: GenerateOrderStatusReports
    ) -> list[OrderStatusReport]:
        """Return the venue's order reports changed within the window (open only when asked)."""
        venue = self._venue_link().venue
        reports = venue.order_status_reports(
            ts_init=self._clock.timestamp_ns(),
            open_only=command.open_only,
            instrument_id=command.instrument_id,
        )
        return [r for r in reports if _in_window(r.ts_last, command.start_ns, command.end_ns)]

    async def generate_fill_reports(self, command: GenerateFillReports) -> list[FillReport]:
        """Return the venue's fills within the window (of one venue order when asked)."""
        venue = self._venue_link().venue
        reports = venue.fill_reports(
            ts_init=self._clock.timestamp_ns(),
            since_ns=command.start_ns,
            instrument_id=command.instrument_id,
        )
        return [
            r
            for r in reports
            if _in_window(r.ts_event, None, command.end_ns)
            and (command.venue_order_id is None or r.venue_order_id == command.venue_order_id)
        ]

    async def generate_position_status_reports(
        self, command: GeneratePositionStatusReports
    ) -> list[PositionStatusReport]:
        """Return the venue's positions (of one instrument when asked)."""
        venue = self._venue_link().venue
        return venue.position_reports(
            ts_init=self._clock.timestamp_ns(), instrument_id=command.instrument_id
        )

    async def generate_mass_status(
        self, lookback_mins: int | None = None
    ) -> ExecutionMassStatus | None:
        """Return the venue's orders (changed within the lookback), fills and positions."""
        try:
            venue = self._venue_link().venue
        except TransientVenueError as exc:
            self._log.error(f"Cannot generate the mass status: {exc}")
            return None
        now = self._clock.timestamp_ns()
        since = now - lookback_mins * 60 * NANOS_PER_SECOND if lookback_mins else None
        return venue.mass_status(self.client_id, ts_init=now, since_ns=since)

    # -- introspection -------------------------------------------------------------------

    def venue_order(self, client_order_id: ClientOrderId | str) -> SimOrder | None:
        """Return the venue's record of an order (for tests and tools)."""
        exchange = self.exchange
        return (
            None if exchange is None else exchange.venue.orders.get(ClientOrderId(client_order_id))
        )


def _ids_only(generate: Callable[..., object]) -> Callable[[VenueOrderMessage], None]:
    """Translate a message that carries only the order's ids into `generate`'s event."""

    def translate(m: VenueOrderMessage) -> None:
        generate(
            strategy_id=m.strategy_id,
            instrument_id=m.instrument_id,
            client_order_id=m.client_order_id,
            venue_order_id=m.venue_order_id,
            ts_event=m.ts_event,
        )

    return translate


def _ids_and_reason(
    generate: Callable[..., object],
) -> Callable[[VenueModifyRejected | VenueCancelRejected], None]:
    """Translate a refusal (the order's ids and the venue's reason) into `generate`'s event."""

    def translate(m: VenueModifyRejected | VenueCancelRejected) -> None:
        generate(
            strategy_id=m.strategy_id,
            instrument_id=m.instrument_id,
            client_order_id=m.client_order_id,
            venue_order_id=m.venue_order_id,
            reason=m.reason,
            ts_event=m.ts_event,
        )

    return translate


def _in_window(ts: int, start: int | None, end: int | None) -> bool:
    return (start is None or ts >= start) and (end is None or ts <= end)
