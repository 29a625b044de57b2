"""The `Kernel`: builds and wires every component of a node from one `KernelConfig`.

Order of construction (each only needs what is built before it): clock, ids, logging,
message bus, cache, data engine, risk engine, execution engine, order emulator,
portfolio, trader. Engines start before the trader and stop after it, so a strategy's
first and last orders always meet running engines. The kernel knows nothing of asyncio:
the live node drives it from its event loop, tests drive it under a `TestClock`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import TextIO

from argonaut.cache import Cache
from argonaut.common.bus import MessageBus
from argonaut.common.clock import Clock, LiveClock
from argonaut.common.component import Component
from argonaut.common.logging import Logger, LogSink, LogSystem
from argonaut.core.uuid import UUIDFactory
from argonaut.engines.data import DataEngine
from argonaut.engines.emulator import OrderEmulator
from argonaut.engines.execution import ExecutionEngine
from argonaut.engines.portfolio import Portfolio
from argonaut.engines.risk import RiskEngine
from argonaut.model.enums import Environment
from argonaut.model.identifiers import TraderId
from argonaut.system.config import KernelConfig
from argonaut.trading import Actor, ExecAlgorithm, Strategy, Trader


class Kernel:
    """One node's components, wired together; see the module docstring."""

    def __init__(
        self,
        config: KernelConfig | None = None,
        *,
        clock: Clock | None = None,
        time_source: Callable[[], int] | None = None,
        log_sinks: Sequence[LogSink] = (),
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.config = config = config if config is not None else KernelConfig()
        self.environment: Environment = config.environment
        self.trader_id = TraderId(config.trader_id)
        self.uuid_factory = UUIDFactory(config.seed)
        self.clock: Clock = (
            clock
            if clock is not None
            else LiveClock(uuid_factory=self.uuid_factory, time_source=time_source)
        )
        self.instance_id: str = (
            config.instance_id
            if config.instance_id is not None
            else str(self.uuid_factory.generate())
        )
        self.log_system = LogSystem(
            config.logging,
            clock=self.clock,
            trader_id=str(self.trader_id),
            stdout=stdout,
            stderr=stderr,
            sinks=log_sinks,
        )
        self.log = self.logger("Kernel")
        self.msgbus = MessageBus(self.trader_id, logger=self.logger("MessageBus"))
        self.cache = Cache(config.cache, logger=self.logger("Cache"))
        ids = self.uuid_factory
        self.data_engine = DataEngine(
            self.msgbus,
            self.cache,
            self.clock,
            config=config.data_engine,
            logger=self.logger("DataEngine"),
        )
        self.risk_engine = RiskEngine(
            self.msgbus,
            self.cache,
            self.clock,
            config=config.risk_engine,
            logger=self.logger("RiskEngine"),
            uuid_factory=ids,
        )
        self.exec_engine = ExecutionEngine(
            self.msgbus,
            self.cache,
            self.clock,
            config=config.exec_engine,
            logger=self.logger("ExecEngine"),
            uuid_factory=ids,
        )
        self.emulator = OrderEmulator(
            self.msgbus,
            self.cache,
            self.clock,
            config=config.emulator,
            logger=self.logger("OrderEmulator"),
            uuid_factory=ids,
            # Straight to the engine, never through a live node's event channel: the
            # emulator is the venue of the orders it holds, and its next step reads the
            # state its event produced (an emulated order is EMULATED before it can be
            # checked against the market and released).
            event_sink=self.exec_engine.process,
        )
        self.portfolio = Portfolio(
            self.msgbus,
            self.cache,
            self.clock,
            config=config.portfolio,
            logger=self.logger("Portfolio"),
            uuid_factory=ids,
        )
        self.trader = Trader(
            self.trader_id,
            self.msgbus,
            self.cache,
            self.clock,
            self.logger("Trader"),
            portfolio=self.portfolio,
            uuid_factory=ids,
            exec_engine=self.exec_engine,
        )
        self._engines_running = False
        self._gc_saved: tuple[int, int, int] | None = None

    def logger(self, component: str) -> Logger:
        """Return a logger for `component` writing through this node's log system."""
        return Logger(component, self.log_system)

    @property
    def engines(self) -> tuple[Component, ...]:
        """The engines in start order."""
        return (
            self.data_engine,
            self.risk_engine,
            self.exec_engine,
            self.emulator,
            self.portfolio,
        )

    # -- components ----------------------------------------------------------------------

    def add_actor(self, actor: Actor) -> None:
        """Add an actor to the trader."""
        self.trader.add_actor(actor)

    def add_strategy(self, strategy: Strategy) -> None:
        """Add a strategy to the trader."""
        self.trader.add_strategy(strategy)

    def add_exec_algorithm(self, algorithm: ExecAlgorithm) -> None:
        """Add an execution algorithm to the trader."""
        self.trader.add_exec_algorithm(algorithm)

    # -- lifecycle -----------------------------------------------------------------------

    def start_engines(self) -> None:
        """Start the engines (not the trader): data, risk, execution, emulator, portfolio."""
        if self._engines_running:
            return
        for engine in self.engines:
            engine.start()
        self._engines_running = True

    def start_trader(self) -> None:
        """Start the trader: load state if configured, then start every actor and strategy.

        Sets the collector's generation-0 threshold to `gc_gen0_threshold` (when not None)
        until `stop_trader`.
        """
        if self.config.load_state:
            self.trader.load()
        threshold = self.config.gc_gen0_threshold
        if threshold is not None and self._gc_saved is None:
            self._gc_saved = gc.get_threshold()
            _, gen1, gen2 = self._gc_saved
            gc.set_threshold(threshold, gen1, gen2)
        self.trader.start()

    def start(self) -> None:
        """Start the engines, then the trader."""
        self.start_engines()
        self.start_trader()

    def stop_trader(self) -> None:
        """Stop the trader (strategies first see `on_stop`), saving state if configured."""
        if self.trader.is_running:
            self.trader.stop()
            if self.config.save_state:
                self.trader.save()
        saved = self._gc_saved
        if saved is not None:
            self._gc_saved = None
            gc.set_threshold(*saved)

    def stop_engines(self) -> None:
        """Stop the engines in reverse start order."""
        if not self._engines_running:
            return
        for engine in reversed(self.engines):
            if engine.is_running:
                engine.stop()
        self._engines_running = False

    def stop(self) -> None:
        """Stop the trader, then the engines."""
        self.stop_trader()
        self.stop_engines()

    def dispose(self) -> None:
        """Dispose every component and close the log system (flushing pending records)."""
        self.stop()
        self.trader.dispose()
        for engine in reversed(self.engines):
            engine.dispose()
        self.log_system.close()
