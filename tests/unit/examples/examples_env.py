"""A kernel under a test clock with scripted venue clients, for the example strategies."""

from __future__ import annotations

from dataclasses import dataclass

from argonaut.common import topics
from argonaut.common.clock import TestClock
from argonaut.common.logging import LoggingConfig, MemorySink
from argonaut.model.accounts import AccountBalance
from argonaut.model.data import QuoteTick, TradeTick
from argonaut.model.enums import AccountType, AggressorSide
from argonaut.model.events.account import AccountState
from argonaut.model.identifiers import AccountId, InstrumentId
from argonaut.model.instruments import Instrument
from argonaut.model.orders import Order
from argonaut.model.values import USDT, Money
from argonaut.system import Kernel, KernelConfig
from argonaut.testkit import TS, btcusdt_perp, ethusdt_perp, quote, trade
from argonaut.testkit.scripted import ScriptedDataClient, ScriptedExecutionClient
from argonaut.trading import ExecAlgorithm, Strategy

BTC = InstrumentId("BTCUSDT-PERP.SIM")
ETH = InstrumentId("ETHUSDT-PERP.SIM")
SECOND = 1_000_000_000


@dataclass
class Env:
    kernel: Kernel
    clock: TestClock
    venue: ScriptedExecutionClient
    data: ScriptedDataClient
    logs: MemorySink

    def instrument(self, instrument_id: InstrumentId) -> Instrument:
        instrument = self.kernel.cache.instrument(instrument_id)
        assert instrument is not None
        return instrument

    def run_to(self, ts: int) -> None:
        """Advance the clock to `ts`, firing every timer due on the way."""
        for handler in self.clock.advance_time(ts):
            handler.handle()

    def quote(self, bid: str, ask: str, instrument_id: InstrumentId = BTC) -> QuoteTick:
        tick = quote(self.instrument(instrument_id), bid=bid, ask=ask, ts=self.clock.timestamp_ns())
        self.data.push(tick)
        return tick

    def trade(self, price: str, n: int, instrument_id: InstrumentId = BTC) -> TradeTick:
        tick = trade(
            self.instrument(instrument_id),
            price=price,
            size="0.010" if instrument_id == BTC else "0.100",
            aggressor_side=AggressorSide.BUYER,
            trade_id=f"T-{n}",
            ts=self.clock.timestamp_ns(),
        )
        self.data.push(tick)
        return tick

    def open_orders(self, strategy: Strategy) -> list[Order]:
        return self.kernel.cache.orders_open(strategy_id=strategy.id)

    def net_raw(self, strategy: Strategy, instrument_id: InstrumentId) -> int:
        return sum(
            p.signed_qty_raw
            for p in self.kernel.cache.positions_open(
                instrument_id=instrument_id, strategy_id=strategy.id
            )
        )


def make_env(
    *strategies: Strategy, algorithms: tuple[ExecAlgorithm, ...] = (), start: bool = True
) -> Env:
    """Build a kernel with both SIM perpetuals, a funded margin account and `strategies`."""
    clock = TestClock()
    clock.set_time(TS)
    logs = MemorySink()
    config = KernelConfig(
        trader_id="TESTER-001", seed=1, logging=LoggingConfig(log_level="WARNING")
    )
    kernel = Kernel(config, clock=clock, log_sinks=[logs])
    data = ScriptedDataClient("SIM", kernel.msgbus, venue="SIM")
    venue = ScriptedExecutionClient(
        "SIM",
        "SIM",
        msgbus=kernel.msgbus,
        cache=kernel.cache,
        clock=clock,
        uuid_factory=kernel.uuid_factory,
    )
    kernel.data_engine.register_client(data)
    kernel.exec_engine.register_client(venue)
    for instrument in (btcusdt_perp(), ethusdt_perp()):
        kernel.data_engine.process(instrument)
    kernel.start_engines()
    total = Money.from_str("100000", USDT)
    kernel.msgbus.send(
        topics.PORTFOLIO_UPDATE_ACCOUNT,
        AccountState(
            account_id=AccountId("SIM-001"),
            account_type=AccountType.MARGIN,
            base_currency=None,
            balances=(AccountBalance(total=total, locked=Money.zero(USDT), free=total),),
            margins=(),
            is_reported=True,
            event_id=kernel.uuid_factory.generate(),
            ts_event=TS,
            ts_init=TS,
        ),
    )
    for algorithm in algorithms:
        kernel.add_exec_algorithm(algorithm)
    for strategy in strategies:
        kernel.add_strategy(strategy)
    if start:
        kernel.start_trader()
    return Env(kernel, clock, venue, data, logs)
