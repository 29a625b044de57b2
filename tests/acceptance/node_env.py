"""Shared set-up for live node tests: a node with fake venues, under virtual time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from argonaut.common.logging import LoggingConfig, MemorySink
from argonaut.live.config import LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig
from argonaut.live.node import LiveNode
from argonaut.live.timesource import VirtualTimeSource
from argonaut.model.data import QuoteTick
from argonaut.model.identifiers import InstrumentId
from argonaut.testkit import TS, btcusdt_perp
from argonaut.testkit.live import FakeLiveDataClient, FakeLiveExecClient
from argonaut.trading import Strategy, StrategyConfig

BTC = InstrumentId("BTCUSDT-PERP.SIM")


@dataclass
class NodeEnv:
    node: LiveNode
    data: FakeLiveDataClient
    execution: FakeLiveExecClient
    logs: MemorySink


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
        timeout_disconnection=2.0,
        shutdown_on_error=shutdown_on_error,
        logging=LoggingConfig(log_level="INFO", log_colors=False),
        exec_engine=exec_engine or LiveExecEngineConfig(reconciliation_startup_delay_secs=1.0),
        **config,
    )
    time_source = VirtualTimeSource(TS)
    from argonaut.live.node import kernel_config
    from argonaut.system import Kernel

    kernel = Kernel(
        kernel_config(cfg), time_source=time_source.time_ns, log_sinks=[logs], stdout=_Null()
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
    )
    node.add_data_client(data)
    node.add_exec_client(execution)
    return NodeEnv(node, data, execution, logs)


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


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
