"""Shared set-up for live node tests: a node with fake venues, under virtual time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from argonaut.common.logging import LoggingConfig, MemorySink
from argonaut.live.config import LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode, kernel_config
from argonaut.live.state import LiveNodeHandle
from argonaut.live.timesource import VirtualTimeSource
from argonaut.model.data import QuoteTick
from argonaut.model.identifiers import InstrumentId
from argonaut.system import Kernel
from argonaut.testkit import TS, btcusdt_perp
from argonaut.testkit.live import (
    FakeLiveDataClient,
    FakeLiveExecClient,
    QuoteTrader,
    QuoteTraderConfig,
)
from argonaut.trading import Strategy, StrategyConfig

BTC = InstrumentId("BTCUSDT-PERP.SIM")


@dataclass
class NodeEnv:
    node: LiveNode
    data: FakeLiveDataClient
    execution: FakeLiveExecClient
    logs: MemorySink
    time_source: VirtualTimeSource

    @property
    def handle(self) -> LiveNodeHandle:
        return self.node.handle()

    def messages(self, level: int | None = None) -> list[str]:
        """Every log message written so far (flushes the log writer first)."""
        self.node.kernel.log_system.flush()
        return self.logs.messages(level)

    def text(self) -> str:
        """Every log message written so far, one per line."""
        return "\n".join(self.messages())

    def now(self) -> float:
        """The virtual time in seconds."""
        return self.time_source.monotonic()


def make_node(
    *,
    data_delay: float = 0.0,
    exec_delay: float = 0.0,
    exec_never_connects: bool = False,
    timeout_connection: float = 5.0,
    delay_post_stop: float = 1.0,
    exec_engine: LiveExecEngineConfig | None = None,
    shutdown_on_error: bool = False,
    mass_status: Any = None,
    timeout_disconnection: float = 2.0,
    log_level: str = "INFO",
    data_kwargs: dict[str, Any] | None = None,
    exec_kwargs: dict[str, Any] | None = None,
    **config: Any,
) -> NodeEnv:
    """Build (not start) a node with one fake data and one fake execution venue.

    Call inside a running virtual-time loop: the node's time source is virtual.
    """
    logs = MemorySink()
    cfg = LiveNodeConfig(
        trader_id="TESTER-001",
        timeout_connection=timeout_connection,
        delay_post_stop=delay_post_stop,
        timeout_disconnection=timeout_disconnection,
        shutdown_on_error=shutdown_on_error,
        logging=LoggingConfig(log_level=log_level, log_colors=False),
        exec_engine=exec_engine or LiveExecEngineConfig(reconciliation_startup_delay_secs=1.0),
        **config,
    )
    time_source = VirtualTimeSource(TS)
    kernel = Kernel(
        kernel_config(cfg),
        time_source=time_source.time_ns,
        log_sinks=[logs],
        stdout=_Null(),
        stderr=_Null(),
    )
    node = LiveNode(cfg, time_source=time_source, kernel=kernel)
    k = node.kernel
    data = FakeLiveDataClient(
        "SIM",
        msgbus=k.msgbus,
        clock=k.clock,
        instruments=[btcusdt_perp()],
        connect_delay=data_delay,
        time_source=time_source,
        **(data_kwargs or {}),
    )
    execution = FakeLiveExecClient(
        "SIM",
        msgbus=k.msgbus,
        cache=k.cache,
        clock=k.clock,
        uuid_factory=k.uuid_factory,
        connect_delay=exec_delay,
        never_connects=exec_never_connects,
        mass_status=mass_status,
        time_source=time_source,
        **(exec_kwargs or {}),
    )
    node.add_data_client(data)
    node.add_exec_client(execution)
    return NodeEnv(node, data, execution, logs, time_source)


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


def trader(submit_on_quote: int | None = None, *, tag: str = "001") -> QuoteTrader:
    """A `QuoteTrader` on BTC (by default one that never submits), quiet in the logs."""
    return QuoteTrader(
        QuoteTraderConfig(
            order_id_tag=tag, submit_on_quote=submit_on_quote, log_events=False, log_commands=False
        )
    )


class Probe(QuoteTrader):
    """A `QuoteTrader` that calls `on_started` from `on_start` (to look at the node then)."""

    def __init__(self, on_started: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(
            QuoteTraderConfig(order_id_tag="009", log_events=False, log_commands=False, **kwargs)
        )
        self.on_started = on_started

    def on_start(self) -> None:
        super().on_start()
        self.on_started()


async def wait_until(
    predicate: Callable[[], bool], *, step: float = 0.01, timeout: float = 600.0
) -> None:
    """Sleep (virtual time) until `predicate()` holds; fail after `timeout` virtual seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() >= deadline:
            raise AssertionError(f"condition still false after {timeout} virtual seconds")
        await asyncio.sleep(step)


async def run_with(env: NodeEnv, driver: Callable[[NodeEnv], Any]) -> None:
    """Run the node with `run()` while `driver(env)` (a coroutine function) drives it."""
    task = asyncio.ensure_future(driver(env))
    await env.node.run()
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class QuoteCounter(Strategy):
    """Subscribes to BTC quotes and counts them."""

    def __init__(self) -> None:
        super().__init__(StrategyConfig(order_id_tag="001", log_events=False, log_commands=False))
        self.quotes: list[QuoteTick] = []
        self.started_at: int | None = None

    def on_start(self) -> None:
        self.started_at = self.clock.timestamp_ns()
        self.subscribe_quote_ticks(BTC)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.quotes.append(tick)
