"""Scripted live clients for node tests: venues played by the test, under virtual time.

`FakeLiveDataClient` connects after `connect_delay` seconds (or never), puts its
instruments into the engine when it connects, and streams what the test `push`es.
`FakeLiveExecClient` connects likewise, reports its account on connect, answers
submits (accepted after `ack_delay`), cancels and modifies, fills on request, and
returns a scripted mass status for reconciliation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock
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
from argonaut.model.enums import AccountType, LiquiditySide, OmsType
from argonaut.model.identifiers import ClientOrderId, TradeId, Venue, VenueOrderId
from argonaut.model.instruments import Instrument
from argonaut.model.reports import ExecutionMassStatus
from argonaut.model.values import USDT, Money


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
        time_source: TimeSource | None = None,
        venue: str = "SIM",
    ) -> None:
        super().__init__(
            client_id, msgbus=msgbus, clock=clock, venue=venue, time_source=time_source
        )
        self.instruments = list(instruments)
        self.connect_delay = connect_delay
        self.never_connects = never_connects
        self.subscribed: list[SubscribeCommand] = []

    async def _connect(self) -> None:
        if self.never_connects:
            await self.time_source.sleep(10**9)
        if self.connect_delay:
            await self.time_source.sleep(self.connect_delay)
        for instrument in self.instruments:
            self._handle_data(instrument)

    async def _disconnect(self) -> None:
        return None

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
        self.ack_delay = ack_delay
        self.balance = balance
        self.mass_status = mass_status
        self.commands: list[Any] = []
        self.mass_status_requests: list[int | None] = []
        self._venue_ids = 0
        self._trade_ids = 0

    async def _connect(self) -> None:
        if self.never_connects:
            await self.time_source.sleep(10**9)
        if self.connect_delay:
            await self.time_source.sleep(self.connect_delay)
        total = Money.from_str(self.balance, USDT)
        self.generate_account_state(
            [AccountBalance(total=total, locked=Money.zero(USDT), free=total)],
            [],
            True,
            self._clock.timestamp_ns(),
        )

    async def _disconnect(self) -> None:
        return None

    async def _submit_order(self, command: SubmitOrder) -> None:
        self.commands.append(command)
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
        self.commands.append(command)

    async def _modify_order(self, command: ModifyOrder) -> None:
        self.commands.append(command)

    async def _cancel_order(self, command: CancelOrder) -> None:
        self.commands.append(command)
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
        self.commands.append(command)

    async def _batch_cancel_orders(self, command: BatchCancelOrders) -> None:
        self.commands.append(command)

    async def _query_order(self, command: QueryOrder) -> None:
        self.commands.append(command)

    async def _query_account(self, command: QueryAccount) -> None:
        self.commands.append(command)

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
