"""W2 tick-to-order latency on the synchronous path (no asyncio), through the Kernel.

    .venv/bin/python benchmarks/bench_w2sync.py [--n 1000000] [--reps 3]

The W1 quote stream is handed to `DataEngine.process` one quote at a time. On every
100th quote the strategy creates a LIMIT order (qty 0.001, alternating BUY at bid - 10.0
and SELL at ask + 10.0) and submits it: pre-trade risk checks (not bypassed; throttle
raised to 100,000/s), execution engine, then the execution client's `submit_order`,
whose first statement reads the clock. Latency = that read - the read just before the
trigger quote was handed over. The client acknowledges at once (submitted, accepted).
Valid only if every order is accepted and none is denied.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Iterator
from typing import Any

from argonaut.common import topics
from argonaut.common.logging import LoggingConfig
from argonaut.engines.risk import RiskEngineConfig
from argonaut.model.data import QuoteTick
from argonaut.model.enums import AccountType, OmsType, OrderSide, OrderStatus
from argonaut.model.values import Price, Quantity
from argonaut.system import Kernel, KernelConfig
from argonaut.testkit import btcusdt_perp
from argonaut.testkit.scripted import ScriptedDataClient, ScriptedExecutionClient
from argonaut.trading import Strategy, StrategyConfig
from bench_data import IID, build_quotes

N = 1_000_000
REPS = 3
OFFSET_RAW = 100 * 100_000_000  # 10.0 in raw units of 0.1 ticks


class W2Strategy(Strategy):
    """Counts quotes; every 100th creates and submits one LIMIT order."""

    def __init__(self) -> None:
        super().__init__(StrategyConfig(order_id_tag="001", log_events=False, log_commands=False))
        self.count = 0
        self.qty = Quantity.from_str("0.001")
        self.buy = True

    def on_start(self) -> None:
        self.subscribe_quote_ticks(IID)

    def on_quote_tick(self, tick: QuoteTick) -> None:
        self.count += 1
        if self.count % 100:
            return
        if self.buy:
            price = Price(tick.bid_price.raw - OFFSET_RAW, 1)
            order = self.factory.limit(IID, OrderSide.BUY, self.qty, price)
        else:
            price = Price(tick.ask_price.raw + OFFSET_RAW, 1)
            order = self.factory.limit(IID, OrderSide.SELL, self.qty, price)
        self.buy = not self.buy
        self.submit_order(order)


class TimedClient(ScriptedExecutionClient):
    """Reads the clock first thing in `submit_order`, then acknowledges at once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("SIM", "SIM", **kwargs)
        self.t_submit: list[int] = []

    def submit_order(self, command: Any) -> None:
        self.t_submit.append(time.perf_counter_ns())
        self._acknowledge(command.order_init.client_order_id)


def build_kernel() -> tuple[Kernel, W2Strategy, TimedClient]:
    """A kernel with the W1 instrument, a 1,000,000 USDT margin account and the strategy."""
    config = KernelConfig(
        trader_id="BENCH-001",
        seed=42,
        logging=LoggingConfig(log_level="WARNING"),
        risk_engine=RiskEngineConfig(
            max_order_submit_rate="100000/00:00:01", max_order_modify_rate="100000/00:00:01"
        ),
    )
    kernel = Kernel(config)
    client = TimedClient(
        msgbus=kernel.msgbus,
        cache=kernel.cache,
        clock=kernel.clock,
        uuid_factory=kernel.uuid_factory,
        oms_type=OmsType.NETTING,
    )
    kernel.exec_engine.register_client(client)
    kernel.data_engine.register_client(ScriptedDataClient("SIM", kernel.msgbus, venue="SIM"))
    kernel.data_engine.process(btcusdt_perp())
    kernel.start_engines()
    _fund(kernel)
    strategy = W2Strategy()
    kernel.add_strategy(strategy)
    kernel.start_trader()
    return kernel, strategy, client


def _fund(kernel: Kernel) -> None:
    from argonaut.model.accounts import AccountBalance
    from argonaut.model.events.account import AccountState
    from argonaut.model.identifiers import AccountId
    from argonaut.model.values import USDT, Money

    total = Money.from_str("1000000", USDT)
    now = kernel.clock.timestamp_ns()
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
            ts_event=now,
            ts_init=now,
        ),
    )


def run_once(quotes: list[QuoteTick]) -> list[float]:
    """Run the stream once; return the latencies in microseconds."""
    kernel, strategy, client = build_kernel()
    process = kernel.data_engine.process
    clock = time.perf_counter_ns
    handoffs: list[int] = []
    mark = handoffs.append
    for i, quote in enumerate(quotes):
        if i % 100 == 99:
            mark(clock())
        process(quote)
    orders = kernel.cache.orders()
    if strategy.count != len(quotes) or len(client.t_submit) != len(handoffs):
        raise RuntimeError(
            f"invalid run: {strategy.count} quotes seen, {len(client.t_submit)} orders "
            f"submitted for {len(handoffs)} triggers"
        )
    if any(o.status is not OrderStatus.ACCEPTED for o in orders):
        raise RuntimeError("invalid run: an order was not accepted")
    kernel.dispose()
    return [(s - h) / 1000 for s, h in zip(client.t_submit, handoffs, strict=True)]


def _pct(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def run(n: int = N, reps: int = REPS) -> Iterator[dict[str, Any]]:
    """Yield p50/p90/p99/max figures (medians over `reps` runs)."""
    quotes, _ = build_quotes(n)
    gc.collect()
    gc.freeze()
    results: dict[str, list[float]] = {"p50_us": [], "p90_us": [], "p99_us": [], "max_us": []}
    for _ in range(reps):
        lat = sorted(run_once(quotes))
        results["p50_us"].append(_pct(lat, 50))
        results["p90_us"].append(_pct(lat, 90))
        results["p99_us"].append(_pct(lat, 99))
        results["max_us"].append(lat[-1])
    for metric, values in results.items():
        yield {
            "bench": "W2sync",
            "variant": "kernel",
            "metric": metric,
            "value": round(statistics.median(values), 2),
            "unit": "us",
            "min": round(min(values), 2),
            "max": round(max(values), 2),
            "orders": n // 100,
        }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--reps", type=int, default=REPS)
    args = parser.parse_args()
    for figure in run(args.n, args.reps):
        print(figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
