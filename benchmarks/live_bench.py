"""Shared harness of the W1 / W2 benchmarks on the full `LiveNode` (WORKLOAD.md).

One measured run = one fresh process (`child_main`), driven by `run_children` in the
parent. A run builds the W1 stream as native `QuoteTick`s (construction timed apart),
freezes it out of the cyclic GC, then builds a normal `LiveNode`: a data client that
puts BTCUSDT-PERP.SIM into the cache on connect and starts streaming 0.5 s after the
strategy's quote subscription reaches it, an execution client that reports the margin
account SIM-001 (1,000,000 USDT) on connect and acknowledges every submit at once
(Submitted, Accepted, no I/O), startup reconciliation on (empty mass status), the risk
engine not bypassed (throttles raised to 100,000/s), logging at WARNING. The loop is
uvloop when installed.

Feeds (the data client's task on the node's loop, one `_handle_data` per quote):

- ``chunk``: C quotes, then `await asyncio.sleep(0)`, until all are handed over;
  with orders on, the clock is read just before each trigger quote (index 100k + 99).
- ``idle``: per block of 100 quotes: quotes 1..99 in one go, sleep 1 ms, clock read,
  the 100th (trigger) quote, sleep 1 ms.

The run fails loudly (non-zero exit, no result) unless: count == N, the stream and
mid-sum checksums hold, the cache's latest quote is the last one and, with orders,
every order was measured and accepted and none denied or rejected.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from argonaut.common.logging import LoggingConfig
from argonaut.live.clients import LiveDataClient, LiveExecutionClient
from argonaut.live.config import DatabaseConfig, LiveNodeConfig
from argonaut.live.config_exec import LiveExecEngineConfig, LiveRiskEngineConfig
from argonaut.live.node import LiveNode
from argonaut.model.accounts import AccountBalance
from argonaut.model.data import QuoteTick
from argonaut.model.enums import AccountType, OmsType, OrderSide, OrderStatus
from argonaut.model.identifiers import VenueOrderId
from argonaut.model.reports import ExecutionMassStatus
from argonaut.model.values import USDT, Money, Price, Quantity
from argonaut.trading import Strategy, StrategyConfig
from bench_data import IID, W1_REFERENCE, build_quotes, w1_instrument

HERE = Path(__file__).resolve().parent
N = 1_000_000
RUNS = int(os.environ.get("ARGONAUT_BENCH_RUNS", "3"))
ORDER_EVERY = 100
SETTLE_S = 0.5
IDLE_GAP_S = 0.001
OFFSET_RAW = 100 * 100_000_000  # 10.0 = 100 ticks of 0.1, raw scale 10**9
THROTTLE = "100000/00:00:01"
RESULT_PREFIX = "RESULT "

pc = time.perf_counter_ns


class Run:
    """What one run measures (a plain holder shared by the clients and the strategy)."""

    def __init__(self, n: int, feed: str, chunk: int, orders: bool) -> None:
        self.n = n
        self.feed = feed
        self.chunk = chunk
        self.orders = orders
        self.quotes: list[QuoteTick] = []
        self.expected_orders = n // ORDER_EVERY if orders else 0
        self.handoff = [0] * self.expected_orders
        self.order_seq: dict[str, int] = {}
        self.latencies_ns: list[int] = []
        self.to_strategy_ns: list[int] = []  # diagnostic: hand-over -> strategy callback
        self.t_first = 0
        self.t_last = 0
        self.t_last_push = 0
        self.stop: Callable[[], None] | None = None


class BenchStrategy(Strategy):
    """W1: count quotes and sum float mids; W2: also submit a LIMIT every 100th quote."""

    def __init__(self, run: Run) -> None:
        super().__init__(StrategyConfig(order_id_tag="001"))
        self.run = run
        self.n = run.n
        self.every = ORDER_EVERY if run.orders else 0
        self.count = 0
        self.mid = 0.0
        self.mid_sum = 0.0
        self.n_orders = 0
        self.accepted = 0
        self.denied = 0
        self.rejected = 0
        self.qty = Quantity.from_str("0.001")

    def on_start(self) -> None:
        self.subscribe_quote_ticks(IID)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.count += 1
        mid = (tick.bid_price.raw + tick.ask_price.raw) / 2e9
        self.mid = mid
        self.mid_sum += mid
        if self.every and self.count % self.every == 0:
            t_strategy = pc()
            if self.n_orders % 2 == 0:
                side = OrderSide.BUY
                price = Price(tick.bid_price.raw - OFFSET_RAW, 1)
            else:
                side = OrderSide.SELL
                price = Price(tick.ask_price.raw + OFFSET_RAW, 1)
            self.n_orders += 1
            order = self.factory.limit(IID, side, self.qty, price)
            seq = self.count // self.every - 1
            self.run.order_seq[order.client_order_id] = seq
            self.run.to_strategy_ns.append(t_strategy - self.run.handoff[seq])
            self.submit_order(order)
        if self.count == self.n:
            self.run.t_last = pc()
            self._check_done()

    def on_order_accepted(self, event: Any) -> None:
        self.accepted += 1
        self._check_done()

    def on_order_denied(self, event: Any) -> None:
        self.denied += 1
        self._check_done()

    def on_order_rejected(self, event: Any) -> None:
        self.rejected += 1
        self._check_done()

    def _check_done(self) -> None:
        run = self.run
        if self.count < self.n:
            return
        if self.accepted + self.denied + self.rejected < run.expected_orders:
            return
        if run.stop is not None:
            run.stop()
            run.stop = None


class BenchDataClient(LiveDataClient):
    """Puts the instrument into the cache on connect; streams once subscribed."""

    def __init__(self, run: Run, **kwargs: Any) -> None:
        super().__init__("SIM", venue="SIM", **kwargs)
        self.run = run
        self._feeding = False

    async def _connect(self) -> None:
        self._handle_data(w1_instrument())

    async def _disconnect(self) -> None:
        return None

    async def _subscribe_quote_ticks(self, command: Any) -> None:
        # A venue starts streaming once the subscription arrives.
        if not self._feeding:
            self._feeding = True
            self.create_task(self._feed(), name="SIM.feed")

    async def _unsubscribe_quote_ticks(self, command: Any) -> None:
        return None

    async def _feed(self) -> None:
        await asyncio.sleep(SETTLE_S)
        run = self.run
        if run.feed == "idle":
            await self._feed_idle(run)
        else:
            await self._feed_chunks(run)
        run.t_last_push = pc()

    async def _feed_chunks(self, run: Run) -> None:
        quotes = run.quotes
        handle = self._handle_data
        sleep = asyncio.sleep
        n = len(quotes)
        c = run.chunk
        if run.orders:
            hand = run.handoff
            every = ORDER_EVERY
            run.t_first = pc()
            for start in range(0, n, c):
                for i in range(start, min(start + c, n)):
                    if i % every == every - 1:
                        hand[i // every] = pc()
                    handle(quotes[i])
                await sleep(0)
        elif c == 1:
            run.t_first = pc()
            for q in quotes:
                handle(q)
                await sleep(0)
        else:
            run.t_first = pc()
            for start in range(0, n, c):
                for q in quotes[start : start + c]:
                    handle(q)
                await sleep(0)

    async def _feed_idle(self, run: Run) -> None:
        quotes = run.quotes
        handle = self._handle_data
        sleep = asyncio.sleep
        hand = run.handoff
        n = len(quotes)
        every = ORDER_EVERY
        run.t_first = pc()
        for b in range(0, n, every):
            e = min(b + every, n)
            for i in range(b, e - 1):
                handle(quotes[i])
            await sleep(IDLE_GAP_S)
            if e - b == every:
                hand[b // every] = pc()
            handle(quotes[e - 1])
            await sleep(IDLE_GAP_S)


class BenchExecClient(LiveExecutionClient):
    """Reports the account on connect; reads the clock first thing in `submit_order`."""

    def __init__(self, run: Run, **kwargs: Any) -> None:
        super().__init__(
            "SIM",
            "SIM",
            oms_type=OmsType.NETTING,
            account_type=AccountType.MARGIN,
            account_id="SIM-001",
            base_currency=USDT,
            **kwargs,
        )
        self.run = run
        self._venue_ids = 0

    async def _connect(self) -> None:
        total = Money.from_str("1000000", USDT)
        self.generate_account_state(
            [AccountBalance(total=total, locked=Money.zero(USDT), free=total)],
            [],
            True,
            self._clock.timestamp_ns(),
        )

    async def _disconnect(self) -> None:
        return None

    def submit_order(self, command: Any) -> None:
        t = pc()  # W2: t_submit, the first statement of the client's submit_order
        run = self.run
        seq = run.order_seq.pop(command.order_init.client_order_id, None)
        if seq is not None:
            run.latencies_ns.append(t - run.handoff[seq])
        super().submit_order(command)  # the standard live path: Submitted, _submit_order

    async def _submit_order(self, command: Any) -> None:
        init = command.order_init
        self._venue_ids += 1
        self.generate_order_accepted(
            strategy_id=init.strategy_id,
            instrument_id=init.instrument_id,
            client_order_id=init.client_order_id,
            venue_order_id=VenueOrderId(f"V-{self._venue_ids}"),
            ts_event=self._clock.timestamp_ns(),
        )

    async def generate_mass_status(self, lookback_mins: int | None = None) -> Any:
        """Return an empty mass status (a fresh account at the venue)."""
        return ExecutionMassStatus(
            client_id=self.client_id,
            account_id=self.account_id,
            venue=self.venue,
            report_id=self._uuids.generate(),
            ts_init=self._clock.timestamp_ns(),
        )


class GcPauses:
    """A `gc.callbacks` hook: counts collections per generation and their pauses."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.max_ns = 0
        self.total_ns = 0
        self._t = 0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t = pc()
            return
        pause = pc() - self._t
        self.count[info["generation"]] += 1
        self.total_ns += pause
        self.max_ns = max(self.max_ns, pause)


def node_config(persist: str | None = None, data_dir: str | None = None) -> LiveNodeConfig:
    """The node config every W1/W2 run uses (see the module docstring).

    `persist` adds a SQLite cache database in `data_dir`: ``wb`` writes behind only,
    ``wa`` adds write-ahead ownership in journal mode (each submitted order is journaled
    before its command is sent), ``wac`` in commit mode (each submit waits for the
    commit of its order).
    """
    database = None
    if persist is not None:
        if persist not in ("wb", "wa", "wac"):
            raise ValueError(f"persist must be 'wb', 'wa' or 'wac', found {persist!r}")
        database = DatabaseConfig(
            type="sqlite",
            path=str(Path(data_dir or ".") / "bench.sqlite"),
            write_ahead_ownership=persist != "wb",
            write_ahead_mode="commit" if persist == "wac" else "journal",
        )
    return LiveNodeConfig(
        trader_id="BENCH-001",
        data_dir=data_dir or "./argonaut-data",
        database=database,
        logging=LoggingConfig(log_level="WARNING", log_colors=False),
        risk_engine=LiveRiskEngineConfig(
            bypass=False, max_order_submit_rate=THROTTLE, max_order_modify_rate=THROTTLE
        ),
        exec_engine=LiveExecEngineConfig(reconciliation=True),
        timeout_connection=30.0,
        timeout_disconnection=2.0,
        delay_post_stop=0.1,
    )


def new_loop_factory() -> tuple[Callable[[], asyncio.AbstractEventLoop] | None, str]:
    """Return uvloop's loop factory when installed (else None = stdlib) and its name."""
    try:
        import uvloop
    except ImportError:
        return None, "asyncio"
    return uvloop.new_event_loop, "uvloop"


def measure(
    n: int, feed: str, chunk: int, orders: bool, persist: str | None = None
) -> dict[str, Any]:
    """Run one W1/W2 measurement in this process and return its raw figures."""
    if persist is not None:
        with tempfile.TemporaryDirectory(prefix="argonaut-bench-") as data_dir:
            return _measure(n, feed, chunk, orders, persist, data_dir)
    return _measure(n, feed, chunk, orders, None, None)


def _measure(
    n: int, feed: str, chunk: int, orders: bool, persist: str | None, data_dir: str | None
) -> dict[str, Any]:
    run = Run(n, feed, chunk, orders)
    t0 = pc()
    quotes, total_ticks = build_quotes(n)
    construct_ns = pc() - t0
    run.quotes = quotes
    gc.collect()
    gc.freeze()

    node = LiveNode(node_config(persist, data_dir), name="BenchNode")
    k = node.kernel
    data = BenchDataClient(run, msgbus=k.msgbus, clock=k.clock)
    execution = BenchExecClient(
        run, msgbus=k.msgbus, cache=k.cache, clock=k.clock, uuid_factory=k.uuid_factory
    )
    node.add_data_client(data)
    node.add_exec_client(execution)
    strategy = BenchStrategy(run)
    node.add_strategy(strategy)
    run.stop = node.handle().stop

    journal_ns: list[int] = []
    if persist is not None:
        _time_journal_appends(journal_ns)
    factory, loop_name = new_loop_factory()
    gc_stats = GcPauses()
    gc.callbacks.append(gc_stats)
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(asyncio.wait_for(node.run(), timeout=600))
    gc.callbacks.remove(gc_stats)
    writer = node.persistence
    node_db_stats: dict[str, Any] = writer.stats() if writer is not None else {}

    check(run, strategy, node, total_ticks)
    wall_ns = run.t_last - run.t_first
    result: dict[str, Any] = {
        "n": n,
        "feed": feed,
        "chunk": chunk,
        "loop": loop_name,
        "quotes_per_s": round(n / (wall_ns / 1e9)),
        "wall_s": round(wall_ns / 1e9, 4),
        "push_s": round((run.t_last_push - run.t_first) / 1e9, 4),
        "construct_quotes_per_s": round(n / (construct_ns / 1e9)),
        "gc_collections": gc_stats.count,
        "gc_max_pause_us": round(gc_stats.max_ns / 1000, 1),
        "gc_total_ms": round(gc_stats.total_ns / 1e6, 2),
        "persist": persist or "off",
    }
    if persist is not None:
        result["db_ops_written"] = int(node_db_stats.get("ops_written", 0))
        result["db_batches"] = int(node_db_stats.get("batches", 0))
        result["db_max_queue_depth"] = int(node_db_stats.get("max_queue_depth", 0))
    if journal_ns:  # in situ: the write-ahead journal's cost per submitted order
        timed = sorted(journal_ns)
        result["journal_append_p50_us"] = _pct(timed, 50)
        result["journal_append_p99_us"] = _pct(timed, 99)
    if orders:
        lat = sorted(run.latencies_ns)
        result.update(
            {
                "orders": len(lat),
                "accepted": strategy.accepted,
                "p50_us": _pct(lat, 50),
                "p90_us": _pct(lat, 90),
                "p99_us": _pct(lat, 99),
                "max_us": round(lat[-1] / 1000, 2),
                "mean_us": round(statistics.fmean(lat) / 1000, 2),
                "to_strategy_p50_us": _pct(sorted(run.to_strategy_ns), 50),
                "to_strategy_p99_us": _pct(sorted(run.to_strategy_ns), 99),
            }
        )
    return result


def _time_journal_appends(out: list[int]) -> None:
    """Record how long each ownership journal append takes (this process only)."""
    from argonaut.live.persistence import OwnershipJournal

    append = OwnershipJournal.append

    def timed(self: OwnershipJournal, init: Any) -> None:
        t = pc()
        append(self, init)
        out.append(pc() - t)

    OwnershipJournal.append = timed  # type: ignore[method-assign]


def _pct(sorted_ns: list[int], p: float) -> float:
    return round(sorted_ns[min(len(sorted_ns) - 1, int(p / 100 * len(sorted_ns)))] / 1000, 2)


def check(run: Run, strategy: BenchStrategy, node: LiveNode, total_ticks: int) -> None:
    """Raise RuntimeError unless every W1 (and W2) validity check holds."""
    n = run.n
    problems: list[str] = []
    if strategy.count != n:
        problems.append(f"strategy saw {strategy.count} quotes, expected {n}")
    expected_sum = total_ticks / 20
    if abs(strategy.mid_sum - expected_sum) > 1e-9 * abs(expected_sum):
        problems.append(f"mid sum {strategy.mid_sum} differs from {expected_sum}")
    last = run.quotes[-1]
    if strategy.mid != (last.bid_price.raw + last.ask_price.raw) / 2e9:
        problems.append(f"last mid {strategy.mid} is not the last quote's mid")
    reference = W1_REFERENCE.get(n)
    if reference is not None:
        if total_ticks != reference[0]:
            problems.append(f"stream checksum {total_ticks} differs from {reference[0]}")
        if strategy.mid != reference[1]:
            problems.append(f"last mid {strategy.mid} differs from {reference[1]}")
    if node.kernel.cache.quote_tick(IID) is not last:
        problems.append("the cache's latest quote is not the last quote of the stream")
    if run.t_first == 0 or run.t_last == 0:
        problems.append("the timed region was not recorded")
    if run.orders:
        expected = run.expected_orders
        if len(run.latencies_ns) != expected:
            problems.append(f"{len(run.latencies_ns)} orders measured, expected {expected}")
        if strategy.denied or strategy.rejected:
            problems.append(f"{strategy.denied} orders denied, {strategy.rejected} rejected")
        orders = node.kernel.cache.orders()
        not_accepted = sum(1 for o in orders if o.status is not OrderStatus.ACCEPTED)
        if len(orders) != expected or not_accepted or strategy.accepted != expected:
            problems.append(
                f"{len(orders)} orders cached, {strategy.accepted} accepted events, "
                f"{not_accepted} not ACCEPTED; expected {expected} accepted"
            )
    if problems:
        raise RuntimeError("invalid run: " + "; ".join(problems))


def child_main(argv: list[str]) -> int:
    """``--one FEED CHUNK ORDERS [N] [--persist wb|wa|wac]``: one measurement, printed as a
    RESULT line."""
    persist = None
    if "--persist" in argv:
        j = argv.index("--persist")
        persist = argv[j + 1]
        argv = argv[:j] + argv[j + 2 :]
    i = argv.index("--one")
    feed, chunk, orders = argv[i + 1], int(argv[i + 2]), argv[i + 3] == "orders"
    n = int(argv[i + 4]) if len(argv) > i + 4 else N
    result = measure(n, feed, chunk, orders, persist)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


def run_children(
    module: str,
    feed: str,
    chunk: int,
    orders: bool,
    runs: int = RUNS,
    n: int = N,
    persist: str | None = None,
) -> list[dict[str, Any]]:
    """Run `runs` measurements, each in a fresh process; raise if one fails."""
    script = str(HERE / f"{module}.py")
    argv = [sys.executable, script, "--one", feed, str(chunk), "orders" if orders else "-", str(n)]
    if persist is not None:
        argv += ["--persist", persist]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    results = []
    for r in range(runs):
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=900, env=env, check=False
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_PREFIX)]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(
                f"{module} run {r} ({feed}, C={chunk}) failed, exit {proc.returncode}:\n"
                f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
            )
        results.append(json.loads(lines[0][len(RESULT_PREFIX) :]))
    return results


def figure(
    bench: str, variant: str, metric: str, results: list[dict[str, Any]], unit: str
) -> dict[str, Any]:
    """Return one figure: the median of `metric` over the runs, with min, max and runs."""
    values = [r[metric] for r in results]
    median = statistics.median(values)
    return {
        "bench": bench,
        "variant": variant,
        "metric": metric,
        "value": round(median) if metric.endswith("_per_s") else round(median, 2),
        "unit": unit,
        "min": min(values),
        "max": max(values),
        "runs": len(values),
        "loop": results[0]["loop"],
    }


def figures(
    bench: str, variant: str, results: list[dict[str, Any]], metrics: list[tuple[str, str]]
) -> Iterator[dict[str, Any]]:
    """Yield `figure` for each (metric, unit)."""
    for metric, unit in metrics:
        yield figure(bench, variant, metric, results, unit)
