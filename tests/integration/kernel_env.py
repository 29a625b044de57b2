"""A kernel under a test clock with a scripted venue: the shared set-up of these tests."""

from __future__ import annotations

from dataclasses import dataclass

from argonaut.common.clock import TestClock
from argonaut.common.logging import LoggingConfig, MemorySink
from argonaut.model.enums import AccountType, OmsType
from argonaut.model.identifiers import AccountId
from argonaut.model.values import USDT, Money
from argonaut.system import Kernel, KernelConfig
from argonaut.testkit import TS, btcusdt_perp, ethusdt_perp
from argonaut.testkit.scripted import ScriptedDataClient, ScriptedExecutionClient


@dataclass
class Env:
    kernel: Kernel
    clock: TestClock
    venue: ScriptedExecutionClient
    data: ScriptedDataClient
    logs: MemorySink


def make_env(
    *,
    oms_type: OmsType = OmsType.NETTING,
    account_type: AccountType = AccountType.MARGIN,
    config: KernelConfig | None = None,
) -> Env:
    """Build and start a kernel with BTCUSDT-PERP and ETHUSDT-PERP and a funded account."""
    clock = TestClock()
    clock.set_time(TS)
    logs = MemorySink()
    config = config or KernelConfig(
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
        oms_type=oms_type,
    )
    kernel.data_engine.register_client(data)
    kernel.exec_engine.register_client(venue)
    for instrument in (btcusdt_perp(), ethusdt_perp()):
        kernel.data_engine.process(instrument)
    kernel.start_engines()
    fund(kernel, account_type)
    return Env(kernel, clock, venue, data, logs)


def fund(kernel: Kernel, account_type: AccountType, amount: str = "1000000") -> None:
    """Report the account's balances as a venue would when the client connects."""
    from argonaut.common import topics
    from argonaut.model.accounts import AccountBalance
    from argonaut.model.events.account import AccountState

    total = Money.from_str(amount, USDT)
    state = AccountState(
        account_id=AccountId("SIM-001"),
        account_type=account_type,
        base_currency=None,
        balances=(AccountBalance(total=total, locked=Money.zero(USDT), free=total),),
        margins=(),
        is_reported=True,
        event_id=kernel.uuid_factory.generate(),
        ts_event=TS,
        ts_init=TS,
    )
    kernel.msgbus.send(topics.PORTFOLIO_UPDATE_ACCOUNT, state)
