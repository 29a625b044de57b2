"""Scripted live clients for node tests: venues played by the test, under virtual time.

`FakeLiveDataClient` connects after `connect_delay` seconds (or never), puts its
instruments into the engine when it connects, and streams what the test `push`es.
`FakeLiveExecClient` connects likewise, reports its account on connect, answers
submits (accepted after `ack_delay`), cancels and modifies, fills on request, and
returns a scripted mass status for reconciliation.

Both take a `connect_script` (a coroutine function awaited inside `connect`, after the
instruments or the account are sent) to emit events while the node is starting, and
the execution client a `disconnect_delay` / `disconnect_hangs` / `disconnect_script`
for the node's shutdown. Both record every command the engine hands them (subscribes;
submits, modifies, cancels), synchronously, in `received` (calling `on_receive`); the
execution client also records every venue call in `commands` (calling `on_venue_call`).

`FakeClientFactory` builds both from a client config entry, for nodes built from a
`LiveNodeConfig`. `QuoteTrader` is a strategy loadable by import path
(``argonaut.testkit.live:QuoteTrader``) that records its quotes and submits a limit buy
on the N-th one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.live.clients import LiveDataClient, LiveExecutionClient
from argonaut.live.timesource import TimeSource
from argonaut.model.accounts import AccountBalance
from argonaut.model.commands.data import SubscribeCommand
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
from argonaut.model.data import QuoteTick
from argonaut.model.enums import AccountType, LiquiditySide, OmsType, OrderSide
from argonaut.model.identifiers import ClientOrderId, InstrumentId, TradeId, Venue, VenueOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.reports import ExecutionMassStatus
from argonaut.model.values import USDT, Money, Quantity
from argonaut.trading import Strategy, StrategyConfig

Script = Callable[[], Awaitable[None]]
"""A coroutine function a fake client awaits at a step of its life cycle."""


async def _never() -> None:
    """Wait forever (until cancelled): a venue that never answers."""
    await asyncio.get_running_loop().create_future()


class FakeLiveDataClient(LiveDataClient):
    """A data venue played by the test; see the module docstring."""

    def __init__(
        self,
        client_id: str,
        *,
        msgbus: MessageBus,
        clock: Clock,
        instruments: Sequence[Instrument] = (),
        connect_delay: float = 0.0,
        never_connects: bool = False,
        connect_script: Script | None = None,
        time_source: TimeSource | None = None,
        venue: str = "SIM",
    ) -> None:
        super().__init__(
            client_id, msgbus=msgbus, clock=clock, venue=venue, time_source=time_source
        )
        self.instruments = list(instruments)
        self.connect_delay = connect_delay
        self.never_connects = never_connects
        self.connect_script = connect_script
        self.subscribed: list[SubscribeCommand] = []
        self.received: list[Any] = []
        self.on_receive: Callable[[Any], None] | None = None
        self.connect_count = 0
        self.disconnect_count = 0

    def subscribe(self, command: SubscribeCommand) -> None:
        """Record the command (synchronously, in `received`), then subscribe."""
        self.received.append(command)
        if self.on_receive is not None:
            self.on_receive(command)
        super().subscribe(command)

    async def _connect(self) -> None:
        if self.never_connects:
            await _never()
        if self.connect_delay:
            await self.time_source.sleep(self.connect_delay)
        for instrument in self.instruments:
            self._handle_data(instrument)
        if self.connect_script is not None:
            await self.connect_script()
        self.connect_count += 1

    async def _disconnect(self) -> None:
        self.disconnect_count += 1

    async def _subscribe(self, command: SubscribeCommand) -> None:
        self.subscribed.append(command)

    async def _unsubscribe(self, command: Any) -> None:
        return None

    def push(self, data: Any) -> None:
        """Hand one data item to the node, as the venue's socket reader would."""
        self._handle_data(data)


class FakeLiveExecClient(LiveExecutionClient):
    """An execution venue played by the test; see the module docstring."""

    def __init__(
        self,
        client_id: str,
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        connect_delay: float = 0.0,
        never_connects: bool = False,
        connect_script: Script | None = None,
        disconnect_delay: float = 0.0,
        disconnect_hangs: bool = False,
        disconnect_script: Script | None = None,
        ack_delay: float = 0.0,
        balance: str = "1000000",
        mass_status: ExecutionMassStatus | None = None,
        time_source: TimeSource | None = None,
        oms_type: OmsType = OmsType.NETTING,
        venue: str = "SIM",
        account_id: str = "SIM-001",
    ) -> None:
        super().__init__(
            client_id,
            venue,
            oms_type=oms_type,
            account_type=AccountType.MARGIN,
            account_id=account_id,
            msgbus=msgbus,
            cache=cache,
            clock=clock,
            uuid_factory=uuid_factory,
            time_source=time_source,
        )
        self.connect_delay = connect_delay
        self.never_connects = never_connects
        self.connect_script = connect_script
        self.disconnect_delay = disconnect_delay
        self.disconnect_hangs = disconnect_hangs
        self.disconnect_script = disconnect_script
        self.ack_delay = ack_delay
        self.balance = balance
        self.mass_status = mass_status
        self.received: list[Any] = []
        self.on_receive: Callable[[Any], None] | None = None
        self.commands: list[Any] = []
        self.on_venue_call: Callable[[Any], None] | None = None
        self.mass_status_requests: list[int | None] = []
        self.connect_count = 0
        self.disconnect_count = 0
        self._venue_ids = 0
        self._trade_ids = 0

    async def _connect(self) -> None:
        if self.never_connects:
            await _never()
        if self.connect_delay:
            await self.time_source.sleep(self.connect_delay)
        self.report_account()
        if self.connect_script is not None:
            await self.connect_script()
        self.connect_count += 1

    def send(self, event: Any) -> None:
        """Hand any event, batch or report to the node, as the venue's reader would."""
        self._send_event(event)

    def report_account(self) -> None:
        """Send the account's state (`balance` USDT, all free), as on connect."""
        total = Money.from_str(self.balance, USDT)
        self.generate_account_state(
            [AccountBalance(total=total, locked=Money.zero(USDT), free=total)],
            [],
            True,
            self._clock.timestamp_ns(),
        )

    async def _disconnect(self) -> None:
        self.disconnect_count += 1
        if self.disconnect_script is not None:
            await self.disconnect_script()
        if self.disconnect_hangs:
            await _never()
        if self.disconnect_delay:
            await self.time_source.sleep(self.disconnect_delay)

    # -- what the engine hands the client (recorded synchronously) -------------------------

    def _receive(self, command: Any) -> None:
        self.received.append(command)
        if self.on_receive is not None:
            self.on_receive(command)

    def submit_order(self, command: SubmitOrder) -> None:
        """Record the command, then schedule the submit."""
        self._receive(command)
        super().submit_order(command)

    def submit_order_list(self, command: SubmitOrderList) -> None:
        """Record the command, then schedule the submit of the list."""
        self._receive(command)
        super().submit_order_list(command)

    def modify_order(self, command: ModifyOrder) -> None:
        """Record the command, then schedule the modify."""
        self._receive(command)
        super().modify_order(command)

    def cancel_order(self, command: CancelOrder) -> None:
        """Record the command, then schedule the cancel."""
        self._receive(command)
        super().cancel_order(command)

    # -- venue calls -------------------------------------------------------------------------

    def _venue_call(self, command: Any) -> None:
        self.commands.append(command)
        if self.on_venue_call is not None:
            self.on_venue_call(command)

    async def _submit_order(self, command: SubmitOrder) -> None:
        self._venue_call(command)
        if self.ack_delay:
            await self.time_source.sleep(self.ack_delay)
        init = command.order_init
        self._venue_ids += 1
        self.generate_order_accepted(
            strategy_id=init.strategy_id,
            instrument_id=init.instrument_id,
            client_order_id=init.client_order_id,
            venue_order_id=VenueOrderId(f"V-{self._venue_ids}"),
            ts_event=self._clock.timestamp_ns(),
        )

    async def _submit_order_list(self, command: SubmitOrderList) -> None:
        self._venue_call(command)

    async def _modify_order(self, command: ModifyOrder) -> None:
        self._venue_call(command)

    async def _cancel_order(self, command: CancelOrder) -> None:
        self._venue_call(command)
        order = self._cache.order(command.client_order_id)
        if order is not None:
            self.generate_order_canceled(
                strategy_id=order.strategy_id,
                instrument_id=order.instrument_id,
                client_order_id=order.client_order_id,
                venue_order_id=order.venue_order_id,
                ts_event=self._clock.timestamp_ns(),
            )

    async def _cancel_all_orders(self, command: CancelAllOrders) -> None:
        self._venue_call(command)

    async def _batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        self._venue_call(command)

    async def _query_order(self, command: QueryOrder) -> None:
        self._venue_call(command)

    async def _query_account(self, command: QueryAccount) -> None:
        self._venue_call(command)

    async def generate_mass_status(self, lookback_mins: int | None = None) -> Any:
        """Return the scripted mass status, or an empty one (recording the request)."""
        self.mass_status_requests.append(lookback_mins)
        if self.mass_status is not None:
            return self.mass_status
        return ExecutionMassStatus(
            client_id=self.client_id,
            account_id=self.account_id,
            venue=Venue(self.venue or self.client_id),
            report_id=self._uuids.generate(),
            ts_init=self._clock.timestamp_ns(),
        )

    def fill(
        self, client_order_id: ClientOrderId, *, liquidity: LiquiditySide = LiquiditySide.MAKER
    ) -> None:
        """Fill an accepted order completely at its price."""
        order = self._cache.order(client_order_id)
        if order is None or order.price is None or order.venue_order_id is None:
            raise ValueError(f"order {client_order_id} is not an accepted priced order")
        instrument = self._cache.instrument(order.instrument_id)
        if instrument is None:
            raise ValueError(f"no instrument {order.instrument_id}")
        self._trade_ids += 1
        self.generate_order_filled(
            strategy_id=order.strategy_id,
            instrument_id=order.instrument_id,
            client_order_id=order.client_order_id,
            venue_order_id=order.venue_order_id,
            venue_position_id=None,
            trade_id=TradeId(f"{self.client_id}-T-{self._trade_ids}"),
            order_side=order.side,
            order_type=order.order_type,
            last_qty=order.leaves_qty,
            last_px=order.price,
            quote_currency=instrument.quote_currency,
            commission=Money.zero(instrument.quote_currency),
            liquidity_side=liquidity,
            ts_event=self._clock.timestamp_ns(),
        )


class FakeClientFactory:
    """A `ClientFactory` of fake clients; each built client is kept in `data_clients` /
    `exec_clients`. Config keys: ``connect_delay`` (seconds), ``never_connects`` (bool)
    and, for execution clients, ``account_id``. Data clients serve `instruments`."""

    def __init__(
        self, instruments: Sequence[Instrument] = (), time_source: TimeSource | None = None
    ) -> None:
        self.instruments = list(instruments)
        self.time_source = time_source
        self.data_clients: list[FakeLiveDataClient] = []
        self.exec_clients: list[FakeLiveExecClient] = []

    def create_data_client(
        self,
        name: str,
        config: Mapping[str, Any],
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
    ) -> FakeLiveDataClient:
        """Return a new `FakeLiveDataClient` called `name`."""
        client = FakeLiveDataClient(
            name,
            msgbus=msgbus,
            clock=clock,
            instruments=self.instruments,
            connect_delay=float(config.get("connect_delay", 0.0)),
            never_connects=bool(config.get("never_connects", False)),
            time_source=self.time_source,
        )
        self.data_clients.append(client)
        return client

    def create_exec_client(
        self,
        name: str,
        config: Mapping[str, Any],
        *,
        msgbus: MessageBus,
        cache: Cache,
        clock: Clock,
        uuid_factory: UUIDFactory,
        logger: Logger,
    ) -> FakeLiveExecClient:
        """Return a new `FakeLiveExecClient` called `name`."""
        client = FakeLiveExecClient(
            name,
            msgbus=msgbus,
            cache=cache,
            clock=clock,
            uuid_factory=uuid_factory,
            connect_delay=float(config.get("connect_delay", 0.0)),
            never_connects=bool(config.get("never_connects", False)),
            account_id=str(config.get("account_id", "SIM-001")),
            time_source=self.time_source,
        )
        self.exec_clients.append(client)
        return client


class QuoteTraderConfig(StrategyConfig, frozen=True, kw_only=True):
    """`QuoteTrader`'s options: the instrument, and on which quote to buy (None: never)."""

    instrument_id: str = "BTCUSDT-PERP.SIM"
    submit_on_quote: int | None = 1
    quantity: str = "0.010"


class QuoteTrader(Strategy):
    """Record every quote; on the `submit_on_quote`-th one, submit a limit buy at the bid.

    `quote_count_at_submit` is how many quotes it had seen when it submitted.
    """

    config_class = QuoteTraderConfig

    def __init__(self, config: QuoteTraderConfig | None = None) -> None:
        cfg = config if config is not None else QuoteTraderConfig(order_id_tag="001")
        super().__init__(cfg)
        self.trader_config = cfg
        self.instrument_id = InstrumentId(cfg.instrument_id)
        self.quotes: list[QuoteTick] = []
        self.submitted: list[ClientOrderId] = []
        self.quote_count_at_submit: int | None = None
        self.started_at: int | None = None
        self.stopped_at: int | None = None

    def on_start(self) -> None:
        """Note the start time and subscribe to the instrument's quotes."""
        self.started_at = self.clock.timestamp_ns()
        self.subscribe_quote_ticks(self.instrument_id)

    def on_stop(self) -> None:
        """Note the stop time."""
        self.stopped_at = self.clock.timestamp_ns()

    def on_quote_tick(self, tick: QuoteTick) -> None:
        """Record the quote; submit on the configured one."""
        self.quotes.append(tick)
        if len(self.quotes) == self.trader_config.submit_on_quote:
            order = self.factory.limit(
                self.instrument_id,
                OrderSide.BUY,
                Quantity.from_str(self.trader_config.quantity),
                tick.bid_price,
            )
            self.quote_count_at_submit = len(self.quotes)
            self.submitted.append(order.client_order_id)
            self.submit_order(order)
