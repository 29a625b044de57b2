"""`SandboxExchange`: the running sandbox venue one node's sandbox clients share.

It owns the `SandboxVenue` (the pure core), the market data sources (a seeded
`SyntheticMarket` per instrument at its configured rate, or a CSV or Parquet replay), and the
fault injector. On the event loop it:

- drives the market: each update is applied to the venue's books first (so resting
  orders match), then handed to the data client unless the feed is gapped;
- lets venue time pass (`advance_time`, for GTD and DAY expiry) at every wake-up;
- delivers venue messages to the execution client when their visibility time comes
  (the latency model of the core), in FIFO order, through the fault injector;
- runs the periodic faults, and `disconnect`s: the clients are told the link is lost,
  messages due meanwhile are lost, and `attach` fails until the link is back;
- aggregates the time bars the data client subscribed to (EXTERNAL bar types) from the
  venue's own trades (LAST) or quotes (BID, ASK, MID) and streams them like the rest of
  the feed (hidden while gapped or disconnected). Bars close on the venue's own bar
  clock (`VenueBars`), which the market loop moves to the node's time, waking at each
  bar close.

All timing comes from the node's clock and loop timers (`asyncio.sleep`,
`loop.call_later`), so it runs under virtual time in tests. It starts when the first
client attaches and stops when the last one is released.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from typing import Protocol

from argonaut.adapters.sandbox.bars import VenueBars
from argonaut.adapters.sandbox.faults import Delivery, FaultInjector, MessageKind
from argonaut.adapters.sandbox.marketdata import (
    GeneratedData,
    SyntheticMarket,
    load_quotes,
    load_trades,
)
from argonaut.adapters.sandbox.messages import VenueMessage, VenueOrderAccepted, VenueOrderFilled
from argonaut.adapters.sandbox.replay import ReplaySource
from argonaut.adapters.sandbox.settings import SandboxClientConfig
from argonaut.adapters.sandbox.venue import SandboxVenue
from argonaut.common.clock import Clock
from argonaut.common.logging import Logger
from argonaut.live.clients.errors import TransientVenueError, VenueRejected
from argonaut.model.commands import SubmitOrder, SubmitOrderList, TradingCommand
from argonaut.model.data import Bar, BarType, QuoteTick, TradeTick
from argonaut.model.identifiers import ClientOrderId, InstrumentId
from argonaut.model.instruments import Instrument

__all__ = ["DataListener", "ExecListener", "SandboxExchange"]

_NS = 1_000_000_000
_SLACK_NS = 1_000  # timers on a float clock may wake a hair early
_MAX_BURST = 1_000  # updates per source per wake-up before the feed skips ahead


class ExecListener(Protocol):
    """The execution client, as the exchange sees it."""

    def on_venue_message(self, message: VenueMessage) -> None:
        """Handle one venue message that became visible."""
        ...

    def on_connection_lost(self) -> None:
        """React to the venue dropping the connection."""
        ...


class DataListener(Protocol):
    """The data client, as the exchange sees it."""

    def on_market_data(self, data: GeneratedData | Bar) -> None:
        """Handle one market data update (or a bar the venue aggregated)."""
        ...

    def on_connection_lost(self) -> None:
        """React to the venue dropping the connection."""
        ...


class _Source(Protocol):
    @property
    def next_ts(self) -> int: ...

    def step(self) -> list[GeneratedData]: ...

    def skip_to(self, ts: int) -> None: ...


class SandboxExchange:
    """One running sandbox venue (see the module docstring)."""

    def __init__(self, config: SandboxClientConfig, *, clock: Clock, logger: Logger) -> None:
        self.config = config
        self.clock = clock
        self._log = logger
        self.venue = SandboxVenue(config.venue_config())
        self.venue.autosave = False  # written by `_run_saver`, off the per-event path
        self.instruments: list[Instrument] = list(self.venue.instruments.values())
        self.faults = FaultInjector(config.faults, config.seed)
        self.is_up = True
        self.frozen_until = 0
        self.gapped_until = 0
        self.disconnect_count = 0
        self.delivered_count = 0
        self.lost_count = 0
        self._exec: ExecListener | None = None
        self._data: DataListener | None = None
        self._clients: set[object] = set()
        self._outbox: deque[VenueMessage] = deque()
        self._flush_handle: asyncio.TimerHandle | None = None
        self._timers: set[asyncio.TimerHandle] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sources: list[_Source] | None = None
        self._restore_handle: asyncio.TimerHandle | None = None
        self.bars = VenueBars(self._on_bar, start_ns=clock.timestamp_ns(), seed=config.seed)

    @property
    def is_running(self) -> bool:
        """Whether the market and the timers are running."""
        return bool(self._tasks)

    # -- clients -------------------------------------------------------------------------

    def attach_exec(self, client: ExecListener) -> None:
        """Connect the execution client; raise `TransientVenueError` while disconnected."""
        self._attach(client, self._exec, "an execution client")
        self._exec = client

    def attach_data(self, client: DataListener) -> None:
        """Connect the data client; raise `TransientVenueError` while disconnected."""
        self._attach(client, self._data, "a data client")
        self._data = client

    def _attach(self, client: object, current: object, what: str) -> None:
        self._check_up()
        if current is not None and current is not client:
            raise RuntimeError(f"venue {self.venue.venue} already has {what}")
        self._start()
        self._clients.add(client)

    async def release(self, client: object) -> None:
        """Forget a client that disconnected for good; stop when none is left."""
        if self._exec is client:
            self._exec = None
        if self._data is client:
            self._data = None
        self._clients.discard(client)
        if not self._clients:
            await self.stop()

    def _check_up(self) -> None:
        if not self.is_up:
            raise TransientVenueError(
                f"sandbox venue {self.venue.venue} is unreachable (injected disconnect): "
                "retry later"
            )

    # -- lifecycle -----------------------------------------------------------------------

    def _start(self) -> None:
        if self._tasks:
            return
        loop = self._loop = asyncio.get_running_loop()
        now = self.clock.timestamp_ns()
        if self._sources is None:
            self._sources = self._build_sources(now)
        else:
            for source in self._sources:
                source.skip_to(now)
        self._tasks.append(loop.create_task(self._run_market(), name="sandbox.market"))
        if self.config.resolved_state_file() is not None:
            self._tasks.append(loop.create_task(self._run_saver(), name="sandbox.saver"))
        cfg = self.config.faults
        periodic: list[tuple[float | None, Callable[[], object]]] = [
            (cfg.cancel_every_secs, self.cancel_random_order),
            (cfg.disconnect_every_secs, lambda: self.disconnect(cfg.disconnect_for_secs)),
            (cfg.stale_every_secs, lambda: self.freeze_data(cfg.stale_for_secs)),
            (cfg.gap_every_secs, lambda: self.gap_data(cfg.gap_for_secs)),
        ]
        for every, action in periodic:
            if every is not None:
                self._tasks.append(loop.create_task(self._every(every, action)))

    async def stop(self) -> None:
        """Stop the market, the timers and the periodic faults; save the venue state."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._cancel_timers()
        self.bars.stop()
        if self._restore_handle is not None:  # nobody is left to reconnect
            self._restore_handle.cancel()
            self._reconnectable()
        self._outbox.clear()
        self.save()

    def _cancel_timers(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()

    def _build_sources(self, now: int) -> list[_Source]:
        cfg = self.config
        market = cfg.market
        replay = market.replay
        sources: list[_Source] = []
        for n, inst in enumerate(self.instruments):
            if replay is not None and str(inst.id) == replay.instrument:
                items: list[QuoteTick | TradeTick] = []
                if replay.quotes_file is not None:
                    items.extend(load_quotes(replay.quotes_file, inst))
                if replay.trades_file is not None:
                    items.extend(load_trades(replay.trades_file, inst))
                sources.append(
                    ReplaySource(items, start_ns=now, speed=replay.speed, loop=replay.loop)
                )
                continue
            rate = market.rates.get(str(inst.id), market.rate)
            sources.append(
                SyntheticMarket(
                    inst,
                    seed=cfg.seed * 1_000 + n,
                    start_price=inst.make_price(cfg.start_price(inst.id)),
                    start_ns=now,
                    interval_ns=max(1, round(_NS / rate)),
                    depth=market.book_depth,
                    max_spread_ticks=market.max_spread_ticks,
                    max_step_ticks=market.volatility_ticks,
                    trade_probability=market.trade_probability,
                )
            )
        return sources

    # -- market --------------------------------------------------------------------------

    async def _run_market(self) -> None:
        sources = self._sources or []
        clock = self.clock
        while sources:
            now = clock.timestamp_ns()
            if now < self.frozen_until:
                await asyncio.sleep((self.frozen_until - now) / _NS)
                resume = clock.timestamp_ns()
                for source in sources:
                    source.skip_to(resume)
                continue
            due = min(source.next_ts for source in sources)
            next_close = self.bars.next_close_ns
            if next_close is not None:
                due = min(due, next_close)
            if due > now + _SLACK_NS:
                await asyncio.sleep((due - now) / _NS)
                continue
            for source in sources:
                burst = 0
                while source.next_ts <= now + _SLACK_NS and burst < _MAX_BURST:
                    for item in source.step():
                        self._on_market(item)
                    burst += 1
                if source.next_ts <= now:
                    source.skip_to(now)
            self._enqueue(self.venue.advance_time(now))
            if self.bars:
                self.bars.close_until(now, _SLACK_NS)

    async def _run_saver(self) -> None:
        venue = self.venue
        while True:
            await asyncio.sleep(self.config.save_interval_secs)
            if venue.unsaved:
                self.save()

    def save(self) -> None:
        """Write the venue state file now; a failure is logged (the next save retries)."""
        try:
            self.venue.save()
        except OSError as exc:
            self.venue.unsaved = True
            self._log.error(f"Cannot save the sandbox venue state: {exc!r}")

    def _on_market(self, item: GeneratedData) -> None:
        messages = self.venue.process(item)
        if messages:
            self._enqueue(messages)
        data = self._data
        if data is not None and self.is_up and item.ts_event >= self.gapped_until:
            data.on_market_data(item)
        bars = self.bars
        if bars:
            kind = type(item)
            if kind is TradeTick:
                bars.on_trade(item)  # type: ignore[arg-type]
            elif kind is QuoteTick:
                bars.on_quote(item)  # type: ignore[arg-type]

    # -- bars ----------------------------------------------------------------------------

    def subscribe_bars(self, bar_type: BarType) -> None:
        """Aggregate and stream time bars of `bar_type` (LAST from the venue's trades;
        BID, ASK or MID from its quotes); raise ValueError naming what is unsupported."""
        inst = self.instrument(bar_type.instrument_id)
        self.bars.subscribe(bar_type, inst, self.clock.timestamp_ns())

    def unsubscribe_bars(self, bar_type: BarType) -> None:
        """Stop aggregating `bar_type` (the bar in progress is dropped)."""
        self.bars.unsubscribe(bar_type)

    @property
    def bar_types(self) -> list[BarType]:
        """The bar types the venue aggregates now."""
        return self.bars.bar_types

    def _on_bar(self, bar: Bar) -> None:
        data = self._data
        if data is not None and self.is_up and bar.ts_event >= self.gapped_until:
            data.on_market_data(bar)

    # -- commands ------------------------------------------------------------------------

    def execute(self, command: TradingCommand) -> None:
        """Run a trading command at the venue now; its messages follow under latency.

        Raise `TransientVenueError` while disconnected (the command never arrived) and
        `VenueRejected` for an order the fault injector rejects.
        """
        self._check_up()
        if isinstance(command, SubmitOrder | SubmitOrderList):
            reason = self.faults.rejection()
            if reason is not None:
                raise VenueRejected(reason)
        self._enqueue(self.venue.execute(command, self.clock.timestamp_ns()))

    # -- delivery ------------------------------------------------------------------------

    def _enqueue(self, messages: list[VenueMessage]) -> None:
        if not messages:
            return
        outbox = self._outbox
        faults = self.faults
        for message in messages:
            kind = (
                MessageKind.ACK
                if type(message) is VenueOrderAccepted
                else MessageKind.FILL
                if type(message) is VenueOrderFilled
                else None
            )
            if kind is None:
                outbox.append(message)
                continue
            what, seconds = faults.decide(kind)
            if what is Delivery.DELIVER:
                outbox.append(message)
            elif what is Delivery.DUPLICATE:
                outbox.append(message)
                outbox.append(message)
            elif what is Delivery.DELAY:
                self._deliver_later(message, seconds)
            else:
                self._log.debug(f"Fault injection dropped {type(message).__name__}")
        self._arm()

    def _arm(self) -> None:
        if self._flush_handle is not None or not self._outbox or self._loop is None:
            return
        delay = (self._outbox[0].ts_visible - self.clock.timestamp_ns()) / _NS
        self._flush_handle = self._loop.call_later(max(delay, 0.0), self._flush)

    def _flush(self) -> None:
        self._flush_handle = None
        limit = self.clock.timestamp_ns() + _SLACK_NS
        outbox = self._outbox
        while outbox and outbox[0].ts_visible <= limit:
            self._deliver(outbox.popleft())
        self._arm()

    def _deliver_later(self, message: VenueMessage, seconds: float) -> None:
        if self._loop is None:
            return
        delay = max(0.0, (message.ts_visible - self.clock.timestamp_ns()) / _NS) + seconds
        handle: asyncio.TimerHandle | None = None

        def fire() -> None:
            if handle is not None:
                self._timers.discard(handle)
            self._deliver(message)

        handle = self._loop.call_later(delay, fire)
        self._timers.add(handle)

    def _deliver(self, message: VenueMessage) -> None:
        target = self._exec
        if target is None or not self.is_up:
            self.lost_count += 1
            return
        self.delivered_count += 1
        target.on_venue_message(message)

    # -- faults (also the programmatic API) ----------------------------------------------

    def disconnect(self, seconds: float) -> None:
        """Drop the connection for `seconds`: clients are told, messages due meanwhile
        are lost, and they cannot connect again until it is back."""
        if not seconds > 0:
            raise ValueError(f"a disconnect lasts > 0 seconds, found {seconds}")
        if not self.is_up or self._loop is None:
            return
        self.is_up = False
        self.disconnect_count += 1
        self.lost_count += len(self._outbox)
        self._outbox.clear()
        self._cancel_timers()
        self._log.warning(f"Fault injection: venue {self.venue.venue} disconnects for {seconds}s")
        for client in (self._exec, self._data):
            if client is not None:
                client.on_connection_lost()
        self._restore_handle = self._loop.call_later(seconds, self._reconnectable)

    def _reconnectable(self) -> None:
        self._restore_handle = None
        self.is_up = True
        self._log.info(f"Fault injection: venue {self.venue.venue} is reachable again")

    def freeze_data(self, seconds: float) -> None:
        """Freeze the feed for `seconds` (stale data): no updates, the book stands still."""
        self.frozen_until = max(self.frozen_until, self._after(seconds))

    def gap_data(self, seconds: float) -> None:
        """Hide `seconds` of market data from the clients while the market moves on."""
        self.gapped_until = max(self.gapped_until, self._after(seconds))

    def cancel_order(
        self, client_order_id: ClientOrderId | str, reason: str = "canceled by the venue"
    ) -> None:
        """Cancel a working order on the venue's own initiative."""
        ts = self.clock.timestamp_ns()
        self._enqueue(self.venue.cancel_at_venue(ClientOrderId(client_order_id), ts, reason))

    def cancel_random_order(self) -> ClientOrderId | None:
        """Cancel one working order chosen by the seeded generator; return its id."""
        open_orders = self.venue.open_orders()
        if not open_orders:
            return None
        order = self.faults.rng.choice(open_orders)
        self.cancel_order(order.client_order_id, "canceled by the venue (fault injection)")
        return order.client_order_id

    def instrument(self, instrument_id: InstrumentId) -> Instrument | None:
        """Return a traded instrument, or None."""
        return self.venue.instruments.get(instrument_id)

    def _after(self, seconds: float) -> int:
        if not seconds > 0:
            raise ValueError(f"a fault lasts > 0 seconds, found {seconds}")
        return self.clock.timestamp_ns() + round(seconds * _NS)

    async def _every(self, seconds: float, action: Callable[[], object]) -> None:
        while True:
            await asyncio.sleep(seconds)
            action()
