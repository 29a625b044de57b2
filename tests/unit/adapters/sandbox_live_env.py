"""Helpers for the sandbox client tests: both clients of one venue on a virtual clock,
with their events, data and responses captured in lists (no engines)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from argonaut.adapters.sandbox.data_client import SandboxDataClient
from argonaut.adapters.sandbox.exchange import SandboxExchange
from argonaut.adapters.sandbox.exec_client import SandboxExecutionClient
from argonaut.adapters.sandbox.factory import SandboxClientFactory
from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import LiveClock
from argonaut.common.logging import Logger
from argonaut.core.uuid import UUIDFactory
from argonaut.model.commands.data import SubscribeCommand
from argonaut.model.data import QuoteTick
from argonaut.testkit.commands import subscribe_quotes
from argonaut.testkit.ids import TRADER_ID
from argonaut.testkit.instruments import btcusdt_perp
from argonaut.testkit.virtual_time import current_time_source

BASE: dict[str, Any] = {
    "venue": "SIM",
    "instruments": ["BTCUSDT-PERP.SIM"],
    "starting_balances": ["100000 USDT"],
    "latency": {"fixed_ms": 5, "jitter_ms": 0},
    "market": {"rate": 10},
}


@dataclass
class SandboxClients:
    factory: SandboxClientFactory
    data: SandboxDataClient
    execution: SandboxExecutionClient
    cache: Cache
    clock: LiveClock
    items: list[Any] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)

    @property
    def exchange(self) -> SandboxExchange:
        return self.factory.exchange("SIM")

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events if type(e) is kind]

    def data_of(self, kind: type) -> list[Any]:
        return [d for d in self.items if type(d) is kind]

    def count(self, kind: type) -> int:
        return len(self.data_of(kind))

    async def arriving(self, kind: type, seconds: float) -> int:
        """Let `seconds` pass; return how many `kind` items arrived meanwhile."""
        before = self.count(kind)
        await settle(seconds)
        return self.count(kind) - before

    async def connect(self, *subscriptions: SubscribeCommand) -> None:
        """Connect both clients, then subscribe the data client to `subscriptions`."""
        await self.data.connect()
        await self.execution.connect()
        for command in subscriptions:
            self.data.subscribe(command)

    async def disconnect(self) -> None:
        await self.execution.disconnect()
        await self.data.disconnect()


def clients(**overrides: Any) -> SandboxClients:
    """Build (not connect) the data and execution client of venue SIM; call inside
    `run_virtual` (the clock is the loop's virtual clock)."""
    config = {**BASE, **overrides}
    clock = LiveClock(uuid_factory=UUIDFactory(seed=1), time_source=current_time_source().time_ns)
    kwargs: dict[str, Any] = {
        "msgbus": MessageBus(TRADER_ID),
        "cache": Cache(),
        "clock": clock,
        "uuid_factory": UUIDFactory(seed=2),
        "logger": Logger("SIM", None),
    }
    factory = SandboxClientFactory()
    data = factory.create_data_client("SIM", config, **kwargs)
    execution = factory.create_exec_client("SIM", config, **kwargs)
    env = SandboxClients(factory, data, execution, kwargs["cache"], clock)
    data.set_sinks(env.items.append, env.responses.append)
    execution.set_event_sink(env.events.append)
    return env


async def settle(seconds: float = 0.1) -> None:
    """Let virtual time pass (venue latency, market updates)."""
    await asyncio.sleep(seconds)


async def replayed_quotes(replay: dict[str, Any], seconds: float = 3.0) -> list[tuple[int, str]]:
    """Replay quotes (`market.replay`) for `seconds` with them subscribed; return each
    streamed quote's time since the clients were built, and its bid."""
    env = clients(market={"replay": replay})
    start = env.clock.timestamp_ns()
    await env.connect(subscribe_quotes(btcusdt_perp()))
    await settle(seconds)
    await env.disconnect()
    return [(q.ts_event - start, str(q.bid_price)) for q in env.data_of(QuoteTick)]
