"""Test environment for reconciliation: real cache, execution engine, risk engine and
manager; only the venue's report side is faked (`FakeVenue`, the I/O seam)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import TestClock
from argonaut.common.logging import Logger, LogSystem, MemorySink
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.execution import ExecutionEngine
from argonaut.engines.risk import RiskEngine
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.execution_manager import ExecutionManager
from argonaut.live.reconciliation import ReconciliationClient
from argonaut.model.commands.reports import (
    GenerateFillReports,
    GenerateOrderStatusReport,
    GenerateOrderStatusReports,
    GeneratePositionStatusReports,
)
from argonaut.model.data import QuoteTick
from argonaut.model.enums import OrderStatus
from argonaut.model.identifiers import AccountId, ClientId, ClientOrderId, Venue
from argonaut.model.orders import Order
from argonaut.model.position import Position
from argonaut.model.reports import (
    ExecutionMassStatus,
    FillReport,
    OrderStatusReport,
    PositionStatusReport,
)
from argonaut.model.values import Price, Quantity
from argonaut.testkit import (
    ACCOUNT_ID,
    TRADER_ID,
    TS,
    accepted,
    btcusdt_perp,
    ethusdt_perp,
    filled,
    order_status_report,
    submitted,
)

SECOND = 1_000_000_000


class FakeVenue:
    """An async report client scripted by the test."""

    def __init__(self, mass: ExecutionMassStatus | None = None) -> None:
        self.client_id = ClientId("SIM")
        self.venue: Venue | None = Venue("SIM")
        self.account_id: AccountId | None = ACCOUNT_ID
        self.mass = mass
        self.mass_error: Exception | None = None
        self.mass_delay = 0.0
        self.order_reports: dict[ClientOrderId, OrderStatusReport] = {}
        self.reports: list[OrderStatusReport] = []
        self.fills: list[FillReport] = []
        self.positions: list[PositionStatusReport] = []
        self.position_error: Exception | None = None
        self.fill_error: Exception | None = None
        self.queries: list[Any] = []

    async def generate_mass_status(
        self, lookback_mins: int | None = None
    ) -> ExecutionMassStatus | None:
        self.queries.append(("mass", lookback_mins))
        if self.mass_delay:
            await asyncio.sleep(self.mass_delay)
        if self.mass_error is not None:
            raise self.mass_error
        return self.mass

    async def generate_order_status_report(
        self, command: GenerateOrderStatusReport
    ) -> OrderStatusReport | None:
        self.queries.append(command)
        assert command.client_order_id is not None
        return self.order_reports.get(command.client_order_id)

    async def generate_order_status_reports(
        self, command: GenerateOrderStatusReports
    ) -> list[OrderStatusReport]:
        self.queries.append(command)
        return list(self.reports)

    async def generate_fill_reports(self, command: GenerateFillReports) -> list[FillReport]:
        self.queries.append(command)
        if self.fill_error is not None:
            raise self.fill_error
        return [f for f in self.fills if command.instrument_id in (None, f.instrument_id)]

    async def generate_position_status_reports(
        self, command: GeneratePositionStatusReports
    ) -> list[PositionStatusReport]:
        self.queries.append(command)
        if self.position_error is not None:
            raise self.position_error
        return [p for p in self.positions if command.instrument_id in (None, p.instrument_id)]

    def single_queries(self) -> list[GenerateOrderStatusReport]:
        return [q for q in self.queries if isinstance(q, GenerateOrderStatusReport)]


def as_client(venue: FakeVenue) -> ReconciliationClient:
    return venue  # the fake satisfies the protocol (checked by mypy)


class ManagerEnv:
    """The execution manager over a real cache and execution engine; the venue's reports
    come from a `venue_type` (the I/O seam)."""

    venue_type: Callable[[], FakeVenue] = FakeVenue

    def __init__(self, system: LogSystem, **config: Any) -> None:
        self.clock = TestClock(TS)
        self.cache = Cache()
        self.cache.add_instrument(btcusdt_perp())
        self.cache.add_instrument(ethusdt_perp())
        self.msgbus = MessageBus(TRADER_ID)
        self.engine = ExecutionEngine(
            self.msgbus, self.cache, self.clock, uuid_factory=UUIDFactory(seed=1)
        )
        self.config = LiveExecEngineConfig(**config)
        self.manager = ExecutionManager(
            self.cache,
            self.engine,
            self.clock,
            config=self.config,
            logger=Logger("ExecManager", system),
            uuid_factory=UUIDFactory(seed=2),
        )
        self.venue = self.venue_type()
        self.manager.register_client(self.venue)

    def submit(self, order: Order) -> Order:
        self.cache.add_order(order)
        self.engine.process(submitted(order))
        return order

    def open(self, order: Order, venue_order_id: str = "V-1") -> Order:
        self.submit(order)
        self.engine.process(accepted(order, venue_order_id=venue_order_id))
        return order

    def advance(self, secs: float) -> int:
        self.clock.set_time(self.clock.timestamp_ns() + int(secs * SECOND))
        return self.clock.timestamp_ns()


class Env(ManagerEnv):
    """`ManagerEnv` with a risk engine for fail-closed, the published events and the logs."""

    def __init__(self, system: LogSystem, sink: MemorySink, **config: Any) -> None:
        super().__init__(system, **config)
        self.system = system
        self.sink = sink
        self.risk = RiskEngine(
            self.msgbus, self.cache, self.clock, uuid_factory=UUIDFactory(seed=3)
        )
        self.manager.bind_trading_state(self.risk)
        self.published: list[Any] = []
        self.msgbus.subscribe("events.*", self.published.append)

    def fill(self, order: Order, venue_order_id: str = "V-1", **kw: Any) -> Order:
        self.open(order, venue_order_id)
        self.engine.process(filled(order, **kw))
        return order

    def run(self, coro: Any) -> Any:
        return asyncio.run(coro)

    def messages(self, level: int) -> list[str]:
        assert self.system.flush()
        return self.sink.messages(level)

    def net(self, instrument_id: Any = None) -> Quantity | float:
        """Net signed quantity of the open positions (as float, BTC)."""
        iid = btcusdt_perp().id if instrument_id is None else instrument_id
        return sum(p.signed_qty_raw for p in self.cache.positions_open(instrument_id=iid)) / 1e9

    def positions(self) -> list[Position]:
        return self.cache.positions_open()

    def orders(self, status: OrderStatus | None = None) -> list[Order]:
        return [o for o in self.cache.orders() if status is None or o.status is status]

    def quote(self, bid: str, ask: str) -> None:
        inst = btcusdt_perp()
        self.cache.add_quote_tick(
            QuoteTick(
                instrument_id=inst.id,
                bid_price=Price.from_str(bid),
                ask_price=Price.from_str(ask),
                bid_size=Quantity.from_str("1.000"),
                ask_size=Quantity.from_str("1.000"),
                ts_event=TS,
                ts_init=TS,
            )
        )


def report_with_fills(
    order: Order,
    filled_qty: str | Quantity = "1.000",
    *,
    order_status: OrderStatus = OrderStatus.FILLED,
    avg_px: str = "50000",
    **kw: Any,
) -> OrderStatusReport:
    """The venue's report of `order` with `filled_qty` filled at `avg_px`, FILLED unless
    `order_status` says otherwise (`kw` go to `order_status_report`)."""
    return order_status_report(
        order, order_status=order_status, filled_qty=filled_qty, avg_px=avg_px, **kw
    )


def kinds(order: Order, start: int = 0) -> list[str]:
    return [type(e).__name__ for e in order.events[start:]]
