"""`LiveNode`: a kernel driven by an asyncio loop, connected to venues through clients.

Life cycle (states in `NodeState`): IDLE -> STARTING -> RUNNING -> SHUTTING_DOWN ->
STOPPED.

Startup runs in two phases. Phase 1 connects the data clients while timer callbacks run
and account states apply at once and everything else waits in the channels; then every
queued data message is processed, so instruments are in the cache before any
execution client connects. Phase 2 connects the execution clients and waits (polling
every 100 ms, bounded by `timeout_connection`) until every engine reports its clients
connected, buffering the same way; then everything pending is processed. If all
connected, startup reconciliation runs (bounded by `timeout_reconciliation`) and the
trader starts; otherwise a table of the clients is logged, the trader does not start,
and the node still reaches RUNNING so it can be stopped.

The main loop serves, in this priority: signals; the 100 ms stop check (handle stop
request, `ShutdownSystem` command, first ERROR log with `shutdown_on_error`); the
shutdown deadline; the maintenance dispatcher; then the channels (time events,
execution events, execution commands, data events, data commands).

Shutdown stops the trader, keeps processing residual events for `delay_post_stop`,
checks residuals, disconnects the clients (bounded by `timeout_disconnection`),
stops the engines, reaches STOPPED, and processes whatever is still queued.

All timing goes through one `TimeSource`, so the whole node runs under the virtual-time
loop of `argonaut.testkit.virtual_time` in tests.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import threading
import types
from collections.abc import Callable, Generator, Iterable
from functools import partial
from pathlib import Path
from typing import Any, cast

from argonaut.cache.db import CacheDatabaseError, CorruptRecord
from argonaut.common import topics
from argonaut.common.clock import LiveClock
from argonaut.common.logging import LogRecord
from argonaut.live.config import DatabaseConfig, LiveNodeConfig
from argonaut.live.connections import (
    connect_all,
    connection_table,
    disconnect_all,
    finish_disconnects,
)
from argonaut.live.execution_manager import ExecutionManager
from argonaut.live.maintenance import MaintenanceSchedule
from argonaut.live.persistence import (
    OwnershipJournal,
    PersistenceWriter,
    load_cache,
    open_node_database,
    start_writing,
)
from argonaut.live.runner import NodeRunner
from argonaut.live.state import LiveNodeHandle, NodeState
from argonaut.live.timesource import RealTimeSource, TimerHandle, TimeSource
from argonaut.live.trading_state import PERSISTENCE_SOURCE, TradingStateArbiter
from argonaut.model.commands.system import ShutdownSystem
from argonaut.model.enums import Environment, TradingState
from argonaut.model.identifiers import TraderId
from argonaut.system.config import KernelConfig
from argonaut.system.kernel import Kernel
from argonaut.trading import Actor, ExecAlgorithm, Strategy

_TICK_SECS = 0.1
_BUDGET = 1000  # messages processed before the loop yields to other tasks


@types.coroutine
def _yield_once() -> Generator[None, None, None]:
    """Give the event loop one turn (`asyncio.sleep(0)` without its two extra frames)."""
    yield


class NodeError(RuntimeError):
    """A node operation was refused in the node's current state."""


class _ChannelScheduler:
    """The `LiveClock`'s timer scheduler: due timers are posted to the time channel."""

    __slots__ = ("_post", "_time")

    def __init__(self, time_source: TimeSource, post: Callable[[Callable[[], None]], None]):
        self._time = time_source
        self._post = post

    def schedule(self, at_ns: int, fn: Callable[[], None]) -> object:
        delay = (at_ns - self._time.time_ns()) / 1e9
        return self._time.call_later(max(0.0, delay), partial(self._post, fn))

    def cancel(self, handle: object) -> None:
        cast("TimerHandle", handle).cancel()


class LiveNode:
    """A live trading node; see the module docstring."""

    def __init__(
        self,
        config: LiveNodeConfig | None = None,
        *,
        name: str = "LiveNode",
        time_source: TimeSource | None = None,
        kernel: Kernel | None = None,
    ) -> None:
        self.config = config = config if config is not None else LiveNodeConfig()
        if config.environment is Environment.BACKTEST:
            raise NodeError("a live node runs in SANDBOX or LIVE; BACKTEST is refused")
        self.name = name
        self._time: TimeSource = time_source if time_source is not None else RealTimeSource()
        self._kernel = (
            kernel
            if kernel is not None
            else Kernel(kernel_config(config), time_source=self._time_ns)
        )
        self.log = self._kernel.logger(name)
        self._handle = LiveNodeHandle()
        self._exec_manager = ExecutionManager(
            self._kernel.cache,
            self._kernel.exec_engine,
            self._kernel.clock,
            config=config.exec_engine,
            logger=self._kernel.logger("ExecManager"),
            uuid_factory=self._kernel.uuid_factory,
        )
        # One owner for the trading states the node sets itself (fail-closed, backlog).
        self.trading_state_arbiter = TradingStateArbiter(
            self._kernel.risk_engine, logger=self._kernel.logger("TradingState")
        )
        self._exec_manager.bind_trading_state(self.trading_state_arbiter)
        self._runner = NodeRunner(self._kernel, self._exec_manager)
        self._data_clients: list[Any] = []
        self._exec_clients: list[Any] = []
        self._cache_database: Any = None
        self._failed_connects: list[str] = []
        self._persistence: PersistenceWriter | None = None
        self._journal: OwnershipJournal | None = None
        self._has_run = False
        self._shutdown_requested = False
        self._shutdown_reason = ""
        self._signal_received: int | None = None
        self._shutdown_deadline: float | None = None
        self._error_shutdown = False
        self._tick_handle: TimerHandle | None = None
        self._maintenance_due = False
        self._stop_check_due = False
        self._loop_task: asyncio.Task[None] | None = None
        self._pending_exec_events: list[Any] = []
        self._maintenance: MaintenanceSchedule | None = None
        self.residual_events = 0
        self.drained_after_stop = 0
        self._gc_saved: tuple[int, int, int] | None = None
        self.reconciliation_results: list[Any] = []
        self._kernel.msgbus.subscribe(topics.system_shutdown(), self._on_shutdown_system)
        if config.shutdown_on_error:
            self._kernel.log_system.set_on_error(self._on_error_log)

    def _time_ns(self) -> int:
        return self._time.time_ns()

    # -- construction helpers ------------------------------------------------------------

    @staticmethod
    def builder(trader_id: str, environment: Environment) -> Any:
        """Return a `LiveNodeBuilder` (fluent `with_*` options, then `build()`)."""
        from argonaut.live.builder import LiveNodeBuilder

        return LiveNodeBuilder(trader_id, environment)

    @classmethod
    def build(cls, name: str, config: LiveNodeConfig | None = None, **kwargs: Any) -> LiveNode:
        """Build a node from `config`: clients from their factories, components by path."""
        from argonaut.live.builder import build_node

        return build_node(name, config if config is not None else LiveNodeConfig(), **kwargs)

    # -- accessors -----------------------------------------------------------------------

    @property
    def environment(self) -> Environment:
        """SANDBOX or LIVE."""
        return self.config.environment

    @property
    def kernel(self) -> Kernel:
        """The kernel whose components this node drives."""
        return self._kernel

    @property
    def trader_id(self) -> TraderId:
        """The trader id."""
        return self._kernel.trader_id

    @property
    def instance_id(self) -> str:
        """This run's instance id."""
        return self._kernel.instance_id

    @property
    def state(self) -> NodeState:
        """The node's state."""
        return self._handle.state

    @property
    def is_running(self) -> bool:
        """Whether the node is RUNNING."""
        return self._handle.state is NodeState.RUNNING

    @property
    def exec_manager(self) -> ExecutionManager:
        """The execution manager (reconciliation and its bookkeeping)."""
        return self._exec_manager

    @property
    def runner(self) -> NodeRunner:
        """The channels and their dispatch."""
        return self._runner

    def handle(self) -> LiveNodeHandle:
        """Return a thread-safe handle to stop this node and read its state."""
        return self._handle.copy()

    # -- adding components (IDLE only) ---------------------------------------------------

    def _require_idle(self, what: str) -> None:
        if self._handle.state is not NodeState.IDLE:
            raise NodeError(
                f"cannot {what} while the node is {self._handle.state.name}: only while IDLE"
            )

    def add_data_client(self, client: Any, *, default: bool = False) -> None:
        """Register a data client with the data engine (IDLE only)."""
        self._require_idle("add a data client")
        self._data_clients.append(client)
        engine = self._kernel.data_engine
        if default:
            engine.register_default_client(client)
        else:
            engine.register_client(client)

    def add_exec_client(self, client: Any, *, default: bool = False) -> None:
        """Register an execution client with the execution engine (IDLE only)."""
        self._require_idle("add an execution client")
        self._exec_clients.append(client)
        if hasattr(client, "generate_mass_status"):
            self._exec_manager.register_client(client)
        engine = self._kernel.exec_engine
        if default:
            engine.register_default_client(client)
        else:
            engine.register_client(client)

    def add_actor(self, actor: Actor) -> None:
        """Add an actor (IDLE only)."""
        self._require_idle("add an actor")
        self._kernel.add_actor(actor)

    def add_actor_from_factory(self, factory: Callable[[], Actor]) -> None:
        """Build an actor with `factory()` and add it (IDLE only)."""
        self._require_idle("add an actor")
        self._kernel.add_actor(factory())

    def add_strategy(self, strategy: Strategy) -> None:
        """Add a strategy and register its external order claims (IDLE only)."""
        self._require_idle("add a strategy")
        self._kernel.add_strategy(strategy)
        claims = list(strategy.external_order_claims)
        if claims:
            self._exec_manager.register_external_order_claims(strategy.id, claims)

    def add_exec_algorithm(self, algorithm: ExecAlgorithm) -> None:
        """Add an execution algorithm (IDLE only)."""
        self._require_idle("add an execution algorithm")
        self._kernel.add_exec_algorithm(algorithm)

    def set_cache_database(self, database: Any) -> None:
        """Set the `CacheDatabase` behind the cache (IDLE only), instead of the config's.

        At startup the cache loads everything it holds before any client connects,
        then every change is written behind (see docs/persistence.md).
        """
        self._require_idle("set the cache database")
        self._cache_database = database

    @property
    def persistence(self) -> PersistenceWriter | None:
        """The write-behind writer (None without a database); `stats()` has its figures."""
        return self._persistence

    def persistence_stats(self) -> dict[str, Any] | None:
        """Queue depth, write lag and counters of the cache database writer (or None)."""
        writer = self._persistence
        return None if writer is None else writer.stats()

    async def _open_persistence(self) -> None:
        """Open the cache database, load its state into the cache, start the writer."""
        config = self.config
        db_config = config.database
        database = self._cache_database
        if database is None and db_config is not None:
            database = open_node_database(db_config, config.data_dir, os.environ)
        if database is None:
            return
        settings = db_config if db_config is not None else DatabaseConfig()
        journal_path = Path(config.data_dir) / f"ownership-{self.trader_id}.journal"
        try:
            recovered = await load_cache(
                database, self._kernel.cache, journal_path, self.log, flush=settings.flush_on_start
            )
        except CorruptRecord as exc:
            await database.close()
            self.log.error(f"Cannot start: {exc}")
            raise NodeError(
                f"cannot start on cache database {database.name}: {exc}; repair or delete "
                "that record (or start with database.flush_on_start) - see docs/persistence.md"
            ) from exc
        except CacheDatabaseError as exc:
            await database.close()
            self.log.error(f"Cannot start: cache database {database.name} failed: {exc}")
            raise NodeError(f"cannot start: cache database {database.name} failed: {exc}") from exc
        self._persistence, self._journal = start_writing(
            database,
            self._kernel,
            settings,
            journal_path,
            recovered,
            on_backlog=self._on_persistence_backlog,
            time_source=self._time,
            purge=config.exec_engine.purge_from_database,
        )

    def _on_persistence_backlog(self, exceeded: bool) -> None:
        arbiter = self.trading_state_arbiter
        if exceeded:
            arbiter.restrict(
                PERSISTENCE_SOURCE,
                TradingState.REDUCING,
                "cache database backlog exceeds its bound",
            )
        else:
            arbiter.release(PERSISTENCE_SOURCE, "cache database backlog drained")

    async def _close_persistence(self) -> None:
        writer = self._persistence
        if writer is None:
            return
        self._kernel.exec_engine.set_write_ahead_gate(None)
        complete = await writer.close(self.config.timeout_shutdown)
        self._kernel.cache.detach_database_sink()
        journal, self._journal = self._journal, None
        if journal is not None:
            if complete:
                journal.truncate(force=True)  # everything it holds is committed
            journal.close()
        if complete:
            self.log.info(f"Cache database {writer.database.name} flushed and closed")

    # -- manual life cycle ---------------------------------------------------------------

    async def start(self) -> None:
        """Start the node and keep serving its channels in a background task until `stop`."""
        if self._handle.state.is_running:
            raise NodeError(f"cannot start: the node is already {self._handle.state.name}")
        if self._has_run:
            raise NodeError("cannot start: this node has already run once; build a new one")
        self._has_run = True
        await self._startup()
        self._loop_task = asyncio.get_running_loop().create_task(
            self._main_loop(), name=f"{self.name}.main_loop"
        )

    async def stop(self) -> None:
        """Stop a node started with `start`: the same graceful shutdown as `run`."""
        if self._handle.state is not NodeState.RUNNING:
            raise NodeError(f"cannot stop: the node is {self._handle.state.name}, not RUNNING")
        self._initiate_shutdown("stop() called")
        task = self._loop_task
        if task is not None:
            await task

    # -- integrated loop -----------------------------------------------------------------

    async def run(self) -> None:
        """Start, serve the channels until a stop request, then shut down gracefully."""
        if self._handle.state.is_running:
            raise NodeError(f"cannot run: the node is already {self._handle.state.name}")
        if self._has_run:
            raise NodeError("cannot run: this node has already run once; build a new one")
        self._has_run = True
        loop = asyncio.get_running_loop()
        installed = self._install_signal_handlers(loop)
        try:
            await self._startup()
            await self._main_loop()
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    # -- startup -------------------------------------------------------------------------

    async def _startup(self) -> None:
        loop = asyncio.get_running_loop()
        runner = self._runner
        runner.channels.bind(loop)
        runner.bind_senders()
        runner.bind_client_sinks(self._data_clients)
        await self._open_persistence()  # the cache is loaded before any client connects
        clock = self._kernel.clock
        if isinstance(clock, LiveClock) and clock.scheduler is None:
            clock.set_scheduler(_ChannelScheduler(self._time, runner.post_time_event))
        self._handle.set_state(NodeState.STARTING)
        self.log.info(f"{self.name} starting ({self.environment.name}, {self.trader_id})")
        self._kernel.start_engines()
        # Phase 1: data clients; instruments reach the cache before execution clients.
        self._failed_connects.clear()
        deadline = self._time.monotonic() + self.config.timeout_connection
        await self._drive_buffering(self._connect_clients(self._data_clients, deadline))
        runner.flush_data()
        # Phase 2: execution clients, then wait for every engine to report connected.
        connected = await self._drive_buffering(self._connect_exec_phase())
        runner.flush_all(self._pending_exec_events)
        # A stop asked for while starting (the handle's request is cleared by RUNNING).
        aborted = self._handle.should_stop or self._shutdown_requested
        if aborted:
            self.log.warning("Stop requested during startup: not starting the trader")
        elif connected:
            await self._startup_reconciliation()
            self._kernel.start_trader()
        else:
            self.log.error("Not starting the trader: client(s) not connected")
        self._maintenance = MaintenanceSchedule(
            self.config.exec_engine,
            now=self._time.monotonic(),
            has_exec_clients=bool(self._exec_clients),
        )
        self._tune_gc()
        self._handle.set_state(NodeState.RUNNING)
        runner.inline_data = True
        self._arm_tick()
        self.log.info(f"{self.name} running")
        if aborted:
            self._initiate_shutdown("stop requested during startup")

    async def _drive_buffering(self, coro: Any) -> Any:
        """Run `coro` while timer callbacks and account states are handled at once."""
        runner = self._runner
        task = asyncio.ensure_future(coro)
        wake = runner.channels.wake
        task.add_done_callback(lambda _: wake())
        channels = runner.channels
        while not task.done():
            if channels.time_events.depth or channels.exec_events.depth:
                runner.process_time_and_accounts(self._pending_exec_events)
                await asyncio.sleep(0)
            else:
                # Data stays queued: wait for the next send, timer or the phase's end.
                await channels.wakeup.wait()
        return task.result()

    async def _connect_clients(self, clients: Iterable[Any], deadline: float) -> None:
        """Connect `clients` until `deadline`; remember those that failed (never retried)."""
        failed = await connect_all(
            clients, deadline, self._time, self.log, self.config.timeout_connection
        )
        self._failed_connects.extend(failed)

    async def _connect_exec_phase(self) -> bool:
        deadline = self._time.monotonic() + self.config.timeout_connection
        await self._connect_clients(self._exec_clients, deadline)
        return await self._await_engines_connected(deadline)

    async def _await_engines_connected(self, deadline: float) -> bool:
        timeout = self.config.timeout_connection
        data, execution = self._kernel.data_engine, self._kernel.exec_engine
        while True:
            if data.check_connected() and execution.check_connected():
                self.log.info("All clients connected")
                return True
            if self._failed_connects:
                self.log.error(
                    f"Client(s) failed to connect: {', '.join(self._failed_connects)}\n"
                    f"{self.connection_table()}"
                )
                return False
            if self._time.monotonic() >= deadline:
                break
            await self._time.sleep(_TICK_SECS)
        self.log.warning(
            f"Timed out ({timeout}s) waiting for clients to connect\n"
            f"{self.connection_table()}\n"
            f"DataEngine.check_connected() == {data.check_connected()}\n"
            f"ExecEngine.check_connected() == {execution.check_connected()}"
        )
        return False

    def connection_table(self) -> str:
        """Return a table of every client: name, data/execution, connected yes/no."""
        return connection_table(self._data_clients, self._exec_clients)

    async def _startup_reconciliation(self) -> None:
        exec_cfg = self.config.exec_engine
        kernel = self._kernel
        if not exec_cfg.reconciliation:
            self.log.info("Startup reconciliation disabled")
        else:
            start = self._time.monotonic()
            budget = self.config.timeout_reconciliation
            # The portfolio is rebuilt from the cache below: skip its per-event work.
            kernel.portfolio.suspend_event_updates()
            for client in self._exec_clients:
                remaining = budget - (self._time.monotonic() - start)
                if remaining <= 0:
                    self.log.warning("Reconciliation timeout reached, stopping early")
                    break
                result = await self._exec_manager.reconcile_client(
                    client, lookback_mins=exec_cfg.reconciliation_lookback_mins, timeout=remaining
                )
                self._runner.flush_all(self._pending_exec_events)
                self._register_external_orders(client, result)
                self.reconciliation_results.append(result)
                self.log.info(f"Reconciliation of {client.client_id}: {_summary(result)}")
            elapsed = self._time.monotonic() - start
            self.log.info(f"Startup reconciliation completed in {elapsed:.2f}s")
            # Fail-closed: an unverified venue moves the trading state (REDUCING by default).
            self._exec_manager.conclude_startup(
                self.reconciliation_results, len(self._exec_clients)
            )
        kernel.portfolio.initialize_orders()
        kernel.portfolio.initialize_positions()
        self._exec_manager.reset_check_schedule(self._time.time_ns())

    def _register_external_orders(self, client: Any, result: Any) -> None:
        """Track venue orders unknown locally, with the manager and their client."""
        manager = self._exec_manager
        client_register = getattr(client, "register_external_order", None)
        for external in result.external_orders:
            manager.register_external_order(
                external.client_order_id,
                external.venue_order_id,
                external.instrument_id,
                external.strategy_id,
                external.ts_init,
            )
            if client_register is not None:
                client_register(external)

    # -- main loop -----------------------------------------------------------------------

    def _arm_tick(self) -> None:
        self._tick_handle = self._time.call_later(_TICK_SECS, self._on_tick)

    def _on_tick(self) -> None:
        self._stop_check_due = True
        self._maintenance_due = True
        self._runner.channels.wake()
        if self._handle.state in (NodeState.RUNNING, NodeState.SHUTTING_DOWN):
            self._arm_tick()

    async def _main_loop(self) -> None:
        runner = self._runner
        channels = runner.channels
        time = self._time
        handle = self._handle
        process_pending = runner.process_pending
        while True:
            # The control checks run only when flagged (the hot path is one test of each).
            if (
                self._stop_check_due
                or self._maintenance_due
                or self._signal_received is not None
                or self._shutdown_deadline is not None
            ):
                if self._signal_received is not None and handle.state is NodeState.RUNNING:
                    name = signal.Signals(self._signal_received).name
                    self._initiate_shutdown(f"received {name}")
                if self._stop_check_due:
                    self._stop_check_due = False
                    if handle.state is NodeState.RUNNING:
                        self._check_stop_requests()
                if handle.state is NodeState.SHUTTING_DOWN:
                    deadline = self._shutdown_deadline
                    if deadline is not None and time.monotonic() >= deadline:
                        break
                if self._maintenance_due:
                    self._maintenance_due = False
                    if handle.state is NodeState.RUNNING:
                        await self._run_maintenance()
            runner.inline_streak = 0
            done = process_pending(_BUDGET)
            if done >= _BUDGET:
                await asyncio.sleep(0)  # let producers and I/O run between batches
            elif done:
                # One loop turn before parking: a producer on this loop (a socket reader)
                # usually hands the next message over in it, which then costs no wakeup.
                await _yield_once()
            else:
                await channels.wait()
        await self._finalize()

    def _check_stop_requests(self) -> None:
        if self._handle.should_stop:
            self._initiate_shutdown("stop requested through the handle")
        elif self._shutdown_requested:
            self._initiate_shutdown(f"ShutdownSystem command ({self._shutdown_reason})")
        elif self._error_shutdown:
            self._initiate_shutdown("an ERROR was logged and shutdown_on_error is set")

    async def _run_maintenance(self) -> None:
        schedule = self._maintenance
        if schedule is None:
            return
        await schedule.run_due(self._time, self._exec_manager, self._kernel)

    # -- shutdown ------------------------------------------------------------------------

    def _initiate_shutdown(self, reason: str) -> None:
        if self._handle.state is not NodeState.RUNNING:
            return
        self.log.info(f"Shutting down: {reason}")
        self._kernel.stop_trader()
        delay = self.config.delay_post_stop
        self.log.info(f"Awaiting residual events ({delay}s)...")
        self._shutdown_deadline = self._time.monotonic() + delay
        self._time.call_later(delay, self._runner.channels.wake)
        self._runner.counting_residuals = True
        self._runner.inline_data = False
        self._handle.set_state(NodeState.SHUTTING_DOWN)
        self._runner.channels.wake()

    def _tune_gc(self) -> None:
        """Apply the configured garbage-collector policy (restored in `_finalize`)."""
        config = self.config
        self._gc_saved = gc.get_threshold()
        if config.gc_freeze_on_start:
            gc.collect()
            gc.freeze()
        if config.gc_gen0_threshold is not None:
            _, gen1, gen2 = self._gc_saved
            gc.set_threshold(config.gc_gen0_threshold, gen1, gen2)

    def _restore_gc(self) -> None:
        saved = self._gc_saved
        if saved is not None:
            gc.set_threshold(*saved)
            self._gc_saved = None
        if self.config.gc_freeze_on_start:
            gc.unfreeze()

    async def _finalize(self) -> None:
        self.residual_events = self._runner.residual_count
        self._runner.counting_residuals = False
        if self.residual_events:
            self.log.debug(f"Processed {self.residual_events} residual events during shutdown")
        residuals = self._kernel.cache.check_residuals()  # each logged by the Cache
        if residuals:
            self.log.warning(f"{len(residuals)} residual(s) at shutdown (listed by the Cache)")
        await self._disconnect_clients()
        self._kernel.stop_engines()
        if self._tick_handle is not None:
            self._tick_handle.cancel()
        self._handle.set_state(NodeState.STOPPED)
        self.drained_after_stop = self._runner.drain_all()
        if self.drained_after_stop:
            self.log.info(f"Drained {self.drained_after_stop} remaining events during shutdown")
        await self._close_persistence()
        self._runner.unbind_senders()
        self._restore_gc()
        self.log.info(f"{self.name} stopped")
        self._kernel.log_system.flush()

    async def _disconnect_clients(self) -> None:
        """Disconnect every client, waiting at most `timeout_disconnection` in all."""
        deadline = self._time.monotonic() + self.config.timeout_disconnection
        clients = [*self._data_clients, *self._exec_clients]
        tasks = await disconnect_all(clients, deadline, self._time, self.log)
        await self._await_engines_disconnected(deadline)
        await finish_disconnects(tasks, self.log)

    async def _await_engines_disconnected(self, deadline: float) -> None:
        timeout = self.config.timeout_disconnection
        data, execution = self._kernel.data_engine, self._kernel.exec_engine
        while not (data.check_disconnected() and execution.check_disconnected()):
            if self._time.monotonic() >= deadline:
                still = [
                    name
                    for name, engine in (("DataEngine", data), ("ExecEngine", execution))
                    if not engine.check_disconnected()
                ]
                self.log.error(
                    f"Timed out ({timeout}s) waiting for clients to disconnect: "
                    f"{', '.join(still)} still connected"
                )
                return
            await self._time.sleep(_TICK_SECS)

    # -- stop sources --------------------------------------------------------------------

    def _install_signal_handlers(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        if threading.current_thread() is not threading.main_thread():
            return []
        installed = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._on_signal, int(sig))
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
                continue
            installed.append(int(sig))
        return installed

    def _on_signal(self, signum: int) -> None:
        self._signal_received = signum
        self._runner.channels.wake()

    def _on_shutdown_system(self, command: ShutdownSystem) -> None:
        self._shutdown_requested = True
        self._shutdown_reason = command.reason or "no reason given"

    def _on_error_log(self, record: LogRecord) -> None:
        if self._handle.state is NodeState.RUNNING:
            self._error_shutdown = True


def _summary(result: Any) -> str:
    """One line: outcome, events generated per kind, external orders, discrepancies."""
    outcome = "succeeded" if result.success else f"FAILED ({result.error or 'discrepancies'})"
    events = ", ".join(f"{k}={v}" for k, v in sorted(result.events.items())) or "none"
    return (
        f"{outcome}; events generated: {events}; external orders: "
        f"{len(result.external_orders)}; discrepancies: {len(result.discrepancies)}"
    )


def kernel_config(config: LiveNodeConfig) -> KernelConfig:
    """Return the `KernelConfig` for a node config."""
    kwargs: dict[str, Any] = {
        "environment": config.environment,
        "trader_id": config.trader_id,
        "instance_id": config.instance_id,
        "logging": config.logging,
        "cache": config.cache,
        "data_engine": config.data_engine,
        "risk_engine": config.risk_engine,
        "exec_engine": config.exec_engine,
        "load_state": config.load_state,
        "save_state": config.save_state,
        # The node applies its own collector policy (freeze + threshold) around the run.
        "gc_gen0_threshold": None,
    }
    if config.portfolio is not None:
        kwargs["portfolio"] = config.portfolio
    if config.emulator is not None:
        kwargs["emulator"] = config.emulator
    return KernelConfig(**kwargs)
